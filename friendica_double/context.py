"""The running double: its store, public base URL, profile, upload limits and login settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .db import Store
from .profiles import Profile

logger = logging.getLogger("friendica_double")

MEBIBYTE = 1024 * 1024


@dataclass(frozen=True)
class MediaSettings:
    """Upload limits of the imitated server, in bytes.

    ``max_upload_bytes`` plays PHP's ``upload_max_filesize``: PHP drops a
    larger file before Friendica reads it, so the upload fails as if the file
    were unreadable. The double's default of 20 MiB is its own choice (PHP's
    default is 2 MiB). ``max_image_bytes`` is Friendica's
    ``system.maximagesize`` (default 800000): a picture whose encoded size is
    larger is scaled down until it fits, not rejected. 0 means no limit.
    """

    max_upload_bytes: int = 20 * MEBIBYTE
    max_image_bytes: int = 800_000


@dataclass(frozen=True)
class AuthSettings:
    """Costs and lifetimes of the imitated server's logins.

    ``password_check_seconds`` is added to every password check (HTTP Basic
    and the web login form) as a sleep in a worker thread, so the event loop
    stays free. Friendica hashes the password on every Basic-auth call, which
    costs tens of milliseconds on a real server, while a bearer token is one
    database lookup. ``code_lifetime_seconds`` is how long an OAuth 2
    authorization code can be exchanged: Friendica 2024.08 accepts codes of
    tokens created less than 5 minutes ago. ``request_token_lifetime_seconds``
    is how long an OAuth 1 request token of the legacy profile can be
    authorized and exchanged (Friendica 3.5.4 stores 300 seconds).
    """

    password_check_seconds: float = 0.0
    code_lifetime_seconds: int = 300
    request_token_lifetime_seconds: float = 300.0


@dataclass
class Site:
    """Everything a handler needs besides the request."""

    store: Store
    base_url: str
    profile: Profile
    media: MediaSettings = field(default_factory=MediaSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")

    @property
    def host(self) -> str:
        """Return the host name of the base URL (without port), as Friendica reports it."""
        return urlsplit(self.base_url).hostname or ""

    @property
    def netloc(self) -> str:
        """Return host and port of the base URL."""
        return urlsplit(self.base_url).netloc

    def profile_url(self, nickname: str) -> str:
        """Return the profile page URL of a local user."""
        return f"{self.base_url}/profile/{nickname}"

    def display_url(self, guid: str) -> str:
        """Return the page URL of an item (``external_url`` of statuses)."""
        return f"{self.base_url}/display/{guid}"

    def object_url(self, guid: str) -> str:
        """Return the ActivityPub object URI of an item."""
        return f"{self.base_url}/objects/{guid}"

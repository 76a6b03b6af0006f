"""The running double: its store, public base URL and profile."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from .db import Store
from .profiles import Profile

logger = logging.getLogger("friendica_double")


@dataclass
class Site:
    """Everything a handler needs besides the request."""

    store: Store
    base_url: str
    profile: Profile

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

"""Facts every mapper may use besides the upstream object itself."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class MappingContext:
    """The request-independent facts every mapper may use.

    ``public_url`` is how clients reach the gateway, ``upstream_url`` the
    upstream's base URL (its host decides which accounts are local), and
    ``viewer_id`` the upstream user id of the person asking, if any.
    ``favorited_is_like`` is true where the upstream's ``favorited`` flag
    reports the viewer's like (Friendica 2022.03 and later) rather than a
    private star (older releases).
    """

    public_url: str
    upstream_url: str
    viewer_id: int | None = None
    favorited_is_like: bool = True

    @property
    def upstream_host(self) -> str:
        return (urlsplit(self.upstream_url).hostname or "").lower()

    @property
    def public_host(self) -> str:
        return (urlsplit(self.public_url).hostname or "").lower()

    @property
    def tag_url(self) -> str:
        return self.public_url.rstrip("/") + "/tags"

    @property
    def default_avatar(self) -> str:
        return self.public_url.rstrip("/") + "/mastogate/static/avatar.png"

    @property
    def default_header(self) -> str:
        return self.public_url.rstrip("/") + "/mastogate/static/header.png"

    def acct_for(self, username: str, profile_url: str) -> str:
        """Return ``username`` for local accounts and ``username@host`` for remote ones."""
        host = (urlsplit(profile_url).hostname or "").lower()
        if not host or host == self.upstream_host or "@" in username:
            return username
        return f"{username}@{host}"

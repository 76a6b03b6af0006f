"""OAuth scopes as Mastodon defines them, and the check every endpoint makes.

A token's scopes cover a required scope when they contain it, its top-level
scope (``read`` covers ``read:statuses``), or a legacy scope that grants it
(``follow`` covers ``read:follows``, ``write:blocks`` and the like).
"""

from __future__ import annotations

from collections.abc import Iterable

READ_SCOPES = (
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
)
WRITE_SCOPES = (
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
)
ADMIN_SCOPES = ("admin:read", "admin:write")

# Mastodon's deprecated "follow" scope grants these granular scopes.
FOLLOW_GRANTS = ("read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes")

TOP_LEVEL = ("read", "write", "follow", "push", "profile")
KNOWN_SCOPES = frozenset((*TOP_LEVEL, *READ_SCOPES, *WRITE_SCOPES, *ADMIN_SCOPES))

DEFAULT_SCOPES = ("read",)


class InvalidScope(ValueError):
    """A requested scope that Mastodon does not define."""


def parse_scopes(
    value: str | Iterable[str] | None, default: tuple[str, ...] = DEFAULT_SCOPES
) -> tuple[str, ...]:
    """Split a scope string (space- or plus-separated, as clients send it) into known scopes.

    Keeps the order and drops repeats; raises InvalidScope for an unknown one.
    """
    if value is None:
        return default
    words = (
        value.replace("+", " ").split() if isinstance(value, str) else [w for v in value for w in v.split()]
    )
    if not words:
        return default

    scopes: list[str] = []
    for word in words:
        if word not in KNOWN_SCOPES:
            raise InvalidScope(word)
        if word not in scopes:
            scopes.append(word)
    return tuple(scopes)


def covers(granted: Iterable[str], required: str) -> bool:
    """Tell whether the granted scopes allow an endpoint that needs ``required``."""
    granted = set(granted)
    if required in granted:
        return True

    top_level = required.split(":", 1)[0]
    if top_level in granted and top_level != "admin":
        return True
    if required in FOLLOW_GRANTS and "follow" in granted:
        return True
    # Mastodon 4.3's "profile" scope grants reading one's own account only.
    return required == "profile" and ("read" in granted or "read:accounts" in granted)


def is_subset(requested: Iterable[str], allowed: Iterable[str]) -> bool:
    """Tell whether every requested scope is covered by the scopes an app registered."""
    allowed = tuple(allowed)
    return all(covers(allowed, scope) for scope in requested)

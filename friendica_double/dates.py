"""Timestamps: stored as UTC ``YYYY-MM-DD HH:MM:SS`` strings like Friendica's MySQL columns."""

from __future__ import annotations

from datetime import UTC, datetime

STORAGE_FORMAT = "%Y-%m-%d %H:%M:%S"


def now() -> datetime:
    """Return the current UTC time without microseconds."""
    return datetime.now(UTC).replace(microsecond=0)


def to_storage(moment: datetime) -> str:
    """Return ``moment`` in the storage format (converted to UTC)."""
    return moment.astimezone(UTC).strftime(STORAGE_FORMAT)


def parse(stored: str) -> datetime:
    """Return the UTC datetime of a stored timestamp."""
    return datetime.strptime(stored, STORAGE_FORMAT).replace(tzinfo=UTC)


def twitter(stored: str) -> str:
    """Return the Twitter API form, e.g. ``Fri Dec 04 20:01:47 +0000 2026``."""
    return parse(stored).strftime("%a %b %d %H:%M:%S +0000 %Y")


def mastodon(stored: str) -> str:
    """Return the Mastodon API form, e.g. ``2026-12-04T20:01:48.000Z``."""
    return parse(stored).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def mastodon_day(stored: str) -> str:
    """Return midnight of the stored day in the Mastodon form (``last_status_at``)."""
    return parse(stored).strftime("%Y-%m-%dT00:00:00.000Z")


def epoch(stored: str) -> int:
    """Return the Unix time of a stored timestamp."""
    return int(parse(stored).timestamp())

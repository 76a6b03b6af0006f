"""Upstream date strings in, Mastodon timestamps out."""

from __future__ import annotations

from datetime import UTC, datetime

# Friendica and GNU Social write "Fri Dec 04 20:01:47 +0000 2026"; GNU Social
# uses the server's own offset instead of +0000.
_TWITTER_FORMAT = "%a %b %d %H:%M:%S %z %Y"

# Notifications and a few Friendica tables use "2026-12-04 20:01:47" in UTC.
_SQL_FORMAT = "%Y-%m-%d %H:%M:%S"

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_upstream_date(value: object) -> datetime | None:
    """Parse any date format the upstream uses into an aware UTC datetime.

    Returns None for a missing or unreadable value, so one odd field never
    fails a whole timeline.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str) or not value.strip():
        return None

    text = value.strip()
    for fmt in (_TWITTER_FORMAT, _SQL_FORMAT):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def mastodon_timestamp(moment: datetime) -> str:
    """Format a datetime as Mastodon does: UTC with milliseconds, ``2026-12-04T20:01:47.000Z``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def mastodon_date(moment: datetime) -> str:
    """Format the date part only, as in ``Account.last_status_at``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d")

"""Upstream date strings in, Mastodon timestamps out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

# Friendica and GNU Social write "Fri Dec 04 20:01:47 +0000 2026"; GNU Social
# uses the server's own offset instead of +0000.
_TWITTER_FORMAT = "%a %b %d %H:%M:%S %z %Y"

# Notifications and a few Friendica tables use "2026-12-04 20:01:47" in UTC.
_SQL_FORMAT = "%Y-%m-%d %H:%M:%S"

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# strptime is slow enough to dominate the mapping of a timeline, so the
# Twitter format, by far the most common, is read with a regular expression.
_TWITTER_PATTERN = re.compile(
    r"^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
    )
}


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
    return _parse_text(value.strip())


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> datetime | None:
    match = _TWITTER_PATTERN.match(text)
    if match and match.group(1) in _MONTHS:
        month, day, hour, minute, second = match.group(1), *map(int, match.group(2, 3, 4, 5))
        sign, offset_hours, offset_minutes, year = (
            match.group(6),
            int(match.group(7)),
            int(match.group(8)),
            int(match.group(9)),
        )
        offset = timedelta(hours=offset_hours, minutes=offset_minutes) * (-1 if sign == "-" else 1)
        try:
            moment = datetime(year, _MONTHS[month], day, hour, minute, second, tzinfo=timezone(offset))
        except ValueError:
            return None
        return moment.astimezone(UTC)

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

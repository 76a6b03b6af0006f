"""Which upstream events become which Mastodon notifications, and the Notification entity."""

from __future__ import annotations

from typing import Any

from mappings.entities import Account, Notification, Status

# Friendica's notification types (``notify.type``).
INTRO = 1
WALL = 4
COMMENT = 8
TAG_SELF = 128
TAG_SHARE = 256
SHARE = 1024

# Verbs of posts and comments; other verbs on a type 8 row are reactions such as attendance.
POST_VERBS = ("http://activitystrea.ms/schema/1.0/post", "http://activitystrea.ms/schema/1.0/comment")

MASTODON_TYPES = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "update")


def mastodon_type(row: dict[str, Any], *, pending_request: bool = False) -> str | None:
    """Return the Mastodon type of an upstream notification row, or None to drop it.

    Friendica also notifies attendance replies, mails, suggestions, profile
    views and pokes; Mastodon has no type for those, and mails reach apps as
    direct statuses instead.
    """
    try:
        kind = int(row.get("type") or 0)
    except (TypeError, ValueError):
        return None
    if kind == INTRO:
        return "follow_request" if pending_request else "follow"
    if kind in (WALL, COMMENT, TAG_SELF, TAG_SHARE):
        verb = str(row.get("verb") or "")
        return "mention" if not verb or verb in POST_VERBS else None
    if kind == SHARE:
        return "status"
    return None


def group_key(notification_type: str, status_id: str | None, notification_id: str) -> str:
    """Return the key that groups notifications in ``/api/v2/notifications``.

    Favourites and reblogs of one status form one group, as in Mastodon;
    everything else stands alone.
    """
    if notification_type in ("favourite", "reblog") and status_id:
        return f"{notification_type}-{status_id}"
    return f"ungrouped-{notification_id}"


def notification_entity(
    notification_id: str, notification_type: str, created_at: str, account: Account, status: Status | None
) -> Notification:
    return Notification(
        id=notification_id,
        type=notification_type,
        group_key=group_key(notification_type, status.id if status else None, notification_id),
        created_at=created_at,
        account=account,
        status=status,
    )

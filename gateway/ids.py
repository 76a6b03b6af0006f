"""Ids the gateway mints for things that have no upstream id of their own.

Upstream item, user and mail ids are database integers far below 2**40.
Minted ids are Mastodon-style snowflakes, ``milliseconds << 16 | sequence``,
which in 2026 are 18 digits long. So they never collide with an upstream id,
their size alone shows that they were minted, and ids minted for the same
list sort by the time of the thing they name.
"""

from __future__ import annotations

from datetime import datetime

SEQUENCE_BITS = 16

# Any id at or above this was minted by the gateway: 2**40 is about 1.1e12,
# and every snowflake of a moment after 1970-01-01 04:40 UTC is larger.
MINTED_ID_FLOOR = 1 << 40


def snowflake_id(at: datetime, sequence: int = 0) -> int:
    milliseconds = int(at.timestamp() * 1000)
    return (milliseconds << SEQUENCE_BITS) | (sequence & ((1 << SEQUENCE_BITS) - 1))


def is_minted(status_id: int) -> bool:
    return status_id >= MINTED_ID_FLOOR


class MintedKind:
    """The kinds of things the gateway mints ids for (the ``kind`` column of the store)."""

    # The status a person's share shows in their timelines (Mastodon's reblog wrapper).
    SHARE = "share"
    # An original inside a legacy share, which the upstream gives the share's own id.
    SHARED_ORIGINAL = "shared-original"
    # A private mail shown as a direct status, keyed by the viewer's own copy id.
    MAIL = "mail"
    # A private mail thread, keyed by its friendica_parent_uri.
    CONVERSATION = "conversation"
    # Entries of the notification log and uploads; the store mints these itself.
    NOTIFICATION = "notification"
    MEDIA = "media"

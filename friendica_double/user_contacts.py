"""Per-user flags about a person (blocks, mutes, being blocked), like Friendica's ``user-contact``.

The flags live in the ``user_contact`` table, keyed by the person's public
contact id, so a block or mute works without an address-book row. Friendica
2024.08 also keeps ``blocked`` on the address-book row. When that row is
accepted (not pending), Friendica trusts the row over the table and writes
the row's value back to the table. ``is_blocked`` copies that rule.

Posts are hidden from a user whose flags name their author or owner:
blocked, ignored (muted), or ``is_blocked`` (the person blocked the user).
``HIDDEN_FROM_VIEWER`` is that rule as an SQL condition for item queries.
"""

from __future__ import annotations

from .db import Row, Store

# An SQL condition on ``item`` that is true when the viewer (the one parameter) must not see the post.
HIDDEN_FROM_VIEWER = (
    "EXISTS (SELECT 1 FROM user_contact AS shunned WHERE shunned.uid = ? "
    "AND shunned.public_id IN (item.author_id, item.owner_id) "
    "AND (shunned.blocked = 1 OR shunned.ignored = 1 OR shunned.is_blocked = 1))"
)

FLAGS = ("blocked", "ignored", "is_blocked", "notify_new_posts", "intro_ignored")


def flags(store: Store, uid: int, public_id: int) -> Row | None:
    """Return the user's row about a person, or None when nothing was ever set."""
    return store.one("SELECT * FROM user_contact WHERE uid = ? AND public_id = ?", [uid, public_id])


def set_flag(store: Store, uid: int, public_id: int, flag: str, value: bool) -> None:
    """Set one flag of the user's row about a person, creating the row when needed."""
    if flag not in FLAGS:
        raise ValueError(f"unknown user_contact flag {flag!r}, expected one of: {', '.join(FLAGS)}")
    store.execute(
        f"INSERT INTO user_contact (uid, public_id, {flag}) VALUES (?, ?, ?) "
        f"ON CONFLICT (uid, public_id) DO UPDATE SET {flag} = excluded.{flag}",
        [uid, public_id, int(value)],
    )


def flag(store: Store, uid: int, public_id: int, name: str) -> bool:
    """Return one flag of the user's row about a person (False without a row)."""
    row = flags(store, uid, public_id)
    return bool(row is not None and row[name])


def is_blocked(store: Store, uid: int, public_id: int) -> bool:
    """Return whether the user blocks the person, like Contact\\User::isBlocked().

    An accepted address-book row decides, and its value is written back to
    ``user_contact``. So following someone again after a block lifts the block
    once the follow is accepted, because the new row is not blocked.
    """
    blocked = flag(store, uid, public_id, "blocked")
    row = _accepted_row(store, uid, public_id)
    if row is None:
        return blocked

    row_blocked = bool(row["blocked"])
    if row_blocked != blocked:
        set_flag(store, uid, public_id, "blocked", row_blocked)
    return row_blocked


def is_ignored(store: Store, uid: int, public_id: int) -> bool:
    """Return whether the user mutes the person (Friendica calls it "ignored")."""
    return flag(store, uid, public_id, "ignored")


def set_blocked(store: Store, uid: int, public_id: int, blocked: bool) -> None:
    """Store a block or unblock on ``user_contact`` and on an accepted address-book row."""
    with store.transaction():
        set_flag(store, uid, public_id, "blocked", blocked)
        store.execute(
            "UPDATE contact SET blocked = ? WHERE uid = ? AND public_id = ? AND self = 0 AND pending = 0",
            [int(blocked), uid, public_id],
        )


def hides(store: Store, viewer: int, item: Row) -> bool:
    """Return whether the viewer's flags hide this item (see ``HIDDEN_FROM_VIEWER``)."""
    if not viewer:
        return False
    return (
        store.count(
            "SELECT COUNT(*) FROM user_contact WHERE uid = ? AND public_id IN (?, ?) "
            "AND (blocked = 1 OR ignored = 1 OR is_blocked = 1)",
            [viewer, item["author_id"], item["owner_id"]],
        )
        > 0
    )


def blocked_ids(store: Store, uid: int) -> list[int]:
    """Return the public ids of everyone the user blocks, highest id first."""
    rows = store.query(
        "SELECT public_id FROM user_contact WHERE uid = ? AND blocked = 1 ORDER BY public_id DESC", [uid]
    )
    return [int(row["public_id"]) for row in rows]


def _accepted_row(store: Store, uid: int, public_id: int) -> Row | None:
    return store.one(
        "SELECT * FROM contact WHERE uid = ? AND public_id = ? AND self = 0 AND pending = 0",
        [uid, public_id],
    )

"""Rows of Friendica's ``notification`` table, the source of its ``/api/v1/notifications``.

Friendica 2024.08 keeps these rows apart from the ``notify`` table behind
``friendica/notifications`` (see ``notifications``) and fills them by other
rules (``Model/Post/UserNotification`` and ``Factory/Api/Mastodon/Notification``
in its source):

- Each new post, comment or activity is checked for every local user who
  receives a copy of it, never for its author. The first of these checks
  that applies gives the row's ``type``: a top-level post or a share by a
  contact whose "notify on new posts" flag the user set (SHARED); then,
  unless the user wrote the item, an explicit mention, an implicit mention,
  a reply or reaction to the user's comment (DIRECT_COMMENT) or post
  (DIRECT_THREAD_COMMENT), the user's own thread (THREAD_COMMENT), a comment
  of the user in the thread (COMMENT_PARTICIPATION) and a reaction of the
  user in the thread (ACTIVITY_PARTICIPATION). Shares skip the mention,
  thread and participation checks.
- Likes, dislikes and attendance make a row only when they target the
  user's own post or comment. Posts, comments and shares make one for any type.
  Nothing is checked when the user blocked or muted the author of the item
  or of its thread.
- A user gets one row per verb, type, actor and target, so the same like
  after an unlike adds nothing and the first row keeps its date.
- A follow or follow request that reaches a user makes a row with verb
  ``follow`` and type NONE, unless that person's request already waits.
  Whether it reads as ``follow`` or ``follow_request`` is decided when it is
  read, from the user's address-book row. Losing the follower deletes the
  person's follow rows. Follow rows have no target, so they never count as
  the same event.
- Deleting a post deletes the rows with verb ``post`` about it and, for a
  thread root, about its whole thread. Rows about likes and shares stay.

The double stores the item's verb name (``post``, ``like``, ``announce`` ...)
where Friendica stores a verb id, and dates rows with the item's creation
time, which is the time of the event outside the seed.

NOTE: no recording covers this table or its endpoint. The rules are read
from Friendica 2024.08's source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import dates, user_contacts
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, GRAVITY_PARENT, Row, Store
from .notifications import participation, tagged

# Values of notification.type, as Friendica numbers them (its UserNotification::TYPE_*).
TYPE_NONE = 0
TYPE_EXPLICIT_TAGGED = 1
TYPE_IMPLICIT_TAGGED = 2
TYPE_THREAD_COMMENT = 4
TYPE_DIRECT_COMMENT = 8
TYPE_COMMENT_PARTICIPATION = 16
TYPE_ACTIVITY_PARTICIPATION = 32
TYPE_DIRECT_THREAD_COMMENT = 64
TYPE_SHARED = 128

DIRECT_TYPES = (TYPE_DIRECT_COMMENT, TYPE_DIRECT_THREAD_COMMENT)
MENTION_TYPES = (
    TYPE_EXPLICIT_TAGGED,
    TYPE_IMPLICIT_TAGGED,
    TYPE_DIRECT_COMMENT,
    TYPE_DIRECT_THREAD_COMMENT,
    TYPE_THREAD_COMMENT,
)
# Types that are stored but that the Mastodon endpoint never lists.
UNLISTED_TYPES = (TYPE_ACTIVITY_PARTICIPATION, TYPE_COMMENT_PARTICIPATION)

FOLLOW = "follow"
POST = "post"
ANNOUNCE = "announce"
LIKES = ("like", "dislike")

# The SQL condition that ``exclude_types[]`` adds per Mastodon type. Friendica 2024.08 tests the
# stored verb and type, not the type it shows: excluding ``favourite`` or ``reblog`` keeps the
# rows about the user's top-level posts (type 64), excluding ``mention`` keeps attendance rows, and
# excluding ``status`` keeps watched shares. The follow conditions ask whether the actor's public
# contact is pending, which it never is, so ``follow`` hides follow requests too and
# ``follow_request`` hides nothing.
EXCLUSIONS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "follow_request": (
        "(verb != ? OR type != ? OR actor_id NOT IN (SELECT id FROM contact WHERE pending = 1))",
        (FOLLOW, TYPE_NONE),
    ),
    "follow": (
        "(verb != ? OR type != ? OR actor_id NOT IN (SELECT id FROM contact WHERE pending = 0))",
        (FOLLOW, TYPE_NONE),
    ),
    "favourite": (
        "(verb NOT IN (?, ?) OR type NOT IN (?, ?))",
        (*LIKES, TYPE_DIRECT_COMMENT, TYPE_THREAD_COMMENT),
    ),
    "reblog": ("(verb != ? OR type NOT IN (?, ?))", (ANNOUNCE, TYPE_DIRECT_COMMENT, TYPE_THREAD_COMMENT)),
    "mention": ("(verb != ? OR type NOT IN (?, ?, ?, ?, ?))", (POST, *MENTION_TYPES)),
    "status": ("(verb != ? OR type != ?)", (POST, TYPE_SHARED)),
}


# Creating and removing rows


def note_item(store: Store, uri_id: int) -> None:
    """Store the rows that a new post, comment or activity causes for the users holding a copy."""
    item = store.item(uri_id)
    if item is None or item["deleted"]:
        return
    root = store.item(item["parent_uri_id"])
    if root is None:
        return
    for uid in store.holder_uids(uri_id):
        # The author's own copy is never checked (Friendica skips copies that originate locally).
        if uid and uid != item["origin_uid"]:
            _note_for_user(store, item, root, uid)


def _note_for_user(store: Store, item: Row, root: Row, uid: int) -> None:
    user = store.user(uid)
    if user is None:
        return
    for person in {item["author_id"], root["author_id"]}:
        if user_contacts.is_blocked(store, uid, person) or user_contacts.is_ignored(store, uid, person):
            return

    kind = _type_for(store, item, user)
    if kind is None:
        return
    is_activity = item["gravity"] == GRAVITY_ACTIVITY
    if is_activity and item["verb"] != ANNOUNCE and kind not in DIRECT_TYPES:
        return
    store.execute(
        "INSERT OR IGNORE INTO notification "
        "(uid, verb, type, actor_id, target_uri_id, parent_uri_id, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            uid,
            item["verb"],
            kind,
            item["author_id"],
            item["thr_parent_id"] if is_activity else item["uri_id"],
            item["parent_uri_id"],
            item["created"],
        ],
    )


def _type_for(store: Store, item: Row, user: Row) -> int | None:
    """Return the first type that applies to ``user`` for a new item (see the module docstring)."""
    uid, me = int(user["uid"]), int(user["public_contact"])
    is_share = item["verb"] == ANNOUNCE
    watched = user_contacts.flag(store, uid, item["author_id"], "notify_new_posts")
    if watched and (item["gravity"] == GRAVITY_PARENT or is_share):
        return TYPE_SHARED
    if item["author_id"] == me:
        return None

    if not is_share and tagged(store, item["uri_id"], "mention", me):
        return TYPE_EXPLICIT_TAGGED
    if not is_share and tagged(store, item["uri_id"], "implicit", me):
        return TYPE_IMPLICIT_TAGGED

    parent = store.item(item["thr_parent_id"]) if item["thr_parent_id"] else None
    answers_me = (
        parent is not None
        and parent["uri_id"] != item["uri_id"]
        and not parent["deleted"]
        and parent["author_id"] == me
        and store.holder(parent["uri_id"], uid) is not None
    )
    if answers_me and parent is not None and parent["gravity"] == GRAVITY_COMMENT:
        return TYPE_DIRECT_COMMENT
    if answers_me and parent is not None and parent["gravity"] == GRAVITY_PARENT:
        return TYPE_DIRECT_THREAD_COMMENT
    if is_share:
        return None

    kinds = {
        GRAVITY_PARENT: TYPE_THREAD_COMMENT,
        GRAVITY_COMMENT: TYPE_COMMENT_PARTICIPATION,
        GRAVITY_ACTIVITY: TYPE_ACTIVITY_PARTICIPATION,
    }
    gravity = participation(store, item["parent_uri_id"], me)
    return kinds[gravity] if gravity is not None else None


def note_follow(store: Store, owner_uid: int, follower_public_id: int, created: str | None = None) -> None:
    """Store the row for a follow or follow request that reached ``owner_uid``.

    The caller decides whether Friendica would store one: not when the
    person's request already waits.
    """
    store.insert(
        "notification",
        {
            "uid": owner_uid,
            "verb": FOLLOW,
            "type": TYPE_NONE,
            "actor_id": follower_public_id,
            "created": created or dates.to_storage(dates.now()),
        },
    )


def forget_follower(store: Store, owner_uid: int, follower_public_id: int) -> None:
    """Delete the owner's follow rows from a person who no longer follows them."""
    store.execute(
        "DELETE FROM notification WHERE uid = ? AND verb = ? AND actor_id = ?",
        [owner_uid, FOLLOW, follower_public_id],
    )


def forget_item(store: Store, uri_id: int) -> None:
    """Delete the ``post`` rows about a deleted item and about the thread it was the root of."""
    store.execute(
        "DELETE FROM notification WHERE verb = ? AND (target_uri_id = ? OR parent_uri_id = ?)",
        [POST, uri_id, uri_id],
    )


# Reading rows


def mastodon_type(store: Store, row: Row) -> str:
    """Return the Mastodon type of a row, or "" for a row that Friendica cannot show.

    A like or dislike of the user's post or comment is ``favourite`` (so a
    dislike reads as a like), a share of it ``reblog``, a watched contact's
    post or share ``status``, every other listed type ``mention`` (attendance
    too). A follow row is ``follow_request`` while the user's address-book
    row of the person is pending, ``follow`` once it is not, and cannot be
    shown without such a row.
    """
    verb, kind = row["verb"], row["type"]
    if verb == FOLLOW and kind == TYPE_NONE:
        contact = store.one(
            "SELECT pending FROM contact WHERE uid = ? AND public_id = ? AND self = 0 ORDER BY id LIMIT 1",
            [row["uid"], row["actor_id"]],
        )
        if contact is None:
            return ""
        return "follow_request" if contact["pending"] else "follow"
    if verb == ANNOUNCE and kind in DIRECT_TYPES:
        return "reblog"
    if verb in LIKES and kind in DIRECT_TYPES:
        return "favourite"
    if kind == TYPE_SHARED:
        return "status"
    if kind in MENTION_TYPES:
        return "mention"
    return ""


def condition(uid: int, include_all: bool, excluded: Sequence[str]) -> tuple[str, list[Any]]:
    """Return the SQL condition and arguments of the rows the list may show."""
    marks = ", ".join("?" for _ in UNLISTED_TYPES)
    parts = [f"uid = ? AND type NOT IN ({marks})"]
    arguments: list[Any] = [uid, *UNLISTED_TYPES]
    if not include_all:
        parts.append("dismissed = 0")
    for name, (sql, values) in EXCLUSIONS.items():
        if name in excluded:
            parts.append(sql)
            arguments += values
    return " AND ".join(parts), arguments


def page(store: Store, where: tuple[str, list[Any]], above: int, below: int, limit: int) -> list[Row]:
    """Return the newest ``limit`` rows with ``above < id`` (and ``id < below`` when positive)."""
    if limit <= 0:
        return []
    sql, arguments = where
    sql += " AND id > ?"
    arguments = [*arguments, above]
    if below > 0:
        sql += " AND id < ?"
        arguments.append(below)
    return store.query(
        f"SELECT * FROM notification WHERE {sql} ORDER BY id DESC LIMIT ?", [*arguments, limit]
    )


def count(store: Store, where: tuple[str, list[Any]]) -> int:
    """Return how many rows match, whatever their Mastodon type."""
    sql, arguments = where
    return store.count(f"SELECT COUNT(*) FROM notification WHERE {sql}", arguments)


def find(store: Store, uid: int, notification_id: int) -> Row | None:
    """Return the user's row with this id, dismissed or not."""
    return store.one("SELECT * FROM notification WHERE id = ? AND uid = ?", [notification_id, uid])


def dismiss(store: Store, uid: int, notification_id: int | None = None) -> None:
    """Dismiss one of the user's rows, or all of them without an id."""
    if notification_id is None:
        store.execute("UPDATE notification SET dismissed = 1 WHERE uid = ?", [uid])
    else:
        store.execute(
            "UPDATE notification SET dismissed = 1 WHERE id = ? AND uid = ?", [notification_id, uid]
        )

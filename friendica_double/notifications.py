"""Notification rows (Friendica's ``notify`` table), created when the matching events happen.

Friendica 2024.08 decides it like this (``Model/Post/UserNotification`` and
``Navigation/Notifications`` in its source), and the recordings agree:

- A post, comment or reaction that reaches a local user is checked for the
  first *cause* that applies, in this order: an explicit mention, an implicit
  mention, a comment on the user's comment, a reply to the user's post, a
  comment in the user's thread, then participation in the thread by comment
  or by reaction. An implicit mention is a reply to the user, or a reply in
  a thread where the user was mentioned.
- A reaction only counts when it targets the user's own post or comment.
  Likes, dislikes and shares stay hidden, because Friendica lists them only
  for users who opted in. Attendance on a post becomes a type 8 "wants to
  attend" row. Attendance on a comment has no message and makes no row.
- A top-level post or a share by a contact whose "notify on new posts" flag
  the user set comes first of all, as type 1024 ("shared the post").
- An explicit mention is type 128 ("tagged you"), every other cause type 8.
- Nothing is created about posts in threads of people the user blocked or
  muted.
- A user gets one row per verb, cause, actor and target, and no second
  type 8/128 row with verb "post" for the same target.
- A follower or follow request from someone not yet in the user's address
  book becomes a type 1 intro row (``iid`` and ``parent`` 0).
- Mails make no row: Friendica keeps mail notices out of this table.

Rows keep the actor's name and the quoted text as they were, like Friendica.
The message is stored as a template (see ``notification_messages``) and
rendered with the site's URLs when read (see ``routes_notifications``). Rows
about an item go away when the item is deleted.
"""

from __future__ import annotations

from . import dates, user_contacts
from .context import Site
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, GRAVITY_PARENT, REL_NOTHING, Row, Store
from .notification_messages import (
    ACTIVITY_PARTICIPATION,
    COMMENT_PARTICIPATION,
    DIRECT_CAUSES,
    DIRECT_COMMENT,
    DIRECT_THREAD_COMMENT,
    EXPLICIT_TAGGED,
    IMPLICIT_TAGGED,
    INTRO_TEMPLATE,
    SHARED,
    THREAD_COMMENT,
    compose,
    name_of,
)

# Values of notify.type, as Friendica numbers them.
TYPE_INTRO = 1
TYPE_COMMENT = 8
TYPE_TAG_SELF = 128
TYPE_SHARE = 1024
POST_NOTICE_TYPES = (TYPE_COMMENT, TYPE_TAG_SELF, TYPE_SHARE)

OTYPE_ITEM = "item"
OTYPE_INTRO = "intro"

ACTIVITY_STREAMS = "http://activitystrea.ms/schema/1.0/"
ZOT_ACTIVITY = "http://purl.org/zot/activity/"
FOLLOW_VERB = ACTIVITY_STREAMS + "follow"
VERB_URLS = {
    "post": ACTIVITY_STREAMS + "post",
    "like": ACTIVITY_STREAMS + "like",
    "dislike": "http://purl.org/macgirvin/dfrn/1.0/dislike",
    "announce": ACTIVITY_STREAMS + "share",
    "attendyes": ZOT_ACTIVITY + "attendyes",
    "attendno": ZOT_ACTIVITY + "attendno",
    "attendmaybe": ZOT_ACTIVITY + "attendmaybe",
}
# Reactions that Friendica lists only for users who opted in (the double has no such setting).
HIDDEN_REACTIONS = ("like", "dislike", "announce")


def notify_new_follower(
    store: Store, owner_uid: int, follower_public_id: int, created: str | None = None
) -> None:
    """Store the intro row for a follow or follow request, unless the owner knows the person.

    Call it before the relationship rows exist: like Friendica, someone already
    in the owner's address book (say, a person the owner follows, a pending
    requester or a blocked contact) makes no row. A row left over from an
    ended relationship counts as unknown, because Friendica deletes such rows.
    """
    known = store.one(
        "SELECT id FROM contact WHERE uid = ? AND public_id = ? AND self = 0 "
        "AND (rel != ? OR pending = 1 OR blocked = 1)",
        [owner_uid, follower_public_id, REL_NOTHING],
    )
    person = store.public_contact(follower_public_id)
    if known is not None or person is None:
        return

    store.insert(
        "notify",
        {
            "uid": owner_uid,
            "type": TYPE_INTRO,
            "verb": FOLLOW_VERB,
            "otype": OTYPE_INTRO,
            "actor_id": follower_public_id,
            "name": person["name"],
            "template": INTRO_TEMPLATE,
            "date": created or dates.to_storage(dates.now()),
        },
    )


def notify_item(site: Site, uri_id: int) -> None:
    """Create the rows that a new post, comment, reaction or share causes for the users holding a copy."""
    store = site.store
    item = store.item(uri_id)
    if item is None or item["deleted"]:
        return
    for uid in store.holder_uids(uri_id):
        if uid:
            _notify_holder(site, item, uid)


def _notify_holder(site: Site, item: Row, uid: int) -> None:
    store = site.store
    user = store.user(uid)
    root = store.item(item["parent_uri_id"])
    if user is None or root is None or item["author_id"] == user["public_contact"]:
        return
    if _shuns(store, uid, (item["author_id"], root["author_id"])):
        return

    is_activity = item["gravity"] == GRAVITY_ACTIVITY
    if _shared_by_watched_contact(store, item, uid):
        cause: int | None = SHARED
    elif item["verb"] in HIDDEN_REACTIONS:
        return
    else:
        cause = _cause(store, item, user["public_contact"])
        # Reactions count only on the user's own post or comment.
        if cause is None or (is_activity and cause not in DIRECT_CAUSES):
            return
    assert cause is not None

    target = store.item(item["thr_parent_id"]) if is_activity else item
    verb = VERB_URLS[item["verb"]]
    if target is None or target["deleted"]:
        return
    if _has_event(store, uid, verb, cause, item["author_id"], target["uri_id"]):
        return
    if _has_post_notice(store, uid, target["uri_id"]):
        return

    copy = _copy_ids(store, target, uid)
    message = compose(site, item, target, root, cause)
    if copy is None or message is None:
        return

    item_row_id, root_row_id = copy
    notify_type = {EXPLICIT_TAGGED: TYPE_TAG_SELF, SHARED: TYPE_SHARE}.get(cause, TYPE_COMMENT)
    store.insert(
        "notify",
        {
            "uid": uid,
            "type": notify_type,
            "cause": cause,
            "verb": verb,
            "otype": OTYPE_ITEM,
            "actor_id": item["author_id"],
            "name": name_of(store, item["author_id"]),
            "author_id": message.author_id,
            "author_name": message.author_name,
            "template": message.template,
            "title": message.title,
            "uri_id": target["uri_id"],
            "parent_uri_id": target["parent_uri_id"],
            "iid": item_row_id,
            "parent": root_row_id,
            "date": item["created"],
        },
    )


def _shared_by_watched_contact(store: Store, item: Row, uid: int) -> bool:
    """Return whether a post or share comes from a contact the user asked to hear about.

    That is Friendica's "notify on new posts" flag of the user's contact,
    checked on top-level posts and shares only.
    """
    if item["gravity"] != GRAVITY_PARENT and item["verb"] != "announce":
        return False
    return user_contacts.flag(store, uid, item["author_id"], "notify_new_posts")


def _cause(store: Store, item: Row, me: int) -> int | None:
    """Return the first cause for which a post, comment or reaction concerns the person ``me``.

    Shares are not checked here: Friendica finds only the direct causes for
    them, and those stay hidden like likes.
    """
    if tagged(store, item["uri_id"], "mention", me):
        return EXPLICIT_TAGGED
    if tagged(store, item["uri_id"], "implicit", me):
        return IMPLICIT_TAGGED

    parent = store.item(item["thr_parent_id"]) if item["thr_parent_id"] else None
    if parent is not None and not parent["deleted"] and parent["author_id"] == me:
        if parent["gravity"] == GRAVITY_COMMENT:
            return DIRECT_COMMENT
        if parent["gravity"] == GRAVITY_PARENT:
            return DIRECT_THREAD_COMMENT

    causes = {
        GRAVITY_PARENT: THREAD_COMMENT,
        GRAVITY_COMMENT: COMMENT_PARTICIPATION,
        GRAVITY_ACTIVITY: ACTIVITY_PARTICIPATION,
    }
    gravity = participation(store, item["parent_uri_id"], me)
    return causes[gravity] if gravity is not None else None


def participation(store: Store, parent_uri_id: int, public_id: int) -> int | None:
    """Return how a person took part in a thread: the gravity of the first of their items found.

    The thread's start is looked for first, then a comment, then an activity,
    the order in which Friendica ranks its notification causes.
    """
    for gravity in (GRAVITY_PARENT, GRAVITY_COMMENT, GRAVITY_ACTIVITY):
        if store.count(
            "SELECT COUNT(*) FROM item WHERE parent_uri_id = ? AND author_id = ? AND gravity = ? "
            "AND deleted = 0",
            [parent_uri_id, public_id, gravity],
        ):
            return gravity
    return None


def tagged(store: Store, uri_id: int, kind: str, public_id: int) -> bool:
    return bool(
        store.count(
            "SELECT COUNT(*) FROM tag WHERE uri_id = ? AND type = ? AND contact_id = ?",
            [uri_id, kind, public_id],
        )
    )


def _shuns(store: Store, uid: int, public_ids: tuple[int, int]) -> bool:
    """Return whether the user blocked or muted one of these people (no rows about their posts)."""
    return any(
        user_contacts.is_blocked(store, uid, public_id) or user_contacts.is_ignored(store, uid, public_id)
        for public_id in set(public_ids)
    )


def _has_event(store: Store, uid: int, verb: str, cause: int, actor_id: int, uri_id: int) -> bool:
    """Return whether the same event already made a row (Friendica keeps such events unique)."""
    return bool(
        store.count(
            "SELECT COUNT(*) FROM notify WHERE uid = ? AND verb = ? AND cause = ? "
            "AND actor_id = ? AND uri_id = ?",
            [uid, verb, cause, actor_id, uri_id],
        )
    )


def _has_post_notice(store: Store, uid: int, uri_id: int) -> bool:
    marks = ", ".join("?" for _ in POST_NOTICE_TYPES)
    return bool(
        store.count(
            f"SELECT COUNT(*) FROM notify WHERE uid = ? AND otype = ? AND uri_id = ? AND verb = ? "
            f"AND type IN ({marks})",
            [uid, OTYPE_ITEM, uri_id, VERB_URLS["post"], *POST_NOTICE_TYPES],
        )
    )


def _copy_ids(store: Store, target: Row, uid: int) -> tuple[int, int] | None:
    """Return the ``post_user`` ids of the target and its thread root that the user reads.

    That is the user's own copy, else the public copy, as Friendica picks it.
    """
    for holder in (uid, 0):
        copy = store.holder(target["uri_id"], holder)
        if copy is not None:
            root = store.holder(target["parent_uri_id"], holder)
            return int(copy["id"]), int(root["id"]) if root is not None else 0
    return None


def forget_item(store: Store, uri_id: int) -> None:
    """Remove the rows about a deleted item and about the thread it was the root of."""
    store.execute(
        "DELETE FROM notify WHERE otype = ? AND (uri_id = ? OR parent_uri_id = ?)",
        [OTYPE_ITEM, uri_id, uri_id],
    )


def latest(store: Store, uid: int, limit: int) -> list[Row]:
    """Return a user's rows, unseen first, then newest first (ties in creation order)."""
    return store.query(
        "SELECT * FROM notify WHERE uid = ? ORDER BY seen ASC, date DESC, id ASC LIMIT ?",
        [uid, limit],
    )


def find(store: Store, notify_id: int) -> Row | None:
    """Return any user's row with this id."""
    return store.one("SELECT * FROM notify WHERE id = ?", [notify_id])


def mark_seen(store: Store, notify_id: int) -> None:
    """Mark one row seen."""
    store.execute("UPDATE notify SET seen = 1 WHERE id = ?", [notify_id])

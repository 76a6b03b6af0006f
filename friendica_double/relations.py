"""Following, follow requests, blocks and mutes between local users, as Friendica 2024.08 does them.

Each user's side lives in their own address book (see ``people``). Friendica
changes the other user's side by sending an activity that a background
worker delivers, and the double applies that delivery at once.

- Follow (Contact::createFromProbeForUser(), then the target's
  Contact::addRelationship()). The follower's row becomes SHARING, or
  FRIEND when the target already follows them, and joins the follower's
  default circle. A new row waits (``pending``) while the target's account
  is locked. Following someone whose own request waits accepts that request.
  At the target, a new row is a FOLLOWER. A locked target keeps it pending
  as a follow request and adds it to its default circle, and an unlocked
  target accepts it at once. A target who already follows the follower
  accepts at once and becomes FRIEND.
- Unfollow (Contact::unfollow()). The follower's row drops to NOTHING, or to
  FOLLOWER when the other person follows them, and stops being pending. An
  existing row that is followed again keeps ``pending`` off, so a follow
  after an unfollow shows as accepted although the target still has to
  approve it. The target loses the follower, and a row left without
  relation is deleted.
- Authorize makes the requester an accepted FOLLOWER (and unblocks the row).
  Reject, and the severing done by a block, delete the requester's SHARING
  row or turn a FRIEND row into FOLLOWER.
- Block (the 2024.08 Block module) sets the block, undoes both directions
  and deletes the blocker's row of the person. So relationships and circle
  memberships are gone, and an unblock does not bring them back. Friendica
  releases after 2024.08 also send the blocked person a Block activity,
  which sets ``is_blocked`` on their side and hides the blocker's posts from
  them. The double does that too.
- Mute only sets a flag, which hides the person's posts from the muter's
  timelines.
"""

from __future__ import annotations

from . import circles, dates, notifications, people, user_contacts, user_notifications
from .db import REL_FOLLOWER, REL_FRIEND, REL_NOTHING, REL_SHARING, Row, Store

FOLLOWING = (REL_SHARING, REL_FRIEND)
FOLLOWED_BY = (REL_FOLLOWER, REL_FRIEND)


def address_row(store: Store, owner_uid: int, public_id: int) -> Row | None:
    """Return the owner's address-book row for a person, never the self row."""
    return store.one(
        "SELECT * FROM contact WHERE uid = ? AND public_id = ? AND self = 0 ORDER BY id LIMIT 1",
        [owner_uid, public_id],
    )


def follow(store: Store, follower: Row, target_public_id: int, *, notify: bool = False) -> int:
    """Follow a local person and return the follower's contact id (see the module docstring)."""
    target = store.user_by_public_contact(target_public_id)
    moment = dates.to_storage(dates.now())

    with store.transaction():
        row = address_row(store, follower["uid"], target_public_id)
        if row is None:
            locked = bool(target is not None and target["manually_approve"])
            contact_id = people.add_contact(
                store, follower["uid"], target_public_id, REL_SHARING, pending=locked, created=moment
            )
        else:
            contact_id = int(row["id"])
            rel = REL_FRIEND if row["rel"] in FOLLOWED_BY else REL_SHARING
            # Following someone whose request waits accepts that request.
            accepts_their_request = bool(row["pending"]) and row["rel"] in FOLLOWED_BY
            pending = 0 if accepts_their_request else row["pending"]
            store.execute("UPDATE contact SET rel = ?, pending = ? WHERE id = ?", [rel, pending, contact_id])
            if accepts_their_request and target is not None:
                _accepted(store, target["uid"], follower["public_contact"])

        default = circles.default_circle(store, follower["uid"])
        if default is not None:
            circles.add_member(store, default, contact_id)
        user_contacts.set_flag(store, follower["uid"], target_public_id, "notify_new_posts", notify)

        if target is not None and target["uid"] != follower["uid"]:
            _follow_arrives(store, target, follower, moment)

        # Friendica clears the row's mute flag, and an accepted row's flags win over user-contact.
        if not _row_pending(store, contact_id):
            user_contacts.set_flag(store, follower["uid"], target_public_id, "ignored", False)
    return contact_id


def unfollow(store: Store, follower: Row, row: Row) -> None:
    """Stop following the person of the follower's address-book ``row`` (see the module docstring)."""
    was_following = row["rel"] in FOLLOWING
    remaining = REL_NOTHING if row["rel"] in (REL_SHARING, REL_NOTHING) else REL_FOLLOWER

    with store.transaction():
        store.execute("UPDATE contact SET rel = ?, pending = 0 WHERE id = ?", [remaining, row["id"]])
        target = store.user_by_public_contact(int(row["public_id"]))
        if was_following and target is not None:
            _follower_left(store, target["uid"], follower["public_contact"])


def authorize(store: Store, owner: Row, request_row: Row) -> None:
    """Accept the follow request of ``request_row`` (a pending FOLLOWER row of the owner)."""
    with store.transaction():
        store.execute(
            "UPDATE contact SET rel = ?, pending = 0, blocked = 0 WHERE id = ?",
            [REL_FOLLOWER, request_row["id"]],
        )
        requester = store.user_by_public_contact(int(request_row["public_id"]))
        if requester is not None:
            _accepted(store, requester["uid"], owner["public_contact"])


def reject(store: Store, owner: Row, request_row: Row) -> None:
    """Turn down the follow request of ``request_row``.

    NOTE: Friendica deletes only the introduction and keeps the owner's
    pending row, so its relationship still shows ``requested``. The double
    has no separate introductions and deletes that row instead.
    """
    with store.transaction():
        requester = store.user_by_public_contact(int(request_row["public_id"]))
        if requester is not None:
            _rejected(store, requester["uid"], owner["public_contact"])
        _drop_follower(store, request_row)


def ignore(store: Store, owner: Row, request_row: Row) -> None:
    """Hide a follow request from the owner's request lists; the requester keeps waiting."""
    user_contacts.set_flag(store, owner["uid"], int(request_row["public_id"]), "intro_ignored", True)


def block(store: Store, blocker: Row, public_id: int) -> None:
    """Block a person and sever every relation with them (see the module docstring)."""
    with store.transaction():
        user_contacts.set_blocked(store, blocker["uid"], public_id, True)
        row = address_row(store, blocker["uid"], public_id)
        other = store.user_by_public_contact(public_id)
        if row is not None:
            if other is not None and row["rel"] in FOLLOWING:
                _follower_left(store, other["uid"], blocker["public_contact"])
            if other is not None and row["rel"] in FOLLOWED_BY:
                _rejected(store, other["uid"], blocker["public_contact"])
            delete_contact(store, int(row["id"]))
        if other is not None and other["uid"] != blocker["uid"]:
            user_contacts.set_flag(store, other["uid"], blocker["public_contact"], "is_blocked", True)


def unblock(store: Store, blocker: Row, public_id: int) -> None:
    """Lift a block. Relations that the block severed stay severed."""
    with store.transaction():
        user_contacts.set_blocked(store, blocker["uid"], public_id, False)
        other = store.user_by_public_contact(public_id)
        if other is not None and other["uid"] != blocker["uid"]:
            user_contacts.set_flag(store, other["uid"], blocker["public_contact"], "is_blocked", False)


def set_muted(store: Store, user: Row, public_id: int, muted: bool) -> None:
    """Mute or unmute a person."""
    user_contacts.set_flag(store, user["uid"], public_id, "ignored", muted)


def delete_contact(store: Store, contact_id: int) -> None:
    """Delete an address-book row with its circle memberships, row flags and the owner's mails with it.

    Friendica's Contact\\RemoveContent worker deletes the mails of a removed
    contact too. NOTE: it also deletes the owner's copies of that person's
    posts, which the double keeps: the recorded server had not run that
    worker yet, and its later answers still show those posts.
    """
    row = store.contact(contact_id)
    if row is None or row["self"] or not row["uid"]:
        return
    with store.transaction():
        store.execute("DELETE FROM circle_member WHERE contact_id = ?", [contact_id])
        store.execute("DELETE FROM mail WHERE uid = ? AND contact_id = ?", [row["uid"], contact_id])
        store.execute("DELETE FROM contact WHERE id = ?", [contact_id])
        store.execute(
            "UPDATE user_contact SET notify_new_posts = 0, intro_ignored = 0 WHERE uid = ? AND public_id = ?",
            [row["uid"], row["public_id"]],
        )


# What the other side does when an activity arrives.


def _follow_arrives(store: Store, target: Row, follower: Row, moment: str) -> None:
    """Apply a Follow at the target, like Contact::addRelationship() and the Accept it sends."""
    row = address_row(store, target["uid"], follower["public_contact"])
    if row is not None and row["rel"] != REL_NOTHING:
        if row["pending"]:
            return
        if row["rel"] == REL_SHARING:
            store.execute("UPDATE contact SET rel = ?, pending = 0 WHERE id = ?", [REL_FRIEND, row["id"]])
        # Friendica's native notification table gets a row for every follow that is not a waiting request.
        user_notifications.note_follow(store, target["uid"], follower["public_contact"], moment)
        _accepted(store, follower["uid"], target["public_contact"])
        return

    # NOTE: Friendica deletes the row a follower leaves behind; the double still keeps such
    # rows from friendships/destroy and treats them as absent here.
    if row is not None:
        delete_contact(store, int(row["id"]))
    notifications.notify_new_follower(store, target["uid"], follower["public_contact"], moment)
    user_notifications.note_follow(store, target["uid"], follower["public_contact"], moment)
    locked = bool(target["manually_approve"])
    contact_id = people.add_contact(
        store, target["uid"], follower["public_contact"], REL_FOLLOWER, pending=locked, created=moment
    )
    if locked:
        default = circles.default_circle(store, target["uid"])
        if default is not None:
            circles.add_member(store, default, contact_id)
    else:
        _accepted(store, follower["uid"], target["public_contact"])


def _accepted(store: Store, follower_uid: int, target_public_id: int) -> None:
    """Apply an Accept at the follower: their request no longer waits."""
    store.execute(
        "UPDATE contact SET pending = 0 WHERE uid = ? AND public_id = ? AND self = 0",
        [follower_uid, target_public_id],
    )


def _rejected(store: Store, follower_uid: int, target_public_id: int) -> None:
    """Apply a Reject at the follower: a SHARING row is deleted, a FRIEND row becomes FOLLOWER."""
    row = address_row(store, follower_uid, target_public_id)
    if row is None:
        return
    if row["rel"] == REL_SHARING:
        delete_contact(store, int(row["id"]))
    elif row["rel"] == REL_FRIEND:
        store.execute("UPDATE contact SET rel = ? WHERE id = ?", [REL_FOLLOWER, row["id"]])


def _follower_left(store: Store, target_uid: int, follower_public_id: int) -> None:
    """Apply an Undo Follow at the target: the follower is gone (Contact::removeFollower())."""
    row = address_row(store, target_uid, follower_public_id)
    if row is not None:
        _drop_follower(store, row)


def _drop_follower(store: Store, row: Row) -> None:
    user_notifications.forget_follower(store, int(row["uid"]), int(row["public_id"]))
    if row["rel"] in FOLLOWING:
        store.execute("UPDATE contact SET rel = ? WHERE id = ?", [REL_SHARING, row["id"]])
    else:
        delete_contact(store, int(row["id"]))


def _row_pending(store: Store, contact_id: int) -> bool:
    return bool(store.scalar("SELECT pending FROM contact WHERE id = ?", [contact_id]))

"""Posting, reacting, sharing, starring and deleting, with Friendica's delivery rules.

Every change decides which local users receive a copy (``post_user`` rows),
because Friendica's timelines and visibility checks read those copies:

- A public top-level post goes to its author, the author's followers, the
  local users it mentions, and the public copy (``uid 0``). A post with an
  ACL goes to its author and the addressed contacts and circle members only.
- The *audience* of a thread is who got its root by delivery, plus everyone
  who commented. A comment goes to the thread's audience; a public comment
  also goes to the commenter's followers and the users it mentions.
- A reaction (like, dislike, attendance) goes to the thread's audience. If the
  post is public, the reactor's followers also receive the post itself, which
  is how a post shows up for people who follow someone who reacted to it.
- A share (announce) goes to the public copy and to the users it names, not
  to the thread's audience: the sharer's followers (who also receive the
  post) and the author of the shared post. Only a user named exactly once
  receives it, so an author who follows the sharer does not (see
  ``share_recipients``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence

from . import dates, notifications, people, user_notifications
from .context import Site
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, GRAVITY_PARENT, PRIVATE, PUBLIC, Row, Store
from .post_media import Attachment, store_attachments
from .text import collect_tags, expand_tags

# Reasons for holding a copy.
OWN = "own"
DELIVERY = "delivery"
PARTICIPANT = "participant"
ACTIVITY = "activity"
ANNOUNCE = "announce"
PUBLIC_COPY = "public"
AUDIENCE_REASONS = (OWN, DELIVERY, PARTICIPANT)

ATTEND_VERBS = ("attendyes", "attendno", "attendmaybe")
ACTIVITY_VERBS = ("like", "dislike", "announce", *ATTEND_VERBS)


class NotCreated(Exception):
    """Friendica accepted the request but created nothing (it returns a 200 site page)."""


class Acl:
    """The four ACL strings of a post, e.g. ``allow_cid = "<11><15>"``."""

    def __init__(self, allow_cid: str = "", allow_gid: str = "", deny_cid: str = "", deny_gid: str = ""):
        self.allow_cid = allow_cid
        self.allow_gid = allow_gid
        self.deny_cid = deny_cid
        self.deny_gid = deny_gid

    def is_empty(self) -> bool:
        """Return whether no ACL is set (the post is public)."""
        return not (self.allow_cid or self.allow_gid or self.deny_cid or self.deny_gid)

    @classmethod
    def from_user_default(cls, user: Row) -> Acl:
        """Return the default ACL a user has configured."""
        return cls(user["allow_cid"], user["allow_gid"], user["deny_cid"], user["deny_gid"])


def acl_string(value: object) -> str:
    """Convert an ACL parameter to storage form like Friendica's ACLFormatter::toString().

    A list gives one element per entry, a string is split at commas. Numbers
    become ``<n>``, elements that already look like ``<n>`` stay, anything
    else is dropped.
    """
    if isinstance(value, list):
        elements = [str(element) for element in value]
    elif isinstance(value, dict):
        elements = [str(element) for element in value.values()]
    elif not value:
        return ""
    else:
        elements = str(value).split(",")

    output = []
    for element in elements:
        number = _leading_int(element)
        if number:
            output.append(f"<{number}>")
        elif "<" in element and ">" in element and any(ch.isdigit() for ch in element):
            output.append(element.strip())
    return "".join(output)


def _leading_int(text: str) -> int:
    digits = ""
    for index, char in enumerate(text.strip()):
        if char.isdigit() or (index == 0 and char in "+-"):
            digits += char
        else:
            break
    try:
        return int(digits)
    except ValueError:
        return 0


def acl_ids(acl: str) -> list[int]:
    """Return the numbers in an ACL string ``<11><15>``."""
    ids = []
    for part in acl.replace(">", "").split("<"):
        if part.strip().isdigit():
            ids.append(int(part))
    return ids


def acl_recipients(store: Store, owner_uid: int, acl: Acl) -> set[int]:
    """Return the local users addressed by an ACL of ``owner_uid`` (contacts and circles)."""
    allowed = set(acl_ids(acl.allow_cid))
    for circle_id in acl_ids(acl.allow_gid):
        allowed.update(store.circle_member_contacts(owner_uid, circle_id))
    denied = set(acl_ids(acl.deny_cid))
    for circle_id in acl_ids(acl.deny_gid):
        denied.update(store.circle_member_contacts(owner_uid, circle_id))

    users = set()
    for contact_id in allowed - denied:
        contact = store.contact(contact_id)
        if contact is None or contact["uid"] != owner_uid or contact["self"]:
            continue
        # Friendica delivers to no pending or blocked contact, even one the ACL names
        # (3.5.4 include/notifier.php, 2024.08 src/Worker/Notifier.php).
        if contact["pending"] or contact["blocked"]:
            continue
        user = store.user_by_public_contact(contact["public_id"])
        if user is not None:
            users.add(int(user["uid"]))
    return users


def visible_copy(store: Store, uri_id: int, uid: int) -> Row | None:
    """Return the item joined with the copy a user reads: their own, else the public one.

    This is Friendica's lookup ``uri-id = N AND uid IN (0, me)``, preferring
    the user's row. Deleted items and hidden copies are returned too; the
    columns ``holder_uid`` and ``hidden`` tell them apart.
    """
    return store.one(
        "SELECT item.*, post_user.uid AS holder_uid, post_user.hidden AS hidden, "
        "post_user.starred AS starred FROM item JOIN post_user ON post_user.uri_id = item.uri_id "
        "WHERE item.uri_id = ? AND post_user.uid IN (0, ?) ORDER BY post_user.uid DESC LIMIT 1",
        [uri_id, uid],
    )


def create_post(
    site: Site,
    author: Row,
    *,
    body: str,
    title: str = "",
    app: str = "",
    reply_to: int | None = None,
    acl: Acl | None = None,
    coord: str = "",
    created: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> int:
    """Store a post or comment written by ``author`` and deliver it; return its uri-id.

    ``body`` is BBCode before tag expansion. ``attachments`` are stored beside
    the body, not in it. Raises NotCreated for a post without text, title and
    attachments, or for a parent the author cannot see.
    """
    store = site.store
    parent = None
    if reply_to:
        parent = visible_copy(store, reply_to, author["uid"])
        if parent is None or parent["deleted"] or parent["gravity"] == GRAVITY_ACTIVITY:
            raise NotCreated(f"parent {reply_to} is not visible to {author['nickname']}")
    if not body.strip() and not title.strip() and not attachments:
        raise NotCreated("the post has no content")

    body = expand_tags(body, people.mention_resolver(site), site.base_url)
    moment = created or dates.to_storage(dates.now())
    if parent is not None:
        # Comments inherit the thread's permissions.
        root = store.item(parent["parent_uri_id"])
        assert root is not None
        acl = Acl(root["allow_cid"], root["allow_gid"], root["deny_cid"], root["deny_gid"])
        private = root["private"]
    else:
        root = None
        acl = acl if acl is not None else Acl.from_user_default(author)
        private = PUBLIC if acl.is_empty() else PRIVATE

    with store.transaction():
        uri_id = store.insert(
            "item",
            {
                "guid": "",
                "origin_uid": author["uid"],
                "author_id": author["public_contact"],
                "owner_id": author["public_contact"],
                "gravity": GRAVITY_COMMENT if parent is not None else GRAVITY_PARENT,
                "verb": "post",
                "parent_uri_id": root["uri_id"] if root is not None else None,
                "thr_parent_id": parent["uri_id"] if parent is not None else None,
                "title": title,
                "body": body,
                "app": app,
                "coord": coord,
                "private": private,
                "allow_cid": acl.allow_cid,
                "allow_gid": acl.allow_gid,
                "deny_cid": acl.deny_cid,
                "deny_gid": acl.deny_gid,
                "created": moment,
                "edited": moment,
                "changed": moment,
                "commented": moment,
            },
        )
        store.execute(
            "UPDATE item SET guid = ?, parent_uri_id = COALESCE(parent_uri_id, uri_id) WHERE uri_id = ?",
            [_guid(site, uri_id), uri_id],
        )

        store_attachments(store, uri_id, attachments)
        mentioned = _store_tags(site, uri_id, body, parent)
        if root is None:
            _deliver_post(store, uri_id, author, acl, private, mentioned)
        else:
            _deliver_comment(store, uri_id, root, author, private, mentioned)
            store.execute(
                "UPDATE item SET commented = ?, changed = ? WHERE uri_id = ?",
                [moment, moment, root["uri_id"]],
            )
        notifications.notify_item(site, uri_id)
        user_notifications.note_item(store, uri_id)
    return uri_id


def _guid(site: Site, uri_id: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site.base_url}/item/{uri_id}"))


def _store_tags(site: Site, uri_id: int, body: str, parent: Row | None) -> set[int]:
    """Store hashtags and mentions; a reply also mentions the parent's author and mentions.

    Returns the local users mentioned explicitly.
    """
    store = site.store
    tags = collect_tags(body, lambda url: people.public_id_for_url(store, url))
    for name in tags.hashtags:
        store.insert(
            "tag",
            {
                "uri_id": uri_id,
                "type": "hashtag",
                "name": name,
                "url": f"{site.base_url}/search?tag={name}",
            },
        )

    mentioned = list(tags.mentions)
    for public_id in mentioned:
        _insert_mention(store, uri_id, public_id, "mention")

    if parent is not None:
        implicit = [parent["author_id"]]
        implicit += [row["contact_id"] for row in store.tags(parent["uri_id"], ("mention", "implicit"))]
        for public_id in implicit:
            if public_id not in mentioned:
                mentioned.append(public_id)
                _insert_mention(store, uri_id, public_id, "implicit")

    users = set()
    for public_id in tags.mentions:
        user = store.user_by_public_contact(public_id)
        if user is not None:
            users.add(int(user["uid"]))
    return users


def _insert_mention(store: Store, uri_id: int, public_id: int, kind: str) -> None:
    person = store.public_contact(public_id)
    name = person["nick"] if person is not None else str(public_id)
    store.insert("tag", {"uri_id": uri_id, "type": kind, "name": name, "contact_id": public_id})


def _deliver_post(
    store: Store, uri_id: int, author: Row, acl: Acl, private: int, mentioned: set[int]
) -> None:
    store.add_holder(uri_id, author["uid"], OWN)
    if private == PRIVATE:
        recipients = acl_recipients(store, author["uid"], acl)
    else:
        recipients = set(store.follower_uids(author["uid"])) | mentioned
        store.add_holder(uri_id, 0, PUBLIC_COPY)
    for uid in sorted(recipients - {author["uid"]}):
        store.add_holder(uri_id, uid, DELIVERY)


def _deliver_comment(
    store: Store, uri_id: int, root: Row, author: Row, private: int, mentioned: set[int]
) -> None:
    store.add_holder(uri_id, author["uid"], OWN)
    recipients = set(store.holder_uids(root["uri_id"], AUDIENCE_REASONS))
    if private != PRIVATE:
        recipients |= set(store.follower_uids(author["uid"])) | mentioned
        store.add_holder(uri_id, 0, PUBLIC_COPY)
    for uid in sorted(recipients - {author["uid"], 0}):
        store.add_holder(uri_id, uid, DELIVERY)

    # The commenter joins the thread's audience and receives later comments.
    store.add_holder(root["uri_id"], author["uid"], PARTICIPANT)
    store.execute(
        "UPDATE post_user SET reason = ? WHERE uri_id = ? AND uid = ? AND reason = ?",
        [PARTICIPANT, root["uri_id"], author["uid"], ACTIVITY],
    )


def find_activity(store: Store, uid: int, uri_id: int, verbs: tuple[str, ...]) -> Row | None:
    """Return the user's active activity with one of ``verbs`` on an item."""
    marks = ", ".join("?" for _ in verbs)
    return store.one(
        f"SELECT * FROM item WHERE gravity = ? AND thr_parent_id = ? AND origin_uid = ? "
        f"AND deleted = 0 AND verb IN ({marks}) ORDER BY uri_id DESC LIMIT 1",
        [GRAVITY_ACTIVITY, uri_id, uid, *verbs],
    )


def react(site: Site, user: Row, uri_id: int, verb: str, created: str | None = None) -> bool:
    """Create or remove an activity like Friendica's Item::performActivity().

    ``verb`` is one of ``like, dislike, attendyes, attendno, attendmaybe,
    announce`` or its ``un…`` form. Creating an existing activity changes
    nothing (no toggling); the attendance verbs replace each other.
    """
    store = site.store
    removing = verb.startswith("un")
    name = verb[2:] if removing else verb
    if name not in ACTIVITY_VERBS:
        raise ValueError(f"unknown activity verb {verb!r}")
    target = store.item(uri_id)
    if target is None or target["deleted"]:
        return False

    group = ATTEND_VERBS if name in ATTEND_VERBS else (name,)
    with store.transaction():
        existing = find_activity(store, user["uid"], uri_id, group)
        if existing is not None:
            if (not removing) != (existing["verb"] == name):
                delete_item(store, existing["uri_id"])
            if name not in ATTEND_VERBS or existing["verb"] == name:
                return True
        if removing:
            return True
        _create_activity(site, user, target, name, created)
    return True


def _create_activity(site: Site, user: Row, target: Row, verb: str, created: str | None) -> int:
    store = site.store
    moment = created or dates.to_storage(dates.now())
    root_id = target["parent_uri_id"]
    activity_id = store.insert(
        "item",
        {
            "guid": "",
            "origin_uid": user["uid"],
            "author_id": user["public_contact"],
            "owner_id": user["public_contact"],
            "gravity": GRAVITY_ACTIVITY,
            "verb": verb,
            "parent_uri_id": root_id,
            "thr_parent_id": target["uri_id"],
            "body": verb,
            "private": target["private"],
            "allow_cid": target["allow_cid"],
            "allow_gid": target["allow_gid"],
            "deny_cid": target["deny_cid"],
            "deny_gid": target["deny_gid"],
            "created": moment,
            "edited": moment,
            "changed": moment,
            "commented": moment,
        },
    )
    store.execute("UPDATE item SET guid = ? WHERE uri_id = ?", [_guid(site, activity_id), activity_id])
    store.execute("UPDATE item SET changed = ? WHERE uri_id IN (?, ?)", [moment, target["uri_id"], root_id])

    # The reactor keeps a copy of what they reacted to.
    store.add_holder(root_id, user["uid"], ACTIVITY)
    store.add_holder(target["uri_id"], user["uid"], ACTIVITY)
    store.add_holder(activity_id, user["uid"], OWN)

    public = target["private"] != PRIVATE
    followers = set(store.follower_uids(user["uid"])) if public else set()
    if verb == "announce":
        recipients = share_recipients(store, target, followers)
        reason = ANNOUNCE
    else:
        recipients = set(store.holder_uids(root_id, AUDIENCE_REASONS)) | followers
        reason = ACTIVITY

    for uid in sorted(recipients - {user["uid"], 0}):
        store.add_holder(activity_id, uid, DELIVERY)
        if uid in followers:
            store.add_holder(root_id, uid, reason)
            store.add_holder(target["uri_id"], uid, reason)
    if public:
        store.add_holder(activity_id, 0, PUBLIC_COPY)
    notifications.notify_item(site, activity_id)
    user_notifications.note_item(store, activity_id)
    return activity_id


def share_recipients(store: Store, target: Row, followers: set[int]) -> set[int]:
    """Return the local users who receive a share of ``target``, like Friendica 2024.08's delivery.

    Friendica sends a share over ActivityPub only (its DFRN delivery skips
    announces). The Announce names the sharer's accepted followers and,
    directly, the author of the shared post or comment. Friendica's Notifier
    worker hands the share to a local user internally only when that user's
    inbox is named exactly once. An inbox named twice (the author who also follows the
    sharer) is delivered over HTTP like a remote one, and the recorded server
    then had no copy for that author. ``followers`` is empty for a private
    post, whose share names its author only.

    NOTE: only the author who follows the sharer is recorded. The copy for an
    author who does not is derived from Friendica's delivery code.
    """
    named = Counter(followers)
    author = store.user_by_public_contact(target["author_id"])
    if author is not None:
        named[int(author["uid"])] += 1
    return {uid for uid, times in named.items() if times == 1}


def delete_item(store: Store, uri_id: int) -> None:
    """Mark an item deleted with its activities, and a thread root with its whole thread."""
    item = store.item(uri_id)
    if item is None:
        return
    with store.transaction():
        if item["gravity"] == GRAVITY_PARENT:
            store.execute("UPDATE item SET deleted = 1 WHERE parent_uri_id = ?", [uri_id])
        store.execute("UPDATE item SET deleted = 1 WHERE uri_id = ? OR thr_parent_id = ?", [uri_id, uri_id])
        notifications.forget_item(store, uri_id)
        user_notifications.forget_item(store, uri_id)


def delete_for_user(store: Store, user: Row, uri_id: int) -> None:
    """Delete a post for a user, like Friendica's Item::deleteForUser().

    The author deletes the post for everyone; anyone else only hides their copy.
    """
    item = store.item(uri_id)
    if item is None:
        return
    if item["origin_uid"] == user["uid"]:
        delete_item(store, uri_id)
        return
    with store.transaction():
        store.add_holder(uri_id, user["uid"], ACTIVITY)
        store.execute("UPDATE post_user SET hidden = 1 WHERE uri_id = ? AND uid = ?", [uri_id, user["uid"]])


def set_starred(store: Store, user: Row, uri_id: int, starred: bool) -> None:
    """Star (bookmark) or unstar a post for a user, storing a copy if they have none."""
    with store.transaction():
        store.add_holder(uri_id, user["uid"], ACTIVITY)
        store.execute(
            "UPDATE post_user SET starred = ? WHERE uri_id = ? AND uid = ?",
            [int(starred), uri_id, user["uid"]],
        )

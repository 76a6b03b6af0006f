"""Users, contacts and relationships.

A person has a public contact (its id is the Twitter user id) and, for each
local user who knows them, a row in that user's address book. Following is
read from the owner's row: SHARING or FRIEND means the owner follows the
person, FOLLOWER or FRIEND that the person follows the owner. Rows with
``pending`` set are follow requests that wait for approval.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from . import dates, notifications, user_notifications
from .context import Site
from .db import REL_FOLLOWER, REL_FRIEND, REL_NOTHING, REL_SHARING, Row, Store
from .text import MentionTarget, nick_from_profile_url

PASSWORD_ITERATIONS = 2000


def hash_password(password: str) -> str:
    """Return a salted PBKDF2 hash (few iterations, because the double has demo accounts only)."""
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), PASSWORD_ITERATIONS)
    return f"pbkdf2_sha256${PASSWORD_ITERATIONS}${salt}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Return whether ``password`` matches a hash made by ``hash_password``."""
    try:
        _, iterations, salt, expected = stored.split("$")
    except ValueError:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(digest.hex(), expected)


def create_user(
    store: Store,
    *,
    uid: int,
    nickname: str,
    name: str,
    email: str,
    password: str,
    guid: str,
    self_contact: int,
    public_contact: int,
    created: str,
    about: str = "",
    location: str = "",
) -> Row:
    """Create a local user with its self contact and public contact."""
    with store.transaction():
        store.insert(
            "contact",
            {
                "id": public_contact,
                "uid": 0,
                "public_id": public_contact,
                "nick": nickname,
                "name": name,
                "about": about,
                "location": location,
                "guid": guid,
                "created": created,
                "updated": created,
            },
        )
        store.insert(
            "contact",
            {
                "id": self_contact,
                "uid": uid,
                "public_id": public_contact,
                "self": 1,
                "nick": nickname,
                "name": name,
                "guid": guid,
                "created": created,
                "updated": created,
            },
        )
        store.insert(
            "user",
            {
                "uid": uid,
                "nickname": nickname,
                "email": email,
                "password_hash": hash_password(password),
                "guid": guid,
                "created": created,
                "self_contact": self_contact,
                "public_contact": public_contact,
            },
        )
    user = store.user(uid)
    assert user is not None
    return user


def add_contact(
    store: Store,
    owner_uid: int,
    public_id: int,
    rel: int,
    *,
    contact_id: int | None = None,
    pending: bool = False,
    created: str | None = None,
) -> int:
    """Add a person to the owner's address book and return the contact id."""
    person = store.public_contact(public_id)
    if person is None:
        raise LookupError(f"public contact {public_id} not found")

    moment = created or dates.to_storage(dates.now())
    fields = {
        "uid": owner_uid,
        "public_id": public_id,
        "nick": person["nick"],
        "name": person["name"],
        "guid": person["guid"],
        "rel": rel,
        "pending": int(pending),
        "created": moment,
        "updated": moment,
    }
    if contact_id is not None:
        fields["id"] = contact_id
    return store.insert("contact", fields)


def follow(
    store: Store,
    follower_uid: int,
    followed_uid: int,
    *,
    pending: bool = False,
    follower_contact_id: int | None = None,
    followed_contact_id: int | None = None,
    created: str | None = None,
) -> None:
    """Record that one local user follows another (or requests to, with ``pending``).

    Both address books change: the follower's row gains SHARING, the followed
    user's row gains FOLLOWER. Existing rows are upgraded to FRIEND.
    """
    follower = store.user(follower_uid)
    followed = store.user(followed_uid)
    if follower is None or followed is None:
        raise LookupError("both users must exist")

    with store.transaction():
        # Before the rows exist: only someone new to the followed user's address book notifies.
        notifications.notify_new_follower(store, followed_uid, follower["public_contact"], created)
        # The native table skips only a follow whose earlier request still waits.
        waiting = store.one(
            "SELECT id FROM contact WHERE uid = ? AND public_id = ? AND self = 0 AND pending = 1",
            [followed_uid, follower["public_contact"]],
        )
        if waiting is None:
            user_notifications.note_follow(store, followed_uid, follower["public_contact"], created)
        _add_relation(
            store,
            follower_uid,
            followed["public_contact"],
            REL_SHARING,
            pending,
            follower_contact_id,
            created,
        )
        _add_relation(
            store,
            followed_uid,
            follower["public_contact"],
            REL_FOLLOWER,
            pending,
            followed_contact_id,
            created,
        )


def _add_relation(
    store: Store,
    owner_uid: int,
    public_id: int,
    rel: int,
    pending: bool,
    contact_id: int | None,
    created: str | None,
) -> None:
    row = store.one(
        "SELECT * FROM contact WHERE uid = ? AND public_id = ? AND self = 0", [owner_uid, public_id]
    )
    if row is None:
        add_contact(
            store,
            owner_uid,
            public_id,
            rel,
            contact_id=contact_id,
            pending=pending,
            created=created,
        )
        return
    combined = row["rel"] | rel
    store.execute("UPDATE contact SET rel = ?, pending = ? WHERE id = ?", [combined, int(pending), row["id"]])


def unfollow(store: Store, follower_uid: int, followed_public_id: int) -> None:
    """Remove the follow from ``follower_uid`` to a person; both address books change."""
    followed = store.user_by_public_contact(followed_public_id)
    follower = store.user(follower_uid)
    with store.transaction():
        _drop_relation(store, follower_uid, followed_public_id, REL_SHARING)
        if followed is not None and follower is not None:
            _drop_relation(store, followed["uid"], follower["public_contact"], REL_FOLLOWER)
            user_notifications.forget_follower(store, followed["uid"], follower["public_contact"])


def _drop_relation(store: Store, owner_uid: int, public_id: int, rel: int) -> None:
    row = store.one(
        "SELECT * FROM contact WHERE uid = ? AND public_id = ? AND self = 0", [owner_uid, public_id]
    )
    if row is not None:
        remaining = row["rel"] & ~rel
        store.execute(
            "UPDATE contact SET rel = ?, pending = CASE WHEN ? = 0 THEN 0 ELSE pending END WHERE id = ?",
            [remaining, remaining, row["id"]],
        )


def follows(store: Store, owner_uid: int, public_id: int) -> bool:
    """Return whether the owner follows the person (accepted, not pending)."""
    row = store.user_contact(owner_uid, public_id)
    return bool(row and not row["self"] and not row["pending"] and row["rel"] in (REL_SHARING, REL_FRIEND))


def relation(store: Store, owner_uid: int, public_id: int) -> int:
    """Return the ``rel`` of the owner's row for a person (NOTHING without a row)."""
    row = store.user_contact(owner_uid, public_id)
    if row is None or row["self"]:
        return REL_NOTHING
    return int(row["rel"])


def public_id_for(store: Store, contact_id: int) -> int | None:
    """Return the public contact id for a public or address-book contact id."""
    row = store.contact(contact_id)
    if row is None:
        return None
    return int(row["id"] if row["uid"] == 0 else row["public_id"])


def public_id_for_search(
    store: Store, screen_name: str, profile_url: str, user_id: int | None, caller_uid: int
) -> int | None:
    """Pick the person a call is about, like Friendica's getContactIDForSearchterm().

    ``user_id`` wins, then ``profileurl``, then ``screen_name``; an unknown
    screen name falls back to the caller (the recorded 2024.08 behaviour).
    """
    if user_id:
        return user_id
    if profile_url:
        nick = nick_from_profile_url(profile_url)
        person = store.public_contact_by_nick(nick) if nick else None
        return int(person["id"]) if person else None
    if screen_name:
        nick = screen_name.split("@")[0] if "@" in screen_name else screen_name
        person = store.public_contact_by_nick(nick)
        if person is not None:
            return int(person["id"])
    if caller_uid:
        user = store.user(caller_uid)
        return int(user["public_contact"]) if user else None
    return None


def mention_resolver(site: Site) -> Callable[[str, str | None], MentionTarget | None]:
    """Return a function that maps ``nick`` (and an optional host) to a local mention target."""

    def resolve(nick: str, host: str | None) -> MentionTarget | None:
        if host is not None and host.lower() not in (site.netloc.lower(), site.host.lower()):
            return None
        person = site.store.public_contact_by_nick(nick)
        if person is None:
            return None
        return MentionTarget(site.profile_url(person["nick"]), person["name"], int(person["id"]))

    return resolve


def public_id_for_url(store: Store, url: str) -> int | None:
    """Return the public contact id of a local profile URL."""
    nick = nick_from_profile_url(url)
    person = store.public_contact_by_nick(nick) if nick else None
    return int(person["id"]) if person else None


def nick_for_url(store: Store, url: str) -> str | None:
    """Return the current nickname behind a local profile URL."""
    nick = nick_from_profile_url(url)
    person = store.public_contact_by_nick(nick) if nick else None
    return str(person["nick"]) if person else None


def statuses_count(store: Store, public_id: int) -> int:
    """Return how many public posts and comments a person wrote."""
    return store.count(
        "SELECT COUNT(*) FROM item WHERE author_id = ? AND gravity IN (0, 6) AND deleted = 0 "
        "AND private != 1",
        [public_id],
    )

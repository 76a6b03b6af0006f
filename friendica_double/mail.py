"""Private messages (Friendica's ``mail`` table): one copy per mailbox.

Sending stores the sender's copy (seen) and delivers a copy with its own id to
the recipient's mailbox (unseen). Both copies share the message ``uri`` and
the thread key ``parent_uri``. A new thread's key is the recipient's address
(``nick@host:port``), a colon and a UUID. A reply reuses the key of the copy
it replies to. Delivery happens at once, where Friendica uses a background
worker, so on the double the recipient's copy is always the next id. Mails
create no notification row, as recorded on 2024.08.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from . import dates
from .context import Site
from .db import REL_FOLLOWER, REL_FRIEND, REL_SHARING, Row, Store
from .params import Params

# Results of send() below zero, as Friendica's Mail::send() numbers them.
NO_RECIPIENT = -1
NOT_A_RECIPIENT = -2
NO_SUBJECT = "[no subject]"

# Mailbox views: which copies a list shows.
INBOX = "inbox"
SENT = "sent"
ALL = "all"
CONVERSATION = "conversation"


@dataclass(frozen=True)
class MailPage:
    """Paging of a mailbox list, read as Friendica reads it.

    ``max_id`` is exclusive here, unlike the status timelines. ``min_id``
    returns the oldest matches after it, still newest first.
    """

    count: int = 20
    page: int = 1
    since_id: int = 0
    max_id: int = 0
    min_id: int = 0

    @classmethod
    def from_params(cls, params: Params) -> MailPage:
        """Read count (1..100), page, since_id, max_id and min_id."""
        return cls(
            count=params.integer("count", 20, 1, 100) or 1,
            page=params.integer("page", 1, 1) or 1,
            since_id=params.integer("since_id", 0, 0) or 0,
            max_id=params.integer("max_id", 0, 0) or 0,
            min_id=params.integer("min_id", 0, 0) or 0,
        )


def address_book_id(store: Store, owner_uid: int, contact_id: int) -> int:
    """Return the owner's own contact id for a public or own contact id (0 if none).

    Like Friendica's ``Contact::getUserContactId()``: an id from the owner's
    address book stays as it is, a public id is looked up there, anything
    else gives 0.
    """
    contact = store.contact(contact_id) if contact_id else None
    if contact is None:
        return 0
    if contact["uid"] == owner_uid:
        return contact_id
    if contact["uid"] != 0:
        return 0
    own = store.user_contact(owner_uid, contact_id)
    return int(own["id"]) if own is not None else 0


def send(
    site: Site,
    sender: Row,
    contact_id: int,
    body: str,
    subject: str,
    thread_uri: str = "",
    created: str | None = None,
) -> int:
    """Send a mail to the sender's contact ``contact_id``; return the sender's copy id.

    The recipient must be a contact the sender follows or is followed by, not
    pending and not blocked. Returns NO_RECIPIENT for contact 0 and
    NOT_A_RECIPIENT for anyone else. ``thread_uri`` continues a thread.
    """
    if not contact_id:
        return NO_RECIPIENT
    store = site.store
    contact = store.one(
        "SELECT * FROM contact WHERE id = ? AND uid = ? AND self = 0 AND pending = 0 "
        "AND blocked = 0 AND rel IN (?, ?, ?)",
        [contact_id, sender["uid"], REL_FOLLOWER, REL_SHARING, REL_FRIEND],
    )
    person = store.public_contact(contact["public_id"]) if contact is not None else None
    if contact is None or person is None:
        return NOT_A_RECIPIENT

    guid = str(uuid.uuid4())
    copy = {
        "guid": guid,
        "uri": site.object_url(guid),
        "parent_uri": thread_uri or f"{person['nick']}@{site.netloc}:{uuid.uuid4()}",
        "author_id": sender["public_contact"],
        "title": subject or NO_SUBJECT,
        "body": body,
        "created": created or dates.to_storage(dates.now()),
    }
    with store.transaction():
        own_id = store.insert("mail", {**copy, "uid": sender["uid"], "contact_id": contact_id, "seen": 1})
        _deliver(store, sender, int(contact["public_id"]), copy)
    return own_id


def _deliver(store: Store, sender: Row, recipient_public_id: int, copy: dict[str, object]) -> None:
    """Put a copy into the recipient's mailbox if the recipient is a local user who knows the sender."""
    recipient = store.user_by_public_contact(recipient_public_id)
    if recipient is None:
        return
    # NOTE: a recipient without an address-book row for the sender gets nothing; the
    # double's follows always create both rows, so this only skips blocked senders.
    sender_row = store.one(
        "SELECT * FROM contact WHERE uid = ? AND public_id = ? AND self = 0 AND blocked = 0",
        [recipient["uid"], sender["public_contact"]],
    )
    if sender_row is None:
        return
    store.insert("mail", {**copy, "uid": recipient["uid"], "contact_id": sender_row["id"], "seen": 0})


def find(store: Store, uid: int, mail_id: int) -> Row | None:
    """Return the copy ``mail_id`` if it is in the user's mailbox."""
    return store.one("SELECT * FROM mail WHERE id = ? AND uid = ?", [mail_id, uid])


def mailbox(
    store: Store,
    user: Row,
    view: str,
    page: MailPage,
    *,
    thread_uri: str = "",
    contact_id: int = 0,
) -> list[Row]:
    """Return one page of a user's copies in a view, newest first.

    ``contact_id`` (the user's own contact id) keeps the mails with one person.
    """
    conditions = ["uid = ?"]
    args: list[object] = [user["uid"]]
    if view == INBOX:
        conditions.append("author_id != ?")
        args.append(user["public_contact"])
    elif view == SENT:
        conditions.append("author_id = ?")
        args.append(user["public_contact"])
    elif view == CONVERSATION:
        conditions.append("parent_uri = ?")
        args.append(thread_uri)
    if contact_id:
        conditions.append("contact_id = ?")
        args.append(contact_id)

    bounds = (("id < ?", page.max_id), ("id > ?", page.since_id), ("id > ?", page.min_id))
    for condition, bound in bounds:
        if bound:
            conditions.append(condition)
            args.append(bound)

    order = "ASC" if page.min_id else "DESC"
    rows = store.query(
        f"SELECT * FROM mail WHERE {' AND '.join(conditions)} ORDER BY id {order} LIMIT ? OFFSET ?",
        [*args, page.count, max(0, (page.page - 1) * page.count)],
    )
    return list(reversed(rows)) if page.min_id else rows


def search(store: Store, uid: int, term: str) -> list[Row]:
    """Return the user's copies whose body contains ``term``, newest first.

    ``%`` and ``_`` in the term are wildcards, as in Friendica's SQL. NOTE:
    SQLite compares case-insensitively for ASCII letters only, where
    Friendica's MariaDB ignores the case of all letters.
    """
    return store.query(
        "SELECT * FROM mail WHERE uid = ? AND body LIKE ? ORDER BY id DESC", [uid, f"%{term}%"]
    )


def mark_seen(store: Store, mail_id: int) -> None:
    """Mark one copy seen."""
    store.execute("UPDATE mail SET seen = 1 WHERE id = ?", [mail_id])


def delete(store: Store, uid: int, mail_id: int, thread_uri: str = "") -> bool:
    """Delete a copy from the user's mailbox (the other copy stays); return whether it existed.

    A non-empty ``thread_uri`` must match the copy's thread too.
    """
    condition = "uid = ? AND id = ?"
    args: list[object] = [uid, mail_id]
    if thread_uri:
        condition += " AND parent_uri = ?"
        args.append(thread_uri)
    cursor = store.execute(f"DELETE FROM mail WHERE {condition}", args)
    return cursor.rowcount > 0

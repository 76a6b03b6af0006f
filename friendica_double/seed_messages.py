"""Demo mails and notifications, made through the same functions as the API.

- Dave's "train log" thread: a post and ``TRAIN_LOG_ENTRIES`` comments, each
  mentioning alice. Every comment gives alice a "tagged you" notification,
  so she has more than Friendica's 50 listed rows. She has seen the oldest
  ``SEEN_TRAIN_LOG_NOTICES`` of them, so the list shows unseen rows first.
- A thread of three mails with the subject "Gateway review" between alice and
  bob, each reply sent with the replying user's own copy as ``replyto``.

The train log sits between alice's first post (five days ago) and the
day-four posts, so uri-ids keep the order of creation times.
"""

from __future__ import annotations

from collections.abc import Callable

from . import mail, notifications, posts
from .context import Site
from .db import Row
from .text import markdown_to_bbcode

TRAIN_LOG_ENTRIES = 60
SEEN_TRAIN_LOG_NOTICES = 20
MINUTES_BETWEEN_ENTRIES = 15

THREAD_SUBJECT = "Gateway review"
THREAD_MAILS = (
    ("alice", "Could you review how the gateway maps notifications before Friday?"),
    ("bob", "Sure, send me the branch and I'll look at it tonight."),
    ("alice", "Thanks! It's the notifications branch, the mapping is in one module."),
)


def seed_train_log(site: Site, at: Callable[[int], str], minutes_ago: int) -> dict[str, int]:
    """Create dave's train log, starting ``minutes_ago``; return its seed label."""
    store = site.store
    dave = _user(site, "dave")
    root = posts.create_post(
        site,
        dave,
        body=markdown_to_bbcode("Train log for this week, one line per train 🚆 #trains"),
        app="api",
        created=at(minutes_ago),
    )

    for entry in range(1, TRAIN_LOG_ENTRIES + 1):
        line = f"@alice train {entry}: the {6 + entry % 12:02d}:{entry % 60:02d} was on time."
        posts.create_post(
            site,
            dave,
            body=markdown_to_bbcode(line),
            app="api",
            reply_to=root,
            created=at(minutes_ago - entry * MINUTES_BETWEEN_ENTRIES),
        )

    alice = _user(site, "alice")
    oldest = store.query(
        "SELECT id FROM notify WHERE uid = ? AND parent_uri_id = ? ORDER BY date, id LIMIT ?",
        [alice["uid"], root, SEEN_TRAIN_LOG_NOTICES],
    )
    for row in oldest:
        notifications.mark_seen(store, row["id"])
    return {"train_log": root}


def seed_mail_thread(site: Site, at: Callable[[int], str], minutes_ago: int) -> None:
    """Create the three-mail thread between alice and bob, starting ``minutes_ago``."""
    store = site.store
    answered: Row | None = None
    for index, (nickname, text) in enumerate(THREAD_MAILS):
        sender = _user(site, nickname)
        other = _user(site, "bob" if nickname == "alice" else "alice")
        contact_id = mail.address_book_id(store, sender["uid"], other["public_contact"])
        thread_uri = answered["parent_uri"] if answered is not None else ""
        subject = answered["title"] if answered is not None else THREAD_SUBJECT

        if answered is not None:
            # The replying user has read the mail they reply to.
            mail.mark_seen(store, answered["id"])
        sent_id = mail.send(
            site, sender, contact_id, text, subject, thread_uri, created=at(minutes_ago - 30 * index)
        )
        assert sent_id > 0, f"mail from {nickname} not sent ({sent_id})"

        sent = mail.find(store, sender["uid"], sent_id)
        assert sent is not None
        answered = store.one("SELECT * FROM mail WHERE uid = ? AND uri = ?", [other["uid"], sent["uri"]])
        assert answered is not None, f"mail from {nickname} not delivered"


def _user(site: Site, nickname: str) -> Row:
    row = site.store.user_by_nickname(nickname)
    assert row is not None, nickname
    return row

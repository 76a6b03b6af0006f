"""Mastodon Relationship objects of Friendica 2024.08 and the contact-id lookup behind them.

Friendica's Mastodon endpoints take an account id that may be a public
contact id (the ids of all Mastodon objects) or one of the caller's own
contact ids, and resolve it like Contact::getPublicAndUserContactID(). The
Relationship is read from the caller's address-book row when there is one;
otherwise everything is false except ``blocking`` and ``muting``. Friendica
fills ``requested`` from the row's pending flag whichever side asked, so a
person whose follow request waits for the caller shows ``requested: true``,
and ``note`` is the row's private note, null when none was written.
"""

from __future__ import annotations

from typing import Any

from . import errors, user_contacts
from .db import REL_FOLLOWER, REL_FRIEND, REL_SHARING, Store


def resolve(store: Store, contact_id: int, uid: int) -> tuple[int, int] | None:
    """Return the public contact id and the caller's row id (0 without one), or None for a foreign id."""
    row = store.contact(contact_id) if contact_id else None
    if row is None or row["uid"] not in (0, uid):
        return None

    public_id = int(row["id"]) if row["uid"] == 0 else int(row["public_id"])
    if row["uid"] == uid:
        return public_id, int(row["id"])
    own = store.user_contact(uid, public_id)
    return public_id, int(own["id"]) if own is not None else 0


def relationship(store: Store, contact_id: int, uid: int) -> dict[str, Any]:
    """Return the Relationship of the caller ``uid`` with the account ``contact_id``.

    Raises errors.ApiError 404 "Contact not found." for an id that names no
    contact. An id of another user's row yields that row's relation, as in
    Friendica.
    """
    resolved = resolve(store, contact_id, uid)
    public_id = resolved[0] if resolved else contact_id
    row_id = resolved[1] if resolved and resolved[1] else contact_id

    row = store.contact(row_id)
    if row is None:
        raise errors.ApiError(404, "Contact not found.")

    blocked = user_contacts.is_blocked(store, uid, public_id) if resolved else False
    muted = user_contacts.is_ignored(store, uid, public_id) if resolved else False
    result: dict[str, Any] = {
        "id": str(public_id),
        "following": False,
        "requested": False,
        "endorsed": False,
        "followed_by": False,
        "muting": muted,
        "muting_notifications": False,
        "showing_reblogs": True,
        "notifying": False,
        "blocking": blocked,
        "domain_blocking": False,
        "blocked_by": False,
        "note": "",
    }
    if row["uid"] == 0:
        return result

    # The row's own flags count too. They differ from the caller's only for another user's row.
    row_owner, person = int(row["uid"]), int(row["public_id"])
    pending = bool(row["pending"])
    result.update(
        {
            "following": not pending and row["rel"] in (REL_SHARING, REL_FRIEND),
            "requested": pending,
            "followed_by": not pending and row["rel"] in (REL_FOLLOWER, REL_FRIEND),
            "muting": muted or user_contacts.is_ignored(store, row_owner, person),
            "notifying": user_contacts.flag(store, row_owner, person, "notify_new_posts"),
            "blocking": bool(row["blocked"]) or blocked,
            "note": None,
        }
    )
    return result

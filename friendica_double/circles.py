"""Circles (formerly groups): a user's named sets of address-book contacts, used in ACLs.

The API endpoints for circles are not served yet; the seed and ACL
resolution use these functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from .db import Store


def create_circle(
    store: Store,
    owner_uid: int,
    name: str,
    contact_ids: Iterable[int] = (),
    circle_id: int | None = None,
) -> int:
    """Create a circle with the given members and return its id."""
    fields: dict[str, object] = {"uid": owner_uid, "name": name}
    if circle_id is not None:
        fields["id"] = circle_id
    with store.transaction():
        new_id = store.insert("circle", fields)
        set_members(store, new_id, contact_ids)
    return new_id


def set_members(store: Store, circle_id: int, contact_ids: Iterable[int]) -> None:
    """Replace the members of a circle."""
    with store.transaction():
        store.execute("DELETE FROM circle_member WHERE circle_id = ?", [circle_id])
        for contact_id in dict.fromkeys(contact_ids):
            store.insert("circle_member", {"circle_id": circle_id, "contact_id": contact_id})

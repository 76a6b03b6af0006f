"""Circles (formerly groups): a user's named sets of address-book contacts, used in ACLs.

Modelled on Friendica 2024.08's ``Model\\Circle`` and ``Model\\Contact\\Circle``:

- names are compared without regard to case (MariaDB's ``utf8mb4_general_ci``);
- deleting only marks a circle deleted and drops its members, and creating a
  circle with the name of a deleted one brings that circle back;
- the first circle of an account ("Friends") is its default circle, which
  new contacts join when the user follows someone or receives a follow
  request (``User::getDefaultCircle()``);
- members are contact ids of the owner's address book, and member lists leave
  out the self row, blocked rows and pending rows.

The API endpoints are in ``routes_circles`` and ``routes_lists``.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import errors
from .db import Row, Store


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


# Lookups


def circle(store: Store, circle_id: int) -> Row | None:
    """Return a circle by id, deleted or not."""
    return store.one("SELECT * FROM circle WHERE id = ?", [circle_id])


def owned_circle(store: Store, owner_uid: int, circle_id: int, *, include_deleted: bool) -> Row | None:
    """Return the owner's circle with this id, or None."""
    deleted = "" if include_deleted else " AND deleted = 0"
    return store.one(f"SELECT * FROM circle WHERE id = ? AND uid = ?{deleted}", [circle_id, owner_uid])


def circles_of(store: Store, owner_uid: int) -> list[Row]:
    """Return the owner's circles that are not deleted, in creation order."""
    return store.query("SELECT * FROM circle WHERE uid = ? AND deleted = 0 ORDER BY id", [owner_uid])


def find_by_name(store: Store, owner_uid: int, name: str, *, include_deleted: bool = True) -> Row | None:
    """Return the owner's first circle with this name (any case), like Circle::getIdByName()."""
    deleted = "" if include_deleted else " AND deleted = 0"
    return store.one(
        f"SELECT * FROM circle WHERE uid = ? AND name = ? COLLATE NOCASE{deleted} ORDER BY id LIMIT 1",
        [owner_uid, name],
    )


def default_circle(store: Store, owner_uid: int) -> int | None:
    """Return the id of the owner's default circle, or None once it is deleted.

    Friendica stores the default circle in ``user.def_gid``, set to the
    "Friends" circle at registration and cleared when that circle is
    deleted. The double takes the owner's first circle, deleted or not.
    """
    first = store.one("SELECT * FROM circle WHERE uid = ? ORDER BY id LIMIT 1", [owner_uid])
    if first is None or first["deleted"]:
        return None
    return int(first["id"])


def visible_members(store: Store, viewer_uid: int, circle_id: int) -> list[Row]:
    """Return the member contact rows of a circle as member lists show them, sorted by name.

    Like Contact\\Circle::getById(), only rows of the viewer's own address
    book count, and the self row, blocked rows and pending rows are left out.
    """
    return store.query(
        "SELECT contact.* FROM circle_member JOIN contact ON contact.id = circle_member.contact_id "
        "WHERE circle_member.circle_id = ? AND contact.uid = ? AND contact.self = 0 "
        "AND contact.blocked = 0 AND contact.pending = 0 ORDER BY contact.name, contact.id",
        [circle_id, viewer_uid],
    )


def member_contact_ids(store: Store, circle_id: int) -> list[int]:
    """Return every member contact id of a circle, with no check of its owner or deletion."""
    rows = store.query(
        "SELECT contact_id FROM circle_member WHERE circle_id = ? ORDER BY contact_id", [circle_id]
    )
    return [int(row["contact_id"]) for row in rows]


# Changes


def create_or_revive(store: Store, owner_uid: int, name: str) -> tuple[int, bool]:
    """Create a circle, or undelete the owner's circle of that name. Return its id and whether it was revived.

    A revived circle comes back without members, because deleting it removed them.
    """
    existing = find_by_name(store, owner_uid, name)
    if existing is not None:
        store.execute("UPDATE circle SET deleted = 0 WHERE id = ?", [existing["id"]])
        return int(existing["id"]), bool(existing["deleted"])
    return create_circle(store, owner_uid, name), False


def rename(store: Store, circle_id: int, name: str) -> None:
    """Give a circle a new name. Like Friendica, accept an empty name and a name already in use."""
    store.execute("UPDATE circle SET name = ? WHERE id = ?", [name, circle_id])


def remove(store: Store, circle_id: int) -> None:
    """Mark a circle deleted, drop its members and take it out of the owner's default ACL."""
    row = circle(store, circle_id)
    if row is None:
        return

    marker = f"<{circle_id}>"
    with store.transaction():
        store.execute(
            "UPDATE user SET allow_gid = replace(allow_gid, ?, ''), deny_gid = replace(deny_gid, ?, '') "
            "WHERE uid = ?",
            [marker, marker, row["uid"]],
        )
        store.execute("DELETE FROM circle_member WHERE circle_id = ?", [circle_id])
        store.execute("UPDATE circle SET deleted = 1 WHERE id = ?", [circle_id])


def add_member(store: Store, circle_id: int, contact_id: int) -> bool:
    """Add a contact to a circle like Circle::addMember(), or return False for circle id 0.

    The contact must belong to the circle's owner. Raises errors.ApiError 404
    "Circle not found." or "Invalid contact." as Friendica does.
    """
    if not circle_id or not contact_id:
        return False

    owner_contact = _owner_contact(store, circle_id, contact_id)
    store.execute(
        "INSERT OR IGNORE INTO circle_member (circle_id, contact_id) VALUES (?, ?)",
        [circle_id, owner_contact],
    )
    return True


def remove_member(store: Store, circle_id: int, contact_id: int) -> bool:
    """Remove a contact from a circle like Circle::removeMember(), or return False for circle id 0."""
    if not circle_id or not contact_id:
        return False

    owner_contact = _owner_contact(store, circle_id, contact_id)
    store.execute(
        "DELETE FROM circle_member WHERE circle_id = ? AND contact_id = ?", [circle_id, owner_contact]
    )
    return True


def _owner_contact(store: Store, circle_id: int, contact_id: int) -> int:
    """Return the circle owner's contact id for a contact id, like Contact::getUserContactId()."""
    row = circle(store, circle_id)
    if row is None:
        raise errors.ApiError(404, "Circle not found.")

    contact = store.contact(contact_id)
    if contact is None or contact["uid"] not in (0, row["uid"]):
        raise errors.ApiError(404, "Invalid contact.")
    if contact["uid"] == row["uid"]:
        return int(contact["id"])

    owner_row = store.user_contact(row["uid"], int(contact["id"]))
    if owner_row is None:
        raise errors.ApiError(404, "Invalid contact.")
    return int(owner_row["id"])

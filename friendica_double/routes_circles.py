"""Circle endpoints: ``friendica/circle_show|create|update|delete`` and the older ``group_*`` names.

Members are the caller's own contact ids (``cid``), sent as a form field
``json={"user": [{"cid": 11}, ...]}``. Friendica 2024.08 reads the members
from that field only: a raw JSON body sets the name but its members are
silently dropped. Unknown contact ids do not fail the call: it succeeds with
status "missing user" and lists them under ``"wrong users"``.

``circle_update`` has quirks of its own. It never renames, and it replaces
the member list by the one sent. When it must remove a member, it looks the
circle up again by the ``name`` sent. So a name of another of the caller's
circles changes that circle, and an unknown name changes nothing and
returns ``gid: false``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import circles, errors
from .db import Row
from .routing import ApiRoute, Call

_PHP_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")


def show(call: Call) -> list[dict[str, Any]]:
    """GET circle_show / group_show: all circles of the caller, or the one ``gid`` names, with members."""
    user = call.require_user()
    gid = call.params.integer("gid", 0) or 0

    if gid:
        found = circles.owned_circle(call.store, user["uid"], gid, include_deleted=False)
        if found is None:
            raise errors.ApiError(400, "gid not available")
        chosen = [found]
    else:
        chosen = circles.circles_of(call.store, user["uid"])

    result = []
    for row in chosen:
        members = circles.visible_members(call.store, user["uid"], row["id"])
        users = [call.twitter.user(int(member["public_id"]), user["uid"]) for member in members]
        result.append({"name": row["name"], "gid": row["id"], "user": users})
    return result


def create(call: Call) -> dict[str, Any]:
    """POST circle_create / group_create: a new circle (or a deleted one revived) with members."""
    user = call.require_user()
    members = _members_from_json_field(call)
    name = call.params.string("name")

    if name == "":
        raise errors.ApiError(400, "circle name not specified")
    if circles.find_by_name(call.store, user["uid"], name, include_deleted=False) is not None:
        raise errors.ApiError(400, "circle name already exists")

    gid, revived = circles.create_or_revive(call.store, user["uid"], name)
    wrong_users = _add_members(call, user, gid, members)

    status = "reactivated" if revived else "ok"
    if wrong_users:
        status = "missing user"
    return _result(gid, name, status, wrong_users)


def update(call: Call) -> dict[str, Any]:
    """POST circle_update / group_update: replace the members of a circle that the name picks (see above)."""
    user = call.require_user()
    members = _members_from_json_field(call)
    gid: int | bool = call.params.integer("gid", 0) or 0
    name = call.params.string("name")

    if name in ("", "0"):
        raise errors.ApiError(400, "circle name not specified")
    if not gid:
        raise errors.ApiError(400, "gid not specified")

    # Friendica compares each member with the last entry sent only, then adds all entries back.
    # No transaction: members removed before add_member() raises its 404 stay removed, as there.
    last_cid = members[-1] if members else None
    for member in circles.visible_members(call.store, user["uid"], int(gid)):
        if members and _php_equals(last_cid, int(member["id"])):
            continue
        named = circles.find_by_name(call.store, user["uid"], name)
        gid = int(named["id"]) if named is not None else False
        circles.remove_member(call.store, int(gid), int(member["id"]))

    wrong_users = _add_members(call, user, int(gid), members)

    return _result(gid, name, "missing user" if wrong_users else "ok", wrong_users)


def delete(call: Call) -> dict[str, Any]:
    """POST circle_delete / group_delete: needs both ``gid`` and ``name`` of the caller's circle."""
    user = call.require_user()
    gid = call.params.integer("gid", 0) or 0
    name = call.params.string("name")

    if not gid or name == "":
        raise errors.ApiError(400, "gid or name not specified")
    found = circles.owned_circle(call.store, user["uid"], gid, include_deleted=True)
    if found is None:
        raise errors.ApiError(400, "gid not available")
    if found["name"].lower() != name.lower():
        raise errors.ApiError(400, "wrong circle name")

    # Friendica deletes the first circle with that name, which is this one unless a rename made twins.
    named = circles.find_by_name(call.store, user["uid"], name)
    assert named is not None
    circles.remove(call.store, int(named["id"]))
    return _result(gid, name, "deleted", [])


def _result(gid: int | bool, name: str, status: str, wrong_users: list[Any]) -> dict[str, Any]:
    return {"success": True, "gid": gid, "name": name, "status": status, "wrong users": wrong_users}


def _members_from_json_field(call: Call) -> list[Any]:
    """Return the ``cid`` values of the form field ``json`` the way PHP reads ``$json['user']``.

    A missing or undecodable field gives no members. A field sent as an
    array makes PHP's json_decode() throw, and Friendica then sends an empty
    500. Entries that are not objects, or lack ``cid``, give None.
    """
    raw = call.params.raw("json")
    if isinstance(raw, list | dict):
        raise errors.EmptyError(500)
    if not isinstance(raw, str):
        return []
    try:
        decoded = json.loads(raw)
    except ValueError:
        return []

    users = decoded.get("user") if isinstance(decoded, dict) else None
    if isinstance(users, dict):
        users = list(users.values())
    if not isinstance(users, list):
        return []
    return [entry.get("cid") if isinstance(entry, dict) else None for entry in users]


def _add_members(call: Call, user: Row, gid: int, members: list[Any]) -> list[Any]:
    """Add each ``cid`` that names a row of the caller's address book and return the others as sent."""
    wrong_users = []
    for cid in members:
        contact_id = _contact_id(cid)
        contact = call.store.contact(contact_id) if contact_id else None
        if contact is None or contact["uid"] != user["uid"]:
            wrong_users.append(cid)
            continue
        circles.add_member(call.store, gid, contact_id)
    return wrong_users


def _contact_id(value: Any) -> int:
    """Return the contact id that MariaDB would match for a JSON ``cid`` value, or 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _PHP_INTEGER.match(value):
        return int(value)
    return 0


def _php_equals(value: Any, number: int) -> bool:
    """Return PHP's loose ``value == number`` for a JSON value and a contact id."""
    if isinstance(value, bool):
        return value == bool(number)
    if isinstance(value, int | float):
        return value == number
    if isinstance(value, str):
        try:
            return float(value) == number
        except ValueError:
            return False
    return value is None and number == 0


ROUTES = [
    route
    for prefix in ("circle", "group")
    for route in (
        ApiRoute(f"friendica/{prefix}_show", ("GET",), show),
        ApiRoute(f"friendica/{prefix}_create", ("POST",), create),
        ApiRoute(f"friendica/{prefix}_update", ("POST",), update),
        ApiRoute(f"friendica/{prefix}_delete", ("POST",), delete),
    )
]

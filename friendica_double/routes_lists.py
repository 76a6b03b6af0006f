"""List endpoints: Friendica 2024.08 maps Twitter lists onto circles.

- ``lists/list`` and ``lists/subscriptions`` are stubs that always return ``[]``;
- ``lists/ownerships`` lists the caller's circles as ``{"lists": [...]}``;
- ``lists/create``, ``lists/update`` (rename) and ``lists/destroy`` return
  ``{"lists": list}``, where the list object is ``{name, id, id_str, user,
  mode}`` with the owner's user object and ``mode`` "private". ``update``
  and ``destroy`` also find deleted circles, and then the list is ``[]``;
- ``lists/statuses`` pages the posts of the circle's members in the caller's
  copies with the timeline parameters (see ``timelines.circle``);
- ``lists/members`` is not routed.
"""

from __future__ import annotations

from typing import Any

from . import circles, errors, timelines
from .routing import ApiRoute, Call
from .timelines import Page


def empty_stub(call: Call) -> list[Any]:
    """GET lists/list and lists/subscriptions: Friendica's placeholder, always empty."""
    call.require_user()
    return []


def ownerships(call: Call) -> dict[str, Any]:
    """GET lists/ownerships: the caller's circles."""
    user = call.require_user()
    return {"lists": [_list_object(call, row["id"]) for row in circles.circles_of(call.store, user["uid"])]}


def create(call: Call) -> dict[str, Any]:
    """POST lists/create: a circle named ``name`` (a deleted circle of that name comes back)."""
    user = call.require_user()
    name = call.params.string("name")
    if name == "":
        raise errors.ApiError(400, "circle name not specified")
    if circles.find_by_name(call.store, user["uid"], name, include_deleted=False) is not None:
        raise errors.ApiError(400, "circle name already exists")

    gid, _ = circles.create_or_revive(call.store, user["uid"], name)
    return {"lists": _list_object(call, gid)}


def update(call: Call) -> dict[str, Any]:
    """POST lists/update: rename circle ``list_id`` to ``name``, even to "" or to a name in use."""
    gid = _list_id(call)
    circles.rename(call.store, gid, call.params.string("name"))
    return {"lists": _list_object(call, gid)}


def destroy(call: Call) -> dict[str, Any]:
    """POST lists/destroy: delete circle ``list_id`` and return the list as it was."""
    gid = _list_id(call)
    deleted = _list_object(call, gid)
    circles.remove(call.store, gid)
    return {"lists": deleted}


def statuses(call: Call) -> list[dict[str, Any]]:
    """GET lists/statuses: posts by the members of circle ``list_id``, newest first.

    Friendica reads the members of any circle id without checking its owner
    or whether it is deleted, but only the caller's own contacts match the
    caller's posts, so a stranger's circle gives ``[]``.
    """
    user = call.require_user()
    params = call.params
    if not params.non_empty("list_id"):
        raise errors.ApiError(400, "list_id not specified")

    gid = params.integer("list_id", 0) or 0
    members = circles.member_contact_ids(call.store, gid) if gid else []
    entries = timelines.circle(
        call.store,
        user["uid"],
        members,
        Page.from_params(params),
        exclude_replies=params.boolean("exclude_replies"),
        conversation_id=params.integer("conversation_id", 0, 0) or 0,
    )
    include_entities = params.boolean("include_entities")
    return [call.twitter.status(entry.uri_id, entry.perspective, include_entities) for entry in entries]


def _list_id(call: Call) -> int:
    """Return ``list_id`` if it names a circle of the caller, deleted or not, or raise the 400."""
    user = call.require_user()
    gid = call.params.integer("list_id", 0) or 0
    if not gid:
        raise errors.ApiError(400, "gid not specified")
    if circles.owned_circle(call.store, user["uid"], gid, include_deleted=True) is None:
        raise errors.ApiError(400, "gid not available")
    return gid


def _list_object(call: Call, gid: int) -> dict[str, Any] | list[Any]:
    """Return the list object of a circle, or ``[]`` for a deleted one (Friendica's empty array)."""
    row = circles.circle(call.store, gid)
    if row is None or row["deleted"]:
        return []
    owner = call.store.user(int(row["uid"]))
    assert owner is not None
    return {
        "name": row["name"],
        "id": row["id"],
        "id_str": str(row["id"]),
        "user": call.twitter.user(int(owner["public_contact"]), int(owner["uid"])),
        "mode": "private",
    }


ROUTES = [
    ApiRoute("lists/list", ("GET",), empty_stub),
    ApiRoute("lists/subscriptions", ("GET",), empty_stub),
    ApiRoute("lists/ownerships", ("GET",), ownerships),
    ApiRoute("lists/create", ("POST",), create),
    ApiRoute("lists/update", ("POST",), update),
    ApiRoute("lists/destroy", ("POST",), destroy),
    ApiRoute("lists/statuses", ("GET",), statuses),
]

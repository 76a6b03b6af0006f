"""Relationship endpoints: friends/followers ids and lists, friendships show/incoming/destroy.

For the caller the lists come from the caller's address book (accepted
relations only; a pending request is no follower). For any other user,
including other local users, Friendica 2024.08 has no relation data and
returns empty lists, as recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import errors, people
from .db import REL_FOLLOWER, REL_FRIEND, REL_SHARING
from .routing import ApiRoute, Call

DEFAULT_COUNT = 20
MAX_COUNT = 200

FRIEND_RELATIONS = (REL_SHARING, REL_FRIEND)
FOLLOWER_RELATIONS = (REL_FOLLOWER, REL_FRIEND)


def _related_ids(call: Call, relations: tuple[int, ...]) -> tuple[list[int], int]:
    """Return one page of public contact ids (newest first) and the total count."""
    user = call.require_user()
    params = call.params
    person = people.public_id_for_search(
        call.store,
        params.string("screen_name"),
        params.string("profileurl"),
        params.integer("user_id", 0),
        user["uid"],
    )
    if person != user["public_contact"]:
        return [], 0

    rows = call.store.contacts_by_relation(user["uid"], relations)
    ids = [int(row["public_id"]) for row in rows]
    return _window(call, ids), len(ids)


def _window(call: Call, ids: list[int]) -> list[int]:
    """Apply Friendica's id paging (max_id exclusive here, min_id from the other end)."""
    params = call.params
    count = params.integer("count", DEFAULT_COUNT, 1, MAX_COUNT) or DEFAULT_COUNT
    max_id = params.integer("max_id", 0, 0) or 0
    since_id = params.integer("since_id", 0, 0) or 0
    min_id = params.integer("min_id", 0, 0) or 0

    selected = [
        value
        for value in ids
        if (not max_id or value < max_id)
        and (not since_id or value > since_id)
        and (not min_id or value > min_id)
    ]
    if min_id:
        return list(reversed(sorted(selected)[:count]))
    return selected[:count]


def _cursor_fields(call: Call, ids: list[Any], total: int) -> dict[str, Any]:
    """Return Friendica's cursor members for a result page."""
    cursor = call.params.integer("cursor", -1)
    cursor = 0 if cursor is None else cursor
    count = call.params.integer("count", DEFAULT_COUNT, 1, MAX_COUNT) or DEFAULT_COUNT

    previous_cursor = -int(ids[0]) if ids else 0
    next_cursor = int(ids[-1]) if ids else 0
    if total <= len(ids) or len(ids) < count:
        next_cursor = 0
    if cursor < 0 and not ids:
        next_cursor = -1
    if cursor == -1:
        previous_cursor = 0
    if cursor > 0 and not ids:
        previous_cursor = -cursor
    return {
        "next_cursor": next_cursor,
        "next_cursor_str": str(next_cursor),
        "previous_cursor": previous_cursor,
        "previous_cursor_str": str(previous_cursor),
        "total_count": total,
    }


def _with_link_header(
    request: Request, body: dict[str, Any], ids: list[int], base_url: str
) -> JSONResponse:
    """Return the JSON response with Friendica's Link header built from the id range."""
    headers = {}
    if ids:
        command = f"{base_url}{request.url.path}"
        headers["Link"] = (
            f'<{command}?max_id={min(ids)}>; rel="next", <{command}?min_id={max(ids)}>; rel="prev"'
        )
    return JSONResponse(body, headers=headers)


def _ids_handler(relations: tuple[int, ...]) -> Callable[[Call], JSONResponse]:
    def handler(call: Call) -> JSONResponse:
        ids, total = _related_ids(call, relations)
        id_values: list[Any] = (
            [str(value) for value in ids] if call.params.boolean("stringify_ids") else ids
        )
        body = {"ids": id_values, **_cursor_fields(call, ids, total)}
        return _with_link_header(call.request, body, ids, call.site.base_url)

    return handler


def _list_handler(relations: tuple[int, ...]) -> Callable[[Call], JSONResponse]:
    def handler(call: Call) -> JSONResponse:
        ids, total = _related_ids(call, relations)
        params = call.params
        users = [
            call.twitter.user_with_status(
                public_id,
                call.uid,
                skip_status=params.boolean("skip_status"),
                include_entities=params.boolean("include_user_entities"),
            )
            for public_id in ids
        ]
        body = {"users": users, **_cursor_fields(call, ids, total)}
        return _with_link_header(call.request, body, ids, call.site.base_url)

    return handler


friends_ids = _ids_handler(FRIEND_RELATIONS)
followers_ids = _ids_handler(FOLLOWER_RELATIONS)
friends_list = _list_handler(FRIEND_RELATIONS)
followers_list = _list_handler(FOLLOWER_RELATIONS)


def incoming(call: Call) -> JSONResponse:
    """GET friendships/incoming: pending follow requests as the caller's *contact* ids."""
    user = call.require_user()
    rows = call.store.pending_requests(user["uid"])
    ids = _window(call, [int(row["id"]) for row in rows])
    id_values: list[Any] = (
        [str(value) for value in ids] if call.params.boolean("stringify_ids") else ids
    )
    body = {"ids": id_values, **_cursor_fields(call, ids, len(rows))}
    return _with_link_header(call.request, body, ids, call.site.base_url)


def show(call: Call) -> dict[str, Any]:
    """GET friendships/show: the relation between source (default the caller) and target.

    A pending requester already counts as following the caller.
    """
    user = call.require_user()
    params = call.params
    store = call.store
    source_id = people.public_id_for_search(
        store, params.string("source_screen_name"), "", params.integer("source_id", 0), user["uid"]
    )
    target_id = people.public_id_for_search(
        store, params.string("target_screen_name"), "", params.integer("target_id", 0), user["uid"]
    )
    source = (
        store.public_contact(people.public_id_for(store, source_id) or 0) if source_id else None
    )
    if source is None:
        raise errors.ApiError(404, "Source not found")
    target = (
        store.public_contact(people.public_id_for(store, target_id) or 0) if target_id else None
    )
    if target is None:
        raise errors.ApiError(404, "Target not found")

    following = followed_by = False
    if source["id"] == user["public_contact"]:
        rel = people.relation(store, user["uid"], target["id"])
        followed_by = rel in (REL_FOLLOWER, REL_FRIEND)
        following = rel in (REL_SHARING, REL_FRIEND)

    return {
        "relationship": {
            "source": {
                "id": source["id"],
                "id_str": str(source["id"]),
                "screen_name": source["nick"],
                "following": following,
                "followed_by": followed_by,
                "live_following": False,
                "following_received": None,
                "following_requested": None,
                "notifications_enabled": None,
                "can_dm": following and followed_by,
                "blocking": None,
                "blocked_by": None,
                "muting": None,
                "want_retweets": None,
                "all_replies": None,
                "marked_spam": None,
            },
            "target": {
                "id": target["id"],
                "id_str": str(target["id"]),
                "screen_name": target["nick"],
                "following": followed_by,
                "followed_by": following,
                "following_received": None,
                "following_requested": None,
            },
        }
    }


def destroy(call: Call) -> dict[str, Any]:
    """POST friendships/destroy: unfollow; returns the user object as it was before."""
    user = call.require_user()
    params = call.params
    contact_id = people.public_id_for_search(
        call.store,
        params.string("screen_name"),
        params.string("profileurl"),
        params.integer("user_id", 0),
        0,
    )
    if not contact_id:
        raise errors.ApiError(400, "no user_id specified")

    public_id = people.public_id_for(call.store, contact_id)
    if public_id is None or not people.follows(call.store, user["uid"], public_id):
        raise errors.ApiError(404, "Not following Contact")

    result = call.twitter.user(public_id, user["uid"])
    people.unfollow(call.store, user["uid"], public_id)
    return result


ROUTES = [
    ApiRoute("friends/ids", ("GET",), friends_ids),
    ApiRoute("followers/ids", ("GET",), followers_ids),
    ApiRoute("friends/list", ("GET",), friends_list),
    ApiRoute("followers/list", ("GET",), followers_list),
    ApiRoute("statuses/friends", ("GET",), friends_list),
    ApiRoute("statuses/followers", ("GET",), followers_list),
    ApiRoute("friendships/incoming", ("GET",), incoming),
    ApiRoute("friendships/show", ("GET",), show),
    ApiRoute("friendships/destroy", ("POST",), destroy),
]

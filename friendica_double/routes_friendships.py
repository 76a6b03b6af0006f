"""Relationship endpoints: friends/followers ids and lists, friendships show/incoming/destroy.

For the caller the lists come from the caller's address book (accepted
relations only; a pending request is no follower). For any other user,
including other local users, Friendica 2024.08 has no relation data and
returns empty lists, as recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse

from . import errors, people
from .contact_paging import cursor_fields, id_values, page_of_ids, with_link_header
from .db import REL_FOLLOWER, REL_FRIEND, REL_SHARING
from .routing import ApiRoute, Call

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
    return page_of_ids(call.params, ids), len(ids)


def _ids_handler(relations: tuple[int, ...]) -> Callable[[Call], JSONResponse]:
    def handler(call: Call) -> JSONResponse:
        ids, total = _related_ids(call, relations)
        body = {"ids": id_values(call.params, ids), **cursor_fields(call.params, ids, total)}
        return with_link_header(call.request, body, ids, call.site.base_url)

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
        body = {"users": users, **cursor_fields(call.params, ids, total)}
        return with_link_header(call.request, body, ids, call.site.base_url)

    return handler


friends_ids = _ids_handler(FRIEND_RELATIONS)
followers_ids = _ids_handler(FOLLOWER_RELATIONS)
friends_list = _list_handler(FRIEND_RELATIONS)
followers_list = _list_handler(FOLLOWER_RELATIONS)


def incoming(call: Call) -> JSONResponse:
    """GET friendships/incoming: pending follow requests as the caller's *contact* ids."""
    user = call.require_user()
    rows = call.store.pending_requests(user["uid"])
    ids = page_of_ids(call.params, [int(row["id"]) for row in rows])
    body = {"ids": id_values(call.params, ids), **cursor_fields(call.params, ids, len(rows))}
    return with_link_header(call.request, body, ids, call.site.base_url)


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
    source = store.public_contact(people.public_id_for(store, source_id) or 0) if source_id else None
    if source is None:
        raise errors.ApiError(404, "Source not found")
    target = store.public_contact(people.public_id_for(store, target_id) or 0) if target_id else None
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

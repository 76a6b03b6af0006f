"""Friendica's own Mastodon-style endpoints that fill gaps of the Twitter API.

Served: ``GET /api/v1/instance``, ``GET /api/v1/statuses/{id}``,
``POST /api/v1/statuses/{id}/reblog``, ``/unreblog``, ``/bookmark``,
``/unbookmark`` and Friendica's ``/api/friendica/statuses/{id}/dislike``,
``/undislike`` and ``GET …/disliked_by``. Basic auth works on all of them.
The account endpoints are in ``routes_native_accounts``.

Errors are JSON ``{"error": …}``. Friendica 2024.08 sends every one of them
with status 403 because ``BaseApi::logAndJsonError`` ignores the status its
caller passes, so an unknown id is 403 "Record not found". Exceptions
thrown deeper down are HTML exception pages with their own status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import errors, posts
from .db import GRAVITY_ACTIVITY, GRAVITY_PARENT
from .routing import NATIVE_PREFIXES, ApiRoute, Call

ERROR_STATUS = 403


def instance(call: Call) -> dict[str, Any]:
    """GET /api/v1/instance: the Mastodon v1 instance object (no login needed)."""
    return call.mastodon.instance()


def show_status(call: Call) -> dict[str, Any]:
    """GET /api/v1/statuses/{id}: one Mastodon status, with ``media_attachments`` (login optional).

    Like Friendica, it reads the caller's copy or else the public one and
    checks nothing more: a deleted post, a copy the caller hid and a post of
    someone blocked are still returned. Anything else is a 404 page.
    """
    uri_id = int(call.path_params.get("id", 0))
    if not uri_id:
        raise errors.JsonError(ERROR_STATUS, "Unprocessable Entity")

    row = posts.visible_copy(call.store, uri_id, call.uid)
    # NOTE: Friendica shows a share activity as a reblog of the shared post. The double returns 404.
    if row is None or row["gravity"] == GRAVITY_ACTIVITY:
        user_part = f" for user {call.uid}" if call.uid else "."
        raise errors.ApiError(404, f"Item with URI ID {uri_id} not found{user_part}")
    return call.mastodon.status(uri_id, call.uid)


def _readable_post(call: Call) -> int:
    """Return the path's uri-id if the caller may read that post, else raise "Record not found"."""
    uri_id = int(call.path_params.get("id", 0))
    row = posts.visible_copy(call.store, uri_id, call.uid) if uri_id else None
    if row is None or row["deleted"] or row["gravity"] == GRAVITY_ACTIVITY:
        raise errors.JsonError(ERROR_STATUS, "Record not found")
    return uri_id


def _activity_handler(verb: str) -> Callable[[Call], dict[str, Any]]:
    def handler(call: Call) -> dict[str, Any]:
        user = call.require_user()
        uri_id = _readable_post(call)
        posts.react(call.site, user, uri_id, verb)
        return call.mastodon.status(uri_id, user["uid"])

    handler.__doc__ = f"POST: {verb} the post and return it as a Mastodon status."
    return handler


def _bookmark_handler(starred: bool) -> Callable[[Call], dict[str, Any]]:
    def handler(call: Call) -> dict[str, Any]:
        user = call.require_user()
        uri_id = _readable_post(call)
        item = call.store.item(uri_id)
        if item is None or item["gravity"] != GRAVITY_PARENT:
            raise errors.JsonError(ERROR_STATUS, "Only starting posts can be bookmarked")
        posts.set_starred(call.store, user, uri_id, starred)
        return call.mastodon.status(uri_id, user["uid"])

    handler.__doc__ = (
        f"POST: {'star' if starred else 'unstar'} a top-level post (the Twitter favorites list)."
    )
    return handler


def disliked_by(call: Call) -> list[dict[str, Any]]:
    """GET /api/friendica/statuses/{id}/disliked_by: who dislikes a post (login optional)."""
    uri_id = _readable_post(call)
    rows = call.store.query(
        "SELECT DISTINCT author_id FROM item WHERE thr_parent_id = ? AND gravity = ? "
        "AND verb = 'dislike' AND deleted = 0 ORDER BY uri_id",
        [uri_id, GRAVITY_ACTIVITY],
    )
    return [call.mastodon.account(row["author_id"]) for row in rows]


def _native(
    path: str, methods: tuple[str, ...], handler: Callable[[Call], Any], auth: bool = True
) -> ApiRoute:
    return ApiRoute(path, methods, handler, auth=auth, prefixes=NATIVE_PREFIXES, extensions=False)


ROUTES = [
    _native("v1/instance", ("GET",), instance, auth=False),
    _native("v1/statuses/{id}", ("GET",), show_status, auth=False),
    _native("v1/statuses/{id}/reblog", ("POST",), _activity_handler("announce")),
    _native("v1/statuses/{id}/unreblog", ("POST",), _activity_handler("unannounce")),
    _native("v1/statuses/{id}/bookmark", ("POST",), _bookmark_handler(True)),
    _native("v1/statuses/{id}/unbookmark", ("POST",), _bookmark_handler(False)),
    _native("friendica/statuses/{id}/dislike", ("POST",), _activity_handler("dislike")),
    _native("friendica/statuses/{id}/undislike", ("POST",), _activity_handler("undislike")),
    _native("friendica/statuses/{id}/disliked_by", ("GET",), disliked_by, auth=False),
]

"""Reactions: favorites (likes in 2024.08), Friendica's activity verbs and the starred list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import errors, posts, timelines
from .params import php_int
from .routing import ApiRoute, Call
from .timelines import Page

ACTIVITY_ROUTE_VERBS = (
    "like",
    "dislike",
    "attendyes",
    "attendno",
    "attendmaybe",
    "unlike",
    "undislike",
    "unattendyes",
    "unattendno",
    "unattendmaybe",
)


def favorites(call: Call) -> list[dict[str, Any]]:
    """GET favorites: the caller's starred (bookmarked) posts; likes are not listed."""
    user = call.require_user()
    params = call.params
    entries = timelines.favorites(call.store, user["uid"], Page.from_params(params))
    include_entities = params.boolean("include_entities")
    return [call.twitter.status(entry.uri_id, entry.perspective, include_entities) for entry in entries]


def _react_and_render(call: Call, uri_id: int, verb: str) -> dict[str, Any]:
    user = call.require_user()
    row = posts.visible_copy(call.store, uri_id, user["uid"]) if uri_id else None
    if row is None or row["deleted"]:
        raise errors.ApiError(400, "Item id not found")

    if not posts.react(call.site, user, uri_id, verb):
        raise errors.ApiError(500, "Error adding activity")
    return call.twitter.status(uri_id, call.twitter.perspective_of(uri_id, user["uid"]))


def _favorite(verb: str) -> Callable[[Call], dict[str, Any]]:
    def handler(call: Call) -> dict[str, Any]:
        call.require_user()
        if not call.params.integer("id", 0):
            raise errors.ApiError(400, "Item id not specified")
        return _react_and_render(call, php_int(call.params.raw("id")) or 0, verb)

    handler.__doc__ = f"POST favorites/{'create' if verb == 'like' else 'destroy'}: {verb} a post."
    return handler


def _activity(verb: str) -> Callable[[Call], dict[str, Any]]:
    def handler(call: Call) -> dict[str, Any]:
        return _react_and_render(call, call.params.integer("id", 0) or 0, verb)

    handler.__doc__ = f"POST friendica/activity/{verb}: returns the updated status."
    return handler


ROUTES = [
    ApiRoute("favorites", ("GET",), favorites),
    ApiRoute("favorites/create", ("POST",), _favorite("like")),
    ApiRoute("favorites/destroy", ("POST",), _favorite("unlike")),
    *(ApiRoute(f"friendica/activity/{verb}", ("POST",), _activity(verb)) for verb in ACTIVITY_ROUTE_VERBS),
]

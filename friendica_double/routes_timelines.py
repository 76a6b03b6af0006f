"""Timeline endpoints: home, public, network, user, mentions and search."""

from __future__ import annotations

from typing import Any

from . import errors, people, timelines
from .routing import ApiRoute, Call
from .timelines import Entry, Page


def _render(call: Call, entries: list[Entry]) -> list[dict[str, Any]]:
    include_entities = call.params.boolean("include_entities")
    return [call.twitter.status(entry.uri_id, entry.perspective, include_entities) for entry in entries]


def home_timeline(call: Call) -> list[dict[str, Any]]:
    """GET statuses/home_timeline (alias friends_timeline): what the caller holds."""
    user = call.require_user()
    params = call.params
    entries = timelines.home(
        call.store,
        user["uid"],
        Page.from_params(params),
        exclude_replies=params.boolean("exclude_replies"),
        conversation_id=params.integer("conversation_id", 0, 0) or 0,
    )
    return _render(call, entries)


def public_timeline(call: Call) -> list[dict[str, Any]]:
    """GET statuses/public_timeline: public posts written on local walls (login required)."""
    user = call.require_user()
    params = call.params
    entries = timelines.public(
        call.store,
        Page.from_params(params),
        exclude_replies=params.boolean("exclude_replies"),
        conversation_id=params.integer("conversation_id", 0, 0) or 0,
        viewer=user["uid"],
    )
    return _render(call, entries)


def networkpublic_timeline(call: Call) -> list[dict[str, Any]]:
    """GET statuses/networkpublic_timeline: every public post and comment."""
    user = call.require_user()
    entries = timelines.network_public(call.store, Page.from_params(call.params), viewer=user["uid"])
    return _render(call, entries)


def user_timeline(call: Call) -> list[dict[str, Any]]:
    """GET statuses/user_timeline: posts by ``user_id``/``screen_name`` (default the caller).

    An unknown ``user_id`` gives an empty list, an unknown screen name the caller's posts.
    """
    user = call.require_user()
    params = call.params
    author_id = people.public_id_for_search(
        call.store,
        params.string("screen_name"),
        params.string("profileurl"),
        params.integer("user_id", 0),
        user["uid"],
    )
    if author_id is None:
        return []
    entries = timelines.user_timeline(
        call.store,
        user["uid"],
        author_id,
        Page.from_params(params),
        exclude_replies=params.boolean("exclude_replies"),
        conversation_id=params.integer("conversation_id", 0, 0) or 0,
    )
    return _render(call, entries)


def mentions(call: Call) -> list[dict[str, Any]]:
    """GET statuses/mentions (aliases replies, mentions_timeline)."""
    user = call.require_user()
    entries = timelines.mentions(
        call.store, user["uid"], user["public_contact"], Page.from_params(call.params)
    )
    return _render(call, entries)


def search(call: Call) -> list[dict[str, Any]]:
    """GET search/tweets (alias search): posts containing ``q``, or tagged ``#q``."""
    user = call.require_user()
    params = call.params
    term = params.string("q").strip()
    if not params.non_empty("q") or not term:
        raise errors.ApiError(400, "q parameter is required.")

    page = Page.from_params(params)
    if "rpp" in params:
        page = Page(params.integer("rpp", page.count) or page.count, page.page, page.since_id, page.max_id)
    entries = timelines.search(
        call.store, user["uid"], term, page, exclude_replies=params.boolean("exclude_replies")
    )
    return _render(call, entries)


ROUTES = [
    ApiRoute("statuses/home_timeline", ("GET",), home_timeline),
    ApiRoute("statuses/friends_timeline", ("GET",), home_timeline),
    ApiRoute("statuses/public_timeline", ("GET",), public_timeline),
    ApiRoute("statuses/networkpublic_timeline", ("GET",), networkpublic_timeline),
    ApiRoute("statuses/user_timeline", ("GET",), user_timeline),
    ApiRoute("statuses/mentions", ("GET",), mentions),
    ApiRoute("statuses/mentions_timeline", ("GET",), mentions),
    ApiRoute("statuses/replies", ("GET",), mentions),
    ApiRoute("search/tweets", ("GET",), search),
    ApiRoute("search", ("GET",), search),
]

"""User endpoints: users/show, users/lookup, users/search, externalprofile/show."""

from __future__ import annotations

from typing import Any

from . import errors, people
from .routing import ApiRoute, Call


def show(call: Call) -> dict[str, Any]:
    """GET users/show (and externalprofile/show): one user object, without ``uid``.

    Friendica 2024.08 responds to an unknown ``user_id`` with 500 and an empty
    body, and falls back to the caller for an unknown ``screen_name`` or no
    parameters at all.
    """
    user = call.require_user()
    params = call.params
    if call.path_params.get("id"):
        contact_id: int | None = int(call.path_params["id"])
    else:
        contact_id = people.public_id_for_search(
            call.store,
            params.string("screen_name"),
            params.string("profileurl"),
            params.integer("user_id", 0),
            user["uid"],
        )

    public_id = people.public_id_for(call.store, contact_id) if contact_id else None
    if public_id is None:
        raise errors.EmptyError(500)
    result = call.twitter.user(public_id, user["uid"])
    del result["uid"]
    return result


def lookup(call: Call) -> list[dict[str, Any]]:
    """GET users/lookup: user objects (with latest status) for a comma list of ``user_id``.

    Only ``user_id`` is read; without a usable id the response is 404.
    """
    user = call.require_user()
    raw = call.params.raw("user_id")
    found = []
    if isinstance(raw, str):
        for part in raw.split(","):
            if not part.strip().isdigit():
                continue
            public_id = people.public_id_for(call.store, int(part))
            if public_id is None:
                raise errors.EmptyError(500)
            found.append(call.twitter.user_with_status(public_id, user["uid"]))
    if not found:
        raise errors.ApiError(404)
    return found


def search(call: Call) -> list[dict[str, Any]]:
    """GET users/search: people whose name, nickname, profile URL or address equals ``q``."""
    user = call.require_user()
    term = call.params.string("q")
    if not call.params.non_empty("q"):
        raise errors.ApiError(400, "No search term specified.")

    matches = []
    for person in call.store.query("SELECT * FROM contact WHERE uid = 0 ORDER BY id"):
        address = f"{person['nick']}@{call.site.netloc}"
        candidates = (
            person["name"],
            person["nick"],
            call.site.profile_url(person["nick"]),
            address,
        )
        if term in candidates:
            matches.append(int(person["id"]))
    if not matches:
        raise errors.ApiError(404, f"User {term} not found.")
    return [call.twitter.user_with_status(public_id, user["uid"]) for public_id in matches]


ROUTES = [
    ApiRoute("users/show", ("GET",), show),
    ApiRoute("users/show/{id}", ("GET",), show),
    ApiRoute("users/lookup", ("GET",), lookup),
    ApiRoute("users/search", ("GET",), search),
    ApiRoute("externalprofile/show", ("GET",), show),
]

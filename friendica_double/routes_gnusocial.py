"""GNU social compatibility endpoints: help/test, server config and version, conversations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from . import errors
from .posts import visible_copy
from .routing import ApiRoute, Call
from .timelines import Page, thread


def help_test(call: Call) -> str:
    """GET help/test: the bare JSON string "ok", no login needed."""
    return "ok"


def config(call: Call) -> dict[str, Any]:
    """GET statusnet/config and gnusocial/config: the site block, no login needed."""
    site = call.site
    profile = site.profile
    base = urlsplit(site.base_url)
    return {
        "site": {
            "name": profile.site_name,
            "server": site.host,
            "theme": profile.theme,
            "path": base.path.strip("/"),
            "logo": f"{site.base_url}/images/friendica-64.png",
            "fancy": True,
            "language": profile.language,
            "email": profile.admin_email,
            "broughtby": "",
            "broughtbyurl": "",
            "timezone": "UTC",
            "closed": True,
            "inviteonly": False,
            "private": False,
            # Friendica sends the text limit as a string.
            "textlimit": str(profile.text_limit),
            "sslserver": None,
            "ssl": "always" if base.scheme == "https" else "0",
            "friendica": {
                "FRIENDICA_PLATFORM": profile.platform,
                "FRIENDICA_VERSION": profile.version,
                "DB_UPDATE_VERSION": profile.db_update_version,
            },
        }
    }


def version(call: Call) -> str:
    """GET statusnet/version and gnusocial/version: the GNU social version string."""
    return call.site.profile.gnusocial_version


def conversation(call: Call) -> list[dict[str, Any]]:
    """GET statusnet/conversation and conversation/show: a whole thread, newest first.

    The id may name any post of the thread; the error messages are Friendica's.
    """
    user = call.require_user()
    params = call.params
    uri_id = int(call.path_params.get("id", 0)) or (params.integer("id", 0) or 0)
    page = Page.from_params(params)
    include_entities = params.boolean("include_entities")

    item = call.store.item(uri_id) if uri_id else None
    if item is None:
        raise errors.ApiError(400, f"There is no status with the id {uri_id}.")
    root = visible_copy(call.store, item["parent_uri_id"], user["uid"])
    if root is None:
        raise errors.ApiError(400, "There is no status with this id.")

    entries = thread(call.store, root["uri_id"], root["holder_uid"], page, viewer=user["uid"])
    if not entries:
        raise errors.ApiError(400, f"There is no status with id {root['uri_id']}.")
    return [call.twitter.status(entry.uri_id, entry.perspective, include_entities) for entry in entries]


ROUTES = [
    ApiRoute("help/test", ("GET",), help_test, auth=False),
    ApiRoute("statusnet/config", ("GET",), config, auth=False),
    ApiRoute("gnusocial/config", ("GET",), config, auth=False),
    ApiRoute("statusnet/version", ("GET",), version, auth=False),
    ApiRoute("gnusocial/version", ("GET",), version, auth=False),
    ApiRoute("statusnet/conversation", ("GET",), conversation),
    ApiRoute("statusnet/conversation/{id}", ("GET",), conversation),
    ApiRoute("conversation/show", ("GET",), conversation),
    ApiRoute("conversation/show/{id}", ("GET",), conversation),
]

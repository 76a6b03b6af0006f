"""The ``gnusocial`` front: GNU social 1.2's Twitter-compatible API.

Every route takes the ``.json`` suffix (see ``gnusocial_routing``). Served:
the timelines; ``statuses/show|update|destroy``; ``statuses/retweet/<id>``
and ``statuses/retweets/<id>``; ``favorites`` and
``favorites/create|destroy``; ``friendships/create|destroy|show|exists``;
``friends/ids``, ``followers/ids`` and ``statuses/friends|followers``;
``users/show``; ``account/verify_credentials|rate_limit_status``;
``help/test``; ``statusnet|gnusocial/config|version``;
``statusnet/conversation/<id>``; ``direct_messages`` and
``direct_messages/sent|new``; ``media/upload`` and
``statuses/update_with_media``, which GNU social routes to the media upload;
``blocks/create|destroy`` (``gnusocial_routes_blocks``);
``account/update_profile|update_profile_image``
(``gnusocial_routes_profile``); ``search.json`` (``gnusocial_routes_search``).
Pages ``/attachment/<id>`` redirect to the picture.

NOTE: GNU social 1.2 also serves groups (``statusnet/groups/*``), lists,
``search.atom``, ``trends.json``, ``users/profile_image`` and an OAuth 1 provider
(``api/oauth/*``); the double does not. It has no Friendica photos,
groups, notifications, profiles, Mastodon API or OAuth 2.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from . import avatars, gnusocial_routes, photo_files, photos
from . import gnusocial_routes_blocks as blocks
from . import gnusocial_routes_profile as profile
from . import gnusocial_routes_search as search
from .context import Site
from .db import Store
from .gnusocial_routing import ALL_FORMATS, BARE, OPTIONAL, REQUIRED, GsHandler, GsRoute, GsRouter, error_page
from .imaging import extension_for
from .routes_web import build_routes as build_web_routes

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
api = gnusocial_routes
TIMELINE_FORMATS = ALL_FORMATS


def _timeline(path: str, handler: GsHandler, auth: str) -> list[GsRoute]:
    """Return a timeline's routes with and without a user in the path."""
    return [
        GsRoute(f"{path}/{{nick}}", handler, auth=auth, formats=TIMELINE_FORMATS),
        GsRoute(path, handler, auth=auth, formats=TIMELINE_FORMATS),
    ]


ROUTES = [
    GsRoute("statuses/public_timeline", api.public_timeline, auth=OPTIONAL, formats=TIMELINE_FORMATS),
    GsRoute(
        "statuses/networkpublic_timeline", api.networkpublic_timeline, auth=OPTIONAL, formats=TIMELINE_FORMATS
    ),
    *_timeline("statuses/friends_timeline", api.home_timeline, REQUIRED),
    *_timeline("statuses/home_timeline", api.home_timeline, REQUIRED),
    *_timeline("statuses/user_timeline", api.user_timeline, BARE),
    *_timeline("statuses/mentions", api.mentions, BARE),
    *_timeline("statuses/replies", api.mentions, BARE),
    *_timeline("statuses/mentions_timeline", api.mentions, BARE),
    GsRoute("statuses/friends/{nick}", api.statuses_friends, auth=BARE),
    GsRoute("statuses/friends", api.statuses_friends, auth=BARE),
    GsRoute("statuses/followers/{nick}", api.statuses_followers, auth=BARE),
    GsRoute("statuses/followers", api.statuses_followers, auth=BARE),
    GsRoute("statuses/show/{id}", api.show, auth=OPTIONAL, formats=("xml", "json", "atom")),
    GsRoute("statuses/show", api.show, auth=OPTIONAL, formats=("xml", "json", "atom")),
    GsRoute("statuses/update", api.update, post_only=True),
    GsRoute("statuses/destroy/{id}", api.destroy),
    GsRoute("statuses/destroy", api.destroy),
    GsRoute("users/show/{nick}", api.users_show, auth=OPTIONAL),
    GsRoute("users/show", api.users_show, auth=OPTIONAL),
    GsRoute("friendships/show", api.friendship_show, auth=OPTIONAL),
    GsRoute("friendships/exists", api.friendship_exists, auth=OPTIONAL),
    GsRoute("friendships/create/{nick}", api.friendship_create, post_only=True),
    GsRoute("friendships/create", api.friendship_create, post_only=True),
    GsRoute("friendships/destroy/{nick}", api.friendship_destroy, post_only=True),
    GsRoute("friendships/destroy", api.friendship_destroy, post_only=True),
    GsRoute("friends/ids/{nick}", api.friends_ids, auth=BARE),
    GsRoute("followers/ids/{nick}", api.followers_ids, auth=BARE),
    GsRoute("friends/ids", api.friends_ids, auth=BARE),
    GsRoute("followers/ids", api.followers_ids, auth=BARE),
    GsRoute("account/verify_credentials", api.verify_credentials),
    GsRoute("account/rate_limit_status", api.rate_limit_status, auth=BARE),
    GsRoute("help/test", api.help_test, auth=OPTIONAL),
    GsRoute("statusnet/version", api.version, auth=OPTIONAL),
    GsRoute("statusnet/config", api.config, auth=OPTIONAL),
    GsRoute("gnusocial/version", api.version, auth=OPTIONAL),
    GsRoute("gnusocial/config", api.config, auth=OPTIONAL),
    GsRoute("statusnet/conversation/{id}", api.conversation, auth=OPTIONAL, formats=TIMELINE_FORMATS),
    GsRoute("statuses/update_with_media", api.media_upload, post_only=True, formats=("json",)),
    GsRoute("media/upload", api.media_upload, post_only=True),
    GsRoute("favorites/create/{id}", api.favorite_create, post_only=True),
    GsRoute("favorites/create", api.favorite_create, post_only=True),
    GsRoute("favorites/destroy/{id}", api.favorite_destroy),
    GsRoute("favorites/destroy", api.favorite_destroy),
    GsRoute("favorites/list", api.favorites_timeline, auth=BARE, formats=TIMELINE_FORMATS),
    GsRoute("favorites/{nick}", api.favorites_timeline, auth=BARE, formats=TIMELINE_FORMATS),
    GsRoute("favorites", api.favorites_timeline, auth=BARE, formats=TIMELINE_FORMATS),
    GsRoute("statuses/retweet/{id}", api.retweet, post_only=True),
    GsRoute("statuses/retweets/{id}", api.retweets),
    GsRoute("direct_messages", api.direct_messages, formats=("xml", "json", "rss", "atom")),
    GsRoute("direct_messages/sent", api.direct_messages_sent, formats=("xml", "json", "rss", "atom")),
    GsRoute("direct_messages/new", api.direct_message_new, post_only=True),
    GsRoute("blocks/create/{nick}", blocks.block_create, post_only=True),
    GsRoute("blocks/create", blocks.block_create, post_only=True),
    GsRoute("blocks/destroy/{nick}", blocks.block_destroy, post_only=True),
    GsRoute("blocks/destroy", blocks.block_destroy, post_only=True),
    GsRoute("account/update_profile", profile.update_profile, post_only=True),
    GsRoute("account/update_profile_image", profile.update_profile_image, post_only=True),
    GsRoute("search", search.search, auth=OPTIONAL, formats=("json",)),
]


def prepare(store: Store) -> None:
    """Create the tables of this front (the homepage of ``account/update_profile``)."""
    profile.prepare(store)


def build_routes(site: Site) -> list[BaseRoute]:
    """Return every Starlette route of the GNU social front, the 404 page last."""
    router = GsRouter(site, ROUTES)

    async def api_endpoint(request: Request) -> Response:
        return await router(request)

    async def attachment(request: Request) -> Response:
        row = site.store.one("SELECT * FROM photo WHERE id = ?", [request.path_params["id"]])
        if row is None:
            return error_page(site, 404, "No such attachment.")
        url = photos.photo_url(site, row["resource_id"], int(row["scale"]), extension_for(row["type"]))
        return RedirectResponse(url, status_code=302)

    async def fallback(request: Request) -> Response:
        return error_page(site, 404, "No page was found at this address.")

    return [
        Route("/api/{rest:path}", api_endpoint, methods=ALL_METHODS),
        Route("/attachment/{id:int}", attachment, methods=["GET", "HEAD"]),
        *build_web_routes(site),
        *photo_files.build_routes(site),
        *avatars.build_routes(site),
        Route("/{rest:path}", fallback, methods=ALL_METHODS),
    ]

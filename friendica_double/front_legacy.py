"""The ``legacy`` front: Friendica 3.5.4's API, its OAuth 1 provider and pages.

``ROUTES`` lists the API paths in the order 3.5.4's ``include/api.php``
registers them, which decides the prefix matching (see ``legacy_routing``).
Not served, as in 3.5.4: ``lists/*`` beyond the always-empty ``lists``
prefix, ``search``, ``users/lookup``, ``friendships/*``, ``followers/list``,
``friends/list``, ``blocks/*``, ``mutes/*``, ``media/metadata/create``,
``statuses/unretweet``, ``friendica/circle_*``, ``friendica/photoalbums``
(it reaches ``friendica/photo``), the Mastodon API (``/api/v1/...`` is 501
"Not Implemented") and OAuth 2 (``/oauth/authorize`` is the 404 page).
"""

from __future__ import annotations

from authlib.oauth1.rfc5849.util import escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import (
    avatars,
    legacy_pages,
    legacy_routes_photos,
    legacy_routes_social,
    legacy_routes_statuses,
    legacy_routes_users,
    oauth1,
    photo_files,
)
from .context import Site, logger
from .db import Store
from .legacy_routing import ANY, DELETE, GET, POST, LegacyCall, LegacyRoute, LegacyRouter, plain_text
from .routes_web import build_routes as build_web_routes

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
ACTIVITY_VERBS = legacy_routes_statuses.ACTIVITY_VERBS

# The demo consumer, registered by alice (uid 2) on her settings page; no redirect
# URL, so the authorize page shows the verifier.
DEMO_CONSUMER_KEY = "mastogate-demo"
DEMO_CONSUMER_SECRET = "demo-consumer-secret"
DEMO_CONSUMER_NAME = "mastogate demo"
DEMO_CONSUMER_OWNER = 2


def request_token(call: LegacyCall) -> Response:
    """``api/oauth/request_token``: a new request token as text, or ``error=<message>`` with 200."""
    try:
        signed = oauth1.signed_request(call.request, call.query, call.form)
        return plain_text(200, oauth1.issue_request_token(call.site, signed))
    except oauth1.OAuthFailure as failure:
        logger.info("rejected an OAuth 1 request token request: %s", failure.message)
        return plain_text(200, "error=" + escape(failure.message))


def access_token(call: LegacyCall) -> Response:
    """``api/oauth/access_token``: the access token as text, an empty body for an unknown verifier."""
    try:
        signed = oauth1.signed_request(call.request, call.query, call.form)
        return plain_text(200, oauth1.issue_access_token(call.site, signed))
    except oauth1.OAuthFailure as failure:
        logger.info("rejected an OAuth 1 access token request: %s", failure.message)
        return plain_text(200, "error=" + escape(failure.message))


statuses = legacy_routes_statuses
users = legacy_routes_users
social = legacy_routes_social
pictures = legacy_routes_photos

ROUTES = [
    LegacyRoute("account/verify_credentials", ANY, users.verify_credentials),
    LegacyRoute("statuses/mediap", POST, statuses.update),
    LegacyRoute("statuses/update", POST, statuses.update),
    LegacyRoute("statuses/update_with_media", POST, statuses.update),
    LegacyRoute("media/upload", POST, pictures.media_upload),
    LegacyRoute("users/show", ANY, users.users_show, auth=False),
    LegacyRoute("externalprofile/show", ANY, users.users_show, auth=False),
    LegacyRoute("users/search", ANY, users.users_search, auth=False),
    LegacyRoute("statuses/home_timeline", ANY, statuses.home_timeline),
    LegacyRoute("statuses/friends_timeline", ANY, statuses.home_timeline),
    LegacyRoute("statuses/public_timeline", ANY, statuses.public_timeline),
    LegacyRoute("statuses/show", ANY, statuses.show),
    LegacyRoute("conversation/show", ANY, statuses.conversation),
    LegacyRoute("statusnet/conversation", ANY, statuses.conversation),
    LegacyRoute("statuses/retweet", POST, statuses.retweet),
    LegacyRoute("statuses/destroy", DELETE, statuses.destroy),
    LegacyRoute("statuses/mentions", ANY, statuses.mentions),
    LegacyRoute("statuses/replies", ANY, statuses.mentions),
    LegacyRoute("statuses/user_timeline", ANY, statuses.user_timeline),
    LegacyRoute("favorites/create", POST, statuses.favorite_action),
    LegacyRoute("favorites/destroy", DELETE, statuses.favorite_action),
    LegacyRoute("favorites", ANY, statuses.favorites_list),
    LegacyRoute("account/rate_limit_status", ANY, users.rate_limit_status),
    LegacyRoute("help/test", ANY, users.help_test, auth=False),
    LegacyRoute("lists", ANY, users.empty_lists),
    LegacyRoute("lists/list", ANY, users.empty_lists),
    LegacyRoute("statuses/friends", ANY, users.statuses_friends),
    LegacyRoute("statuses/followers", ANY, users.statuses_followers),
    LegacyRoute("gnusocial/config", ANY, users.config, auth=False),
    LegacyRoute("statusnet/config", ANY, users.config, auth=False),
    LegacyRoute("gnusocial/version", ANY, users.version, auth=False),
    LegacyRoute("statusnet/version", ANY, users.version, auth=False),
    LegacyRoute("friends/ids", ANY, users.contact_ids),
    LegacyRoute("followers/ids", ANY, users.contact_ids),
    LegacyRoute("direct_messages/new", POST, social.new_message),
    LegacyRoute("direct_messages/destroy", DELETE, social.destroy),
    LegacyRoute("direct_messages/conversation", ANY, social.conversation),
    LegacyRoute("direct_messages/all", ANY, social.all_mail),
    LegacyRoute("direct_messages/sent", ANY, social.sent),
    LegacyRoute("direct_messages", ANY, social.inbox),
    LegacyRoute("oauth/request_token", ANY, request_token, auth=False),
    LegacyRoute("oauth/access_token", ANY, access_token, auth=False),
    LegacyRoute("friendica/photoalbum/delete", DELETE, pictures.album_delete),
    LegacyRoute("friendica/photoalbum/update", POST, pictures.album_update),
    LegacyRoute("friendica/photos/list", ANY, pictures.photos_list),
    LegacyRoute("friendica/photo/create", POST, pictures.photo_create_or_update),
    LegacyRoute("friendica/photo/update", POST, pictures.photo_create_or_update),
    LegacyRoute("friendica/photo/delete", DELETE, pictures.photo_delete),
    LegacyRoute("friendica/photo", ANY, pictures.photo_detail),
    LegacyRoute("account/update_profile_image", POST, pictures.update_profile_image),
    LegacyRoute("friendica/remoteauth", ANY, users.remote_auth),
    LegacyRoute("friendica/group_show", ANY, social.group_show),
    LegacyRoute("friendica/group_delete", DELETE, social.group_delete),
    LegacyRoute("friendica/group_create", POST, social.group_create),
    LegacyRoute("friendica/group_update", POST, social.group_update),
    *(LegacyRoute(f"friendica/activity/{verb}", POST, statuses.activity) for verb in ACTIVITY_VERBS),
    LegacyRoute("friendica/notification/seen", POST, social.notification_seen),
    LegacyRoute("friendica/notification", GET, social.notification_list),
    LegacyRoute("friendica/direct_messages_setseen", ANY, social.set_seen),
    LegacyRoute("friendica/direct_messages_search", ANY, social.search),
    LegacyRoute("friendica/profile/show", GET, users.profile_show),
]


def prepare(store: Store) -> None:
    """Create the OAuth 1 tables."""
    oauth1.prepare(store)


def seed(site: Site) -> None:
    """Register the demo OAuth 1 consumer (alice's, without a redirect URL)."""
    oauth1.prepare(site.store)
    oauth1.register_consumer(
        site.store,
        key=DEMO_CONSUMER_KEY,
        secret=DEMO_CONSUMER_SECRET,
        name=DEMO_CONSUMER_NAME,
        uid=DEMO_CONSUMER_OWNER,
    )


def build_routes(site: Site) -> list[BaseRoute]:
    """Return every Starlette route of the legacy front, the 404 page last."""
    router = LegacyRouter(site, ROUTES)

    async def api(request: Request) -> Response:
        return await router(request)

    async def fallback(request: Request) -> Response:
        return await legacy_pages.not_found(site, request)

    return [
        *legacy_pages.build_routes(site),
        Route("/api/{rest:path}", api, methods=ALL_METHODS),
        *build_web_routes(site),
        *photo_files.build_routes(site),
        *avatars.build_routes(site),
        Route("/{rest:path}", fallback, methods=ALL_METHODS),
    ]

"""The ``modern`` front: Friendica 2024.08's API routes, pages and unrouted-request page."""

from __future__ import annotations

from types import ModuleType

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import (
    avatars,
    errors,
    photo_files,
    routes_account,
    routes_blocks,
    routes_circles,
    routes_direct_messages,
    routes_favorites,
    routes_friendships,
    routes_gnusocial,
    routes_lists,
    routes_media,
    routes_native,
    routes_native_accounts,
    routes_native_notifications,
    routes_notifications,
    routes_oauth,
    routes_photos,
    routes_profile,
    routes_saved_searches,
    routes_statuses,
    routes_timelines,
    routes_users,
    web_login,
)
from .context import Site
from .routes_web import build_routes as build_web_routes
from .routing import ApiRoute, Router

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

# The route modules of Friendica 2024.08, in matching order.
ROUTE_MODULES: tuple[ModuleType, ...] = (
    routes_gnusocial,
    routes_account,
    routes_statuses,
    routes_timelines,
    routes_favorites,
    routes_users,
    routes_friendships,
    routes_saved_searches,
    routes_native,
    routes_media,
    routes_photos,
    routes_direct_messages,
    routes_notifications,
    routes_circles,
    routes_lists,
    routes_profile,
    routes_blocks,
    routes_native_accounts,
    routes_native_notifications,
    routes_oauth,
)


def api_routes() -> list[ApiRoute]:
    """Return the API routes of Friendica 2024.08."""
    return [route for module in ROUTE_MODULES for route in module.ROUTES]


def build_routes(site: Site) -> list[BaseRoute]:
    """Return every Starlette route of the modern front, the catch-all last."""
    router = Router(site, api_routes())

    async def api(request: Request) -> Response:
        return await router(request)

    async def fallback(request: Request) -> Response:
        status = 404 if request.method in ("GET", "HEAD") else 200
        return errors.site_page(status, site.profile.site_name, site.base_url)

    return [
        Route("/api/{rest:path}", api, methods=ALL_METHODS),
        *build_web_routes(site),
        *photo_files.build_routes(site),
        *avatars.build_routes(site),
        *web_login.build_routes(site),
        *routes_oauth.build_routes(site),
        Route("/{rest:path}", fallback, methods=ALL_METHODS),
    ]

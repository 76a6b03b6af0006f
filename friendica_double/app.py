"""The Starlette application of the Friendica double."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

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
from .context import AuthSettings, MediaSettings, Site, logger
from .db import Store
from .profiles import Profile, get_profile
from .routes_web import build_routes
from .routing import ApiRoute, Router
from .seed import seed_demo

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


# Route modules per profile; a later profile (legacy, gnusocial) lists its own modules here.
ROUTE_MODULES: dict[str, tuple[ModuleType, ...]] = {
    "modern": (
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
    ),
}


def api_routes(profile: Profile) -> list[ApiRoute]:
    """Return the API routes a profile serves."""
    return [route for module in ROUTE_MODULES[profile.name] for route in module.ROUTES]


def build_app(
    database: str,
    base_url: str,
    profile: str = "modern",
    seed: bool = True,
    media: MediaSettings | None = None,
    auth: AuthSettings | None = None,
) -> Starlette:
    """Create the double on a SQLite file; ``seed`` fills an empty database with the demo data.

    ``base_url`` is written into every link the double returns. ``media``
    sets the upload limits (default: ``MediaSettings()``), ``auth`` the cost
    of password checks and the lifetime of OAuth codes (default:
    ``AuthSettings()``). Raises ValueError for an unknown profile.
    """
    chosen = get_profile(profile)
    store = Store(database)
    site = Site(store, base_url, chosen, media or MediaSettings(), auth or AuthSettings())
    if seed and store.is_empty():
        result = seed_demo(site)
        logger.info("seeded demo data: %d users, %d statuses", len(result.users), len(result.statuses))

    router = Router(site, api_routes(chosen))

    async def api(request: Request) -> Response:
        return await router(request)

    async def fallback(request: Request) -> Response:
        status = 404 if request.method in ("GET", "HEAD") else 200
        return errors.site_page(status, chosen.site_name, site.base_url)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()

    routes = [
        Route("/api/{rest:path}", api, methods=ALL_METHODS),
        *build_routes(site),
        *photo_files.build_routes(site),
        *avatars.build_routes(site),
        *web_login.build_routes(site),
        *routes_oauth.build_routes(site),
        Route("/{rest:path}", fallback, methods=ALL_METHODS),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.site = site
    return app

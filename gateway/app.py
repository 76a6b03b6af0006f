"""Build the gateway application: routes, middleware, error handlers and lifespan."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator

import anyio
import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth.oauth import OAuthError, handle_oauth_error
from gateway.auth.vault import Vault, vapid_public_key
from gateway.capabilities import CapabilityState
from gateway.errors import EXCEPTION_HANDLERS, UpstreamError
from gateway.routes import routes
from gateway.services import OwnAccountCache, Services, UserCache
from gateway.settings import Settings
from gateway.store.sqlite import SQLiteStore
from gateway.upstream import FriendicaClient
from mappings.instance import MASTOGATE_VERSION

log = logging.getLogger("mastogate")
access_log = logging.getLogger("mastogate.access")

# Headers browsers may read on a cross-origin response (web apps paginate with Link).
EXPOSED_HEADERS = [
    "Link",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Idempotency-Key",
]


class AccessLogMiddleware:
    """Log one line per request: method, path, status, milliseconds.

    The query string is left out because apps may put ``access_token`` there.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            access_log.info("%s %s -> %d in %.0f ms", scope["method"], scope["path"], status, elapsed)


def _http_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.upstream_timeout, connect=settings.upstream_connect_timeout),
        limits=httpx.Limits(
            max_connections=settings.upstream_max_connections,
            max_keepalive_connections=settings.upstream_max_connections,
        ),
        headers={"User-Agent": f"mastogate/{MASTOGATE_VERSION}", "Accept": "application/json"},
        follow_redirects=False,
    )


def build_app(settings: Settings, *, http: httpx.AsyncClient | None = None) -> Starlette:
    """Build the ASGI app; ``http`` replaces the upstream HTTP client (tests inject faults with it)."""
    if not settings.upstream_url:
        raise ValueError("MASTOGATE_UPSTREAM_URL is not set: give the base URL of the Friendica server")
    if not settings.public_url:
        raise ValueError("MASTOGATE_PUBLIC_URL is not set: give the URL clients reach the gateway at")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        secret = settings.secret_key_bytes()
        client = http or _http_client(settings)
        store = SQLiteStore(settings.database_path)
        await store.open()
        upstream = FriendicaClient(settings.upstream_url, client)
        capabilities = CapabilityState(upstream)
        app.state.services = Services(
            settings=settings,
            store=store,
            upstream=upstream,
            vault=Vault(secret),
            capabilities=capabilities,
            users=UserCache(ttl=settings.user_cache_ttl, size=settings.user_cache_size),
            own_accounts=OwnAccountCache(settings.own_account_cache_ttl),
            vapid_key=vapid_public_key(secret),
        )
        try:
            await capabilities.get()
        except UpstreamError as error:
            log.warning(
                "upstream %s is not usable yet (%s); retrying on the first request",
                settings.upstream_url,
                error,
            )
        log.info(
            "mastogate %s serving %s for %s", MASTOGATE_VERSION, settings.public_url, settings.upstream_url
        )

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_refresh_capabilities, capabilities, settings.capability_refresh)
            try:
                yield
            finally:
                tasks.cancel_scope.cancel()
        if http is None:
            await client.aclose()
        await store.close()
        log.info("mastogate stopped")

    return Starlette(
        routes=routes(),
        middleware=[
            Middleware(AccessLogMiddleware),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=EXPOSED_HEADERS,
            ),
        ],
        exception_handlers={OAuthError: handle_oauth_error, **EXCEPTION_HANDLERS},
        lifespan=lifespan,
    )


async def _refresh_capabilities(capabilities: CapabilityState, interval: float) -> None:
    while True:
        await anyio.sleep(interval)
        await capabilities.refresh()

"""The gateway and the Friendica double in one process, joined by httpx's ASGI transport."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import httpx
import pytest

from friendica_double.app import build_app as build_double
from gateway.app import build_app as build_gateway
from gateway.settings import Settings

DOUBLE_URL = "http://double.test"
GATEWAY_URL = "http://gateway.test"

TokenFactory = Callable[..., Coroutine[Any, Any, str]]


@pytest.fixture
async def double_app(tmp_path):
    app = build_double(database=str(tmp_path / "double.sqlite3"), base_url=DOUBLE_URL, seed=True)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def double_client(double_app) -> AsyncIterator[httpx.AsyncClient]:
    """Talks to the double directly, to see what reached the upstream."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=double_app), base_url=DOUBLE_URL
    ) as client:
        yield client


@pytest.fixture
async def client(double_app, tmp_path) -> AsyncIterator[httpx.AsyncClient]:
    """Talks to a gateway whose upstream is the in-process double."""
    settings = Settings(
        upstream_url=DOUBLE_URL, public_url=GATEWAY_URL, data_dir=tmp_path / "gateway", secret_key="routes"
    )
    upstream_http = httpx.AsyncClient(transport=httpx.ASGITransport(app=double_app))
    app = build_gateway(settings, http=upstream_http)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url=GATEWAY_URL) as http,
    ):
        yield http
    await upstream_http.aclose()


@pytest.fixture
def token_for(client) -> TokenFactory:
    """Return a function that logs a user in with the password grant and returns the token."""

    async def log_in(username: str = "alice", scopes: str = "read write follow push") -> str:
        app = await client.post(
            "/api/v1/apps",
            data={
                "client_name": "route tests",
                "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                "scopes": scopes,
            },
        )
        credentials = app.json()
        token = await client.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "client_id": credentials["client_id"],
                "client_secret": credentials["client_secret"],
                "username": username,
                "password": "demo",
                "scope": scopes,
            },
        )
        assert token.status_code == 200, token.text
        return str(token.json()["access_token"])

    return log_in


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}

"""A gateway whose upstream calls are recorded, and a way to change what it believes the upstream can do."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from gateway.app import build_app as build_gateway
from gateway.services import Services
from gateway.settings import Settings
from tests.routes.conftest import DOUBLE_URL, GATEWAY_URL


class UpstreamLog(httpx.AsyncBaseTransport):
    """Pass requests to the double and record the method and path of each."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.calls: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)

    def mark(self) -> int:
        return len(self.calls)

    def since(self, mark: int) -> list[tuple[str, str]]:
        return self.calls[mark:]

    def writes_since(self, mark: int) -> list[tuple[str, str]]:
        return [call for call in self.since(mark) if call[0] != "GET"]


@pytest.fixture
def upstream(double_app) -> UpstreamLog:
    return UpstreamLog(double_app)


@pytest.fixture
async def gateway_app(double_app, tmp_path, upstream):
    settings = Settings(
        upstream_url=DOUBLE_URL, public_url=GATEWAY_URL, data_dir=tmp_path / "gateway", secret_key="people"
    )
    upstream_http = httpx.AsyncClient(transport=upstream)
    app = build_gateway(settings, http=upstream_http)
    async with app.router.lifespan_context(app):
        yield app
    await upstream_http.aclose()


@pytest.fixture
async def client(gateway_app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=gateway_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=GATEWAY_URL) as http:
        yield http


@pytest.fixture
def shared(gateway_app) -> Services:
    return gateway_app.state.services  # type: ignore[no-any-return]


@pytest.fixture
def upstream_is(shared) -> Callable[..., None]:
    """Return a function that changes what the gateway found out about the upstream, e.g. native_api=False."""

    def change(**facts) -> None:
        state = shared.capabilities
        state._current = dataclasses.replace(state._current, **facts)

    return change

"""What the login page and the token endpoint offer, by settings and by what the upstream can do."""

from __future__ import annotations

import contextlib
import re

import httpx
import pytest

from gateway.app import build_app as build_gateway
from gateway.settings import Settings
from tests.routes.conftest import DOUBLE_URL, GATEWAY_URL

pytestmark = pytest.mark.anyio

OOB = "urn:ietf:wg:oauth:2.0:oob"


@pytest.fixture
async def gateway_with(double_app, tmp_path):
    """Return a factory of gateway clients with some settings changed; all close after the test."""
    async with contextlib.AsyncExitStack() as stack:

        async def build(**changes) -> httpx.AsyncClient:
            settings = Settings(
                upstream_url=DOUBLE_URL,
                public_url=GATEWAY_URL,
                data_dir=tmp_path / "gateway",
                secret_key="login options",
                **changes,
            )
            upstream = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=double_app))
            )
            app = build_gateway(settings, http=upstream)
            await stack.enter_async_context(app.router.lifespan_context(app))
            return await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=GATEWAY_URL)
            )

        yield build


async def login_page(client: httpx.AsyncClient) -> tuple[dict, str]:
    app = (await client.post("/api/v1/apps", data={"client_name": "options", "redirect_uris": OOB})).json()
    page = await client.get(
        "/oauth/authorize",
        params={"client_id": app["client_id"], "redirect_uri": OOB, "response_type": "code"},
    )
    assert page.status_code == 200, page.text
    return app, page.text


def form_actions(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]+)"', page)


async def test_both_ways_by_default(gateway_with):
    client = await gateway_with()

    _, page = await login_page(client)

    assert form_actions(page) == ["/oauth/upstream", "/oauth/authorize"]


async def test_upstream_login_switched_off(gateway_with):
    client = await gateway_with(upstream_login=False)

    _, page = await login_page(client)

    assert form_actions(page) == ["/oauth/authorize"]


async def test_password_login_switched_off(gateway_with):
    client = await gateway_with(password_login=False)

    app, page = await login_page(client)
    grant = await client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": "alice",
            "password": "demo",
        },
    )
    metadata = (await client.get("/.well-known/oauth-authorization-server")).json()

    assert form_actions(page) == ["/oauth/upstream"]
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"
    assert "password" not in metadata["grant_types_supported"]


def test_both_switched_off_is_a_settings_error():
    with pytest.raises(ValueError, match="nobody could log in"):
        Settings(upstream_url=DOUBLE_URL, password_login=False, upstream_login=False)

"""What a client sees when the upstream fails: Mastodon-shaped 5xx errors, never a traceback."""

from __future__ import annotations

import httpx
import pytest

from gateway.app import build_app
from gateway.settings import Settings
from tests.recordings import body

UPSTREAM = "http://upstream.test"

pytestmark = pytest.mark.anyio


class FaultyUpstream:
    """A mock upstream that answers login and config normally and fails home timelines on demand."""

    def __init__(self) -> None:
        self.timeline_fault: str | None = None
        self.update_answer: httpx.Response | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/statusnet/config.json":
            return httpx.Response(200, json=body("011"))
        if path == "/api/v1/instance":
            return httpx.Response(404, text="<html>not found</html>", headers={"content-type": "text/html"})
        if path == "/api/account/verify_credentials.json":
            return httpx.Response(200, json=body("002"))
        if path == "/api/statuses/home_timeline.json":
            return self._timeline(request)
        if path == "/api/statuses/update.json" and self.update_answer is not None:
            return self.update_answer
        return httpx.Response(404, text="<html>unknown</html>", headers={"content-type": "text/html"})

    def _timeline(self, request: httpx.Request) -> httpx.Response:
        fault = self.timeline_fault
        if fault == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if fault == "timeout":
            raise httpx.ReadTimeout("too slow", request=request)
        if fault == "500":
            return httpx.Response(500, text="")
        if fault == "html":
            return httpx.Response(
                200, text="<!DOCTYPE html><html></html>", headers={"content-type": "text/html"}
            )
        if fault == "malformed":
            return httpx.Response(200, text='[{"id": ', headers={"content-type": "application/json"})
        if fault == "wrong-shape":
            return httpx.Response(200, json=[{"id": "x", "user": "nobody"}])
        return httpx.Response(200, json=body("093"))


@pytest.fixture
def upstream() -> FaultyUpstream:
    return FaultyUpstream()


@pytest.fixture
async def client(upstream, tmp_path):
    settings = Settings(
        upstream_url=UPSTREAM, public_url="http://gateway.test", data_dir=tmp_path, secret_key="faults"
    )
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream))
    app = build_app(settings, http=http)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as test_client,
    ):
        app_entity = (
            await test_client.post(
                "/api/v1/apps",
                data={
                    "client_name": "faults",
                    "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                    "scopes": "read write",
                },
            )
        ).json()
        token = (
            await test_client.post(
                "/oauth/token",
                data={
                    "grant_type": "password",
                    "client_id": app_entity["client_id"],
                    "client_secret": app_entity["client_secret"],
                    "username": "alice",
                    "password": "demo",
                    "scope": "read write",
                },
            )
        ).json()["access_token"]
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


@pytest.mark.parametrize(
    ("fault", "status"),
    [("down", 502), ("timeout", 504), ("500", 502), ("html", 502), ("malformed", 502), ("wrong-shape", 502)],
)
async def test_upstream_fault_gives_mastodon_error(client, upstream, fault, status):
    upstream.timeline_fault = fault

    response = await client.get("/api/v1/timelines/home")

    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert set(response.json()) == {"error"}
    assert "Traceback" not in response.text
    assert UPSTREAM not in response.text


async def test_healthy_upstream_gives_statuses(client, upstream):
    response = await client.get("/api/v1/timelines/home?limit=2")

    assert response.status_code == 200
    assert [status["id"] for status in response.json()] == ["48", "46"]
    assert response.headers["link"].startswith(
        '<http://gateway.test/api/v1/timelines/home?limit=2&max_id=46>; rel="next"'
    )


async def test_silently_dropped_post_is_an_error(client, upstream):
    upstream.update_answer = httpx.Response(200, text="")

    response = await client.post("/api/v1/statuses", json={"status": "hello"})

    assert response.status_code == 502
    assert response.json() == {"error": "The upstream server sent an unexpected response"}


async def test_unknown_path_is_json_404(client):
    response = await client.get("/api/v1/no/such/endpoint")

    assert response.status_code == 404
    assert response.json() == {"error": "Not found"}

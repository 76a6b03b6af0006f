"""The upstream client: error translation, per-endpoint meanings and result checks (respx)."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

from gateway.errors import (
    NotFound,
    RateLimited,
    UpstreamBadResponse,
    UpstreamHTTPError,
    UpstreamTimeout,
    UpstreamUnreachable,
)
from gateway.upstream import (
    BasicCredential,
    BearerCredential,
    FriendicaClient,
    UpstreamCredentialRejected,
    UpstreamEmptyBody,
    UpstreamHTMLPage,
    UpstreamPage,
    UpstreamUnverified,
)
from gateway.upstream_oauth import UpstreamGrantRejected
from tests.recordings import body, recording

pytestmark = pytest.mark.anyio

BASE = "http://upstream.test"
ALICE = BasicCredential("alice", "s3cret-password")
HTML_PAGE = "<!DOCTYPE html><html><body><h1>Page</h1></body></html>"


@pytest.fixture
async def client():
    async with httpx.AsyncClient() as http:
        yield FriendicaClient(BASE, http)


def recorded_response(number: str) -> httpx.Response:
    response = recording(number)["response"]
    if response["content_type"].startswith("application/json"):
        return httpx.Response(response["status"], json=response["body"], headers=response["headers"])
    return httpx.Response(
        response["status"], text=response["body"], headers={"content-type": response["content_type"]}
    )


@respx.mock
async def test_connection_refused_is_unreachable(client):
    respx.get(f"{BASE}/api/statuses/home_timeline.json").mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(UpstreamUnreachable) as error:
        await client.home_timeline(ALICE, UpstreamPage())
    assert error.value.status_code == 502


@respx.mock
async def test_timeout_is_gateway_timeout(client):
    respx.get(f"{BASE}/api/statuses/home_timeline.json").mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(UpstreamTimeout) as error:
        await client.home_timeline(ALICE, UpstreamPage())
    assert error.value.status_code == 504


@respx.mock
async def test_server_error_is_bad_gateway(client):
    respx.get(f"{BASE}/api/statuses/home_timeline.json").mock(return_value=httpx.Response(500, text=""))

    with pytest.raises(UpstreamHTTPError) as error:
        await client.home_timeline(ALICE, UpstreamPage())
    assert error.value.status_code == 502
    assert error.value.upstream_status == 500


@respx.mock
async def test_upstream_503_stays_503(client):
    respx.get(f"{BASE}/api/statuses/home_timeline.json").mock(return_value=httpx.Response(503, text="busy"))

    with pytest.raises(UpstreamHTTPError) as error:
        await client.home_timeline(ALICE, UpstreamPage())
    assert error.value.status_code == 503


@respx.mock
async def test_html_page_with_200_is_an_error(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(return_value=recorded_response("278"))

    with pytest.raises(UpstreamHTMLPage):
        await client.update_status(
            ALICE, {"htmlstatus": "<p>x</p>"}, author_id=3, in_reply_to_id=None, private=False
        )


@respx.mock
async def test_malformed_json_is_an_error(client):
    respx.get(f"{BASE}/api/statuses/home_timeline.json").mock(
        return_value=httpx.Response(200, text='[{"id": 1,', headers={"content-type": "application/json"})
    )

    with pytest.raises(UpstreamBadResponse):
        await client.home_timeline(ALICE, UpstreamPage())


@respx.mock
async def test_empty_body_is_an_error(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(return_value=httpx.Response(200, text=""))

    with pytest.raises(UpstreamEmptyBody):
        await client.update_status(
            ALICE, {"htmlstatus": "<p>x</p>"}, author_id=3, in_reply_to_id=None, private=False
        )


@respx.mock
async def test_timeline_that_is_not_a_list_is_an_error(client):
    respx.get(f"{BASE}/api/statuses/home_timeline.json").mock(
        return_value=httpx.Response(200, json={"id": 1})
    )

    with pytest.raises(UpstreamBadResponse):
        await client.home_timeline(ALICE, UpstreamPage())


@respx.mock
async def test_wrong_password_is_credential_rejected(client):
    respx.get(f"{BASE}/api/account/verify_credentials.json").mock(return_value=recorded_response("263"))

    with pytest.raises(UpstreamCredentialRejected) as error:
        await client.verify_credentials(ALICE)
    assert error.value.status_code == 401


@respx.mock
async def test_rate_limit_is_passed_on(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(return_value=httpx.Response(429, text="slow down"))

    with pytest.raises(RateLimited):
        await client.update_status(ALICE, {}, author_id=3, in_reply_to_id=None, private=False)


@respx.mock
async def test_show_status_400_means_not_found(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(return_value=recorded_response("271"))

    with pytest.raises(NotFound):
        await client.show_status(ALICE, 999999)


@respx.mock
async def test_show_user_empty_500_means_not_found(client):
    respx.get(f"{BASE}/api/users/show.json").mock(return_value=recorded_response("273"))

    with pytest.raises(NotFound):
        await client.show_user(ALICE, 999999)


@respx.mock
async def test_show_user_that_returns_someone_else_is_not_found(client):
    # Friendica falls back to the caller for names it does not know.
    respx.get(f"{BASE}/api/users/show.json").mock(return_value=recorded_response("274"))

    with pytest.raises(NotFound):
        await client.show_user(ALICE, 77)


@respx.mock
async def test_update_checks_author(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(return_value=httpx.Response(200, json=body("028")))

    with pytest.raises(UpstreamUnverified):
        await client.update_status(ALICE, {}, author_id=3, in_reply_to_id=None, private=False)


@respx.mock
async def test_update_checks_parent(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(return_value=httpx.Response(200, json=body("016")))

    with pytest.raises(UpstreamUnverified):
        await client.update_status(ALICE, {}, author_id=3, in_reply_to_id=22, private=False)


@respx.mock
async def test_private_post_that_came_out_public_is_deleted(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(return_value=httpx.Response(200, json=body("046")))
    destroy = respx.post(f"{BASE}/api/statuses/destroy.json").mock(
        return_value=httpx.Response(200, json=body("046"))
    )

    with pytest.raises(UpstreamUnverified):
        await client.update_status(ALICE, {}, author_id=3, in_reply_to_id=None, private=True)
    assert destroy.called
    assert destroy.calls.last.request.content == b"id=46"


@respx.mock
async def test_update_returns_created_status(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(return_value=httpx.Response(200, json=body("044")))

    status = await client.update_status(ALICE, {}, author_id=3, in_reply_to_id=None, private=True)

    assert status["id"] == 42


@respx.mock
async def test_destroy_confirms_status_is_gone(client):
    respx.post(f"{BASE}/api/statuses/destroy.json").mock(return_value=httpx.Response(200, json=body("016")))
    respx.get(f"{BASE}/api/statuses/show.json").mock(return_value=httpx.Response(200, json=body("016")))

    with pytest.raises(UpstreamUnverified):
        await client.destroy_status(ALICE, 18)


@respx.mock
async def test_destroy_of_other_id_is_unverified(client):
    respx.post(f"{BASE}/api/statuses/destroy.json").mock(return_value=httpx.Response(200, json=body("016")))

    with pytest.raises(UpstreamUnverified):
        await client.destroy_status(ALICE, 20)


@respx.mock
async def test_like_checks_favorited_flag(client):
    respx.post(f"{BASE}/api/friendica/activity/like.json").mock(
        return_value=httpx.Response(200, json=body("135"))
    )

    with pytest.raises(UpstreamUnverified):
        await client.like(ALICE, 18, viewer_id=3)


@respx.mock
async def test_no_credentials_in_logs(client, caplog):
    respx.get(f"{BASE}/api/account/verify_credentials.json").mock(
        return_value=httpx.Response(200, json=body("002"))
    )
    caplog.set_level(logging.DEBUG)

    await client.verify_credentials(ALICE)

    assert "verify_credentials -> 200" in caplog.text
    assert "s3cret-password" not in caplog.text
    assert "Authorization" not in caplog.text
    assert "s3cret" not in repr(ALICE)


@respx.mock
async def test_native_reblog_checks_state(client):
    respx.post(f"{BASE}/api/v1/statuses/22/reblog").mock(return_value=httpx.Response(200, json=body("055")))

    original = await client.native_reblog(ALICE, 22)

    assert original["reblogged"] is True
    with pytest.raises(UpstreamUnverified):
        respx.post(f"{BASE}/api/v1/statuses/22/unreblog").mock(
            return_value=httpx.Response(200, json=body("055"))
        )
        await client.native_unreblog(ALICE, 22)


@respx.mock
async def test_oauth2_probe_tells_a_provider_from_none(client):
    route = respx.get(f"{BASE}/oauth/authorize")
    route.mock(return_value=httpx.Response(403, json={"error": "Unsupported or missing response type"}))
    with_provider = await client.oauth2_available()
    route.mock(return_value=httpx.Response(404, text=HTML_PAGE, headers={"content-type": "text/html"}))
    without = await client.oauth2_available()

    assert with_provider is True
    assert without is False


@respx.mock
async def test_refused_code_is_a_rejected_grant(client):
    respx.post(f"{BASE}/oauth/token").mock(return_value=httpx.Response(403, json={"error": "Unauthorized"}))

    with pytest.raises(UpstreamGrantRejected):
        await client.exchange_code(
            "client", "secret", "old code", "http://gateway.test/oauth/upstream/callback"
        )


@respx.mock
async def test_bearer_credential_sends_its_token(client):
    route = respx.get(f"{BASE}/api/account/verify_credentials.json").mock(
        return_value=httpx.Response(200, json=body("002"))
    )

    await client.verify_credentials(BearerCredential(token="upstream-token", client_id="client"))

    assert route.calls.last.request.headers["authorization"] == "Bearer upstream-token"

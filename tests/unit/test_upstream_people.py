"""The upstream client's people, relationship and list endpoints: Friendica's quirks and checks (respx)."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from gateway.errors import NotFound, Unprocessable
from gateway.upstream import BasicCredential, FriendicaClient, UpstreamUnverified
from tests.recordings import body, recording

pytestmark = pytest.mark.anyio

BASE = "http://upstream.test"
ALICE = BasicCredential("alice", "s3cret-password")
RELATIONSHIP = {
    "id": "20",
    "following": False,
    "requested": True,
    "followed_by": False,
    "blocking": False,
    "muting": False,
    "note": None,
}


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
async def test_lookup_with_an_unknown_id_is_not_found(client):
    # Friendica fails the whole users/lookup with an empty 500, as users/show does for one id.
    respx.get(f"{BASE}/api/users/lookup.json").mock(return_value=recorded_response("273"))

    with pytest.raises(NotFound):
        await client.lookup_users(ALICE, [5, 999999])


@respx.mock
async def test_lookup_returning_other_users_is_unverified(client):
    respx.get(f"{BASE}/api/users/lookup.json").mock(return_value=recorded_response("175"))

    with pytest.raises(UpstreamUnverified):
        await client.lookup_users(ALICE, [5])


@respx.mock
async def test_users_by_contact_ids_are_checked_by_cid(client):
    route = respx.get(f"{BASE}/api/users/lookup.json").mock(return_value=recorded_response("175"))

    users = await client.users_by_contact_ids(ALICE, [11, 18])
    with pytest.raises(UpstreamUnverified):
        await client.users_by_contact_ids(ALICE, [11, 19])

    assert [user["id"] for user in users] == [5, 8]
    assert route.calls[0].request.url.params["user_id"] == "11,18"


@respx.mock
async def test_unfollowing_someone_not_followed_returns_none(client):
    respx.post(f"{BASE}/api/friendships/destroy.json").mock(return_value=recorded_response("238"))

    assert await client.destroy_friendship(ALICE, 8) is None


@respx.mock
async def test_unfollow_answer_about_another_user_is_unverified(client):
    respx.post(f"{BASE}/api/friendships/destroy.json").mock(return_value=recorded_response("237"))

    with pytest.raises(UpstreamUnverified):
        await client.destroy_friendship(ALICE, 5)


@respx.mock
async def test_circle_update_with_missing_user_is_unverified(client):
    # Friendica reports contact ids it does not know as success with status "missing user".
    respx.post(f"{BASE}/api/friendica/circle_update.json").mock(
        return_value=httpx.Response(200, json={**body("037"), "gid": 13})
    )

    with pytest.raises(UpstreamUnverified):
        await client.set_circle_members(ALICE, "circle", 13, "Work", [11, 999999])


@respx.mock
async def test_circle_members_go_in_json_field(client):
    route = respx.post(f"{BASE}/api/friendica/group_update.json").mock(return_value=recorded_response("040"))

    await client.set_circle_members(ALICE, "group", 12, "Close friends", [11])

    form = dict(httpx.QueryParams(route.calls[0].request.content.decode()))
    assert form["name"] == "Close friends"
    assert json.loads(form["json"]) == {"user": [{"cid": 11}]}


@respx.mock
async def test_duplicate_list_name_is_unprocessable(client):
    respx.post(f"{BASE}/api/lists/create.json").mock(return_value=recorded_response("036"))

    with pytest.raises(Unprocessable) as error:
        await client.create_list(ALICE, "Close friends")
    assert "circle name already exists" in error.value.message


@respx.mock
async def test_follow_without_follow_or_request_is_unverified(client):
    respx.post(f"{BASE}/api/v1/accounts/20/follow").mock(
        return_value=httpx.Response(200, json={**RELATIONSHIP, "requested": False})
    )

    with pytest.raises(UpstreamUnverified):
        await client.native_follow(ALICE, 20, notify=False)


@respx.mock
async def test_relationship_about_another_account_is_unverified(client):
    respx.post(f"{BASE}/api/v1/accounts/20/block").mock(
        return_value=httpx.Response(200, json={**RELATIONSHIP, "id": "21", "blocking": True})
    )

    with pytest.raises(UpstreamUnverified):
        await client.native_flag(ALICE, 20, "block")


@respx.mock
async def test_native_json_error_is_unprocessable_and_404_not_found(client):
    # Friendica's own Mastodon API sends every JSON error with status 403.
    respx.post(f"{BASE}/api/v1/accounts/20/unfollow").mock(
        return_value=httpx.Response(403, json={"error": "Record not found"})
    )
    respx.post(f"{BASE}/api/v1/accounts/21/mute").mock(
        return_value=httpx.Response(404, text="<html><body><p>Contact not found.</p></body></html>")
    )

    with pytest.raises(Unprocessable) as refused:
        await client.native_unfollow(ALICE, 20)
    with pytest.raises(NotFound):
        await client.native_flag(ALICE, 21, "mute")
    assert refused.value.message == "The upstream server refused: Record not found"


@respx.mock
async def test_id_lists_of_both_generations(client):
    respx.get(f"{BASE}/api/friends/ids.json").mock(return_value=recorded_response("160"))
    respx.get(f"{BASE}/api/followers/ids.json").mock(return_value=httpx.Response(200, json=[7, 3]))

    assert await client.contact_ids(ALICE, "friends") == [10, 5]
    assert await client.contact_ids(ALICE, "followers") == [7, 3]
    assert await client.contact_count(ALICE, "followers") is None


@respx.mock
async def test_locked_that_did_not_change_is_unverified(client):
    respx.patch(f"{BASE}/api/v1/accounts/update_credentials").mock(
        return_value=httpx.Response(200, json={"id": "3", "locked": False})
    )

    with pytest.raises(UpstreamUnverified):
        await client.native_update_credentials(ALICE, 3, {"locked": "true"}, {})


@respx.mock
async def test_profile_text_that_was_not_stored_is_unverified(client):
    # alice's recorded user object, whose profile text is empty.
    respx.post(f"{BASE}/api/account/update_profile.json").mock(return_value=recorded_response("002"))

    with pytest.raises(UpstreamUnverified) as error:
        await client.update_profile(ALICE, 3, name=None, description="Hello")
    assert "profile text" in str(error.value.detail)


@respx.mock
async def test_profile_change_answered_with_another_user_is_unverified(client):
    respx.post(f"{BASE}/api/account/update_profile.json").mock(return_value=recorded_response("004"))

    with pytest.raises(UpstreamUnverified) as error:
        await client.update_profile(ALICE, 3, name=None, description="")
    assert "returned user 5" in str(error.value.detail)

"""Relationships, follows, blocks, mutes and follow requests against the Friendica double.

Seeded accounts (public ids): alice 3, bob 5, carol 8, dave 10, erin 20.
alice and bob follow each other, alice follows dave, carol's request to
alice waits, erin has no contacts. Every account approves its followers.
"""

from __future__ import annotations

import pytest

from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio

ALICE, BOB, CAROL, DAVE, ERIN = 3, 5, 8, 10, 20
FLAGS = ("following", "followed_by", "requested", "requested_by", "blocking", "muting")


def flags(relationship: dict) -> dict:
    return {name: relationship[name] for name in FLAGS if relationship[name]}


async def relationships_of(client, token: str, *ids: int) -> dict[str, dict]:
    response = await client.get(
        "/api/v1/accounts/relationships", params=[("id[]", str(i)) for i in ids], headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    return {row["id"]: flags(row) for row in response.json()}


async def upstream_relationship(double_client, username: str, account_id: int) -> dict:
    """The relationship as the upstream itself reports it, bypassing the gateway."""
    response = await double_client.get(
        "/api/v1/accounts/relationships", params={"id[]": str(account_id)}, auth=(username, "demo")
    )
    return response.json()[0]


async def test_relationships_tell_each_side_apart(client, token_for):
    token = await token_for("alice")

    found = await relationships_of(client, token, BOB, CAROL, DAVE, ERIN, 999999)

    assert found[str(BOB)] == {"following": True, "followed_by": True}
    assert found[str(CAROL)] == {"requested_by": True}
    assert found[str(DAVE)] == {"following": True}
    assert found[str(ERIN)] == {}
    assert "999999" not in found


async def test_follow_of_locked_account_is_a_request(client, token_for):
    alice, erin = await token_for("alice"), await token_for("erin")

    response = await client.post(f"/api/v1/accounts/{ERIN}/follow", headers=bearer(alice))
    seen_by_erin = await relationships_of(client, erin, ALICE)
    waiting = await client.get("/api/v1/follow_requests", headers=bearer(erin))

    assert response.status_code == 200
    assert flags(response.json()) == {"requested": True}
    assert seen_by_erin[str(ALICE)] == {"requested_by": True}
    assert [account["acct"] for account in waiting.json()] == ["alice"]


async def test_unfollow_withdraws_a_waiting_request(client, token_for, double_client):
    alice, erin = await token_for("alice"), await token_for("erin")
    await client.post(f"/api/v1/accounts/{ERIN}/follow", headers=bearer(alice))

    response = await client.post(f"/api/v1/accounts/{ERIN}/unfollow", headers=bearer(alice))
    waiting = await client.get("/api/v1/follow_requests", headers=bearer(erin))

    assert response.status_code == 200
    assert flags(response.json()) == {}
    assert waiting.json() == []
    assert (await upstream_relationship(double_client, "alice", ERIN))["requested"] is False


async def test_unfollow_ends_a_follow(client, token_for, double_client):
    token = await token_for("alice")

    response = await client.post(f"/api/v1/accounts/{DAVE}/unfollow", headers=bearer(token))
    friends = await double_client.get("/api/friends/ids.json", auth=("alice", "demo"))

    assert response.status_code == 200
    assert flags(response.json()) == {}
    assert DAVE not in friends.json()["ids"]


async def test_unfollow_of_someone_not_followed_changes_nothing(client, token_for):
    token = await token_for("erin")

    response = await client.post(f"/api/v1/accounts/{BOB}/unfollow", headers=bearer(token))

    assert response.status_code == 200
    assert flags(response.json()) == {}


@pytest.mark.parametrize("action", ["follow", "unfollow", "block", "unblock", "mute", "unmute"])
async def test_action_on_unknown_account_is_404_and_sends_nothing(client, token_for, upstream, action):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.post(f"/api/v1/accounts/999999/{action}", headers=bearer(token))

    assert response.status_code == 404
    assert upstream.writes_since(mark) == []


@pytest.mark.parametrize("action", ["follow", "block", "mute"])
async def test_action_on_oneself_is_422_and_sends_nothing(client, token_for, upstream, action):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.post(f"/api/v1/accounts/{ALICE}/{action}", headers=bearer(token))

    assert response.status_code == 422
    assert "yourself" in response.json()["error"]
    assert upstream.writes_since(mark) == []


async def test_follow_of_unknown_address_is_404(client, token_for, upstream):
    token = await token_for("alice")
    mark = upstream.mark()

    lookup = await client.get(
        "/api/v1/accounts/lookup", params={"acct": "nobody@elsewhere.example"}, headers=bearer(token)
    )

    assert lookup.status_code == 404
    assert upstream.writes_since(mark) == []


async def test_block_and_unblock(client, token_for, double_client):
    token = await token_for("alice")

    blocked = await client.post(f"/api/v1/accounts/{DAVE}/block", headers=bearer(token))
    listed = await client.get("/api/v1/blocks", headers=bearer(token))
    upstream_blocked = await upstream_relationship(double_client, "alice", DAVE)
    unblocked = await client.post(f"/api/v1/accounts/{DAVE}/unblock", headers=bearer(token))

    assert flags(blocked.json()) == {"blocking": True}
    assert [account["id"] for account in listed.json()] == [str(DAVE)]
    assert upstream_blocked["blocking"] is True
    assert flags(unblocked.json()) == {}
    assert (await upstream_relationship(double_client, "alice", DAVE))["blocking"] is False


async def test_mute_and_unmute(client, token_for, double_client):
    token = await token_for("alice")

    muted = await client.post(f"/api/v1/accounts/{BOB}/mute", headers=bearer(token))
    upstream_muted = await upstream_relationship(double_client, "alice", BOB)
    unmuted = await client.post(f"/api/v1/accounts/{BOB}/unmute", headers=bearer(token))

    assert flags(muted.json()) == {"following": True, "followed_by": True, "muting": True}
    assert upstream_muted["muting"] is True
    assert flags(unmuted.json()) == {"following": True, "followed_by": True}


@pytest.mark.parametrize(
    ("form", "reason"),
    [({"duration": "3600"}, "limited time"), ({"notifications": "false"}, "keep its notifications")],
)
async def test_mute_the_upstream_cannot_do_is_422(client, token_for, upstream, form, reason):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.post(f"/api/v1/accounts/{BOB}/mute", data=form, headers=bearer(token))

    assert response.status_code == 422
    assert reason in response.json()["error"]
    assert upstream.writes_since(mark) == []


async def test_authorize_follow_request(client, token_for):
    alice, carol = await token_for("alice"), await token_for("carol")

    waiting = await client.get("/api/v1/follow_requests", headers=bearer(alice))
    response = await client.post(f"/api/v1/follow_requests/{CAROL}/authorize", headers=bearer(alice))
    after = await client.get("/api/v1/follow_requests", headers=bearer(alice))
    seen_by_carol = await relationships_of(client, carol, ALICE)

    assert [account["id"] for account in waiting.json()] == [str(CAROL)]
    assert 'rel="next"' in waiting.headers["link"]
    assert flags(response.json()) == {"followed_by": True}
    assert after.json() == []
    assert seen_by_carol[str(ALICE)] == {"following": True}


async def test_reject_follow_request(client, token_for):
    alice, carol = await token_for("alice"), await token_for("carol")

    response = await client.post(f"/api/v1/follow_requests/{CAROL}/reject", headers=bearer(alice))
    seen_by_carol = await relationships_of(client, carol, ALICE)

    assert response.status_code == 200
    assert flags(response.json()) == {}
    assert seen_by_carol[str(ALICE)] == {}


async def test_answer_without_waiting_request_is_404_and_sends_nothing(client, token_for, upstream):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.post(f"/api/v1/follow_requests/{BOB}/authorize", headers=bearer(token))

    assert response.status_code == 404
    assert upstream.writes_since(mark) == []


@pytest.mark.parametrize(
    ("path", "cannot"),
    [
        (f"/api/v1/accounts/{ERIN}/follow", "follow accounts"),
        (f"/api/v1/accounts/{BOB}/block", "block accounts"),
        (f"/api/v1/accounts/{BOB}/unblock", "unblock accounts"),
        (f"/api/v1/accounts/{BOB}/mute", "mute accounts"),
        (f"/api/v1/accounts/{BOB}/unmute", "unmute accounts"),
        (f"/api/v1/follow_requests/{CAROL}/authorize", "accept follow requests"),
        (f"/api/v1/follow_requests/{CAROL}/reject", "reject follow requests"),
    ],
)
async def test_without_upstream_mastodon_api_actions_are_422(
    client, token_for, upstream, upstream_is, path, cannot
):
    token = await token_for("alice")
    upstream_is(native_api=False)
    mark = upstream.mark()

    response = await client.post(path, headers=bearer(token))

    assert response.status_code == 422
    assert response.json()["error"] == (
        f"The upstream server does not support this: it cannot {cannot} through its API"
    )
    assert upstream.writes_since(mark) == []


async def test_without_upstream_mastodon_api_relationships_come_from_contact_lists(
    client, token_for, upstream, upstream_is
):
    token = await token_for("alice")
    upstream_is(native_api=False)
    mark = upstream.mark()

    found = await relationships_of(client, token, BOB, CAROL, DAVE, ERIN)

    assert found == {
        str(BOB): {"following": True, "followed_by": True},
        str(CAROL): {"requested_by": True},
        str(DAVE): {"following": True},
        str(ERIN): {},
    }
    assert not [path for _, path in upstream.since(mark) if path.startswith("/api/v1/")]


async def test_without_upstream_mastodon_api_a_waiting_request_cannot_be_withdrawn(
    client, token_for, upstream, upstream_is, double_client
):
    token = await token_for("alice")
    await client.post(f"/api/v1/accounts/{ERIN}/follow", headers=bearer(token))
    upstream_is(native_api=False)

    response = await client.post(f"/api/v1/accounts/{ERIN}/unfollow", headers=bearer(token))

    assert response.status_code == 422
    assert "withdraw a follow request" in response.json()["error"]
    assert (await upstream_relationship(double_client, "alice", ERIN))["requested"] is True


async def test_relationship_scope_is_required(client, token_for):
    token = await token_for(scopes="read:statuses")

    response = await client.post(f"/api/v1/accounts/{ERIN}/follow", headers=bearer(token))

    assert response.status_code == 403

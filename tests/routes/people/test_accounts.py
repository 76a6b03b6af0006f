"""Accounts: look-ups by address, several ids and search, follower lists, and the user cache.

Seeded (public ids): alice 3 with profile fields, bob 5, carol 8, dave 10,
erin 20. alice follows bob and dave, bob follows her, carol's request to
her waits.
"""

from __future__ import annotations

import pytest

from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio

ALICE, BOB, CAROL, DAVE, ERIN = 3, 5, 8, 10, 20


def users_show_calls(calls: list[tuple[str, str]]) -> int:
    return sum(1 for _, path in calls if path in ("/api/users/show.json", "/api/users/lookup.json"))


@pytest.mark.parametrize("acct", ["bob", "@bob", "bob@double.test", "BOB@gateway.test"])
async def test_lookup_of_local_addresses(client, token_for, acct):
    token = await token_for("alice")

    response = await client.get("/api/v1/accounts/lookup", params={"acct": acct}, headers=bearer(token))

    assert response.status_code == 200, response.text
    assert response.json()["id"] == str(BOB)
    assert response.json()["acct"] == "bob"


@pytest.mark.parametrize("acct", ["nobody", "bob@elsewhere.example", "@"])
async def test_lookup_of_unknown_address_is_404(client, token_for, acct):
    token = await token_for("alice")

    response = await client.get("/api/v1/accounts/lookup", params={"acct": acct}, headers=bearer(token))

    assert response.status_code == 404


async def test_lookup_without_acct_is_422(client, token_for):
    token = await token_for("alice")

    response = await client.get("/api/v1/accounts/lookup", headers=bearer(token))

    assert response.status_code == 422


async def test_own_account_has_fields_and_counts(client, token_for):
    token = await token_for("alice")

    me = (await client.get("/api/v1/accounts/verify_credentials", headers=bearer(token))).json()
    shown = (await client.get(f"/api/v1/accounts/{ALICE}", headers=bearer(token))).json()

    assert [field["name"] for field in me["fields"]] == ["Pronouns", "Blog", "Home town"]
    assert me["fields"][1]["value"].startswith('<a href="https://alice.example.org"')
    assert [(field["name"], field["value"]) for field in me["source"]["fields"]] == [
        ("Pronouns", "she/her"),
        ("Blog", "https://alice.example.org"),
        ("Home town", "München"),
    ]
    assert (me["followers_count"], me["following_count"]) == (1, 2)
    assert me["source"]["follow_requests_count"] == 1
    assert shown["fields"] == me["fields"]
    assert shown["following_count"] == 2


async def test_other_accounts_have_no_fields(client, token_for):
    token = await token_for("alice")

    bob = (await client.get(f"/api/v1/accounts/{BOB}", headers=bearer(token))).json()

    assert bob["fields"] == []


async def test_several_accounts_leave_unknown_ids_out(client, token_for):
    token = await token_for("alice")

    response = await client.get(
        "/api/v1/accounts", params=[("id[]", "5"), ("id[]", "999999"), ("id[]", "8")], headers=bearer(token)
    )

    assert [account["id"] for account in response.json()] == [str(BOB), str(CAROL)]


async def test_accounts_show_when_they_last_posted(client, token_for):
    token = await token_for("alice")

    response = await client.get(
        "/api/v1/accounts", params=[("id[]", "5"), ("id[]", "20")], headers=bearer(token)
    )

    bob, erin = response.json()
    assert len(bob["last_status_at"]) == len("2026-12-04")
    assert erin["last_status_at"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "da"}, ["dave"]),
        ({"q": "@bo"}, ["bob"]),
        ({"q": "Carol Tanaka"}, ["carol"]),
        ({"q": "Carol Tanaka", "following": "true"}, []),
        ({"q": "http://double.test/profile/erin", "resolve": "true"}, ["erin"]),
        ({"q": "zzz"}, []),
    ],
)
async def test_account_search(client, token_for, params, expected):
    token = await token_for("alice")

    response = await client.get("/api/v1/accounts/search", params=params, headers=bearer(token))

    assert response.status_code == 200
    assert [account["acct"] for account in response.json()] == expected


async def test_following_pages_with_link(client, token_for):
    token = await token_for("alice")

    first = await client.get(
        f"/api/v1/accounts/{ALICE}/following", params={"limit": 1}, headers=bearer(token)
    )
    second = await client.get(
        f"/api/v1/accounts/{ALICE}/following", params={"limit": 1, "max_id": DAVE}, headers=bearer(token)
    )
    followers = await client.get(f"/api/v1/accounts/{ALICE}/followers", headers=bearer(token))

    assert [account["acct"] for account in first.json()] == ["dave"]
    assert first.headers["link"].startswith(
        f"<http://gateway.test/api/v1/accounts/{ALICE}/following?limit=1&max_id={DAVE}>"
    )
    assert [account["acct"] for account in second.json()] == ["bob"]
    assert [account["acct"] for account in followers.json()] == ["bob"]


async def test_followers_of_others_are_unknown_upstream(client, token_for):
    token = await token_for("alice")

    others = await client.get(f"/api/v1/accounts/{BOB}/followers", headers=bearer(token))
    unknown = await client.get("/api/v1/accounts/999999/following", headers=bearer(token))

    assert others.status_code == 200
    assert others.json() == []
    assert unknown.status_code == 404


async def test_familiar_followers_name_nobody(client, token_for):
    token = await token_for("alice")

    response = await client.get(
        "/api/v1/accounts/familiar_followers", params=[("id[]", "5"), ("id[]", "8")], headers=bearer(token)
    )

    assert response.json() == [{"id": "5", "accounts": []}, {"id": "8", "accounts": []}]


async def test_repeated_account_costs_no_upstream_call(client, token_for, upstream):
    alice, bob = await token_for("alice"), await token_for("bob")

    mark = upstream.mark()
    await client.get(f"/api/v1/accounts/{DAVE}", headers=bearer(alice))
    first = users_show_calls(upstream.since(mark))
    mark = upstream.mark()
    await client.get(f"/api/v1/accounts/{DAVE}", headers=bearer(alice))
    await client.get("/api/v1/accounts", params={"id[]": str(DAVE)}, headers=bearer(alice))
    again = users_show_calls(upstream.since(mark))
    mark = upstream.mark()
    await client.get(f"/api/v1/accounts/{DAVE}", headers=bearer(bob))
    other_viewer = users_show_calls(upstream.since(mark))

    assert (first, again, other_viewer) == (1, 0, 1)


async def test_listed_accounts_fill_the_cache(client, token_for, upstream):
    token = await token_for("alice")
    await client.get(f"/api/v1/accounts/{ALICE}/following", headers=bearer(token))

    mark = upstream.mark()
    await client.get(f"/api/v1/accounts/{DAVE}", headers=bearer(token))

    assert users_show_calls(upstream.since(mark)) == 0


async def test_follow_forgets_the_cached_account(client, token_for, upstream):
    token = await token_for("alice")
    await client.get(f"/api/v1/accounts/{ERIN}", headers=bearer(token))
    await client.post(f"/api/v1/accounts/{ERIN}/follow", headers=bearer(token))

    mark = upstream.mark()
    await client.get(f"/api/v1/accounts/{ERIN}", headers=bearer(token))

    assert users_show_calls(upstream.since(mark)) == 1

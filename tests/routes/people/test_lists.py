"""Lists as Friendica circles: reading, changing, members, timelines, and what is refused.

Seeded: alice (3) has the circles "Friends" (bob 5, dave 10), "Groups" and
"Close friends" (bob); bob has "Friendica regulars" (alice 3, carol 8).
alice follows bob and dave; carol's request to alice waits; erin (20) is
no contact of alice.
"""

from __future__ import annotations

import pytest

from gateway.capabilities import MODERN_FEATURES
from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio

BOB, CAROL, DAVE, ERIN = 5, 8, 10, 20


async def upstream_lists(double_client, username: str) -> dict[str, int]:
    response = await double_client.get("/api/lists/ownerships.json", auth=(username, "demo"))
    return {item["name"]: item["id"] for item in response.json()["lists"]}


async def upstream_members(double_client, username: str, list_id: int) -> set[int]:
    response = await double_client.get(
        "/api/friendica/circle_show.json", params={"gid": list_id}, auth=(username, "demo")
    )
    return {user["id"] for user in response.json()[0]["user"]}


async def new_list(client, token: str, title: str) -> str:
    response = await client.post("/api/v1/lists", data={"title": title}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


async def test_lists_are_the_viewers_circles(client, token_for):
    token = await token_for("alice")

    response = await client.get("/api/v1/lists", headers=bearer(token))

    assert response.status_code == 200
    assert [item["title"] for item in response.json()] == ["Friends", "Groups", "Close friends"]
    assert all(item["replies_policy"] == "list" and item["exclusive"] is False for item in response.json())


async def test_create_rename_and_delete(client, token_for, double_client):
    token = await token_for("alice")

    list_id = await new_list(client, token, "Climbing")
    created = await upstream_lists(double_client, "alice")
    shown = await client.get(f"/api/v1/lists/{list_id}", headers=bearer(token))
    renamed = await client.put(
        f"/api/v1/lists/{list_id}", data={"title": "Bouldering"}, headers=bearer(token)
    )
    after_rename = await upstream_lists(double_client, "alice")
    deleted = await client.delete(f"/api/v1/lists/{list_id}", headers=bearer(token))
    gone = await client.get(f"/api/v1/lists/{list_id}", headers=bearer(token))

    assert created["Climbing"] == int(list_id)
    assert shown.json()["title"] == "Climbing"
    assert renamed.json() == {
        "id": list_id,
        "title": "Bouldering",
        "replies_policy": "list",
        "exclusive": False,
    }
    assert after_rename["Bouldering"] == int(list_id)
    assert deleted.status_code == 200
    assert gone.status_code == 404
    assert "Bouldering" not in await upstream_lists(double_client, "alice")


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"title": "close FRIENDS"}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "Mine", "exclusive": "true"}, "exclusive"),
        ({"title": "Mine", "replies_policy": "everyone"}, "replies_policy"),
    ],
)
async def test_create_that_cannot_be_kept_is_422(client, token_for, upstream, form, field):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.post("/api/v1/lists", data=form, headers=bearer(token))

    assert response.status_code == 422
    assert field in response.json()["details"]
    assert upstream.writes_since(mark) == []


async def test_rename_to_a_title_in_use_is_422(client, token_for, upstream, double_client):
    token = await token_for("alice")
    list_id = await new_list(client, token, "Climbing")
    mark = upstream.mark()

    response = await client.put(f"/api/v1/lists/{list_id}", data={"title": "Friends"}, headers=bearer(token))

    assert response.status_code == 422
    assert upstream.writes_since(mark) == []
    assert (await upstream_lists(double_client, "alice"))["Climbing"] == int(list_id)


async def test_add_and_remove_members(client, token_for, double_client):
    token = await token_for("alice")
    list_id = await new_list(client, token, "Climbing")

    added = await client.post(
        f"/api/v1/lists/{list_id}/accounts",
        data={"account_ids[]": [str(DAVE), str(BOB)]},
        headers=bearer(token),
    )
    members = await client.get(f"/api/v1/lists/{list_id}/accounts", headers=bearer(token))
    removed = await client.request(
        "DELETE", f"/api/v1/lists/{list_id}/accounts", data={"account_ids[]": str(BOB)}, headers=bearer(token)
    )

    assert added.status_code == 200
    assert added.json() == {}
    assert [account["id"] for account in members.json()] == [str(DAVE), str(BOB)]
    assert removed.status_code == 200
    assert await upstream_members(double_client, "alice", int(list_id)) == {DAVE}
    close_friends = (await upstream_lists(double_client, "alice"))["Close friends"]
    assert await upstream_members(double_client, "alice", close_friends) == {BOB}


async def test_members_as_json_body(client, token_for, double_client):
    token = await token_for("alice")
    list_id = await new_list(client, token, "Climbing")

    response = await client.post(
        f"/api/v1/lists/{list_id}/accounts", json={"account_ids": [str(DAVE)]}, headers=bearer(token)
    )

    assert response.status_code == 200
    assert await upstream_members(double_client, "alice", int(list_id)) == {DAVE}


@pytest.mark.parametrize(("account_id", "status"), [(ERIN, 422), (CAROL, 422), (999999, 404)])
async def test_adding_someone_not_followed_writes_nothing(
    client, token_for, upstream, double_client, account_id, status
):
    token = await token_for("alice")
    list_id = await new_list(client, token, "Climbing")
    await client.post(
        f"/api/v1/lists/{list_id}/accounts", data={"account_ids[]": str(DAVE)}, headers=bearer(token)
    )
    mark = upstream.mark()

    response = await client.post(
        f"/api/v1/lists/{list_id}/accounts",
        data={"account_ids[]": [str(BOB), str(account_id)]},
        headers=bearer(token),
    )

    assert response.status_code == status
    assert upstream.writes_since(mark) == []
    assert await upstream_members(double_client, "alice", int(list_id)) == {DAVE}


async def test_member_list_pages(client, token_for):
    token = await token_for("alice")

    first = await client.get("/api/v1/lists/1/accounts", params={"limit": 1}, headers=bearer(token))
    second = await client.get(
        "/api/v1/lists/1/accounts",
        params={"limit": 1, "max_id": first.json()[0]["id"]},
        headers=bearer(token),
    )
    every = await client.get("/api/v1/lists/1/accounts", params={"limit": 0}, headers=bearer(token))

    assert [account["id"] for account in first.json()] == [str(DAVE)]
    assert f"max_id={DAVE}" in first.headers["link"]
    assert [account["id"] for account in second.json()] == [str(BOB)]
    assert len(every.json()) == 2


async def test_lists_an_account_is_in(client, token_for):
    token = await token_for("alice")

    response = await client.get(f"/api/v1/accounts/{BOB}/lists", headers=bearer(token))

    assert [item["title"] for item in response.json()] == ["Friends", "Close friends"]


async def test_someone_elses_list_is_404_everywhere(client, token_for, upstream, double_client):
    token = await token_for("alice")
    bobs_list = (await upstream_lists(double_client, "bob"))["Friendica regulars"]
    mark = upstream.mark()

    responses = [
        await client.get(f"/api/v1/lists/{bobs_list}", headers=bearer(token)),
        await client.put(f"/api/v1/lists/{bobs_list}", data={"title": "Mine now"}, headers=bearer(token)),
        await client.delete(f"/api/v1/lists/{bobs_list}", headers=bearer(token)),
        await client.get(f"/api/v1/lists/{bobs_list}/accounts", headers=bearer(token)),
        await client.post(
            f"/api/v1/lists/{bobs_list}/accounts", data={"account_ids[]": str(BOB)}, headers=bearer(token)
        ),
        await client.request(
            "DELETE",
            f"/api/v1/lists/{bobs_list}/accounts",
            data={"account_ids[]": "3"},
            headers=bearer(token),
        ),
        await client.get(f"/api/v1/timelines/list/{bobs_list}", headers=bearer(token)),
    ]

    assert [response.status_code for response in responses] == [404] * len(responses)
    assert upstream.writes_since(mark) == []
    assert (await upstream_lists(double_client, "bob"))["Friendica regulars"] == bobs_list
    assert await upstream_members(double_client, "bob", bobs_list) == {3, CAROL}


async def test_twin_titles_stop_member_changes(client, token_for, upstream, double_client):
    token = await token_for("alice")
    list_id = await new_list(client, token, "Climbing")
    # Friendica renames onto a title in use when asked directly.
    await double_client.post(
        "/api/lists/update.json", data={"list_id": list_id, "name": "Close friends"}, auth=("alice", "demo")
    )
    mark = upstream.mark()

    response = await client.post(
        f"/api/v1/lists/{list_id}/accounts", data={"account_ids[]": str(DAVE)}, headers=bearer(token)
    )

    assert response.status_code == 422
    assert "rename one of them" in response.json()["error"]
    assert upstream.writes_since(mark) == []


async def test_list_timeline_shows_the_members(client, token_for, upstream):
    token = await token_for("bob")
    regulars = next(
        item["id"]
        for item in (await client.get("/api/v1/lists", headers=bearer(token))).json()
        if item["title"] == "Friendica regulars"
    )
    mark = upstream.mark()

    response = await client.get(
        f"/api/v1/timelines/list/{regulars}", params={"limit": 5}, headers=bearer(token)
    )

    statuses = response.json()
    assert response.status_code == 200
    assert len(statuses) == 5
    assert {status["account"]["acct"] for status in statuses} <= {"alice", "carol"}
    assert 'rel="next"' in response.headers["link"]
    assert ("GET", "/api/lists/statuses.json") in upstream.since(mark)


async def test_list_timeline_from_home_where_upstream_has_none(client, token_for, upstream, upstream_is):
    token = await token_for("bob")
    # Friendica 2018.03 has no lists/* and names its circle endpoints group_*.
    upstream_is(version="2018.03", generation="legacy", features=MODERN_FEATURES - {"lists", "circles"})
    regulars = next(
        item["id"]
        for item in (await client.get("/api/v1/lists", headers=bearer(token))).json()
        if item["title"] == "Friendica regulars"
    )
    mark = upstream.mark()

    response = await client.get(
        f"/api/v1/timelines/list/{regulars}", params={"limit": 5}, headers=bearer(token)
    )
    create = await client.post("/api/v1/lists", data={"title": "New"}, headers=bearer(token))

    statuses = response.json()
    assert len(statuses) == 5
    assert {status["account"]["acct"] for status in statuses} <= {"alice", "carol"}
    assert ("GET", "/api/lists/statuses.json") not in upstream.since(mark)
    assert ("GET", "/api/statuses/home_timeline.json") in upstream.since(mark)
    assert create.status_code == 200
    assert create.json()["title"] == "New"
    assert ("POST", "/api/friendica/group_create.json") in upstream.since(mark)
    assert ("POST", "/api/lists/create.json") not in upstream.since(mark)


async def test_replies_policy_is_kept(client, token_for):
    token = await token_for("alice")

    created = await client.post(
        "/api/v1/lists", data={"title": "Climbing", "replies_policy": "followed"}, headers=bearer(token)
    )
    list_id = created.json()["id"]
    changed = await client.put(
        f"/api/v1/lists/{list_id}", data={"replies_policy": "none"}, headers=bearer(token)
    )
    listed = await client.get("/api/v1/lists", headers=bearer(token))

    assert created.json()["replies_policy"] == "followed"
    assert changed.json() == {
        "id": list_id,
        "title": "Climbing",
        "replies_policy": "none",
        "exclusive": False,
    }
    assert {item["id"]: item["replies_policy"] for item in listed.json()}[list_id] == "none"


async def test_list_timeline_follows_the_replies_policy(client, token_for):
    token = await token_for("alice")
    list_id = await new_list(client, token, "Bob only")
    await client.post(
        f"/api/v1/lists/{list_id}/accounts", data={"account_ids[]": str(BOB)}, headers=bearer(token)
    )

    with_replies = await client.get(
        f"/api/v1/timelines/list/{list_id}", params={"limit": 40}, headers=bearer(token)
    )
    await client.put(f"/api/v1/lists/{list_id}", data={"replies_policy": "none"}, headers=bearer(token))
    without = await client.get(
        f"/api/v1/timelines/list/{list_id}", params={"limit": 40}, headers=bearer(token)
    )

    assert any(status["in_reply_to_id"] for status in with_replies.json())
    assert without.json()
    assert not any(status["in_reply_to_id"] for status in without.json())
    assert {status["account"]["id"] for status in without.json()} == {str(BOB)}

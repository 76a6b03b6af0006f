"""``/api/v2/search`` and hashtag timelines against the seeded posts of the Friendica double."""

from __future__ import annotations

import pytest

from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio

BOB, DAVE = 5, 10


def tag_names(status: dict) -> set[str]:
    return {tag["name"].lower() for tag in status["tags"]}


async def search(client, token: str, **params) -> dict:
    response = await client.get("/api/v2/search", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


async def test_search_finds_accounts_statuses_and_hashtags(client, token_for):
    token = await token_for("alice")

    found = await search(client, token, q="gateways")

    assert found["statuses"]
    assert all("gateways" in status["content"].lower() for status in found["statuses"])
    assert [tag["name"] for tag in found["hashtags"]] == ["gateways"]
    assert found["hashtags"][0]["url"] == "http://gateway.test/tags/gateways"
    assert found["hashtags"][0]["id"].isdigit()
    assert found["accounts"] == []


async def test_hashtag_results_start_with_the_query(client, token_for):
    token = await token_for("alice")

    found = await search(client, token, q="#tra", type="hashtags")

    assert [tag["name"] for tag in found["hashtags"]] == ["trains"]
    assert found["statuses"] == []
    assert found["accounts"] == []


async def test_search_of_one_type_asks_only_for_it(client, token_for, upstream):
    token = await token_for("alice")
    mark = upstream.mark()

    found = await search(client, token, q="dave", type="accounts")

    assert [account["acct"] for account in found["accounts"]] == ["dave"]
    assert found["statuses"] == []
    assert found["hashtags"] == []
    assert ("GET", "/api/search/tweets.json") not in upstream.since(mark)


async def test_hashtag_query_finds_tagged_statuses(client, token_for):
    token = await token_for("alice")

    found = await search(client, token, q="#trains", type="statuses", limit=40)

    assert len(found["statuses"]) >= 4
    assert all("trains" in tag_names(status) for status in found["statuses"])


async def test_status_search_pages_by_offset(client, token_for):
    token = await token_for("alice")

    whole = await search(client, token, q="#trains", type="statuses", limit=4)
    first = await search(client, token, q="#trains", type="statuses", limit=2)
    second = await search(client, token, q="#trains", type="statuses", limit=2, offset=2)
    shifted = await search(client, token, q="#trains", type="statuses", limit=2, offset=1)

    ids = [status["id"] for status in whole["statuses"]]
    assert [status["id"] for status in first["statuses"]] == ids[:2]
    assert [status["id"] for status in second["statuses"]] == ids[2:4]
    assert [status["id"] for status in shifted["statuses"]] == ids[1:3]


async def test_status_search_of_one_account(client, token_for):
    token = await token_for("alice")

    found = await search(client, token, q="#trains", type="statuses", account_id=DAVE)

    assert found["statuses"]
    assert {status["account"]["id"] for status in found["statuses"]} == {str(DAVE)}


@pytest.mark.parametrize("params", [{}, {"q": "  "}, {"q": "x", "type": "people"}])
async def test_search_without_query_or_with_unknown_type_is_422(client, token_for, params):
    token = await token_for("alice")

    response = await client.get("/api/v2/search", params=params, headers=bearer(token))

    assert response.status_code == 422


async def test_hashtag_timeline(client, token_for):
    token = await token_for("alice")

    response = await client.get("/api/v1/timelines/tag/trains", params={"limit": 3}, headers=bearer(token))
    older = await client.get(
        "/api/v1/timelines/tag/trains",
        params={"limit": 3, "max_id": response.json()[-1]["id"]},
        headers=bearer(token),
    )

    statuses = response.json()
    assert len(statuses) == 3
    assert all("trains" in tag_names(status) for status in statuses + older.json())
    assert 'rel="next"' in response.headers["link"]
    assert min(int(status["id"]) for status in statuses) > max(int(status["id"]) for status in older.json())


async def test_hashtag_timeline_any_all_none(client, token_for):
    token = await token_for("alice")

    async def timeline(tag: str, params: list[tuple[str, str]]) -> list[dict]:
        response = await client.get(f"/api/v1/timelines/tag/{tag}", params=params, headers=bearer(token))
        assert response.status_code == 200
        return response.json()

    either = await timeline("gateways", [("any[]", "hello"), ("limit", "40")])
    both = await timeline("trains", [("all[]", "photography")])
    without = await timeline("trains", [("none[]", "photography"), ("limit", "40")])

    assert {"gateways", "hello"} <= set().union(*(tag_names(status) for status in either))
    assert all(tag_names(status) & {"gateways", "hello"} for status in either)
    assert both
    assert all({"trains", "photography"} <= tag_names(status) for status in both)
    assert without
    assert all("photography" not in tag_names(status) for status in without)


async def test_hashtag_timeline_local_and_remote(client, token_for):
    token = await token_for("alice")

    local = await client.get("/api/v1/timelines/tag/trains", params={"local": "true"}, headers=bearer(token))
    remote = await client.get(
        "/api/v1/timelines/tag/trains", params={"remote": "true"}, headers=bearer(token)
    )

    assert local.json()
    assert remote.json() == []


async def test_hashtag_timeline_of_invalid_tag_is_empty(client, token_for, upstream):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.get("/api/v1/timelines/tag/no%20tag", headers=bearer(token))

    assert response.json() == []
    assert ("GET", "/api/search/tweets.json") not in upstream.since(mark)

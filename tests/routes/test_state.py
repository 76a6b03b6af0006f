"""What the gateway keeps for each person: markers, bookmarks, filters, muted threads, preferences."""

from __future__ import annotations

import pytest

from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio


async def test_markers_save_and_version(client, token_for):
    token = await token_for()

    first = await client.post("/api/v1/markers", data={"home[last_read_id]": "40"}, headers=bearer(token))
    second = await client.post(
        "/api/v1/markers",
        json={"home": {"last_read_id": "45"}, "notifications": {"last_read_id": "7"}},
        headers=bearer(token),
    )
    shown = await client.get(
        "/api/v1/markers", params={"timeline[]": ["home", "notifications"]}, headers=bearer(token)
    )

    assert first.json()["home"]["version"] == 0
    assert second.json()["home"]["version"] == 1
    assert shown.json()["home"]["last_read_id"] == "45"
    assert shown.json()["notifications"]["last_read_id"] == "7"
    assert shown.json()["home"]["updated_at"].endswith("Z")


async def test_markers_are_per_person(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    await client.post("/api/v1/markers", data={"home[last_read_id]": "40"}, headers=bearer(alice))

    assert (await client.get("/api/v1/markers", headers=bearer(bob))).json() == {}


async def test_marker_for_unknown_timeline_is_422(client, token_for):
    token = await token_for()

    unknown = await client.post("/api/v1/markers", data={"lists[last_read_id]": "3"}, headers=bearer(token))
    missing = await client.post("/api/v1/markers", data={}, headers=bearer(token))
    not_an_id = await client.post(
        "/api/v1/markers", data={"home[last_read_id]": "abc"}, headers=bearer(token)
    )

    assert unknown.status_code == 422
    assert "lists is not a timeline" in unknown.json()["error"]
    assert unknown.json()["details"]["timeline"][0]["error"] == "ERR_INCLUSION"
    assert missing.status_code == 422
    assert not_an_id.status_code == 422


async def test_bookmark_round_trip(client, token_for):
    token = await token_for()
    post = (await client.post("/api/v1/statuses", data={"status": "keep this"}, headers=bearer(token))).json()

    bookmarked = await client.post(f"/api/v1/statuses/{post['id']}/bookmark", headers=bearer(token))
    listed = await client.get("/api/v1/bookmarks", headers=bearer(token))
    shown = await client.get(f"/api/v1/statuses/{post['id']}", headers=bearer(token))
    unbookmarked = await client.post(f"/api/v1/statuses/{post['id']}/unbookmark", headers=bearer(token))
    after = await client.get("/api/v1/bookmarks", headers=bearer(token))

    assert bookmarked.json()["bookmarked"] is True
    assert [status["id"] for status in listed.json()] == [post["id"]]
    assert "link" in listed.headers
    assert shown.json()["bookmarked"] is True
    assert unbookmarked.json()["bookmarked"] is False
    assert after.json() == []


async def test_bookmark_of_unknown_status_is_404(client, token_for):
    token = await token_for()

    response = await client.post("/api/v1/statuses/999999/bookmark", headers=bearer(token))

    assert response.status_code == 404
    assert (await client.get("/api/v1/bookmarks", headers=bearer(token))).json() == []


async def test_filter_hides_and_warns_in_home(client, token_for):
    token = await token_for()
    await client.post("/api/v1/statuses", data={"status": "I love broccoli soup"}, headers=bearer(token))
    await client.post("/api/v1/statuses", data={"status": "spoilers about the finale"}, headers=bearer(token))

    hide = await client.post(
        "/api/v2/filters",
        data={
            "title": "No greens",
            "context[]": ["home"],
            "filter_action": "hide",
            "keywords_attributes[][keyword]": "broccoli",
            "keywords_attributes[][whole_word]": "true",
        },
        headers=bearer(token),
    )
    warn = await client.post(
        "/api/v2/filters",
        json={
            "title": "Finale",
            "context": ["home", "public"],
            "filter_action": "warn",
            "keywords_attributes": [{"keyword": "spoilers", "whole_word": False}],
        },
        headers=bearer(token),
    )
    home = (await client.get("/api/v1/timelines/home", params={"limit": 20}, headers=bearer(token))).json()

    assert hide.status_code == 200, hide.text
    assert warn.status_code == 200, warn.text
    assert len(home) == 20  # still filled to the limit
    assert not any("broccoli" in status["content"] for status in home)
    warned = [status for status in home if "finale" in status["content"]]
    assert warned[0]["filtered"][0]["filter"]["title"] == "Finale"
    assert warned[0]["filtered"][0]["keyword_matches"] == ["spoilers"]


async def test_filter_crud_and_keywords(client, token_for):
    token = await token_for()
    created = (
        await client.post(
            "/api/v2/filters",
            data={"title": "Words", "context[]": "public", "keywords_attributes[0][keyword]": "one"},
            headers=bearer(token),
        )
    ).json()
    filter_id = created["id"]

    added = await client.post(
        f"/api/v2/filters/{filter_id}/keywords", data={"keyword": "two"}, headers=bearer(token)
    )
    renamed = await client.put(
        f"/api/v2/filters/{filter_id}", data={"title": "More words"}, headers=bearer(token)
    )
    keywords = await client.get(f"/api/v2/filters/{filter_id}/keywords", headers=bearer(token))
    v1 = await client.get("/api/v1/filters", headers=bearer(token))
    deleted = await client.delete(f"/api/v2/filters/{filter_id}", headers=bearer(token))
    gone = await client.get(f"/api/v2/filters/{filter_id}", headers=bearer(token))

    assert created["filter_action"] == "warn"
    assert added.json()["keyword"] == "two"
    assert renamed.json()["title"] == "More words"
    assert [keyword["keyword"] for keyword in keywords.json()] == ["one", "two"]
    assert sorted(item["phrase"] for item in v1.json()) == ["one", "two"]
    assert deleted.status_code == 200
    assert gone.status_code == 404


async def test_update_with_a_bad_keyword_changes_nothing(client, token_for):
    token = await token_for()
    created = (
        await client.post(
            "/api/v2/filters",
            data={"title": "Before", "context[]": "home", "keywords_attributes[0][keyword]": "kept"},
            headers=bearer(token),
        )
    ).json()

    response = await client.put(
        f"/api/v2/filters/{created['id']}",
        data={
            "title": "After",
            "keywords_attributes[0][keyword]": "new",
            "keywords_attributes[1][keyword]": " ",
        },
        headers=bearer(token),
    )
    after = (await client.get(f"/api/v2/filters/{created['id']}", headers=bearer(token))).json()

    assert response.status_code == 422
    assert after["title"] == "Before"
    assert [keyword["keyword"] for keyword in after["keywords"]] == ["kept"]


async def test_v1_filter_is_a_keyword(client, token_for):
    token = await token_for()

    created = (
        await client.post(
            "/api/v1/filters",
            data={"phrase": "cats", "context[]": ["home", "notifications"], "irreversible": "true"},
            headers=bearer(token),
        )
    ).json()
    v2 = (await client.get("/api/v2/filters", headers=bearer(token))).json()
    deleted = await client.delete(f"/api/v1/filters/{created['id']}", headers=bearer(token))

    assert created["phrase"] == "cats"
    assert created["irreversible"] is True
    assert [(item["title"], item["filter_action"]) for item in v2] == [("cats", "hide")]
    assert v2[0]["keywords"][0]["id"] == created["id"]
    assert deleted.status_code == 200
    assert (await client.get("/api/v2/filters", headers=bearer(token))).json() == []


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": "x", "context[]": "home"}, "at least one keyword"),
        ({"title": "x", "keywords_attributes[][keyword]": "y"}, "context is missing"),
        (
            {"title": "x", "context[]": "elsewhere", "keywords_attributes[][keyword]": "y"},
            "not a filter context",
        ),
        ({"context[]": "home", "keywords_attributes[][keyword]": "y"}, "title is missing"),
        (
            {
                "title": "x",
                "context[]": "home",
                "filter_action": "explode",
                "keywords_attributes[][keyword]": "y",
            },
            "warn or hide",
        ),
    ],
)
async def test_invalid_filters_are_422(client, token_for, form, message):
    token = await token_for()

    response = await client.post("/api/v2/filters", data=form, headers=bearer(token))

    assert response.status_code == 422
    assert message in response.json()["error"]
    assert (await client.get("/api/v2/filters", headers=bearer(token))).json() == []


async def test_someone_elses_filter_is_404(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    created = (
        await client.post(
            "/api/v2/filters",
            data={"title": "mine", "context[]": "home", "keywords_attributes[][keyword]": "z"},
            headers=bearer(alice),
        )
    ).json()

    assert (await client.get(f"/api/v2/filters/{created['id']}", headers=bearer(bob))).status_code == 404
    assert (await client.delete(f"/api/v2/filters/{created['id']}", headers=bearer(bob))).status_code == 404
    assert (await client.get(f"/api/v2/filters/{created['id']}", headers=bearer(alice))).status_code == 200


async def test_mute_marks_the_whole_thread(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    root = (
        await client.post("/api/v1/statuses", data={"status": "thread root"}, headers=bearer(alice))
    ).json()
    reply = (
        await client.post(
            "/api/v1/statuses",
            data={"status": "@alice reply", "in_reply_to_id": root["id"]},
            headers=bearer(bob),
        )
    ).json()

    muted = await client.post(f"/api/v1/statuses/{reply['id']}/mute", headers=bearer(alice))
    root_seen = await client.get(f"/api/v1/statuses/{root['id']}", headers=bearer(alice))
    by_bob = await client.get(f"/api/v1/statuses/{root['id']}", headers=bearer(bob))
    unmuted = await client.post(f"/api/v1/statuses/{root['id']}/unmute", headers=bearer(alice))

    assert muted.json()["muted"] is True
    assert root_seen.json()["muted"] is True
    assert by_bob.json()["muted"] is False
    assert unmuted.json()["muted"] is False


async def test_preferences_have_posting_defaults(client, token_for):
    token = await token_for()

    preferences = (await client.get("/api/v1/preferences", headers=bearer(token))).json()

    assert preferences["posting:default:visibility"] in ("public", "unlisted", "private", "direct")
    assert "reading:expand:spoilers" in preferences

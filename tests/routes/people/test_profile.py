"""``PATCH /api/v1/accounts/update_credentials`` and the ``source`` that reflects it.

alice's seeded profile has three public fields: Pronouns, Blog and Home town.
"""

from __future__ import annotations

import pytest

from tests.pictures import picture
from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio

SEEDED_FIELDS = {
    "fields_attributes[0][name]": "Pronouns",
    "fields_attributes[0][value]": "she/her",
    "fields_attributes[1][name]": "Blog",
    "fields_attributes[1][value]": "https://alice.example.org",
    "fields_attributes[2][name]": "Home town",
    "fields_attributes[2][value]": "München",
}


async def upstream_me(double_client, username: str = "alice") -> dict:
    response = await double_client.get("/api/account/verify_credentials.json", auth=(username, "demo"))
    return response.json()


async def update(client, token: str, **request) -> dict:
    response = await client.patch("/api/v1/accounts/update_credentials", headers=bearer(token), **request)
    assert response.status_code == 200, response.text
    return response.json()


async def test_name_and_note_change(client, token_for, double_client):
    token = await token_for("alice")

    account = await update(client, token, data={"display_name": "Alice Renamed", "note": "Climber & tester"})
    me = await client.get("/api/v1/accounts/verify_credentials", headers=bearer(token))

    assert account["display_name"] == "Alice Renamed"
    assert account["note"] == "<p>Climber &amp; tester</p>"
    assert account["source"]["note"] == "Climber & tester"
    assert me.json()["display_name"] == "Alice Renamed"
    assert (await upstream_me(double_client))["name"] == "Alice Renamed"


async def test_empty_display_name_shows_the_username(client, token_for, double_client):
    token = await token_for("alice")

    account = await update(client, token, data={"display_name": ""})

    assert account["display_name"] == "alice"
    assert (await upstream_me(double_client))["name"] == "alice"


async def test_empty_note_clears_the_profile_text(client, token_for):
    token = await token_for("alice")

    account = await update(client, token, data={"note": ""})

    assert account["note"] == ""
    assert account["source"]["note"] == ""


async def test_avatar_and_header_pictures(client, token_for):
    token = await token_for("alice")
    before = (await client.get("/api/v1/accounts/verify_credentials", headers=bearer(token))).json()

    account = await update(
        client,
        token,
        files={
            "avatar": ("me.png", picture(300, 300), "image/png"),
            "header": ("banner.jpg", picture(900, 300, "JPEG"), "image/jpeg"),
        },
    )

    assert account["avatar"] != before["avatar"]
    assert account["header"] != before["header"]


async def test_locked_comes_back_as_set(client, token_for):
    token = await token_for("alice")

    locked = await update(client, token, data={"locked": "true"})
    unlocked = await update(client, token, data={"locked": "false"})

    assert locked["locked"] is True
    assert unlocked["locked"] is False


async def test_fields_sent_back_unchanged_are_accepted(client, token_for):
    token = await token_for("alice")

    account = await update(client, token, data={**SEEDED_FIELDS, "display_name": "Alice E."})

    assert account["display_name"] == "Alice E."
    assert [field["name"] for field in account["source"]["fields"]] == ["Pronouns", "Blog", "Home town"]


@pytest.mark.parametrize(
    ("form", "cannot"),
    [
        ({**SEEDED_FIELDS, "fields_attributes[2][value]": "Berlin"}, "change profile fields"),
        (
            {"fields_attributes[0][name]": "Pronouns", "fields_attributes[0][value]": "she/her"},
            "profile fields",
        ),
        ({"bot": "true"}, "mark the account as a bot"),
        ({"source[privacy]": "private"}, "change the default visibility"),
        ({"source[sensitive]": "true"}, "mark media sensitive by default"),
        ({"source[language]": "de"}, "set a default language"),
    ],
)
async def test_changes_the_upstream_cannot_store_are_422(
    client, token_for, upstream, double_client, form, cannot
):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.patch(
        "/api/v1/accounts/update_credentials",
        data={**form, "display_name": "Not Stored"},
        headers=bearer(token),
    )

    assert response.status_code == 422
    assert cannot in response.json()["error"]
    assert upstream.writes_since(mark) == []
    assert (await upstream_me(double_client))["name"] != "Not Stored"


async def test_fields_as_json_are_read(client, token_for, upstream):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.patch(
        "/api/v1/accounts/update_credentials",
        json={"fields_attributes": {"0": {"name": "Pronouns", "value": "they/them"}}},
        headers=bearer(token),
    )

    assert response.status_code == 422
    assert upstream.writes_since(mark) == []


async def test_avatar_that_is_no_picture_is_422(client, token_for, upstream):
    token = await token_for("alice")
    mark = upstream.mark()

    response = await client.patch(
        "/api/v1/accounts/update_credentials",
        files={"avatar": ("notes.txt", b"not a picture", "text/plain")},
        headers=bearer(token),
    )

    assert response.status_code == 422
    assert upstream.writes_since(mark) == []


@pytest.mark.parametrize(
    ("request_parts", "cannot"),
    [
        ({"files": {"header": ("banner.png", picture(600, 200), "image/png")}}, "change the header picture"),
        ({"data": {"locked": "true"}}, "lock or unlock the account"),
        ({"data": {"discoverable": "true"}}, "listed in the directory"),
    ],
)
async def test_without_upstream_mastodon_api_these_are_422(
    client, token_for, upstream, upstream_is, request_parts, cannot
):
    token = await token_for("alice")
    upstream_is(native_api=False)
    mark = upstream.mark()

    response = await client.patch(
        "/api/v1/accounts/update_credentials", headers=bearer(token), **request_parts
    )

    assert response.status_code == 422
    assert cannot in response.json()["error"]
    assert upstream.writes_since(mark) == []


async def test_without_upstream_mastodon_api_name_still_changes(client, token_for, upstream_is):
    token = await token_for("alice")
    upstream_is(native_api=False)

    account = await update(client, token, data={"display_name": "Plain API"})

    assert account["display_name"] == "Plain API"


async def test_profile_change_needs_write_accounts(client, token_for):
    token = await token_for(scopes="read write:statuses")

    response = await client.patch(
        "/api/v1/accounts/update_credentials", data={"display_name": "x"}, headers=bearer(token)
    )

    assert response.status_code == 403

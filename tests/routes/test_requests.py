"""How requests are read: parameter sources, scopes, and what bad input writes upstream (nothing)."""

from __future__ import annotations

import pytest

from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio


async def own_status_count(double_client, username: str = "alice") -> int:
    response = await double_client.get(
        "/api/statuses/user_timeline.json", params={"count": 100}, auth=(username, "demo")
    )
    return len(response.json())


@pytest.mark.parametrize("source", ["form", "json", "multipart", "query"])
async def test_status_parameters_from_every_source(client, token_for, double_client, source):
    token = await token_for()
    text = f"sent as {source}"
    if source == "form":
        response = await client.post("/api/v1/statuses", data={"status": text}, headers=bearer(token))
    elif source == "json":
        response = await client.post("/api/v1/statuses", json={"status": text}, headers=bearer(token))
    elif source == "multipart":
        response = await client.post(
            "/api/v1/statuses", files={"status": (None, text)}, headers=bearer(token)
        )
    else:
        response = await client.post("/api/v1/statuses", params={"status": text}, headers=bearer(token))

    assert response.status_code == 200, response.text
    assert response.json()["content"] == f"<p>{text}</p>"


async def test_empty_json_body_counts_as_no_parameters(client, token_for):
    token = await token_for()

    response = await client.post(
        "/api/v1/statuses",
        content=b"",
        headers={**bearer(token), "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: Text can't be blank",
        "details": {
            "text": [{"error": "ERR_BLANK", "description": "Validation failed: Text can't be blank"}]
        },
    }


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"status": True}, "status"),
        ({"status": ["first", "second"]}, "status"),
        ({"status": {"text": "nested"}}, "status"),
        ({"status": "with a bad picture list", "media_ids": [None]}, "media_ids"),
        ({"status": "x", "spoiler_text": ["a"]}, "spoiler_text"),
    ],
)
async def test_wrongly_typed_json_is_422_and_not_posted(client, token_for, double_client, document, field):
    token = await token_for()
    before = await double_client.get("/api/statuses/user_timeline.json", auth=("alice", "demo"))

    response = await client.post("/api/v1/statuses", json=document, headers=bearer(token))
    after = await double_client.get("/api/statuses/user_timeline.json", auth=("alice", "demo"))

    assert response.status_code == 422
    assert field in response.json()["details"]
    assert [status["id"] for status in after.json()] == [status["id"] for status in before.json()]


async def test_json_numbers_and_nulls_are_read_as_mastodon_reads_them(client, token_for):
    token = await token_for()

    response = await client.post(
        "/api/v1/statuses",
        json={"status": 42, "spoiler_text": None, "media_ids": None},
        headers=bearer(token),
    )

    assert response.status_code == 200, response.text
    assert response.json()["content"] == "<p>42</p>"
    assert response.json()["spoiler_text"] == ""


async def test_malformed_json_body_is_400(client, token_for):
    token = await token_for()

    response = await client.post(
        "/api/v1/statuses",
        content=b"{not json",
        headers={**bearer(token), "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["error"].startswith("The request body is not valid JSON")


async def test_granular_scopes_are_enforced(client, token_for, double_client):
    token = await token_for(scopes="read:statuses write:favourites")
    before = await own_status_count(double_client)

    home = await client.get("/api/v1/timelines/home", headers=bearer(token))
    post = await client.post("/api/v1/statuses", data={"status": "nope"}, headers=bearer(token))
    me = await client.get("/api/v1/accounts/verify_credentials", headers=bearer(token))

    assert home.status_code == 200
    assert post.status_code == 403
    assert post.json() == {"error": "This action is outside the authorized scopes"}
    assert me.status_code == 403
    assert await own_status_count(double_client) == before


async def test_requested_scopes_are_echoed(client):
    app = (
        await client.post(
            "/api/v1/apps",
            json={
                "client_name": "echo",
                "redirect_uris": ["urn:ietf:wg:oauth:2.0:oob"],
                "scopes": "read write push",
            },
        )
    ).json()
    token = await client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": "bob",
            "password": "demo",
            "scope": "write read",
        },
    )

    assert token.json()["scope"] == "write read"
    assert token.json()["token_type"] == "Bearer"
    assert isinstance(token.json()["created_at"], int)
    assert app["scopes"] == ["read", "write", "push"]
    assert app["redirect_uris"] == ["urn:ietf:wg:oauth:2.0:oob"]


async def test_scope_beyond_app_registration_is_refused(client):
    app = (
        await client.post(
            "/api/v1/apps", data={"client_name": "small", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
        )
    ).json()

    token = await client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": "bob",
            "password": "demo",
            "scope": "read write",
        },
    )

    assert token.status_code == 400
    assert token.json()["error"] == "invalid_scope"


async def test_unknown_scope_is_422_at_registration(client):
    response = await client.post(
        "/api/v1/apps",
        data={"client_name": "odd", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read all"},
    )

    assert response.status_code == 422
    assert "all" in response.json()["error"]


async def test_invalid_redirect_uri_is_422(client):
    response = await client.post("/api/v1/apps", data={"client_name": "odd", "redirect_uris": "not a uri"})

    assert response.status_code == 422


async def test_invalid_visibility_is_422_and_not_posted(client, token_for, double_client):
    token = await token_for()
    before = await own_status_count(double_client)

    response = await client.post(
        "/api/v1/statuses", data={"status": "x", "visibility": "secret"}, headers=bearer(token)
    )

    assert response.status_code == 422
    assert await own_status_count(double_client) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("media_ids[]", "1", "media 1 was not found"),
        ("poll[options][]", "yes", "The upstream server has no polls"),
        ("scheduled_at", "2030-01-01T00:00:00Z", "Scheduled statuses are not supported"),
        ("language", "not a language", "is not a language code"),
    ],
)
async def test_unsupported_post_options_are_refused(client, token_for, double_client, field, value, message):
    token = await token_for()
    before = await own_status_count(double_client)

    response = await client.post(
        "/api/v1/statuses", data={"status": "with extras", field: value}, headers=bearer(token)
    )

    assert response.status_code == 422
    assert message in response.json()["error"]
    assert await own_status_count(double_client) == before


async def test_limit_is_clamped_and_bad_ids_refused(client, token_for, double_client):
    token = await token_for()
    upstream = await double_client.get(
        "/api/statuses/home_timeline.json", params={"count": 100}, auth=("alice", "demo")
    )

    many = await client.get("/api/v1/timelines/home", params={"limit": 500}, headers=bearer(token))
    bad = await client.get("/api/v1/timelines/home", params={"max_id": "abc"}, headers=bearer(token))

    assert len(many.json()) == min(40, len(upstream.json()))
    assert bad.status_code == 422


async def test_cors_exposes_link_header(client, token_for):
    token = await token_for()

    response = await client.get(
        "/api/v1/timelines/home", headers={**bearer(token), "Origin": "https://web-client.example"}
    )

    assert response.headers["access-control-allow-origin"] == "*"
    assert "Link" in response.headers["access-control-expose-headers"]


async def test_private_post_is_addressed_to_followers(client, token_for, double_client):
    token = await token_for()

    post = await client.post(
        "/api/v1/statuses", data={"status": "followers only", "visibility": "private"}, headers=bearer(token)
    )
    status_id = post.json()["id"]
    as_bob = await double_client.get(
        "/api/statuses/show.json", params={"id": status_id}, auth=("bob", "demo")
    )
    as_carol = await double_client.get(
        "/api/statuses/show.json", params={"id": status_id}, auth=("carol", "demo")
    )
    as_dave = await double_client.get(
        "/api/statuses/show.json", params={"id": status_id}, auth=("dave", "demo")
    )

    assert post.json()["visibility"] == "private"
    assert as_bob.status_code == 200  # bob follows alice
    assert as_carol.status_code == 400  # carol's follow request is still pending
    assert as_dave.status_code == 400  # alice follows dave, not the other way round


async def test_reply_in_private_thread_stays_private(client, token_for, double_client):
    alice, bob = await token_for("alice"), await token_for("bob")
    root = await client.post(
        "/api/v1/statuses", data={"status": "private root", "visibility": "private"}, headers=bearer(alice)
    )

    reply = await client.post(
        "/api/v1/statuses",
        data={"status": "@alice public reply?", "in_reply_to_id": root.json()["id"], "visibility": "public"},
        headers=bearer(bob),
    )

    assert reply.status_code == 200, reply.text
    assert reply.json()["visibility"] == "private"
    public = await double_client.get(
        "/api/statuses/networkpublic_timeline.json", params={"count": 100}, auth=("carol", "demo")
    )
    assert all(status["id"] != int(reply.json()["id"]) for status in public.json())


async def test_favourited_by_pages_with_link(client, token_for):
    alice, bob, carol = await token_for("alice"), await token_for("bob"), await token_for("carol")
    post = (
        await client.post("/api/v1/statuses", data={"status": "like me, all"}, headers=bearer(alice))
    ).json()
    for token in (alice, bob, carol):
        liked = await client.post(f"/api/v1/statuses/{post['id']}/favourite", headers=bearer(token))
        assert liked.status_code == 200, liked.text

    first = await client.get(
        f"/api/v1/statuses/{post['id']}/favourited_by", params={"limit": 2}, headers=bearer(alice)
    )
    rest = await client.get(
        f"/api/v1/statuses/{post['id']}/favourited_by",
        params={"limit": 2, "max_id": first.json()[-1]["id"]},
        headers=bearer(alice),
    )

    assert [account["username"] for account in first.json()] == ["carol", "bob"]
    assert 'rel="next"' in first.headers["link"]
    assert [account["username"] for account in rest.json()] == ["alice"]


async def test_only_media_and_remote_filters(client, token_for):
    token = await token_for()

    everything = await client.get("/api/v1/accounts/3/statuses", params={"limit": 40}, headers=bearer(token))
    only_media = await client.get(
        "/api/v1/accounts/3/statuses", params={"only_media": "true", "limit": 40}, headers=bearer(token)
    )
    remote = await client.get("/api/v1/timelines/public", params={"remote": "true"}, headers=bearer(token))
    local = await client.get("/api/v1/timelines/public", params={"local": "true"}, headers=bearer(token))

    with_pictures = [status["id"] for status in everything.json() if status["media_attachments"]]
    assert with_pictures  # the seed has pictures
    assert [status["id"] for status in only_media.json()] == with_pictures
    # The seeded double has no accounts of other servers.
    assert remote.json() == []
    assert local.json()
    assert all(status["account"]["acct"] == status["account"]["username"] for status in local.json())


async def test_password_guessing_is_throttled(client, double_client):
    app = (
        await client.post(
            "/api/v1/apps", data={"client_name": "guess", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
        )
    ).json()
    form = {
        "grant_type": "password",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "username": "erin",
    }

    failures = [await client.post("/oauth/token", data={**form, "password": f"guess {n}"}) for n in range(10)]
    blocked = await client.post("/oauth/token", data={**form, "password": "demo"})
    other_user = await client.post("/oauth/token", data={**form, "username": "bob", "password": "demo"})

    assert {response.status_code for response in failures} == {400}
    assert blocked.status_code == 429
    assert blocked.json() == {"error": "Too many failed logins. Wait ten minutes, then try again."}
    assert blocked.headers["retry-after"] == "600"
    assert other_user.status_code == 200


async def test_private_status_of_someone_else_cannot_be_reblogged(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    private = (
        await client.post(
            "/api/v1/statuses",
            data={"status": "only followers", "visibility": "private"},
            headers=bearer(alice),
        )
    ).json()

    by_bob = await client.post(f"/api/v1/statuses/{private['id']}/reblog", headers=bearer(bob))
    by_alice = await client.post(f"/api/v1/statuses/{private['id']}/reblog", headers=bearer(alice))

    assert by_bob.status_code == 403
    assert by_bob.json() == {"error": "This action is not allowed"}
    assert by_alice.status_code == 200


async def test_deleting_an_undone_reblog_is_404(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    post = (await client.post("/api/v1/statuses", data={"status": "share this"}, headers=bearer(bob))).json()
    share = (await client.post(f"/api/v1/statuses/{post['id']}/reblog", headers=bearer(alice))).json()

    first = await client.delete(f"/api/v1/statuses/{share['id']}", headers=bearer(alice))
    second = await client.delete(f"/api/v1/statuses/{share['id']}", headers=bearer(alice))
    by_bob = await client.delete(f"/api/v1/statuses/{share['id']}", headers=bearer(bob))

    assert first.status_code == 200
    assert first.json()["reblogged"] is False
    assert second.status_code == 404
    assert by_bob.status_code == 404


async def test_not_yet_supported_endpoints_say_so(client, token_for):
    token = await token_for()

    pin = await client.post("/api/v1/statuses/3/pin", headers=bearer(token))
    media = await client.post("/api/v2/media", headers=bearer(token))
    edit = await client.put("/api/v1/statuses/3", data={"status": "x"}, headers=bearer(token))

    assert pin.status_code == 422
    assert pin.json()["error"] == "Pinning statuses: not supported by this server yet"
    assert media.status_code == 422
    assert edit.status_code == 422


async def test_about_page_and_hostile_redirect_uris(client):
    about = await client.get("/about")
    script = await client.post(
        "/api/v1/apps", data={"client_name": "x", "redirect_uris": "javascript:alert(1)"}
    )
    fragment = await client.post(
        "/api/v1/apps", data={"client_name": "x", "redirect_uris": "https://a.example/cb#x"}
    )

    assert about.status_code == 200
    assert "Mastodon-compatible gateway" in about.text
    assert script.status_code == 422
    assert fragment.status_code == 422
    assert "fragment" in fragment.json()["error"]


@pytest.mark.parametrize(
    ("method", "path", "feature"),
    [
        ("POST", "/api/v1/tags/gateways/follow", "Following hashtags"),
        ("POST", "/api/v1/reports", "Reporting accounts"),
        ("POST", "/api/v1/accounts/3/note", "Private notes on accounts"),
        ("POST", "/api/v1/statuses/1/translate", "Translating statuses"),
    ],
)
async def test_features_apps_try_answer_422_naming_them(client, token_for, method, path, feature):
    token = await token_for(scopes="read write follow push")

    response = await client.request(method, path, headers=bearer(token))

    assert response.status_code == 422
    assert response.json()["error"].startswith(feature)


async def test_hashtag_is_a_tag_entity(client, token_for):
    token = await token_for()

    tag = await client.get("/api/v1/tags/Gateways", headers=bearer(token))
    bad = await client.get("/api/v1/tags/not%20a%20tag", headers=bearer(token))

    assert tag.json()["name"] == "Gateways"
    assert tag.json()["following"] is False
    assert tag.json()["url"].endswith("/tags/Gateways")
    assert bad.status_code == 404

"""The legacy profile: Friendica 3.5.4's API shapes and quirks, checked against hand-written JSON."""

from __future__ import annotations

import re
from typing import Any

import pytest

from friendica_double import dates, legacy_items
from friendica_double.front_legacy import ROUTES

from .pictures import picture
from .support import BASE_URL, Double

DATE = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0000 \d{4}$")
PUBLIC_BOB = 5
PUBLIC_ALICE = 3
PUBLIC_ERIN = 20


def home(double: Double, user: str, **params: Any) -> list[dict[str, Any]]:
    response = double.client.get("/api/statuses/home_timeline.json", user, **params)
    assert response.status_code == 200, response.text[:300]
    statuses: list[dict[str, Any]] = response.json()
    return statuses


def row_of(double: Double, user: str, text: str) -> dict[str, Any]:
    """Return the status with ``text`` from a user's home timeline."""
    return next(status for status in home(double, user, count=200) if status["text"] == text)


def stored_created(double: Double, text: str) -> str:
    store = double.app.state.site.store
    created: str = store.scalar("SELECT created FROM item WHERE body = ?", [text])
    return dates.twitter(created)


def error_of(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body["status"]


# Shapes


def alice_self(uid_and_self: bool, created: str) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": 3,
        "id_str": "3",
        "name": "Alice Test",
        "screen_name": "alice",
        "location": "",
        "description": "",
        "profile_image_url": f"{BASE_URL}/photo/contact/48/3",
        "profile_image_url_https": f"{BASE_URL}/photo/contact/48/3",
        "url": f"{BASE_URL}/profile/alice",
        "protected": False,
        "followers_count": 0,
        "friends_count": 0,
        "listed_count": 0,
        "created_at": created,
        "favourites_count": 0,
        "utc_offset": "0",
        "time_zone": "UTC",
        "geo_enabled": False,
        "verified": True,
        "statuses_count": 0,
        "lang": "",
        "contributors_enabled": False,
        "is_translator": False,
        "is_translation_enabled": False,
        "following": False,
        "follow_request_sent": False,
        "statusnet_blocking": False,
        "notifications": False,
        "statusnet_profile_url": f"{BASE_URL}/profile/alice",
    }
    if uid_and_self:
        user.update({"uid": 2, "cid": 2, "self": "1", "network": "dfrn"})
    else:
        user.update({"cid": 2, "network": "dfrn"})
    return user


def test_status_main_shape_as_written(legacy: Double) -> None:
    status = row_of(legacy, "alice", "hello")
    alice_created = status["user"]["created_at"]
    bob = status["friendica_activities"]["like"][0]
    assert DATE.match(alice_created)

    expected = {
        "text": "hello",
        "truncated": False,
        "created_at": stored_created(legacy, "hello"),
        "in_reply_to_status_id": None,
        "in_reply_to_status_id_str": None,
        "source": "api (Friendica)",
        "id": 1,
        "id_str": "1",
        "in_reply_to_user_id": None,
        "in_reply_to_user_id_str": None,
        "in_reply_to_screen_name": None,
        "geo": None,
        "favorited": False,
        "user": alice_self(False, alice_created),
        "friendica_owner": alice_self(True, alice_created),
        "statusnet_html": "hello",
        "statusnet_conversation_id": "1",
        "friendica_activities": {
            "like": [bob, alice_self(True, alice_created)],
            "dislike": [],
            "attendyes": [],
            "attendno": [],
            "attendmaybe": [],
        },
        "attachments": False,
    }
    assert status == expected
    assert list(status) == list(expected)


def test_user_from_address_book(legacy: Double) -> None:
    bob = row_of(legacy, "alice", "hello")["friendica_activities"]["like"][0]
    assert bob["id"] == PUBLIC_BOB
    assert bob["location"] == "Friendica"
    assert bob["description"] is None
    assert bob["verified"] is True
    assert bob["following"] is True
    assert bob["utc_offset"] == "0"
    assert bob["uid"] == 2
    assert bob["cid"] == 11
    assert bob["self"] == "0"
    assert bob["network"] == "dfrn"
    assert bob["followers_count"] == bob["friends_count"] == bob["statuses_count"] == 0


def test_user_outside_address_book(legacy: Double) -> None:
    reply = legacy.client.post(
        "/api/statuses/update.json", "erin", status="hi alice", in_reply_to_status_id=1
    )
    assert reply.status_code == 200
    erin = row_of(legacy, "alice", "hi alice")["user"]
    assert erin["screen_name"] == "erin"
    assert erin["verified"] is False
    assert erin["utc_offset"] == 0
    assert erin["cid"] == 0
    assert erin["location"] == "Friendica"
    assert "uid" not in erin
    assert "self" not in erin


def test_users_show_ignores_credentials(legacy: Double) -> None:
    erin = legacy.client.get("/api/users/show.json", "alice", user_id=PUBLIC_ERIN).json()
    assert erin["screen_name"] == "erin"
    assert erin["verified"] is True
    assert erin["cid"] == 19
    assert "status" not in erin


def test_verify_credentials_shape(legacy: Double) -> None:
    me = legacy.client.get("/api/account/verify_credentials.json", "alice").json()
    assert "verified" not in me
    assert "uid" not in me
    assert "self" not in me
    assert list(me)[-3:] == ["cid", "network", "status"]
    status = me["status"]
    assert "user" not in status
    assert status["text"] == "hello"
    assert status["source"] == "api"
    assert status["statusnet_conversation_id"] == "1"
    assert status["coordinates"] == ""


def test_skip_status_drops_status(legacy: Double) -> None:
    me = legacy.client.get("/api/account/verify_credentials.json", "alice", skip_status="1").json()
    assert "status" not in me


# Per-user ids


def test_same_post_has_per_user_ids(legacy: Double) -> None:
    seen_by_alice = row_of(legacy, "alice", "hello")
    seen_by_bob = row_of(legacy, "bob", "hello")
    assert seen_by_alice["id"] == 1
    assert seen_by_bob["id"] == 3
    assert seen_by_alice["statusnet_conversation_id"] == "1"
    assert seen_by_bob["statusnet_conversation_id"] == "3"


def test_other_users_id_is_unknown(legacy: Double) -> None:
    response = legacy.client.get("/api/statuses/show/1.json", "bob")
    assert response.status_code == 400
    assert error_of(response)["error"] == "There is no status with this id."


def test_reply_ids_are_per_user(legacy: Double) -> None:
    bob_id = row_of(legacy, "bob", "hello")["id"]
    reply = legacy.client.post(
        "/api/statuses/update.json", "bob", status="reply to hello", in_reply_to_status_id=bob_id
    )
    assert reply.status_code == 200
    seen_by_bob = row_of(legacy, "bob", "reply to hello")
    seen_by_alice = row_of(legacy, "alice", "reply to hello")
    assert seen_by_bob["in_reply_to_status_id"] == bob_id
    assert seen_by_alice["in_reply_to_status_id"] == 1
    assert seen_by_alice["in_reply_to_status_id_str"] == "1"
    assert seen_by_alice["in_reply_to_user_id"] == PUBLIC_ALICE
    assert seen_by_alice["statusnet_conversation_id"] == "1"
    assert seen_by_alice["friendica_owner"]["screen_name"] == "bob"


def test_public_timeline_uses_owner_rows(legacy_demo: Double) -> None:
    statuses = legacy_demo.client.get("/api/statuses/public_timeline.json", "carol", count=50).json()
    alice_posts = [status for status in statuses if status["user"]["screen_name"] == "alice"]
    assert alice_posts
    row_id = alice_posts[0]["id"]
    store = legacy_demo.app.state.site.store
    assert store.scalar("SELECT uid FROM post_user WHERE id = ?", [row_id]) == 2
    assert legacy_demo.client.get(f"/api/statuses/show/{row_id}.json", "carol").status_code == 400


# Numbers as strings and other value types


def test_numbers_sent_as_strings(legacy_demo: Double) -> None:
    client = legacy_demo.client
    limits = client.get("/api/account/rate_limit_status.json", "alice").json()
    assert limits["remaining_hits"] == "150"
    assert limits["hourly_limit"] == "150"
    assert isinstance(limits["reset_time_in_seconds"], int)

    mail = client.get("/api/direct_messages/all.json", "alice").json()[0]
    assert isinstance(mail["id"], str)
    assert mail["friendica_seen"] in ("0", "1")
    assert isinstance(mail["sender_id"], int)

    group = client.get("/api/friendica/group_show.json", "alice").json()[0]
    assert group["gid"] == "1"

    note = client.get("/api/friendica/notifications.json", "alice").json()[0]
    for key in ("id", "type", "uid", "iid", "parent", "seen"):
        assert isinstance(note[key], str), key
    assert isinstance(note["timestamp"], int)
    assert re.fullmatch(r"[0-9a-f]{32}", note["hash"])


def test_config_flags_as_strings(legacy: Double) -> None:
    config = legacy.client.get("/api/statusnet/config.json").json()["site"]
    assert config["closed"] == "true"
    assert config["private"] == "false"
    assert config["ssl"] == "false"
    assert config["textlimit"] == "200000"
    assert config["shorturllength"] == "30"
    assert config["inviteonly"] is False
    assert config["friendica"] == {
        "FRIENDICA_PLATFORM": "Friendica",
        "FRIENDICA_VERSION": "3.5.4",
        "DFRN_PROTOCOL_VERSION": "2.23",
        "DB_UPDATE_VERSION": 1234,
    }


def test_version_is_fake_statusnet(legacy: Double) -> None:
    assert legacy.client.get("/api/statusnet/version.json").json() == "0.9.7"
    assert legacy.client.get("/api/gnusocial/version").json() == "0.9.7"


def test_json_escapes_like_php(legacy: Double) -> None:
    body = legacy.client.get("/api/statuses/home_timeline.json", "alice").text
    assert "http:\\/\\/127.0.0.1:8088\\/profile\\/alice" in body


def test_attachments_false_without_pictures(legacy: Double) -> None:
    assert row_of(legacy, "alice", "hello")["attachments"] is False


def test_entities_lists_stay_empty(legacy: Double) -> None:
    legacy.client.post("/api/statuses/update.json", "alice", status="#tags @bob see https://example.org/x")
    status = home(legacy, "alice", include_entities="true")[0]
    entities = status["entities"]
    assert entities["hashtags"] == []
    assert entities["user_mentions"] == []
    assert entities["symbols"] == []
    assert entities["urls"][0]["url"] == "https://example.org/x"
    assert "entities" not in home(legacy, "alice")[0]


def test_friends_ids_lists_all_contacts(legacy: Double) -> None:
    assert legacy.client.get("/api/friends/ids.json", "alice").json() == [5, 10, 8]
    assert legacy.client.get("/api/followers/ids.json", "alice").json() == [5, 10, 8]
    strings = legacy.client.get("/api/friends/ids.json", "alice", stringify_ids="true").json()
    assert strings == ["5", "10", "8"]


def test_no_contacts_gives_empty_body(legacy: Double) -> None:
    response = legacy.client.get("/api/friends/ids.json", "erin")
    assert response.status_code == 200
    assert response.content == b""


# Errors


def test_missing_login_wrapped_error(legacy: Double) -> None:
    response = legacy.client.get("/api/statuses/home_timeline.json?count=1")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Friendica"'
    assert response.json() == {
        "status": {
            "error": "This API requires login",
            "code": "401 Unauthorized",
            "request": "api/statuses/home_timeline.json?count=1",
        }
    }


def test_wrong_password_wrapped_error(legacy: Double) -> None:
    response = legacy.client.request(
        "GET", "/api/statuses/home_timeline.json", user="alice", password="wrong"
    )
    assert response.status_code == 401
    assert error_of(response)["code"] == "401 Unauthorized"


def test_wrong_method_is_405(legacy: Double) -> None:
    response = legacy.client.get("/api/statuses/update.json", "alice")
    assert response.status_code == 405
    assert error_of(response) == {
        "error": "Method Not Allowed",
        "code": "405 Method Not Allowed",
        "request": "api/statuses/update.json",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/search/tweets.json",
        "/api/search.json",
        "/api/users/lookup.json",
        "/api/friendships/destroy.json",
        "/api/friendships/create.json",
        "/api/friendships/incoming.json",
        "/api/followers/list.json",
        "/api/friends/list.json",
        "/api/blocks/list.json",
        "/api/blocks/ids.json",
        "/api/statuses/unretweet.json",
        "/api/friendica/circle_show.json",
        "/api/saved_searches/list.json",
        "/api/account/update_profile.json",
        "/api/v1/apps",
        "/api/v1/accounts/verify_credentials",
    ],
)
def test_missing_endpoints_not_implemented(legacy: Double, path: str) -> None:
    response = legacy.client.get(path, "alice")
    assert response.status_code == 501
    assert error_of(response) == {
        "error": "Not Implemented",
        "code": "501 Not Implemented",
        "request": path.lstrip("/"),
    }


def test_media_metadata_create_missing(legacy: Double) -> None:
    response = legacy.client.post("/api/media/metadata/create.json", "alice")
    assert response.status_code == 501


def test_oauth2_authorize_missing(legacy: Double) -> None:
    response = legacy.client.get("/oauth/authorize", response_type="code", client_id="x")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_lists_prefix_answers_empty(legacy: Double) -> None:
    for path in ("/api/lists/list.json", "/api/lists/statuses.json", "/api/lists/ownerships.json"):
        response = legacy.client.get(path, "alice")
        assert response.status_code == 200, path
        assert response.json() == [], path


def test_mentions_timeline_prefix_served(legacy: Double) -> None:
    response = legacy.client.get("/api/statuses/mentions_timeline.json", "alice")
    assert response.status_code == 200
    assert response.json() == []


def test_xml_not_implemented(legacy: Double) -> None:
    response = legacy.client.get("/api/statuses/home_timeline.xml", "alice")
    assert response.status_code == 501
    assert "does not implement .xml" in error_of(response)["error"]


def test_routes_registered_in_order() -> None:
    paths = [route.path for route in ROUTES]
    assert paths.index("statuses/update") < paths.index("statuses/update_with_media")
    assert paths.index("favorites/create") < paths.index("favorites")
    assert paths.index("direct_messages/sent") < paths.index("direct_messages")
    assert paths.index("friendica/photo/create") < paths.index("friendica/photo")


# Posting


def test_update_returns_second_shape(legacy: Double) -> None:
    response = legacy.client.post("/api/statuses/update.json", "alice", status="second shape")
    status = response.json()
    assert list(status) == [
        "created_at",
        "id",
        "id_str",
        "text",
        "source",
        "truncated",
        "in_reply_to_status_id",
        "in_reply_to_status_id_str",
        "in_reply_to_user_id",
        "in_reply_to_user_id_str",
        "in_reply_to_screen_name",
        "user",
        "geo",
        "coordinates",
        "place",
        "contributors",
        "is_quote_status",
        "retweet_count",
        "favorite_count",
        "favorited",
        "retweeted",
        "possibly_sensitive",
        "lang",
        "statusnet_html",
        "statusnet_conversation_id",
        "attachments",
    ]
    assert status["text"] == "second shape"
    assert status["source"] == "api"
    assert status["statusnet_conversation_id"] == status["id_str"]
    assert "friendica_owner" not in status
    assert "uid" not in status["user"]


def test_update_returns_newest_own_item(legacy: Double) -> None:
    legacy.client.post("/api/statuses/update.json", "alice", status="first of two")
    newest = legacy.client.post("/api/statuses/update.json", "alice", status="second of two").json()

    store = legacy.app.state.site.store
    first = store.one("SELECT * FROM item WHERE body = 'first of two'")
    uri = legacy_items.item_uri(legacy.app.state.site, first)
    again = legacy.client.post(
        "/api/statuses/update.json", "alice", status="a duplicate", message_id=uri
    ).json()
    assert again["text"] == "second of two"
    assert again["id"] == newest["id"]
    assert store.count("SELECT COUNT(*) FROM item WHERE body = 'a duplicate'") == 0


def test_update_without_text_is_empty(legacy: Double) -> None:
    response = legacy.client.post("/api/statuses/update.json", "alice", status="")
    assert response.status_code == 200
    assert response.content == b""


def test_update_htmlstatus_without_markup_dropped(legacy: Double) -> None:
    response = legacy.client.post("/api/statuses/update.json", "alice", htmlstatus="no markup")
    assert response.status_code == 200
    assert response.content == b""


def test_update_unknown_parent_is_empty(legacy: Double) -> None:
    response = legacy.client.post(
        "/api/statuses/update.json", "alice", status="orphan", in_reply_to_status_id="99999"
    )
    assert response.status_code == 200
    assert response.content == b""


def test_update_group_allow_is_private(legacy: Double) -> None:
    legacy.client.post("/api/statuses/update.json", "alice", status="friends only", group_allow="1")
    status = row_of(legacy, "alice", "friends only")
    assert status["user"]["protected"] is True
    assert any(item["text"] == "friends only" for item in home(legacy, "bob"))
    assert not any(item["text"] == "friends only" for item in home(legacy, "carol"))


def test_update_media_ids_appends_picture(legacy: Double) -> None:
    upload = legacy.client.request(
        "POST",
        "/api/media/upload.json",
        user="alice",
        files={"media": ("big.png", picture((800, 600)), "image/png")},
    ).json()
    assert isinstance(upload["media_id"], str)
    assert upload["image"] == {"w": "800", "h": "600", "image_type": "image/png"}

    status = legacy.client.post(
        "/api/statuses/update.json", "alice", status="with picture", media_ids=upload["media_id"]
    ).json()
    (attachment,) = status["attachments"]
    assert re.search(r"/photo/[0-9a-f]{32}-1\.png$", attachment["url"])
    assert attachment["mimetype"] == "image/png"


def test_update_small_media_id_dropped(legacy: Double) -> None:
    upload = legacy.client.request(
        "POST",
        "/api/media/upload.json",
        user="alice",
        files={"media": ("small.png", picture((200, 100)), "image/png")},
    ).json()
    status = legacy.client.post(
        "/api/statuses/update.json", "alice", status="small picture", media_ids=upload["media_id"]
    ).json()
    assert status["attachments"] is False


# Likes toggle, favourites are stars


def test_like_toggles(legacy: Double) -> None:
    bob_row = row_of(legacy, "bob", "hello")["id"]
    likes = row_of(legacy, "bob", "hello")["friendica_activities"]["like"]
    assert [user["screen_name"] for user in likes] == ["bob", "alice"]

    assert legacy.client.post("/api/friendica/activity/like.json", "bob", id=bob_row).json() == "ok"
    after_second_like = row_of(legacy, "bob", "hello")["friendica_activities"]["like"]
    assert [user["screen_name"] for user in after_second_like] == ["alice"]

    assert legacy.client.post("/api/friendica/activity/like.json", "bob", id=bob_row).json() == "ok"
    after_third_like = row_of(legacy, "bob", "hello")["friendica_activities"]["like"]
    assert sorted(user["screen_name"] for user in after_third_like) == ["alice", "bob"]


def test_unlike_only_removes(legacy: Double) -> None:
    bob_row = row_of(legacy, "bob", "hello")["id"]
    for _ in range(2):
        assert legacy.client.post("/api/friendica/activity/unlike.json", "bob", id=bob_row).json() == "ok"
        likes = row_of(legacy, "bob", "hello")["friendica_activities"]["like"]
        assert [user["screen_name"] for user in likes] == ["alice"]


def test_attendance_replaces_and_toggles(legacy: Double) -> None:
    bob_row = row_of(legacy, "bob", "hello")["id"]
    client = legacy.client
    client.post("/api/friendica/activity/attendyes.json", "bob", id=bob_row)
    client.post("/api/friendica/activity/attendno.json", "bob", id=bob_row)
    activities = row_of(legacy, "bob", "hello")["friendica_activities"]
    assert activities["attendyes"] == []
    assert [user["screen_name"] for user in activities["attendno"]] == ["bob"]

    client.post("/api/friendica/activity/attendno.json", "bob", id=bob_row)
    assert row_of(legacy, "bob", "hello")["friendica_activities"]["attendno"] == []


def test_like_other_users_row_rejected(legacy: Double) -> None:
    response = legacy.client.post("/api/friendica/activity/like.json", "bob", id=1)
    assert response.status_code == 400
    assert error_of(response)["error"] == "Error adding activity"


def test_activity_verb_under_version_path(legacy: Double) -> None:
    bob_row = row_of(legacy, "bob", "hello")["id"]
    response = legacy.client.post("/api/1.1/friendica/activity/like.json", "bob", id=bob_row)
    assert response.status_code == 400


def test_favorite_is_private_star(legacy: Double) -> None:
    bob_row = row_of(legacy, "bob", "hello")["id"]
    starred = legacy.client.post(f"/api/favorites/create/{bob_row}.json", "bob").json()
    assert starred["favorited"] is True
    assert starred["id"] == bob_row
    assert starred["source"] == "api"
    likes = [user["screen_name"] for user in starred["friendica_activities"]["like"]]
    assert likes == ["bob", "alice"]

    assert [status["id"] for status in legacy.client.get("/api/favorites.json", "bob").json()] == [bob_row]
    assert row_of(legacy, "alice", "hello")["favorited"] is False
    assert legacy.client.get("/api/favorites.json", "alice").json() == []

    cleared = legacy.client.post("/api/favorites/destroy.json", "bob", id=bob_row).json()
    assert cleared["favorited"] is False
    assert legacy.client.get("/api/favorites.json", "bob").json() == []


def test_favorite_unknown_row_invalid(legacy: Double) -> None:
    response = legacy.client.post("/api/favorites/create.json", "bob", id=1)
    assert response.status_code == 400
    assert error_of(response)["error"] == "Invalid item."


# Sharing


def test_retweet_shares_the_right_item(legacy: Double) -> None:
    shared = legacy.client.post("/api/statuses/retweet.json", "bob", id=row_of(legacy, "bob", "hello")["id"])
    assert shared.status_code == 200
    answer = shared.json()
    assert answer["text"] == "\u2672 alice: hello"
    assert "friendica_owner" not in answer

    top = home(legacy, "bob")[0]
    assert top["id"] == answer["id"]
    retweeted = top["retweeted_status"]
    assert retweeted["id"] == top["id"]
    assert retweeted["text"] == "hello"
    assert retweeted["user"]["screen_name"] == "alice"
    assert retweeted["user"]["self"] == "0"


def test_retweet_private_forbidden(legacy: Double) -> None:
    legacy.client.post("/api/statuses/update.json", "alice", status="only bob", contact_allow="11")
    row = row_of(legacy, "bob", "only bob")["id"]
    response = legacy.client.post("/api/statuses/retweet.json", "bob", id=row)
    assert response.status_code == 403
    assert error_of(response)["error"] == "Forbidden"


def test_private_post_skips_pending_follower(legacy: Double) -> None:
    # carol's follow request to alice waits: alice's contact 18 for carol is pending.
    followers = legacy.client.get("/api/statuses/followers.json", "alice").json()
    posted = legacy.client.post(
        "/api/statuses/update.json", "alice", status="followers only", contact_allow="11,18"
    )

    assert {user["cid"] for user in followers} == {11, 18}
    assert posted.status_code == 200
    assert row_of(legacy, "bob", "followers only")["user"]["protected"] is True
    assert all(status["text"] != "followers only" for status in home(legacy, "carol", count=200))


def test_destroy_returns_status(legacy: Double) -> None:
    created = legacy.client.post("/api/statuses/update.json", "alice", status="short lived").json()
    removed = legacy.client.post("/api/statuses/destroy.json", "alice", id=created["id"])
    assert removed.status_code == 200
    assert removed.json()["text"] == "short lived"
    assert legacy.client.get(f"/api/statuses/show/{created['id']}.json", "alice").status_code == 400


# Groups, mail, notifications


def test_group_create_update_delete(legacy: Double) -> None:
    client = legacy.client
    created = client.post(
        "/api/friendica/group_create.json", "alice", name="Hikers", json='{"user":[{"cid":11},{"cid":99}]}'
    ).json()
    assert created["success"] is True
    assert created["name"] == "Hikers"
    assert created["status"] == "missing user"
    assert created["wrong users"] == [99]
    gid = created["gid"]
    assert isinstance(gid, str)

    shown = client.get("/api/friendica/group_show.json", "alice", gid=gid).json()
    assert [member["cid"] for member in shown[0]["user"]] == [11]
    assert shown[0]["user"][0]["self"] == "0"

    updated = client.post(
        "/api/friendica/group_update.json", "alice", gid=gid, name="Hikers", json='{"user":[{"cid":15}]}'
    ).json()
    assert updated == {"success": True, "gid": gid, "name": "Hikers", "status": "ok", "wrong users": []}
    members = client.get("/api/friendica/group_show.json", "alice", gid=gid).json()[0]["user"]
    assert [member["cid"] for member in members] == [15]

    wrong_name = client.post("/api/friendica/group_delete.json", "alice", gid=gid, name="Other")
    assert error_of(wrong_name)["error"] == "wrong group name"
    deleted = client.post("/api/friendica/group_delete.json", "alice", gid=gid, name="Hikers").json()
    assert deleted["status"] == "deleted"
    missing = client.get("/api/friendica/group_show.json", "alice", gid=gid)
    assert error_of(missing)["error"] == "gid not available"


def test_group_show_none_is_null(legacy: Double) -> None:
    for group in legacy.client.get("/api/friendica/group_show.json", "erin").json() or []:
        legacy.client.post("/api/friendica/group_delete.json", "erin", gid=group["gid"], name=group["name"])
    response = legacy.client.get("/api/friendica/group_show.json", "erin")
    assert response.text == "null"


def test_circle_names_missing(legacy: Double) -> None:
    assert legacy.client.get("/api/friendica/circle_show.json", "alice").status_code == 501


def test_direct_message_new_and_lists(legacy: Double) -> None:
    client = legacy.client
    sent = client.post(
        "/api/direct_messages/new.json", "alice", screen_name="bob", text="Hello Bob, long text"
    ).json()
    assert sent["title"] == ""
    assert sent["text"] == "Hello Bob,...\nHello Bob, long text"
    assert sent["sender_screen_name"] == "alice"
    assert sent["recipient_screen_name"] == "bob"
    assert "uid" not in sent["sender"]

    inbox = client.get("/api/direct_messages.json", "bob").json()
    assert inbox[0]["friendica_parent_uri"] == sent["friendica_parent_uri"]
    assert inbox[0]["id"] != sent["id"]
    assert inbox[0]["friendica_seen"] == "0"
    plain = client.get("/api/direct_messages.json", "bob", getText="plain").json()[0]
    assert plain["title"] == "Hello Bob,..."
    assert plain["text"] == "Hello Bob, long text"


def test_direct_message_to_stranger_error(legacy: Double) -> None:
    response = legacy.client.post("/api/direct_messages/new.json", "alice", user_id=PUBLIC_ERIN, text="hi")
    assert response.status_code == 200
    assert response.json() == {"error": -1}


def test_direct_message_without_text_empty(legacy: Double) -> None:
    response = legacy.client.post("/api/direct_messages/new.json", "alice", screen_name="bob")
    assert response.status_code == 200
    assert response.content == b""


def test_direct_message_destroy_verbose(legacy: Double) -> None:
    sent = legacy.client.post("/api/direct_messages/new.json", "alice", screen_name="bob", text="bye").json()
    path = "/api/direct_messages/destroy.json?friendica_verbose=true"
    answer = legacy.client.post(
        path, "alice", id=sent["id"], friendica_parenturi=sent["friendica_parent_uri"]
    )
    assert answer.json() == {"result": "ok", "message": "message deleted"}
    again = legacy.client.post(path, "alice", id=sent["id"], friendica_parenturi=sent["friendica_parent_uri"])
    assert again.json() == {"result": "error", "message": "message id not in database"}


def test_empty_mailbox_verbose_error(legacy: Double) -> None:
    response = legacy.client.get("/api/direct_messages.json", "erin", friendica_verbose="true")
    assert response.json() == {"result": "error", "message": "no mails available"}


def test_notifications_false_when_none(legacy: Double) -> None:
    assert legacy.client.get("/api/friendica/notification.json", "erin").json() is False


def test_notification_seen_returns_list(legacy_demo: Double) -> None:
    notes = legacy_demo.client.get("/api/friendica/notifications.json", "alice").json()
    item_note = next(note for note in notes if note["otype"] == "item")
    answer = legacy_demo.client.post(
        "/api/friendica/notification/seen.json", "alice", id=item_note["id"]
    ).json()
    assert isinstance(answer, list)
    assert answer[0]["id"] == int(item_note["iid"])


def test_notifications_under_version_path(legacy_demo: Double) -> None:
    response = legacy_demo.client.get("/api/1.1/friendica/notifications.json", "alice")
    assert response.status_code == 400
    assert error_of(response)["error"] == "Invalid argument count"


# Users


def test_users_show_status_id_is_contact(legacy: Double) -> None:
    shown = legacy.client.get("/api/users/show.json", "alice", screen_name="bob").json()
    assert "status" not in shown

    me = legacy.client.get("/api/users/show.json", "alice").json()
    assert me["status"]["id"] == 2
    assert me["status"]["text"] == "hello"
    assert me["status"]["statusnet_conversation_id"] == "1"


def test_users_show_unknown_screen_name(legacy: Double) -> None:
    response = legacy.client.get("/api/users/show.json", "alice", screen_name="nobody")
    assert response.status_code == 400
    assert error_of(response)["error"] == "User not found."


def test_users_show_anonymous(legacy: Double) -> None:
    shown = legacy.client.get("/api/users/show.json", screen_name="bob").json()
    assert shown["screen_name"] == "bob"
    assert shown["cid"] == 4
    assert legacy.client.get("/api/users/show.json").status_code == 401


def test_user_timeline_needs_address_book(legacy: Double) -> None:
    assert legacy.client.get("/api/statuses/user_timeline.json", "alice", user_id=PUBLIC_ERIN).json() == []
    bob = legacy.client.get("/api/statuses/user_timeline.json", "alice", screen_name="bob").json()
    assert [status["text"] for status in bob] == ["second post from bob"]


def test_photo_detail_shape(legacy: Double) -> None:
    listed = legacy.client.get("/api/friendica/photos/list.json", "alice").json()
    photo_id = listed[0]["id"]
    photo = legacy.client.get("/api/friendica/photo.json", "alice", photo_id=photo_id).json()
    assert photo["width"] == "40"
    assert photo["height"] == "30"
    assert photo["profile"] == "0"
    assert photo["link"] == [f"{BASE_URL}/photo/{photo_id}-0.png"]
    assert "datasize" not in photo
    assert list(photo)[-3:] == ["friendica_activities", "friendica_comments", "rights_mismatch"]
    # 3.5.4 tests "scale" with empty(), so scale 0 brings no data.
    scale_zero = legacy.client.get("/api/friendica/photo.json", "alice", photo_id=photo_id, scale="0").json()
    assert "data" not in scale_zero


def test_photo_create_and_scale_data(legacy: Double) -> None:
    created = legacy.client.request(
        "POST",
        "/api/friendica/photo/create.json",
        user="alice",
        data={"album": "Trips", "desc": "a view"},
        files={"media": ("view.png", picture((700, 500)), "image/png")},
    ).json()
    photo_id = created["id"]
    assert created["album"] == "Trips"
    assert len(created["link"]) == 3
    scaled = legacy.client.get("/api/friendica/photo.json", "alice", photo_id=photo_id, scale="1").json()
    assert list(scaled)[0] == "data"
    assert scaled["width"] == "640"
    assert isinstance(scaled["datasize"], str)

    renamed = legacy.client.post(
        "/api/friendica/photoalbum/update.json", "alice", album="Trips", album_new="Travel"
    ).json()
    assert renamed["result"] == "updated"
    deleted = legacy.client.post("/api/friendica/photo/delete.json", "alice", photo_id=photo_id).json()
    assert deleted["result"] == "deleted"
    missing = legacy.client.get("/api/friendica/photo.json", "alice", photo_id=photo_id)
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "404 Not Found"

"""The gnusocial profile: GNU social 1.2's API shapes, errors and endpoints, against hand-written JSON."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from friendica_double import gnusocial_render
from friendica_double.context import Site

from .pictures import picture
from .support import BASE_URL, Double

ALICE = 3
BOB = 5
CAROL = 8
ERIN = 20


def berlin(stored: str) -> str:
    """Return a stored UTC time as GNU social writes it for a server in Europe/Berlin."""
    moment = datetime.strptime(stored, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo("Europe/Berlin")).strftime("%a %b %d %H:%M:%S %z %Y")


def stored(double: Double, sql: str, args: list[Any]) -> Any:
    return double.app.state.site.store.scalar(sql, args)


def home(double: Double, user: str, **params: Any) -> list[dict[str, Any]]:
    response = double.client.get("/api/statuses/home_timeline.json", user, **params)
    assert response.status_code == 200, response.text[:300]
    statuses: list[dict[str, Any]] = response.json()
    return statuses


def test_status_shape_as_written(gnusocial: Double) -> None:
    status = home(gnusocial, "bob")[-1]
    alice_created = stored(gnusocial, "SELECT created FROM contact WHERE id = ?", [ALICE])
    hello_created = stored(gnusocial, "SELECT created FROM item WHERE uri_id = 1", [])
    expected = {
        "text": "hello",
        "truncated": False,
        "created_at": berlin(hello_created),
        "in_reply_to_status_id": None,
        "uri": f"tag:127.0.0.1,{hello_created[:10]}:noticeId=1:objectType=note",
        "source": "api",
        "source_link": None,
        "id": 1,
        "in_reply_to_user_id": None,
        "in_reply_to_screen_name": None,
        "geo": None,
        "user": {
            "id": ALICE,
            "name": "Alice Test",
            "screen_name": "alice",
            "location": None,
            "description": None,
            "profile_image_url": f"{BASE_URL}/photo/contact/48/3",
            "profile_image_url_https": f"{BASE_URL}/photo/contact/48/3",
            "profile_image_url_profile_size": f"{BASE_URL}/photo/contact/96/3",
            "profile_image_url_original": f"{BASE_URL}/photo/contact/96/3",
            "groups_count": 0,
            "linkcolor": None,
            "backgroundcolor": None,
            "url": None,
            "protected": False,
            "followers_count": 1,
            "friends_count": 2,
            "created_at": berlin(alice_created),
            "utc_offset": "0",
            "time_zone": "UTC",
            "statuses_count": 1,
            "following": True,
            "statusnet_blocking": False,
            "notifications": False,
            "statusnet_profile_url": f"{BASE_URL}/profile/alice",
            "favourites_count": 1,
        },
        "statusnet_html": "hello",
        "statusnet_conversation_id": 1,
        "favorited": True,
        "repeated": False,
        "attentions": [],
        "fave_num": 2,
        "repeat_num": 0,
    }
    assert status == expected
    assert list(status) == list(expected)


def test_no_friendica_keys(gnusocial_demo: Double) -> None:
    for status in home(gnusocial_demo, "alice", count=50):
        keys = set(status) | set(status["user"])
        assert not {key for key in keys if key.endswith("_str")}
        assert not {key for key in keys if key.startswith("friendica_")}
        assert "cid" not in keys
        assert "network" not in keys


def test_dates_use_server_timezone(gnusocial: Double) -> None:
    status = home(gnusocial, "bob")[-1]
    assert status["created_at"].endswith("+0100 2026") or status["created_at"].endswith("+0200 2026")
    site: Site = gnusocial.app.state.site
    tokyo = dataclasses.replace(site, profile=dataclasses.replace(site.profile, timezone="Asia/Tokyo"))
    assert gnusocial_render.notice_date(tokyo, "2026-12-04 20:01:47") == "Sat Dec 05 05:01:47 +0900 2026"
    assert gnusocial_render.notice_date(site, "2026-07-04 20:01:47") == "Sat Jul 04 22:01:47 +0200 2026"


def test_user_counts_are_real(gnusocial: Double) -> None:
    bob = gnusocial.client.get("/api/users/show.json", screen_name="bob").json()
    assert bob["followers_count"] == 2
    assert bob["friends_count"] == 2
    assert bob["statuses_count"] == 1
    assert bob["favourites_count"] == 1
    assert bob["status"]["text"] == "second post from bob"
    assert "user" not in bob["status"]


def test_favorite_is_real_fave(gnusocial: Double) -> None:
    client = gnusocial.client
    faved = client.post("/api/favorites/create/2.json", "carol").json()
    assert faved["favorited"] is True
    assert faved["fave_num"] == 1
    assert [status["id"] for status in client.get("/api/favorites.json", "carol").json()] == [2]
    assert client.get("/api/statuses/show/2.json", "bob").json()["favorited"] is False

    again = client.post("/api/favorites/create.json", "carol", id=2)
    assert again.status_code == 403
    assert again.json() == {
        "error": "You have already favorited this!",
        "request": "/api/favorites/create.json",
    }

    undone = client.post("/api/favorites/destroy/2.json", "carol").json()
    assert undone["favorited"] is False
    assert undone["fave_num"] == 0
    not_faved = client.post("/api/favorites/destroy/2.json", "carol")
    assert not_faved.status_code == 403
    assert not_faved.json()["error"] == "That status is not a favorite."


def test_retweet_has_own_id(gnusocial: Double) -> None:
    client = gnusocial.client
    repeat = client.post("/api/statuses/retweet/1.json", "bob").json()
    assert repeat["id"] != 1
    assert repeat["text"] == "RT @alice hello"
    assert repeat["user"]["screen_name"] == "bob"
    original = repeat["retweeted_status"]
    assert original["id"] == 1
    assert original["repeated"] is True
    assert original["repeated_id"] == repeat["id"]
    assert original["repeat_num"] == 1
    assert "retweeted_status" not in original
    assert home(gnusocial, "bob")[0]["id"] == repeat["id"]

    twice = client.post("/api/statuses/retweet/1.json", "bob")
    assert twice.status_code == 400
    assert twice.json()["error"] == "You already repeated that notice."
    own = client.post("/api/statuses/retweet/1.json", "alice")
    assert own.json()["error"] == "You cannot repeat your own notice."


def test_retweet_needs_id_in_path(gnusocial: Double) -> None:
    response = gnusocial.client.post("/api/statuses/retweet.json", "bob", id=1)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_friendships_create_and_destroy(gnusocial: Double) -> None:
    client = gnusocial.client
    followed = client.post("/api/friendships/create.json", "erin", screen_name="bob").json()
    assert followed["screen_name"] == "bob"
    assert followed["following"] is True
    assert followed["followers_count"] == 3
    assert ERIN in client.get("/api/followers/ids.json", "bob").json()

    again = client.post("/api/friendships/create/bob.json", "erin")
    assert again.status_code == 403
    assert again.json()["error"] == "Could not follow user: bob is already on your list."

    dropped = client.post("/api/friendships/destroy.json", "erin", user_id=BOB).json()
    assert dropped["following"] is False
    assert dropped["followers_count"] == 2
    not_following = client.post("/api/friendships/destroy.json", "erin", user_id=BOB)
    assert not_following.status_code == 500
    assert not_following.json()["error"] == "Not subscribed!"


def test_friendship_show_and_exists(gnusocial: Double) -> None:
    client = gnusocial.client
    relation = client.get("/api/friendships/show.json", "alice", target_screen_name="dave").json()
    assert relation["relationship"]["source"] == {
        "screen_name": "alice",
        "followed_by": False,
        "following": True,
        "notifications_enabled": False,
        "blocking": False,
        "id": ALICE,
    }
    assert client.get("/api/friendships/exists.json", user_a="alice", user_b="bob").json() is True
    assert client.get("/api/friendships/exists.json", user_a="erin", user_b="bob").json() is False


def test_ids_are_bare_arrays(gnusocial: Double) -> None:
    assert sorted(gnusocial.client.get("/api/friends/ids.json", "alice").json()) == [BOB, 10]
    assert gnusocial.client.get("/api/followers/ids/erin.json").json() == []


def test_update_with_media_id(gnusocial: Double) -> None:
    client = gnusocial.client
    upload = client.request(
        "POST",
        "/api/media/upload.json",
        user="alice",
        files={"media": ("a.png", picture((400, 300)), "image/png")},
    ).json()
    media_id = upload["media_id"]
    assert upload == {
        "media_id": media_id,
        "media_id_string": str(media_id),
        "media_url": f"{BASE_URL}/attachment/{media_id}",
        "size": upload["size"],
        "image": {"w": 400, "h": 300, "image_type": "image/png"},
    }
    status = client.post(
        "/api/statuses/update.json", "alice", status="a picture", media_ids=str(media_id)
    ).json()
    assert status["text"] == f"a picture {BASE_URL}/attachment/{media_id}"
    (attachment,) = status["attachments"]
    assert attachment["mimetype"] == "image/png"
    assert attachment["url"].startswith(f"{BASE_URL}/photo/")
    page = client.get(f"/attachment/{media_id}")
    assert page.status_code == 302


def test_media_upload_error_shape(gnusocial: Double) -> None:
    response = gnusocial.client.request("POST", "/api/media/upload.json", user="alice")
    assert response.status_code == 200
    assert response.json() == {
        "errors": [{"message": 'There is no uploaded media for input field "media".', "code": 131}]
    }


def test_update_needs_status(gnusocial: Double) -> None:
    response = gnusocial.client.post("/api/statuses/update.json", "alice", status="")
    assert response.status_code == 400
    assert response.json() == {
        "error": "Client must provide a 'status' parameter with a value.",
        "request": "/api/statuses/update.json",
    }


def test_reply_and_mentions(gnusocial: Double) -> None:
    client = gnusocial.client
    reply = client.post(
        "/api/statuses/update.json", "bob", status="@alice nice", in_reply_to_status_id=1
    ).json()
    assert reply["in_reply_to_status_id"] == 1
    assert reply["in_reply_to_user_id"] == ALICE
    assert reply["in_reply_to_screen_name"] == "alice"
    assert reply["statusnet_conversation_id"] == 1
    assert reply["attentions"][0]["screen_name"] == "alice"
    mentions = client.get("/api/statuses/mentions.json", "alice").json()
    assert [status["id"] for status in mentions] == [reply["id"]]
    thread = client.get("/api/statusnet/conversation/1.json").json()
    assert [status["id"] for status in thread] == [reply["id"], 1]


def test_destroy_own_only(gnusocial: Double) -> None:
    other = gnusocial.client.post("/api/statuses/destroy/1.json", "bob")
    assert other.status_code == 403
    assert other.json()["error"] == "You may not delete another user's status."
    gone = gnusocial.client.post("/api/statuses/destroy/1.json", "alice")
    assert gone.json()["text"] == "hello"
    missing = gnusocial.client.get("/api/statuses/show/1.json")
    assert missing.status_code == 404
    assert missing.json()["error"] == "No such notice."


def test_errors_and_login(gnusocial: Double) -> None:
    response = gnusocial.client.get("/api/statuses/home_timeline.json?count=1")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Local GNU social (double) API"'
    assert response.json() == {
        "error": "Could not authenticate you.",
        "request": "/api/statuses/home_timeline.json?count=1",
    }
    wrong = gnusocial.client.request(
        "GET", "/api/account/verify_credentials.json", user="alice", password="x"
    )
    assert wrong.status_code == 401


def test_jsonp_error_has_status_200(gnusocial: Double) -> None:
    response = gnusocial.client.get("/api/statuses/show/999.json", callback="cb")
    assert response.status_code == 200
    assert response.text.startswith('cb({"error":"No such notice."')


def test_post_only_methods(gnusocial: Double) -> None:
    response = gnusocial.client.get("/api/statuses/update.json", "alice")
    assert response.status_code == 405
    assert response.json()["error"] == "This method requires a POST."


@pytest.mark.parametrize(
    "path",
    [
        "/api/statuses/home_timeline",
        "/api/account/verify_credentials",
        "/api/friendica/photos/list.json",
        "/api/friendica/notifications.json",
        "/api/friendica/group_show.json",
        "/api/friendica/circle_show.json",
        "/api/friendica/profile/show.json",
        "/api/friendica/activity/like.json",
        "/api/v1/apps",
        "/api/v1/accounts/verify_credentials",
        "/api/blocks/list.json",
        "/api/blocks/ids.json",
        "/api/blocks/blocking.json",
        "/oauth/authorize",
    ],
)
def test_missing_endpoints_page(gnusocial: Double, path: str) -> None:
    response = gnusocial.client.get(path, "alice")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_config_and_version(gnusocial: Double) -> None:
    config = gnusocial.client.get("/api/statusnet/config.json").json()
    assert list(config) == [
        "site",
        "license",
        "nickname",
        "profile",
        "group",
        "notice",
        "throttle",
        "xmpp",
        "integration",
        "attachments",
        "url",
    ]
    assert "friendica" not in config["site"]
    assert config["site"]["timezone"] == "Europe/Berlin"
    assert config["site"]["textlimit"] == 1000
    assert config["site"]["closed"] is False
    assert gnusocial.client.get("/api/statusnet/version.json").json() == "1.2.0-beta4"
    assert gnusocial.client.get("/api/gnusocial/version.json").json() == "1.2.0-beta4"


def test_rate_limit_numbers(gnusocial: Double) -> None:
    limits = gnusocial.client.get("/api/account/rate_limit_status.json", "alice").json()
    assert limits["remaining_hits"] == 150
    assert limits["hourly_limit"] == 150
    assert limits["reset_time"].endswith(("+0100", "+0200"))


def test_direct_messages(gnusocial_demo: Double) -> None:
    client = gnusocial_demo.client
    inbox = client.get("/api/direct_messages.json", "bob").json()
    message = inbox[0]
    assert list(message) == [
        "id",
        "sender_id",
        "text",
        "recipient_id",
        "created_at",
        "sender_screen_name",
        "recipient_screen_name",
        "sender",
        "recipient",
    ]
    sent = client.get("/api/direct_messages/sent.json", "alice").json()
    assert message["id"] in [item["id"] for item in sent]


def test_direct_message_new_fails_after_storing(gnusocial: Double) -> None:
    client = gnusocial.client
    response = client.post("/api/direct_messages/new.json", "alice", screen_name="bob", text="hi bob")
    assert response.status_code == 500
    assert "showSingleJsondirectMessage" in response.json()["error"]
    assert client.get("/api/direct_messages.json", "bob").json()[0]["text"] == "hi bob"

    stranger = client.post("/api/direct_messages/new.json", "alice", screen_name="erin", text="hi")
    assert stranger.status_code == 403
    assert stranger.json()["error"] == "Cannot send direct messages to users who aren't your friend."


def test_seeded_repeat_visible(gnusocial_demo: Double) -> None:
    repeats = [status for status in home(gnusocial_demo, "alice", count=100) if "retweeted_status" in status]
    assert repeats
    repeat = repeats[0]
    assert repeat["user"]["screen_name"] == "bob"
    assert repeat["retweeted_status"]["user"]["screen_name"] == "alice"
    assert repeat["id"] != repeat["retweeted_status"]["id"]


# Blocks (ApiBlockCreateAction, ApiBlockDestroyAction and User::block() of 1.2)


def friends(double: Double, user: str) -> list[int]:
    ids: list[int] = double.client.get(f"/api/friends/ids/{user}.json").json()
    return ids


def test_block_ends_subscriptions_both_ways(gnusocial: Double) -> None:
    client = gnusocial.client
    assert BOB in friends(gnusocial, "alice")
    assert ALICE in friends(gnusocial, "bob")

    blocked = client.post("/api/blocks/create/bob.json", "alice")
    relation = client.get("/api/friendships/show.json", "alice", target_id=BOB).json()
    refused = client.post("/api/friendships/create.json", "bob", user_id=ALICE)

    assert blocked.status_code == 200
    body = blocked.json()
    assert list(body)[:3] == ["id", "name", "screen_name"]
    assert body["id"] == BOB
    assert body["statusnet_blocking"] is True
    assert body["following"] is False
    assert "user" not in body["status"]
    assert BOB not in friends(gnusocial, "alice")
    assert ALICE not in friends(gnusocial, "bob")
    assert relation["relationship"]["source"] == {
        "screen_name": "alice",
        "followed_by": False,
        "following": False,
        "notifications_enabled": False,
        "blocking": True,
        "id": ALICE,
    }
    assert relation["relationship"]["target"]["blocking"] is False
    assert refused.status_code == 500
    assert refused.json() == {"error": "User has blocked you.", "request": "/api/friendships/create.json"}


def test_block_twice_and_unblock(gnusocial: Double) -> None:
    client = gnusocial.client
    first = client.post("/api/blocks/create.json", "alice", user_id=CAROL)
    second = client.post("/api/blocks/create.json", "alice", screen_name="carol")
    lifted = client.post("/api/blocks/destroy.json", "alice", user_id=CAROL)
    lifted_again = client.post("/api/blocks/destroy/carol.json", "alice")
    followed_again = client.post("/api/friendships/create.json", "carol", user_id=ALICE)

    assert first.status_code == 200
    assert second.status_code == 200
    assert second.json()["statusnet_blocking"] is True
    assert lifted.status_code == 200
    assert lifted.json()["statusnet_blocking"] is False
    assert lifted_again.status_code == 200
    assert lifted_again.json()["statusnet_blocking"] is False
    assert followed_again.status_code == 200


@pytest.mark.parametrize(
    ("path", "form", "status", "error"),
    [
        ("/api/blocks/create.json", {}, 403, "You cannot block yourself!"),
        ("/api/blocks/create/alice.json", {}, 403, "You cannot block yourself!"),
        ("/api/blocks/create.json", {"user_id": "999"}, 404, "No such user."),
        ("/api/blocks/destroy.json", {"user_id": "999"}, 404, "No such user."),
        ("/api/blocks/create/999.json", {}, 500, "No result found on Profile lookup."),
        ("/api/blocks/create/nobody.json", {}, 500, "No such user found."),
        ("/api/blocks/destroy.json", {"screen_name": "nobody"}, 500, "No such user found."),
    ],
)
def test_block_errors(gnusocial: Double, path: str, form: dict[str, str], status: int, error: str) -> None:
    response = gnusocial.client.post(path, "alice", **form)

    assert response.status_code == status
    assert response.json() == {"error": error, "request": path}


def test_blocks_need_post_and_login(gnusocial: Double) -> None:
    as_get = gnusocial.client.get("/api/blocks/create/bob.json", "alice")
    anonymous = gnusocial.client.post("/api/blocks/destroy/bob.json")

    assert as_get.status_code == 405
    assert as_get.json()["error"] == "This method requires a POST."
    assert anonymous.status_code == 401
    assert anonymous.json()["error"] == "Could not authenticate you."


# Profile changes (ApiAccountUpdateProfileAction, ApiAccountUpdateProfileImageAction of 1.2)


def test_update_profile_sets_every_field(gnusocial: Double) -> None:
    response = gnusocial.client.post(
        "/api/account/update_profile.json",
        "alice",
        name="  Alice Changed ",
        description="Plain [text] here",
        url="https://alice.example",
        location="Berlin",
    )
    shown = gnusocial.client.get("/api/users/show/alice.json").json()

    assert response.status_code == 200
    changed = response.json()
    assert changed["id"] == ALICE
    assert changed["name"] == "Alice Changed"
    assert changed["description"] == "Plain [text] here"
    assert changed["url"] == "https://alice.example"
    assert changed["location"] == "Berlin"
    assert "status" in changed
    assert (shown["name"], shown["description"], shown["url"]) == (
        "Alice Changed",
        "Plain [text] here",
        "https://alice.example",
    )


def test_update_profile_clears_fields_left_out(gnusocial: Double) -> None:
    client = gnusocial.client
    client.post(
        "/api/account/update_profile.json", "bob", name="Bob B", url="https://bob.example", location="Kiel"
    )

    cleared = client.post("/api/account/update_profile.json", "bob", description="Only text").json()

    assert cleared["name"] == "bob"
    assert cleared["description"] == "Only text"
    assert cleared["url"] is None
    assert cleared["location"] is None


def test_update_profile_needs_post_and_login(gnusocial: Double) -> None:
    as_get = gnusocial.client.get("/api/account/update_profile.json", "alice")
    anonymous = gnusocial.client.post("/api/account/update_profile_image.json")

    assert as_get.status_code == 405
    assert anonymous.status_code == 401


def test_update_profile_image_replaces_avatar(gnusocial: Double) -> None:
    client = gnusocial.client
    before = client.get("/api/users/show/erin.json").json()["profile_image_url"]
    old_picture = client.get(before.removeprefix(BASE_URL)).content

    response = client.request(
        "POST",
        "/api/account/update_profile_image.json",
        user="erin",
        files={"image": ("a.png", picture((200, 200), colour="red"), "image/png")},
    )
    new_picture = client.get(response.json()["profile_image_url"].removeprefix(BASE_URL))

    assert response.status_code == 200
    assert response.json()["id"] == ERIN
    assert new_picture.status_code == 200
    assert new_picture.content != old_picture


@pytest.mark.parametrize(
    "files",
    [None, {"image": ("a.txt", b"not a picture", "text/plain")}, {"media": ("a.png", b"x", "image/png")}],
)
def test_update_profile_image_rejects_bad_files(
    gnusocial: Double, files: dict[str, tuple[str, bytes, str]] | None
) -> None:
    response = gnusocial.client.request(
        "POST", "/api/account/update_profile_image.json", user="erin", data={"x": "1"}, files=files
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "Not an image or corrupt file.",
        "request": "/api/account/update_profile_image.json",
    }


# Search (ApiSearchJSONAction of 1.2 with the "like" search engine)


def search(double: Double, **params: Any) -> list[dict[str, Any]]:
    response = double.client.get("/api/search.json", **params)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    found: list[dict[str, Any]] = response.json()
    return found


def test_search_matches_text_case_insensitively(gnusocial: Double) -> None:
    client = gnusocial.client
    tagged = client.post("/api/statuses/update.json", "alice", status="Counting #Ducks today").json()
    longer = client.post("/api/statuses/update.json", "bob", status="More #ducksoup please").json()
    client.post("/api/statuses/update.json", "bob", status="Nothing to see")

    found = search(gnusocial, q="#ducks")

    assert [status["id"] for status in found] == [longer["id"], tagged["id"]]
    assert found[1]["text"] == "Counting #Ducks today"
    assert found[1]["user"]["screen_name"] == "alice"
    assert found[1]["statusnet_conversation_id"] == tagged["id"]


def test_search_lists_notices_out_of_scope(gnusocial_demo: Double) -> None:
    party = gnusocial_demo.seed.statuses["private_party"]

    found = search(gnusocial_demo, q="surprise party")
    shown = gnusocial_demo.client.get("/api/statuses/show.json", "carol", id=str(party))

    # 1.2's search applies no scope, but statuses/show does.
    assert [status["id"] for status in found] == [party]
    assert shown.status_code == 403
    assert shown.json()["error"] == "Access restricted."


def test_search_pages_hold_one_more(gnusocial: Double) -> None:
    client = gnusocial.client
    ids = [
        client.post("/api/statuses/update.json", "alice", status=f"paging word {number}").json()["id"]
        for number in range(5)
    ]
    newest_first = ids[::-1]

    first = search(gnusocial, q="paging word", rpp="2")
    second = search(gnusocial, q="paging word", rpp="2", page="2")
    third = search(gnusocial, q="paging word", rpp="2", page="3")
    ignored = search(gnusocial, q="paging word", rpp="2", max_id=str(ids[1]), since_id=str(ids[3]))

    assert [status["id"] for status in first] == newest_first[0:3]
    assert [status["id"] for status in second] == newest_first[2:5]
    assert [status["id"] for status in third] == newest_first[4:5]
    assert [status["id"] for status in ignored] == newest_first[0:3]


def test_search_defaults(gnusocial: Double) -> None:
    client = gnusocial.client
    for number in range(17):
        client.post("/api/statuses/update.json", "carol", status=f"default page {number}")

    assert len(search(gnusocial, q="default page")) == 16
    assert len(search(gnusocial, q="default page", rpp="0", page="0")) == 16
    assert search(gnusocial, q="no notice says this") == []

"""The legacy dialect (Friendica 3.5 to 2021.09) on hand-written upstream JSON in 3.5.4's shapes.

Normalisers are checked as dict in, dict out. Strategies and the client's
error handling run against respx, so each test also shows which upstream
calls a behaviour makes, and which it must never make.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from gateway.dialects import DIALECTS, Dialect, LegacyDialect, dialect_for
from gateway.errors import NotFound, UpstreamHTTPError
from gateway.upstream import BasicCredential, FriendicaClient, UpstreamUnverified
from mappings.context import MappingContext
from mappings.friendica import parse_status
from mappings.statuses import viewer_favourited

pytestmark = pytest.mark.anyio

BASE = "http://upstream.test"
BOB = BasicCredential("bob", "s3cret-password")
# Public contact ids, the user ids of 3.5.4's API.
ALICE_ID, BOB_ID, CAROL_ID = 3, 5, 8
POSTED = "Sat Dec 05 10:00:00 +0000 2026"

LEGACY = LegacyDialect()


def user(public_id: int, nickname: str, **changes: Any) -> dict[str, Any]:
    """Return a 3.5.4 user object as seen by bob: ``utc_offset`` is the string "0", counts are 0."""
    found = {
        "id": public_id,
        "id_str": str(public_id),
        "name": nickname.capitalize(),
        "screen_name": nickname,
        "location": "",
        "description": None,
        "profile_image_url": f"{BASE}/photo/contact/48/{public_id}",
        "profile_image_url_https": f"{BASE}/photo/contact/48/{public_id}",
        "url": f"{BASE}/profile/{nickname}",
        "protected": False,
        "followers_count": 0,
        "friends_count": 0,
        "listed_count": 0,
        "created_at": "Wed May 23 06:01:13 +0000 2007",
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
        "following": True,
        "follow_request_sent": False,
        "statusnet_blocking": False,
        "notifications": False,
        "statusnet_profile_url": f"{BASE}/profile/{nickname}",
        "cid": public_id + 10,
        "network": "dfrn",
    }
    return {**found, **changes}


def status(status_id: int, author: dict[str, Any], text: str = "hello", **changes: Any) -> dict[str, Any]:
    """Return 3.5.4's main status shape: per-user ``id``, string conversation id, ``attachments: false``."""
    found = {
        "text": text,
        "truncated": False,
        "created_at": POSTED,
        "in_reply_to_status_id": None,
        "in_reply_to_status_id_str": None,
        "source": "Friendica",
        "id": status_id,
        "id_str": str(status_id),
        "in_reply_to_user_id": None,
        "in_reply_to_user_id_str": None,
        "in_reply_to_screen_name": None,
        "geo": None,
        "favorited": False,
        "user": author,
        "friendica_owner": {**author, "uid": 3, "self": "0"},
        "statusnet_html": text,
        "statusnet_conversation_id": str(status_id),
        "friendica_activities": no_activities(),
        "attachments": False,
    }
    return {**found, **changes}


def no_activities() -> dict[str, list[dict[str, Any]]]:
    """Return 3.5.4's ``friendica_activities`` of a post nobody reacted to (no ``announce`` yet)."""
    return {"like": [], "dislike": [], "attendyes": [], "attendno": [], "attendmaybe": []}


def update_answer(status_id: int, author: dict[str, Any], text: str) -> dict[str, Any]:
    """Return 3.5.4's second status shape, which ``statuses/update`` and ``statuses/retweet`` answer."""
    return {
        "created_at": POSTED,
        "id": status_id,
        "id_str": str(status_id),
        "text": text,
        "source": "mastogate",
        "truncated": False,
        "in_reply_to_status_id": None,
        "in_reply_to_status_id_str": None,
        "in_reply_to_user_id": None,
        "in_reply_to_user_id_str": None,
        "in_reply_to_screen_name": None,
        "user": author,
        "geo": None,
        "coordinates": "",
        "place": "",
        "contributors": "",
        "is_quote_status": False,
        "retweet_count": 0,
        "favorite_count": 0,
        "favorited": False,
        "retweeted": False,
        "possibly_sensitive": False,
        "lang": "",
        "statusnet_html": text,
        "statusnet_conversation_id": str(status_id),
        "attachments": False,
    }


def wrapped_error(status_code: int, message: str, request: str) -> httpx.Response:
    """Return a 3.5.4 error: the body wrapped in ``status``, with the code as a string."""
    reasons = {400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error"}
    body = {"status": {"error": message, "code": f"{status_code} {reasons[status_code]}", "request": request}}
    return httpx.Response(status_code, json=body)


@pytest.fixture
async def client():
    async with httpx.AsyncClient() as http:
        upstream = FriendicaClient(BASE, http)
        upstream.use_dialect(LEGACY)
        yield upstream


# Picking a dialect


def test_generations_have_their_dialects():
    assert isinstance(dialect_for("legacy"), LegacyDialect)
    assert type(dialect_for("modern")) is Dialect
    assert DIALECTS["legacy"] is LegacyDialect


def test_legacy_facts():
    assert LEGACY.item_ids_per_user is True
    assert LEGACY.favorited_is_like is False
    assert LEGACY.bookmarks_on_star is True
    assert LEGACY.retweet_shares is True
    assert LEGACY.contact_source == "statuses"


# Normalisers


def test_numbers_sent_as_strings_become_numbers():
    raw = status(41, user(ALICE_ID, "alice"), in_reply_to_status_id="40", statusnet_conversation_id="40")

    normalised = LEGACY.status(raw)

    assert normalised["statusnet_conversation_id"] == 40
    assert normalised["in_reply_to_status_id"] == 40
    assert normalised["user"]["utc_offset"] == 0
    assert normalised["friendica_owner"]["utc_offset"] == 0


def test_protected_author_means_the_item_has_an_acl():
    private = LEGACY.status(status(41, user(ALICE_ID, "alice", protected=True)))
    public = LEGACY.status(status(42, user(ALICE_ID, "alice")))

    assert private["friendica_private"] is True
    # The account itself is not locked: 3.5.4 reports the item's ACL in its author object.
    assert private["user"]["protected"] is False
    assert public["friendica_private"] is False


def test_author_is_the_user_object():
    normalised = LEGACY.status(status(41, user(ALICE_ID, "alice")))

    assert normalised["friendica_author"]["id"] == ALICE_ID
    assert normalised["friendica_author"]["screen_name"] == "alice"


def test_attachments_false_becomes_an_empty_list():
    normalised = LEGACY.status(status(41, user(ALICE_ID, "alice")))

    assert normalised["attachments"] == []


def test_favorited_is_the_private_star_not_a_like():
    starred = status(41, user(ALICE_ID, "alice"), favorited=True)
    liked = status(
        42,
        user(ALICE_ID, "alice"),
        friendica_activities={"like": [user(BOB_ID, "bob")], "dislike": [], "attendyes": []},
    )
    context = MappingContext("http://gateway.test", BASE, viewer_id=BOB_ID, favorited_is_like=False)

    starred_status = parse_status(LEGACY.status(starred))
    liked_status = parse_status(LEGACY.status(liked))

    assert starred_status.friendica_starred is True
    assert viewer_favourited(starred_status, context) is False
    assert liked_status.friendica_starred is False
    assert viewer_favourited(liked_status, context) is True


def test_activities_list_every_verb():
    normalised = LEGACY.status(status(41, user(ALICE_ID, "alice"), friendica_activities={"like": []}))

    assert set(normalised["friendica_activities"]) >= {"like", "dislike", "announce"}
    assert normalised["friendica_activities"]["announce"] == []


def test_title_is_read_from_the_leading_h4():
    raw = status(41, user(ALICE_ID, "alice"), statusnet_html="<h4>Trip &amp; notes</h4><br>We went up.")

    assert LEGACY.status(raw)["friendica_title"] == "Trip & notes"
    assert LEGACY.status(status(42, user(ALICE_ID, "alice")))["friendica_title"] == ""


def test_share_of_unknown_author_is_dropped():
    outer = status(41, user(BOB_ID, "bob"))
    known = LEGACY.status({**outer, "retweeted_status": {**outer, "user": user(ALICE_ID, "alice")}})
    unknown = LEGACY.status({**outer, "retweeted_status": {**outer, "user": []}})

    assert known["retweeted_status"]["friendica_author"]["id"] == ALICE_ID
    assert "retweeted_status" not in unknown


def test_mail_numbers_and_seen_flag():
    mail = {
        "id": "12",
        "sender_id": "3",
        "text": "Hi\nthere",
        "recipient_id": "5",
        "created_at": POSTED,
        "sender_screen_name": "alice",
        "recipient_screen_name": "bob",
        "sender": user(ALICE_ID, "alice"),
        "recipient": user(BOB_ID, "bob"),
        "title": "Hi",
        "friendica_seen": "0",
        "friendica_parent_uri": "urn:X-dfrn:upstream.test:2:abc",
    }

    normalised = LEGACY.mail(mail)

    assert (normalised["id"], normalised["sender_id"], normalised["recipient_id"]) == (12, 3, 5)
    assert normalised["friendica_seen"] is False
    assert normalised["sender"]["utc_offset"] == 0


def test_notification_rows_name_the_viewers_row():
    row = {
        "id": "7",
        "hash": "0123abcd",
        "type": "8",
        "name": "Alice",
        "url": f"{BASE}/profile/alice",
        "photo": f"{BASE}/photo/contact/48/3",
        "date": "2026-12-05 10:00:00",
        "msg": "",
        "uid": "3",
        "link": f"{BASE}/display/bob/41",
        "iid": "41",
        "parent": "40",
        "seen": "0",
        "verb": "http://activitystrea.ms/schema/1.0/post",
        "otype": "item",
    }

    normalised = LEGACY.notification(row)

    assert (normalised["id"], normalised["type"], normalised["iid"], normalised["parent"]) == (7, 8, 41, 40)
    assert normalised["seen"] is False
    assert LEGACY.notification_key(normalised) == "41"
    assert LEGACY.status_key(LEGACY.status(status(41, user(ALICE_ID, "alice")))) == "41"


def test_group_show_without_groups_and_string_gids():
    assert LEGACY.circles(None) == []
    assert LEGACY.circles([{"name": "Hikers", "gid": "7", "user": []}]) == [
        {"name": "Hikers", "gid": 7, "user": []}
    ]


def test_photo_scales_come_from_its_links():
    photo = {
        "id": "0123456789abcdef0123456789abcdef",
        "album": "Mastodon uploads",
        "width": "800",
        "height": "600",
        "link": {
            "0": f"{BASE}/photo/0123456789abcdef0123456789abcdef-0.png",
            "1": f"{BASE}/photo/0123456789abcdef0123456789abcdef-1.png",
        },
    }

    normalised = LEGACY.photo(photo)

    assert normalised["scales"] == [
        {"scale": 0, "link": photo["link"]["0"], "width": 800, "height": 600},
        {"scale": 1, "link": photo["link"]["1"]},
    ]
    assert normalised["media-id"] is None


# Errors wrapped in "status"


@respx.mock
async def test_wrapped_400_of_statuses_show_is_not_found(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(
        return_value=wrapped_error(400, "There is no status with this id.", "api/statuses/show.json?id=5")
    )

    with pytest.raises(NotFound):
        await client.show_status(BOB, 5)


@respx.mock
async def test_wrapped_error_message_is_read(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(
        return_value=wrapped_error(400, "Invalid item.", "api/statuses/update.json")
    )

    with pytest.raises(UpstreamHTTPError) as error:
        await client.post_update(BOB, {"status": "hello"})

    assert error.value.upstream_status == 400
    assert error.value.upstream_message == "Invalid item."


# Likes: friendica/activity/like toggles before 2020.07, so it is never sent twice


def show_route(*answers: dict[str, Any]) -> respx.Route:
    return respx.get(f"{BASE}/api/statuses/show.json").mock(
        side_effect=[httpx.Response(200, json=answer) for answer in answers]
    )


def by_alice(liked_by_bob: bool, **changes: Any) -> dict[str, Any]:
    """Return bob's row 41 of a post by alice, with or without bob among its likes."""
    activities = {**no_activities(), "like": [user(BOB_ID, "bob")] if liked_by_bob else []}
    return status(41, user(ALICE_ID, "alice"), friendica_activities=activities, **changes)


@respx.mock
async def test_like_is_sent_once_and_checked(client):
    show_route(by_alice(False), by_alice(True))
    like = respx.post(f"{BASE}/api/friendica/activity/like.json").mock(
        return_value=httpx.Response(200, json="ok")
    )
    star = respx.post(f"{BASE}/api/favorites/create.json")

    liked = await client.like(BOB, 41, viewer_id=BOB_ID)

    assert like.call_count == 1
    assert dict(httpx.QueryParams(like.calls.last.request.content.decode())) == {"id": "41"}
    # favorites/create sets the private star on these releases, which is no like.
    assert star.call_count == 0
    assert [found["id"] for found in liked["friendica_activities"]["like"]] == [BOB_ID]


@respx.mock
async def test_like_of_a_liked_status_sends_nothing(client):
    show_route(by_alice(True))
    like = respx.post(f"{BASE}/api/friendica/activity/like.json")

    liked = await client.like(BOB, 41, viewer_id=BOB_ID)

    assert like.call_count == 0
    assert liked["id"] == 41


@respx.mock
async def test_like_that_does_not_show_raises(client):
    show_route(by_alice(False), by_alice(False))
    respx.post(f"{BASE}/api/friendica/activity/like.json").mock(return_value=httpx.Response(200, json="ok"))

    with pytest.raises(UpstreamUnverified):
        await client.like(BOB, 41, viewer_id=BOB_ID)


@respx.mock
async def test_activity_answer_other_than_ok_raises(client):
    show_route(by_alice(False))
    respx.post(f"{BASE}/api/friendica/activity/like.json").mock(
        return_value=httpx.Response(200, json=by_alice(True))
    )

    with pytest.raises(UpstreamUnverified):
        await client.like(BOB, 41, viewer_id=BOB_ID)


@respx.mock
async def test_unlike_only_withdraws_an_existing_like(client):
    show_route(by_alice(True), by_alice(False), by_alice(False))
    unlike = respx.post(f"{BASE}/api/friendica/activity/unlike.json").mock(
        return_value=httpx.Response(200, json="ok")
    )
    like = respx.post(f"{BASE}/api/friendica/activity/like.json")

    first = await client.unlike(BOB, 41, viewer_id=BOB_ID)
    second = await client.unlike(BOB, 41, viewer_id=BOB_ID)

    assert unlike.call_count == 1
    assert like.call_count == 0
    assert first["friendica_activities"]["like"] == []
    assert second["friendica_activities"]["like"] == []


@respx.mock
async def test_star_is_set_with_favorites_create(client):
    star = respx.post(f"{BASE}/api/favorites/create.json").mock(
        return_value=httpx.Response(200, json=by_alice(False, favorited=True))
    )

    starred = await client.set_star(BOB, 41, True)

    assert star.call_count == 1
    assert starred["friendica_starred"] is True
    assert starred["friendica_activities"]["like"] == []


@respx.mock
async def test_star_that_did_not_change_raises(client):
    respx.post(f"{BASE}/api/favorites/destroy.json").mock(
        return_value=httpx.Response(200, json=by_alice(False, favorited=True))
    )

    with pytest.raises(UpstreamUnverified):
        await client.set_star(BOB, 41, False)


# Posting: statuses/update answers the newest own item, not always the created one


def home_route(newest: list[dict[str, Any]], since: list[dict[str, Any]]) -> respx.Route:
    """Answer the home timeline: ``newest`` for the newest row, ``since`` for rows after it."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("since_id"):
            return httpx.Response(200, json=since)
        return httpx.Response(200, json=newest)

    return respx.get(f"{BASE}/api/statuses/home_timeline.json").mock(side_effect=answer)


async def post_as_bob(client: FriendicaClient, text: str) -> dict[str, Any]:
    dialect = await client.dialect()
    return await dialect.create_item(client, BOB, {"status": text}, author_id=BOB_ID, expected_text=text)


@respx.mock
async def test_created_item_in_the_answer_is_taken(client):
    bob = user(BOB_ID, "bob")
    home = home_route([status(40, user(ALICE_ID, "alice"))], [])
    respx.post(f"{BASE}/api/statuses/update.json").mock(
        return_value=httpx.Response(200, json=update_answer(41, bob, "hello world"))
    )
    show_route(status(41, bob, "hello world"))

    created = await post_as_bob(client, "hello world")

    assert created["id"] == 41
    # Only the newest row before posting was read: no search for the new item.
    assert home.call_count == 1


@respx.mock
async def test_update_finds_the_created_item(client):
    bob = user(BOB_ID, "bob")
    home = home_route(
        [status(40, user(ALICE_ID, "alice"))],
        [status(43, user(ALICE_ID, "alice"), "hello world"), status(42, bob, "hello world")],
    )
    respx.post(f"{BASE}/api/statuses/update.json").mock(
        return_value=httpx.Response(200, json=update_answer(39, bob, "an older post of bob's"))
    )
    shown = show_route(status(42, bob, "hello world"))

    created = await post_as_bob(client, "hello world")

    assert created["id"] == 42
    assert home.calls.last.request.url.params["since_id"] == "40"
    assert shown.calls.last.request.url.params["id"] == "42"


@respx.mock
async def test_update_that_created_nothing_raises(client):
    bob = user(BOB_ID, "bob")
    home_route([status(40, bob, "hello world")], [])
    respx.post(f"{BASE}/api/statuses/update.json").mock(
        return_value=httpx.Response(200, json=update_answer(40, bob, "hello world"))
    )

    with pytest.raises(UpstreamUnverified):
        await post_as_bob(client, "hello world")


# Per-user ids


@respx.mock
async def test_public_timeline_rows_become_the_viewers_rows(client):
    carol = user(CAROL_ID, "carol")
    on_carols_wall = status(100, carol, "from carol's wall", friendica_owner={**carol, "self": "0"})
    bob = user(BOB_ID, "bob")
    on_bobs_wall = status(7, bob, "from bob's wall", friendica_owner={**bob, "self": "1"})
    unknown_thread = status(101, carol, "bob has no copy", created_at="Sat Dec 05 11:00:00 +0000 2026")
    thread = respx.get(f"{BASE}/api/conversation/show.json").mock(
        side_effect=[
            httpx.Response(200, json=[status(55, carol, "from carol's wall")]),
            wrapped_error(400, "There is no conversation with this id.", "api/conversation/show.json"),
        ]
    )

    page = await client.own_copies(BOB, [on_carols_wall, on_bobs_wall, unknown_thread])

    assert [found["id"] for found in page] == [55, 7]
    assert thread.calls[0].request.url.params["id"] == "100"


@respx.mock
async def test_shares_of_own_posts_are_found_in_home(client):
    alice, bob = user(ALICE_ID, "alice"), user(BOB_ID, "bob")
    later = "Sun Dec 06 10:00:00 +0000 2026"
    own = LEGACY.statuses([status(30, alice, "my post"), status(31, alice, "another", created_at=later)])
    share_of_mine = status(60, bob, "♲ alice: my post", retweeted_status=status(60, alice, "my post"))
    carols = status(61, user(CAROL_ID, "carol"), "hi")
    share_of_carols = status(61, bob, "♲ carol: hi", retweeted_status=carols)
    home_route([], [share_of_mine, share_of_carols, status(62, bob, "no share")])

    pairs = await LEGACY.shares_of_own(client, BOB, own, viewer_id=ALICE_ID)

    assert [(share["id"], original["id"]) for share, original in pairs] == [(60, 30)]
    # Modern releases list shares among the original's activities instead.
    assert await Dialect().shares_of_own(client, BOB, own, viewer_id=ALICE_ID) == []


@respx.mock
async def test_group_endpoints_where_circles_are_missing(client):
    show = respx.get(f"{BASE}/api/friendica/group_show.json").mock(
        return_value=httpx.Response(200, content=b"null", headers={"content-type": "application/json"})
    )

    circles = await client.circles(BOB, "group")

    # 3.5.4 answers null where the person has no groups.
    assert circles == []
    assert show.call_count == 1

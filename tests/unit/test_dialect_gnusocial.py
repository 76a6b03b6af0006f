"""The GNU social dialect: its shapes normalised and mapped, and its strategies against respx.

The upstream JSON here is hand-written in the shape GNU social 1.2 sends
(``lib/apiaction.php`` and the Favorite, Share and DirectMessage plugins).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest
import respx

from gateway.capabilities import Capabilities, SiteConfig, generation_of, probe_features
from gateway.dialects import GnuSocialDialect, dialect_for
from gateway.errors import Forbidden, NotFound, Unprocessable, UpstreamHTTPError
from gateway.upstream import BasicCredential, FriendicaClient, UpstreamPage, UpstreamUnverified
from mappings.context import MappingContext
from mappings.statuses import status_from_friendica

pytestmark = pytest.mark.anyio

BASE = "http://gs.test"
ALICE = BasicCredential("alice", "s3cret-password")
ALICE_ID, BOB_ID = 3, 5
GATEWAY = "https://gateway.example"
DIALECT = GnuSocialDialect()


def user(user_id: int = BOB_ID, nickname: str = "bob", **changes) -> dict:
    return {
        "id": user_id,
        "name": nickname.title(),
        "screen_name": nickname,
        "location": None,
        "description": None,
        "profile_image_url": f"{BASE}/avatar/{user_id}-48.png",
        "url": None,
        "protected": False,
        "followers_count": 2,
        "friends_count": 1,
        "created_at": "Wed Nov 25 01:35:44 +0100 2026",
        "utc_offset": "3600",
        "time_zone": "Europe/Berlin",
        "statuses_count": 12,
        "following": True,
        "statusnet_blocking": False,
        "notifications": False,
        "statusnet_profile_url": f"{BASE}/{nickname}",
        **changes,
    }


def notice(notice_id: int = 40, **changes) -> dict:
    return {
        "text": "Hello @alice",
        "truncated": False,
        "created_at": "Fri Dec 04 21:01:47 +0100 2026",
        "in_reply_to_status_id": None,
        "uri": f"tag:gs.test,2026-12-04:noticeId={notice_id}:objectType=note",
        "source": '<a href="https://tusky.app" rel="nofollow">Tusky</a>',
        "id": notice_id,
        "in_reply_to_user_id": None,
        "in_reply_to_screen_name": None,
        "geo": None,
        "user": user(),
        "statusnet_html": (
            f'Hello @<span class="h-card"><a href="{BASE}/alice" class="h-card mention"'
            ' title="Alice Example">alice</a></span>'
        ),
        "statusnet_conversation_id": 17,
        "favorited": False,
        "repeated": False,
        "attentions": [
            {"id": ALICE_ID, "screen_name": "alice", "fullname": "Alice", "profileurl": f"{BASE}/alice"}
        ],
        "fave_num": 0,
        "repeat_num": 0,
        **changes,
    }


def message(message_id: int, sender: dict, recipient: dict, text: str) -> dict:
    return {
        "id": message_id,
        "sender_id": sender["id"],
        "text": text,
        "recipient_id": recipient["id"],
        "created_at": "Fri Dec 04 21:01:47 +0100 2026",
        "sender_screen_name": sender["screen_name"],
        "recipient_screen_name": recipient["screen_name"],
        "sender": sender,
        "recipient": recipient,
    }


def context(viewer: int = ALICE_ID) -> MappingContext:
    return MappingContext(public_url=GATEWAY, upstream_url=BASE, viewer_id=viewer)


def form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode())


@pytest.fixture
async def client():
    async with httpx.AsyncClient() as http:
        upstream = FriendicaClient(BASE, http)
        upstream.use_dialect(DIALECT)
        yield upstream


# Generation and capabilities


def test_config_without_friendica_block_is_gnu_social():
    site = SiteConfig.model_validate({"name": "GS", "textlimit": 1000, "timezone": "Europe/Berlin"})

    assert generation_of(site) == ("GNU social", None, "gnusocial")
    assert isinstance(dialect_for("gnusocial"), GnuSocialDialect)


@respx.mock
async def test_probes_use_gnu_social_paths(client):
    requested_paths: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        requested_paths.append(path)
        if path in (
            "/api/statuses/retweet/1.json",
            "/api/friendships/create.json",
            "/api/blocks/create.json",
        ):
            return httpx.Response(405, json={"error": "This method requires a POST.", "request": path})
        if path == "/api/friendships/destroy.json":
            return httpx.Response(405, json={"error": "This method requires a POST.", "request": path})
        if path in ("/api/statuses/networkpublic_timeline.json", "/api/search.json"):
            return httpx.Response(200, json=[])
        return httpx.Response(404, text="<!DOCTYPE html><html><h1>Not Found</h1></html>")

    respx.get(url__startswith=f"{BASE}/api/").mock(side_effect=answer)

    features = await probe_features(client, "1.2.0-beta4", DIALECT)
    capabilities = Capabilities(
        software="GNU social",
        version="1.2.0-beta4",
        generation="gnusocial",
        native_api=False,
        site_name="GS",
        text_limit=1000,
        features=features,
    )

    assert "/api/statuses/retweet/1.json" in requested_paths
    assert "/api/statuses/retweet.json" not in requested_paths
    assert "/api/search/tweets.json" not in requested_paths
    assert features == {"retweet", "follow", "block", "unfollow", "network_timeline", "search"}
    assert capabilities.reblog_via == "retweet"
    assert capabilities.unreblog_via == "delete"
    assert capabilities.follow_via == "friendships"
    assert capabilities.relations_via is None
    assert capabilities.block_via == "blocks"
    assert not capabilities.has("blocks_list")
    with pytest.raises(Unprocessable, match="post to followers only"):
        capabilities.require("private_posts")
    with pytest.raises(Unprocessable, match="content warning"):
        capabilities.require("content_warnings")


# Statuses


def test_notice_maps_to_a_status_in_utc():
    status = status_from_friendica(DIALECT.status(notice()), context()).to_json()

    assert status["id"] == "40"
    assert status["created_at"] == "2026-12-04T20:01:47.000Z"
    assert status["account"]["username"] == "bob"
    assert status["account"]["created_at"] == "2026-11-25T00:35:44.000Z"
    assert status["account"]["note"] == ""
    assert status["visibility"] == "public"
    assert status["application"] == {"name": "Tusky", "website": None}
    assert status["spoiler_text"] == ""


def test_attentions_become_mentions():
    status = status_from_friendica(DIALECT.status(notice()), context()).to_json()

    assert status["mentions"] == [
        {"id": str(ALICE_ID), "username": "alice", "url": f"{BASE}/alice", "acct": "alice"}
    ]


def test_fave_and_repeat_counts_and_the_viewers_flags():
    raw = notice(favorited=True, repeated=True, repeated_id=41, fave_num=3, repeat_num=2)

    status = status_from_friendica(DIALECT.status(raw), context()).to_json()

    assert status["favourited"] is True
    assert status["reblogged"] is True
    assert status["favourites_count"] == 3
    assert status["reblogs_count"] == 2


def test_private_stream_makes_notices_followers_only():
    raw = notice(user=user(protected=True))

    normalised = DIALECT.status(raw)
    status = status_from_friendica(normalised, context()).to_json()

    assert normalised["friendica_private"] is True
    assert status["visibility"] == "private"
    assert status["account"]["locked"] is True


def test_repeat_maps_to_reblog():
    original = notice(40, repeat_num=1)
    repeat = notice(
        44,
        text="RT @bob Hello @alice",
        user=user(ALICE_ID, "alice"),
        uri="tag:gs.test,2026-12-04:noticeId=44:objectType=share",
        retweeted_status=original,
    )

    status = status_from_friendica(DIALECT.status(repeat), context()).to_json()

    assert status["id"] == "44"
    assert status["account"]["username"] == "alice"
    assert status["reblog"]["id"] == "40"
    assert status["reblog"]["account"]["username"] == "bob"
    assert status["reblog"]["reblogged"] is True


def test_attachment_links_become_media():
    page = f"{BASE}/attachment/12"
    raw = notice(
        text=f"A picture {page}",
        statusnet_html=(
            f'A picture <a href="{page}" title="{page}" class="attachment" id="attachment-12"'
            f' rel="nofollow external">{page}</a>'
        ),
        attachments=[{"url": f"{BASE}/file/abc.png", "mimetype": "image/png", "size": 4374}],
    )

    normalised = DIALECT.status(raw)
    status = status_from_friendica(normalised, context()).to_json()

    assert normalised["text"] == "A picture"
    assert status["content"] == "<p>A picture</p>"
    assert [media["url"] for media in status["media_attachments"]] == [f"{BASE}/file/abc.png"]
    assert status["media_attachments"][0]["type"] == "image"


def test_attachment_link_inside_the_text_stays():
    page = f"{BASE}/attachment/12"
    markup = f'See <a href="{page}">{page}</a> and <a href="https://example.com/">example.com</a>'
    raw = notice(
        text=f"See {page} and https://example.com/",
        statusnet_html=markup,
        attachments=[{"url": f"{BASE}/file/abc.png", "mimetype": "image/png", "size": 4374}],
    )

    normalised = DIALECT.status(raw)

    assert normalised["statusnet_html"] == markup
    assert normalised["text"] == f"See {page} and https://example.com/"


def test_links_to_other_pages_stay():
    raw = notice(
        text="See https://example.com/attachment/3",
        statusnet_html='See <a href="https://example.com/attachment/3">example.com/attachment/3</a>',
    )

    status = status_from_friendica(DIALECT.status(raw), context()).to_json()

    assert 'href="https://example.com/attachment/3"' in status["content"]


def test_remote_notice_keeps_its_url():
    raw = notice(uri="https://other.example/notice/9")

    status = status_from_friendica(DIALECT.status(raw), context()).to_json()

    assert status["url"] == "https://other.example/notice/9"


# Direct messages


def test_messages_between_two_people_share_one_thread():
    alice, bob = user(ALICE_ID, "alice"), user()

    sent = DIALECT.mail(message(7, alice, bob, "a <b>plain</b> message"))
    received = DIALECT.mail(message(8, bob, alice, "answer"))

    assert sent["friendica_parent_uri"] == received["friendica_parent_uri"] == "gnusocial:direct:3:5"
    assert sent["text"] == "<p>a &lt;b&gt;plain&lt;/b&gt; message</p>"
    assert sent["friendica_seen"] is False


@respx.mock
async def test_mails_merge_both_mailboxes_below_an_id(client):
    alice, bob = user(ALICE_ID, "alice"), user()
    respx.get(f"{BASE}/api/direct_messages.json").mock(
        return_value=httpx.Response(200, json=[message(9, bob, alice, "nine"), message(6, bob, alice, "six")])
    )
    respx.get(f"{BASE}/api/direct_messages/sent.json").mock(
        return_value=httpx.Response(200, json=[message(8, alice, bob, "eight")])
    )

    everything = await client.mails(ALICE)
    below_nine = await client.mails(ALICE, count=2, max_id=9)

    assert [int(mail["id"]) for mail in everything] == [9, 8, 6]
    assert [int(mail["id"]) for mail in below_nine] == [8, 6]


@respx.mock
async def test_message_sent_despite_500(client):
    alice, bob = user(ALICE_ID, "alice"), user()
    sent = respx.get(f"{BASE}/api/direct_messages/sent.json").mock(
        side_effect=[
            httpx.Response(200, json=[message(7, alice, bob, "older")]),
            httpx.Response(
                200, json=[message(9, alice, bob, "see you at eight"), message(7, alice, bob, "older")]
            ),
        ]
    )
    posted = respx.post(f"{BASE}/api/direct_messages/new.json").mock(
        return_value=httpx.Response(
            500,
            json={
                "error": "Call to undefined method ApiDirectMessageNewAction::showSingleJsondirectMessage()",
                "request": "/api/direct_messages/new.json",
            },
        )
    )

    mail = await client.send_mail(ALICE, user_id=BOB_ID, text="see you at eight", title=None, reply_to=None)

    assert int(mail["id"]) == 9
    assert form(posted.calls[0].request) == {"user_id": ["5"], "text": ["see you at eight"]}
    assert sent.call_count == 2


@respx.mock
async def test_unsent_message_is_unverified(client):
    alice, bob = user(ALICE_ID, "alice"), user()
    respx.get(f"{BASE}/api/direct_messages/sent.json").mock(
        return_value=httpx.Response(200, json=[message(7, alice, bob, "older")])
    )
    respx.post(f"{BASE}/api/direct_messages/new.json").mock(
        return_value=httpx.Response(
            500, json={"error": "Database error", "request": "/api/direct_messages/new.json"}
        )
    )

    with pytest.raises(UpstreamUnverified):
        await client.send_mail(ALICE, user_id=BOB_ID, text="lost", title=None, reply_to=None)


@respx.mock
async def test_message_to_a_stranger_is_refused(client):
    respx.get(f"{BASE}/api/direct_messages/sent.json").mock(return_value=httpx.Response(200, json=[]))
    respx.post(f"{BASE}/api/direct_messages/new.json").mock(
        return_value=httpx.Response(
            403,
            json={
                "error": "Cannot send direct messages to users who aren't your friend.",
                "request": "/api/direct_messages/new.json",
            },
        )
    )

    with pytest.raises(Unprocessable, match="aren't your friend"):
        await client.send_mail(ALICE, user_id=BOB_ID, text="hi", title=None, reply_to=None)


@respx.mock
async def test_message_with_a_subject_is_refused_before_sending(client):
    posted = respx.post(f"{BASE}/api/direct_messages/new.json")

    with pytest.raises(Unprocessable, match="subject"):
        await client.send_mail(ALICE, user_id=BOB_ID, text="hi", title="Re: plans", reply_to=None)
    assert not posted.called


def test_message_body_is_sent_as_typed():
    assert DIALECT.mail_body("[b]as typed[/b] <i>") == "[b]as typed[/b] <i>"


# Posting


@respx.mock
async def test_status_is_posted_as_plain_text(client):
    posted = respx.post(f"{BASE}/api/statuses/update.json").mock(
        return_value=httpx.Response(200, json=notice(50, user=user(ALICE_ID, "alice")))
    )
    params = {
        "htmlstatus": "<p>ignored</p>",
        "in_reply_to_status_id": "40",
        "media_ids": "12,13",
        "source": "Tusky",
        "contact_allow": "",
    }

    created = await DIALECT.create_item(client, ALICE, params, author_id=ALICE_ID, expected_text="*as* typed")

    assert int(created["id"]) == 50
    assert form(posted.calls[0].request) == {
        "status": ["*as* typed"],
        "in_reply_to_status_id": ["40"],
        "media_ids": ["12,13"],
        "source": ["Tusky"],
    }


@respx.mock
async def test_status_over_the_limit_is_422(client):
    respx.post(f"{BASE}/api/statuses/update.json").mock(
        return_value=httpx.Response(
            413,
            json={
                "error": "Maximum notice size is 1000 characters, including attachment URL.",
                "request": "/api/statuses/update.json",
            },
        )
    )

    with pytest.raises(Unprocessable, match="Maximum notice size is 1000"):
        await DIALECT.create_item(client, ALICE, {}, author_id=ALICE_ID, expected_text="long")


# Faves


@respx.mock
async def test_fave_is_made_once_and_checked(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(return_value=httpx.Response(200, json=notice()))
    faved = respx.post(f"{BASE}/api/favorites/create.json").mock(
        return_value=httpx.Response(200, json=notice(favorited=True, fave_num=1))
    )

    status = await client.like(ALICE, 40, viewer_id=ALICE_ID)

    assert status["favorited"] is True
    assert form(faved.calls[0].request) == {"id": ["40"]}


@respx.mock
async def test_fave_of_a_faved_notice_sends_nothing(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(
        return_value=httpx.Response(200, json=notice(favorited=True, fave_num=1))
    )
    faved = respx.post(f"{BASE}/api/favorites/create.json")

    status = await client.like(ALICE, 40, viewer_id=ALICE_ID)

    assert status["favorited"] is True
    assert not faved.called


@respx.mock
async def test_fave_of_a_repeat_faves_the_original(client):
    repeat = notice(44, user=user(ALICE_ID, "alice"), retweeted_status=notice(40))
    respx.get(f"{BASE}/api/statuses/show.json").mock(return_value=httpx.Response(200, json=repeat))
    faved = respx.post(f"{BASE}/api/favorites/create.json").mock(
        return_value=httpx.Response(200, json=notice(40, favorited=True))
    )

    status = await client.like(ALICE, 44, viewer_id=ALICE_ID)

    assert int(status["id"]) == 40
    assert form(faved.calls[0].request) == {"id": ["40"]}


@respx.mock
async def test_unfave_that_leaves_the_fave_is_unverified(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(
        return_value=httpx.Response(200, json=notice(favorited=True))
    )
    respx.post(f"{BASE}/api/favorites/destroy.json").mock(
        return_value=httpx.Response(
            403, json={"error": "That status is not a favorite.", "request": "/api/favorites/destroy.json"}
        )
    )

    with pytest.raises(UpstreamUnverified):
        await client.unlike(ALICE, 40, viewer_id=ALICE_ID)


# Repeats


@respx.mock
async def test_repeat_uses_path_id(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(return_value=httpx.Response(200, json=notice()))
    repeated = respx.post(f"{BASE}/api/statuses/retweet/40.json").mock(
        return_value=httpx.Response(
            200, json=notice(44, user=user(ALICE_ID, "alice"), retweeted_status=notice())
        )
    )

    share = await client.share(ALICE, 40, viewer_id=ALICE_ID)

    assert int(share["id"]) == 44
    assert repeated.called


@respx.mock
async def test_repeat_answered_with_another_notice_is_unverified(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(return_value=httpx.Response(200, json=notice()))
    respx.post(f"{BASE}/api/statuses/retweet/40.json").mock(
        return_value=httpx.Response(200, json=notice(44, user=user(ALICE_ID, "alice")))
    )

    with pytest.raises(UpstreamUnverified):
        await client.share(ALICE, 40, viewer_id=ALICE_ID)


@respx.mock
async def test_repeat_of_own_notice_is_422(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(return_value=httpx.Response(200, json=notice()))
    respx.post(f"{BASE}/api/statuses/retweet/40.json").mock(
        return_value=httpx.Response(
            400,
            json={"error": "You cannot repeat your own notice.", "request": "/api/statuses/retweet/40.json"},
        )
    )

    with pytest.raises(Unprocessable, match="cannot repeat your own notice"):
        await client.share(ALICE, 40, viewer_id=ALICE_ID)


@respx.mock
async def test_unrepeat_deletes_the_repeat_the_original_names(client):
    shown = respx.get(f"{BASE}/api/statuses/show.json").mock(
        side_effect=lambda request: _show_after_unrepeat(request, deleted.called)
    )
    deleted = respx.post(f"{BASE}/api/statuses/destroy.json").mock(
        return_value=httpx.Response(
            200, json=notice(44, user=user(ALICE_ID, "alice"), retweeted_status=notice())
        )
    )

    original = await client.unshare(ALICE, 40, viewer_id=ALICE_ID)

    assert original["repeated"] is False
    assert form(deleted.calls[0].request) == {"id": ["44"]}
    assert shown.call_count == 3


def _show_after_unrepeat(request: httpx.Request, deleted: bool) -> httpx.Response:
    if request.url.params["id"] == "44":
        return httpx.Response(404, json={"error": "No such notice.", "request": "/api/statuses/show.json"})
    return httpx.Response(200, json=notice(40) if deleted else notice(40, repeated=True, repeated_id=44))


@respx.mock
async def test_repeaters_come_from_the_repeats(client):
    respx.get(f"{BASE}/api/statuses/retweets/40.json").mock(
        return_value=httpx.Response(
            200, json=[notice(44, user=user(ALICE_ID, "alice"), retweeted_status=notice())]
        )
    )

    repeaters = await client.reactors(ALICE, DIALECT.status(notice(repeat_num=1)), "announce")
    nobody = await client.reactors(ALICE, DIALECT.status(notice()), "like")

    assert [reactor["screen_name"] for reactor in repeaters] == ["alice"]
    assert nobody == []
    with pytest.raises(Unprocessable, match="who favourited"):
        await client.reactors(ALICE, DIALECT.status(notice(fave_num=2)), "like")


# Threads and timelines


@respx.mock
async def test_thread_is_read_by_conversation_id(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(return_value=httpx.Response(200, json=notice()))
    thread = respx.get(f"{BASE}/api/statusnet/conversation/17.json").mock(
        return_value=httpx.Response(200, json=[notice(41, in_reply_to_status_id=40), notice()])
    )

    statuses = await client.conversation(ALICE, 40)

    assert [int(status["id"]) for status in statuses] == [41, 40]
    assert thread.called


@respx.mock
async def test_federated_timeline_adds_the_local_notices(client):
    respx.get(f"{BASE}/api/statuses/networkpublic_timeline.json").mock(
        return_value=httpx.Response(200, json=[notice(45), notice(30)])
    )
    respx.get(f"{BASE}/api/statuses/public_timeline.json").mock(
        return_value=httpx.Response(200, json=[notice(44), notice(40)])
    )

    page = await client.network_public_timeline(ALICE, UpstreamPage(count=3))

    assert [int(status["id"]) for status in page] == [45, 44, 40]


# Errors and uploads


@respx.mock
async def test_missing_notice_is_not_found(client):
    respx.get(f"{BASE}/api/statuses/show.json").mock(
        return_value=httpx.Response(
            404, json={"error": "No such notice.", "request": "/api/statuses/show.json?id=9"}
        )
    )

    with pytest.raises(NotFound):
        await client.show_status(ALICE, 9)


@respx.mock
async def test_unknown_route_page_is_502(client):
    respx.get(f"{BASE}/api/friendica/notifications.json").mock(
        return_value=httpx.Response(404, text="<!DOCTYPE html><html><h1>Not Found</h1></html>")
    )

    with pytest.raises(UpstreamHTTPError) as error:
        await client.notifications(ALICE)
    assert error.value.upstream_status == 404
    assert error.value.status_code == 502


@respx.mock
async def test_upload_error_with_status_200_is_422(client):
    respx.post(f"{BASE}/api/media/upload.json").mock(
        return_value=httpx.Response(
            200, json={"errors": [{"message": "Unable to process the uploaded file.", "code": 131}]}
        )
    )

    with pytest.raises(Unprocessable, match="Unable to process the uploaded file"):
        await client.upload_media(ALICE, b"\x89PNG", filename="r.png", mimetype="image/png")


@respx.mock
async def test_upload_returns_its_file_id_and_page(client):
    respx.post(f"{BASE}/api/media/upload.json").mock(
        return_value=httpx.Response(
            200,
            json={
                "media_id": 12,
                "media_id_string": "12",
                "media_url": f"{BASE}/attachment/12",
                "size": 4374,
                "image": {"w": 800, "h": 600, "image_type": "image/png"},
            },
        )
    )

    answer = await client.upload_media(ALICE, b"\x89PNG", filename="r.png", mimetype="image/png")

    assert answer["media_id"] == 12
    assert answer["media_url"] == f"{BASE}/attachment/12"


@respx.mock
async def test_same_host_redirect_is_followed(client):
    respx.get(f"{BASE}/attachment/12").mock(
        return_value=httpx.Response(302, headers={"location": "/photo/abc-0.png"})
    )
    respx.get(f"{BASE}/photo/abc-0.png").mock(
        return_value=httpx.Response(200, content=b"picture", headers={"content-type": "image/png"})
    )

    data, content_type = await client.fetch_picture(f"{BASE}/attachment/12", ALICE, 1000)

    assert data == b"picture"
    assert content_type == "image/png"


@respx.mock
async def test_redirect_to_another_host_is_not_followed(client):
    respx.get(f"{BASE}/attachment/13").mock(
        return_value=httpx.Response(302, headers={"location": "http://internal.example/secret"})
    )
    elsewhere = respx.get("http://internal.example/secret")

    with pytest.raises(Unprocessable):
        await client.fetch_picture(f"{BASE}/attachment/13", ALICE, 1000)
    assert not elsewhere.called


# Blocks


@respx.mock
async def test_block_posts_user_id_and_checks_the_flag(client):
    route = respx.post(f"{BASE}/api/blocks/create.json").mock(
        return_value=httpx.Response(200, json=user(following=False, statusnet_blocking=True))
    )

    await client.block(ALICE, BOB_ID, create=True)

    assert form(route.calls.last.request) == {"user_id": [str(BOB_ID)]}


@respx.mock
async def test_unblock_uses_blocks_destroy(client):
    route = respx.post(f"{BASE}/api/blocks/destroy.json").mock(
        return_value=httpx.Response(200, json=user(statusnet_blocking=False))
    )

    await client.block(ALICE, BOB_ID, create=False)

    assert route.called


@respx.mock
async def test_block_answer_still_unblocked_is_unverified(client):
    respx.post(f"{BASE}/api/blocks/create.json").mock(
        return_value=httpx.Response(200, json=user(statusnet_blocking=False))
    )

    with pytest.raises(UpstreamUnverified):
        await client.block(ALICE, BOB_ID, create=True)


@respx.mock
async def test_block_answer_about_another_account_is_unverified(client):
    respx.post(f"{BASE}/api/blocks/create.json").mock(
        return_value=httpx.Response(200, json=user(7, "carol", statusnet_blocking=True))
    )

    with pytest.raises(UpstreamUnverified):
        await client.block(ALICE, BOB_ID, create=True)


@respx.mock
async def test_block_of_unknown_account_is_not_found(client):
    respx.post(f"{BASE}/api/blocks/create.json").mock(
        return_value=httpx.Response(
            404, json={"error": "No such user.", "request": "/api/blocks/create.json"}
        )
    )

    with pytest.raises(NotFound):
        await client.block(ALICE, 999, create=True)


@respx.mock
async def test_block_of_own_account_is_a_422(client):
    respx.post(f"{BASE}/api/blocks/create.json").mock(
        return_value=httpx.Response(
            403, json={"error": "You cannot block yourself!", "request": "/api/blocks/create.json"}
        )
    )

    with pytest.raises(Unprocessable, match="You cannot block yourself!"):
        await client.block(ALICE, ALICE_ID, create=True)


@respx.mock
async def test_follow_of_account_that_blocks_is_forbidden(client):
    respx.post(f"{BASE}/api/friendships/create.json").mock(
        return_value=httpx.Response(
            500, json={"error": "User has blocked you.", "request": "/api/friendships/create.json"}
        )
    )

    with pytest.raises(Forbidden, match="User has blocked you."):
        await client.create_friendship(ALICE, 5)


# Profile changes


@respx.mock
async def test_profile_change_sends_back_the_fields_it_keeps(client):
    current = user(ALICE_ID, "alice", description="Old text", url="https://alice.example", location="Kiel")
    respx.get(f"{BASE}/api/users/show.json").mock(return_value=httpx.Response(200, json=current))
    route = respx.post(f"{BASE}/api/account/update_profile.json").mock(
        return_value=httpx.Response(200, json={**current, "description": "New text"})
    )

    changed = await client.change_profile(ALICE, ALICE_ID, name=None, description="New text")

    assert form(route.calls.last.request) == {
        "name": ["Alice"],
        "description": ["New text"],
        "url": ["https://alice.example"],
        "location": ["Kiel"],
    }
    assert changed["description"] == "New text"


@respx.mock
async def test_profile_change_with_empty_name_expects_the_nickname(client):
    current = user(ALICE_ID, "alice")
    respx.get(f"{BASE}/api/users/show.json").mock(return_value=httpx.Response(200, json=current))
    route = respx.post(f"{BASE}/api/account/update_profile.json").mock(
        return_value=httpx.Response(200, json={**current, "name": "alice"})
    )

    changed = await client.change_profile(ALICE, ALICE_ID, name="", description=None)

    sent = parse_qs(route.calls.last.request.content.decode(), keep_blank_values=True)
    assert sent == {"name": [""], "description": [""], "url": [""], "location": [""]}
    assert changed["name"] == "alice"


@respx.mock
async def test_profile_change_not_stored_is_unverified(client):
    current = user(ALICE_ID, "alice", description="Old text")
    respx.get(f"{BASE}/api/users/show.json").mock(return_value=httpx.Response(200, json=current))
    respx.post(f"{BASE}/api/account/update_profile.json").mock(return_value=httpx.Response(200, json=current))

    with pytest.raises(UpstreamUnverified):
        await client.change_profile(ALICE, ALICE_ID, name=None, description="New text")


# Search


def tagged_notice(notice_id: int) -> dict:
    markup = (
        f'Counting #<span class="tag"><a href="{BASE}/tag/ducks" rel="tag">Ducks</a></span>'
        f' and #<a href="{BASE}/search?tag=geese">geese</a>, see <a href="{BASE}/about">about</a>'
    )
    return notice(notice_id, text="Counting #Ducks and #geese, see about", statusnet_html=markup)


def test_tag_links_become_hashtags():
    status = DIALECT.status(tagged_notice(40))

    assert status["entities"]["hashtags"] == [{"text": "Ducks"}, {"text": "geese"}]


def readable_notices(hidden: frozenset[int] = frozenset()) -> respx.Route:
    """Answer ``statuses/show`` as GNU social does: the notice, or 403 for one out of the viewer's scope."""

    def show(request: httpx.Request) -> httpx.Response:
        notice_id = int(request.url.params["id"])
        if notice_id in hidden:
            return httpx.Response(
                403, json={"error": "Access restricted.", "request": "/api/statuses/show.json"}
            )
        return httpx.Response(200, json=notice(notice_id))

    return respx.get(f"{BASE}/api/statuses/show.json").mock(side_effect=show)


@respx.mock
async def test_search_leaves_out_notices_out_of_scope(client):
    respx.get(f"{BASE}/api/search.json").mock(
        return_value=httpx.Response(200, json=[notice(12), notice(9), notice(7)])
    )
    shows = readable_notices(hidden=frozenset({9}))

    found = await client.search_statuses(ALICE, "ducks", UpstreamPage(count=20))

    assert [status["id"] for status in found] == [12, 7]
    assert shows.call_count == 3


@respx.mock
async def test_search_reads_pages_and_applies_the_id_range(client):
    readable_notices()
    first = [notice(notice_id) for notice_id in range(150, 49, -1)]
    second = [notice(notice_id) for notice_id in range(50, 39, -1)]
    route = respx.get(f"{BASE}/api/search.json").mock(
        side_effect=[httpx.Response(200, json=first), httpx.Response(200, json=second)]
    )

    found = await client.search_statuses(ALICE, "#ducks", UpstreamPage(count=20, max_id=60, since_id=42))

    assert [status["id"] for status in found] == list(range(60, 42, -1))
    assert [dict(call.request.url.params) for call in route.calls] == [
        {"q": "#ducks", "rpp": "100", "page": "1"},
        {"q": "#ducks", "rpp": "100", "page": "2"},
    ]


@respx.mock
async def test_search_stops_at_a_short_page(client):
    readable_notices()
    route = respx.get(f"{BASE}/api/search.json").mock(
        return_value=httpx.Response(200, json=[notice(12), notice(7)])
    )

    found = await client.search_statuses(ALICE, "ducks", UpstreamPage(count=20))

    assert [status["id"] for status in found] == [12, 7]
    assert route.call_count == 1


@respx.mock
async def test_search_by_page_number_drops_the_extra_notice(client):
    readable_notices()
    route = respx.get(f"{BASE}/api/search.json").mock(
        return_value=httpx.Response(200, json=[notice(30), notice(29), notice(28)])
    )

    found = await client.search_statuses(ALICE, "ducks", UpstreamPage(count=2, page=3))

    assert [status["id"] for status in found] == [30, 29]
    assert dict(route.calls.last.request.url.params) == {"q": "ducks", "rpp": "2", "page": "3"}

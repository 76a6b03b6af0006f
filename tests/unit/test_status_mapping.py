"""Mapping rules for statuses, checked on responses recorded from Friendica 2024.08."""

from __future__ import annotations

import pytest

from mappings.context import MappingContext
from mappings.statuses import context_from_thread, count_characters, status_from_friendica
from tests.recordings import body

GATEWAY = "https://gateway.example"
UPSTREAM = "http://127.0.0.1:8088"
ALICE, BOB, CAROL = 3, 5, 8


def context(viewer: int | None = ALICE) -> MappingContext:
    return MappingContext(public_url=GATEWAY, upstream_url=UPSTREAM, viewer_id=viewer)


def test_plain_status_keeps_upstream_id_and_dates():
    status = status_from_friendica(body("016"), context()).to_json()

    assert status["id"] == "18"
    assert status["created_at"] == "2026-12-04T20:01:47.000Z"
    assert status["uri"] == "http://127.0.0.1:8088/display/d3c0c72d-116b-131c-2bbd-4a8959277872"
    assert status["url"] == status["uri"]
    assert status["content"] == "<p>Good morning! A plain status from alice.</p>"
    assert status["visibility"] == "public"
    assert status["account"]["id"] == "3"
    assert status["account"]["acct"] == "alice"
    assert status["in_reply_to_id"] is None
    assert status["application"] == {"name": "api", "website": None}


def test_mentions_and_hashtags_use_mastodon_markup():
    status = status_from_friendica(body("018"), context()).to_json()

    mention = (
        '<span class="h-card" translate="no"><a href="http://127.0.0.1:8088/profile/bob" '
        'class="u-url mention">@<span>bob</span></a></span>'
    )
    hashtag = (
        '<a href="https://gateway.example/tags/gateways" class="mention hashtag" rel="tag">'
        "#<span>gateways</span></a>"
    )
    assert mention in status["content"]
    assert hashtag in status["content"]
    assert "<bdi>" not in status["content"]
    assert "@<span class" not in status["content"]  # the "@" moved inside the link


def test_mentions_array_matches_content():
    status = status_from_friendica(body("018"), context()).to_json()

    assert status["mentions"] == [
        {"id": "5", "username": "bob", "url": "http://127.0.0.1:8088/profile/bob", "acct": "bob"}
    ]
    assert [tag["name"] for tag in status["tags"]] == ["gateways", "Friendica"]
    assert status["tags"][1]["url"] == "https://gateway.example/tags/friendica"


def test_reply_mention_gets_id_from_reply_fields():
    # Recording 030 has no entities; the addressee of the reply names the mention's id.
    status = status_from_friendica(body("030"), context()).to_json()

    assert status["in_reply_to_id"] == "22"
    assert status["in_reply_to_account_id"] == "3"
    assert status["mentions"] == [
        {"id": "3", "username": "alice", "url": "http://127.0.0.1:8088/profile/alice", "acct": "alice"}
    ]


def test_title_becomes_spoiler_text():
    status = status_from_friendica(body("017"), context()).to_json()

    assert status["spoiler_text"] == "Weekend plans"
    assert status["sensitive"] is True
    assert status["content"] == "<p>Hiking on Saturday, who is in?</p>"


def test_private_status_is_private():
    assert status_from_friendica(body("044"), context()).visibility == "private"
    # group_allow[] is ignored by 2024.08: that post really is public.
    assert status_from_friendica(body("046"), context()).visibility == "public"


def test_like_counts_and_viewer_flags():
    liked_by_others = status_from_friendica(body("135"), context(ALICE))
    assert liked_by_others.favourites_count == 2
    assert liked_by_others.favourited is False

    liked_by_viewer = status_from_friendica(body("056"), context(ALICE))
    assert liked_by_viewer.favourited is True


def test_share_counts_and_reblogged_flag():
    as_sharer = status_from_friendica(body("131"), context(BOB))
    assert as_sharer.reblogs_count == 1
    assert as_sharer.reblogged is True

    as_author = status_from_friendica(body("133"), context(ALICE))
    assert as_author.reblogged is False


def test_html_status_keeps_lists_and_escapes_nothing_twice():
    status = status_from_friendica(body("021"), context()).to_json()

    assert status["content"].startswith("<p>HTML status with <b>bold</b>, <i>italic</i>")
    assert "<ul><li>one</li><li>two</li></ul>" in status["content"]
    assert 'rel="nofollow noopener noreferrer"' in status["content"]


def test_markdown_status_keeps_its_formatting():
    status = status_from_friendica(body("019"), context()).to_json()

    assert "<strong>bold</strong>" in status["content"]
    assert "<code>code</code>" in status["content"]
    assert status["application"] == {"name": "RecorderApp", "website": None}


def test_source_text_recovers_what_was_typed():
    status = status_from_friendica(body("018"), context(), with_source=True).to_json()

    assert status["text"] == (
        "Talking with @bob about #gateways and #Friendica, details at http://127.0.0.1:8088/about"
    )
    assert status_from_friendica(body("018"), context()).text is None


def test_every_timeline_status_maps_with_required_keys():
    required = {
        "id",
        "uri",
        "url",
        "account",
        "content",
        "created_at",
        "edited_at",
        "in_reply_to_id",
        "in_reply_to_account_id",
        "reblog",
        "card",
        "poll",
        "language",
        "emojis",
        "reblogs_count",
        "favourites_count",
        "replies_count",
        "sensitive",
        "spoiler_text",
        "visibility",
        "media_attachments",
        "mentions",
        "tags",
        "application",
        "favourited",
        "reblogged",
        "bookmarked",
        "muted",
        "pinned",
    }
    timeline = body("092")
    statuses = [status_from_friendica(raw, context()).to_json() for raw in timeline]

    assert len(statuses) == len(timeline) == 19
    for status in statuses:
        assert required <= status.keys()
        assert status["id"].isdigit()
        assert status["created_at"].endswith("Z")


def test_context_splits_thread_around_focus():
    thread = body("124")  # 41 replies to 40, which replies to 22

    middle = context_from_thread(thread, 40, context())
    assert [status.id for status in middle.ancestors] == ["22"]
    assert [status.id for status in middle.descendants] == ["41"]

    root = context_from_thread(thread, 22, context())
    assert root.ancestors == []
    assert [status.id for status in root.descendants] == ["40", "41"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("see https://example.com/a/very/long/path/that/is/long", 4 + 23),
        ("hi @bob@remote.example", len("hi @bob")),
        ("Grüße ☕", 7),
    ],
)
def test_character_count_like_mastodon(text, expected):
    assert count_characters(text) == expected

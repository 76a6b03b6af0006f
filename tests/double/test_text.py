"""Text pipeline: rendered forms of posted statuses, checked against recorded Friendica output."""

from __future__ import annotations

from typing import Any

from .support import Double

PROFILE_BOB = "http://127.0.0.1:8088/profile/bob"
TAG_BASE = "http://127.0.0.1:8088/search?tag="


def post_status(double: Double, **form: Any) -> dict[str, Any]:
    response = double.client.post("/api/statuses/update.json", "alice", **form)
    assert response.status_code == 200, response.text[:300]
    status: dict[str, Any] = response.json()
    return status


def test_mentions_tags_and_links(double: Double) -> None:
    status = post_status(
        double,
        status="Talking with @bob about #gateways and #Friendica, details at http://127.0.0.1:8088/about",
        include_entities="true",
    )

    mention_by_nick = f'<bdi>@<a href="{PROFILE_BOB}" class="userinfo mention" title="bob">bob</a></bdi>'
    mention_by_name = (
        f'<bdi>@<a href="{PROFILE_BOB}" class="userinfo mention" title="Bob Test">Bob Test</a></bdi>'
    )
    rest = (
        f' about #<a href="{TAG_BASE}gateways">gateways</a> and #<a href="{TAG_BASE}Friendica">'
        'Friendica</a>, details at <a href="http://127.0.0.1:8088/about">127.0.0.1:8088/about</a>'
    )
    assert status["statusnet_html"] == "Talking with " + mention_by_nick + rest
    assert status["friendica_html"] == "Talking with " + mention_by_name + rest
    assert status["text"] == (
        "Talking with @Bob Test about #gateways and #Friendica, details at "
        "127.0.0.1:8088/about\n\nhttp://127.0.0.1:8088/about"
    )
    assert status["entities"]["hashtags"] == [{"text": "gateways"}, {"text": "Friendica"}]
    assert status["entities"]["user_mentions"] == [
        {"id": "5", "id_str": "5", "name": "Bob Test", "screen_name": "bob"}
    ]
    assert status["entities"]["urls"] == []


def test_title_becomes_h4(double: Double) -> None:
    status = post_status(double, title="Weekend plans", status="Hiking on Saturday, who is in?")

    assert status["text"] == "Weekend plans Hiking on Saturday, who is in?"
    assert status["statusnet_html"] == "<h4>Weekend plans</h4><p>Hiking on Saturday, who is in?</p>"
    assert status["friendica_title"] == "Weekend plans"


def test_markdown_is_converted(double: Double) -> None:
    status = post_status(
        double,
        status="Markdown test: **bold**, *italic*, `code` and a "
        "[named link](http://127.0.0.1:8088/profile/alice)",
        source="RecorderApp",
    )

    assert status["statusnet_html"] == (
        "Markdown test: <strong>bold</strong>, <em>italic</em>, <code>code</code> and a "
        '<a href="http://127.0.0.1:8088/profile/alice">named link</a>'
    )
    assert status["text"] == "Markdown test: bold, italic, code and a named link"
    assert status["source"] == "RecorderApp (DFRN)"


def test_htmlstatus_is_converted(double: Double) -> None:
    status = post_status(
        double,
        htmlstatus="<p>HTML status with <b>bold</b>, <i>italic</i> and a "
        f'<a href="{PROFILE_BOB}">link to bob</a></p>'
        "<ul><li>one</li><li>two</li></ul>",
    )

    assert status["statusnet_html"] == (
        "<p>HTML status with <b>bold</b>, <i>italic</i> and a "
        f'<a href="{PROFILE_BOB}">link to bob</a></p><ul><li>one</li><li>two</li></ul>'
    )
    assert status["text"] == "HTML status with bold, italic and a link to bob\n\n* one\n\n* two"


def test_line_breaks_and_paragraphs(double: Double) -> None:
    status = post_status(double, status="line one\nline two\n\nsecond paragraph")

    assert status["statusnet_html"] == "<p>line one<br>line two</p><p>second paragraph</p>"
    assert status["text"] == "line one\nline two\n\nsecond paragraph"


def test_html_is_escaped(double: Double) -> None:
    status = post_status(double, status="2 < 3 & <script>alert(1)</script>")

    assert status["statusnet_html"] == "2 &lt; 3 &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
    assert status["text"] == "2 < 3 & <script>alert(1)</script>"


def test_non_ascii_round_trips(double: Double) -> None:
    source = "Grüße aus München! 日本語のテスト 🎉🚀"

    status = post_status(double, status=source)
    seen_by_bob = double.client.get("/api/statuses/show.json", "bob", id=status["id"]).json()

    assert status["text"] == source
    assert seen_by_bob["statusnet_html"] == source


def test_non_ascii_hashtag(double: Double) -> None:
    status = post_status(double, status="Tags: #日本語 and #Grüße", include_entities="true")

    assert status["entities"]["hashtags"] == [{"text": "日本語"}, {"text": "Grüße"}]


def test_nobb_and_noparse_are_literal(double: Double) -> None:
    status = post_status(
        double,
        status="[nobb][b]x[/b] @bob #tag[/nobb] and [noparse]#no[/noparse]",
        include_entities="true",
    )

    assert status["statusnet_html"] == "[b]x[/b] @bob #tag and #no"
    assert status["entities"]["hashtags"] == []
    assert status["entities"]["user_mentions"] == []


def test_bbcode_in_status_is_rendered(double: Double) -> None:
    status = post_status(double, status="[u]under[/u] [s]gone[/s] [quote]said[/quote]")

    assert status["statusnet_html"] == "<p><u>under</u> <s>gone</s></p><blockquote>said</blockquote>"


def test_unknown_nick_and_url_fragment_stay_text(double: Double) -> None:
    status = post_status(
        double, status="hi @nobody, see https://example.com/page#section", include_entities="true"
    )

    assert status["entities"]["user_mentions"] == []
    assert status["entities"]["hashtags"] == []
    assert (
        '<a href="https://example.com/page#section" target="_blank" rel="noopener noreferrer">'
        "example.com/page#section</a>"
    ) in status["statusnet_html"]


def test_mention_with_own_host(double: Double) -> None:
    status = post_status(
        double, status="hello @bob@127.0.0.1:8088 and @bob@other.example", include_entities="true"
    )

    assert [mention["screen_name"] for mention in status["entities"]["user_mentions"]] == ["bob"]
    assert "@bob@other.example" in status["text"]


def test_reply_gets_implicit_mentions(double: Double) -> None:
    root = post_status(double, status="Talking with @bob about gateways")
    reply = double.client.post(
        "/api/statuses/update.json",
        "carol",
        status="interesting",
        in_reply_to_status_id=str(root["id"]),
        include_entities="true",
    ).json()

    assert [mention["screen_name"] for mention in reply["entities"]["user_mentions"]] == [
        "alice",
        "bob",
    ]
    assert reply["statusnet_html"] == "interesting"

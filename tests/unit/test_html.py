"""Plain text to upstream HTML, and upstream HTML to sanitised Mastodon content."""

from __future__ import annotations

import pytest

from mappings.html import find_urls, html_from_plain_text, plain_text_from_content, rewrite_content

TAGS = "https://gateway.example/tags"


def test_text_is_escaped_not_interpreted():
    html = html_from_plain_text("1 < 2 & *stars* stay _here_ <b>not bold</b>")

    assert html == "<p>1 &lt; 2 &amp; *stars* stay _here_ &lt;b&gt;not bold&lt;/b&gt;</p>"


def test_brackets_are_shielded_from_bbcode():
    html = html_from_plain_text("[b]not bold[/b]")

    assert "[b]" not in html.replace("[nobb][[/nobb]", "")
    assert html == "<p>[nobb][[/nobb]b]not bold[nobb][[/nobb]/b]</p>"


def test_urls_become_links_without_trailing_punctuation():
    html = html_from_plain_text("see https://example.com/a?b=1&c=2.")

    assert (
        html
        == '<p>see <a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>.</p>'
    )


def test_newlines_become_breaks_and_paragraphs():
    html = html_from_plain_text("one\ntwo\n\nthree")

    assert html == "<p>one<br>two</p><p>three</p>"


def test_mentions_and_hashtags_stay_plain_for_the_upstream():
    html = html_from_plain_text("@bob look at #gateways, grüße 日本 🎉")

    assert html == "<p>@bob look at #gateways, grüße 日本 🎉</p>"


def test_scripts_and_unknown_markup_are_removed():
    content = rewrite_content(
        '<p onclick="x()">hi<script>alert(1)</script><img src="x" onerror="y()"> '
        '<a href="javascript:alert(1)">bad</a> <iframe src="https://evil.example"></iframe></p>',
        tag_url=TAGS,
    ).html

    assert "script" not in content
    assert "onclick" not in content
    assert "onerror" not in content
    assert "javascript:" not in content
    assert "iframe" not in content
    assert content.startswith("<p>hi")


def test_headings_become_strong_paragraphs():
    content = rewrite_content("<h2>Heading</h2>text", tag_url=TAGS).html

    assert content == "<p><strong>Heading</strong></p>text"


def test_inline_content_is_wrapped_in_paragraphs():
    content = rewrite_content("first line<br>second<br><br>new paragraph", tag_url=TAGS).html

    assert content == "<p>first line<br>second</p><p>new paragraph</p>"


def test_remote_mention_keeps_link_and_acct():
    rewritten = rewrite_content(
        '<bdi>@<a href="https://remote.example/users/zoe" class="userinfo mention" title="zoe">'
        "zoe</a></bdi> hi",
        tag_url=TAGS,
    )

    assert rewritten.mentions[0].url == "https://remote.example/users/zoe"
    assert rewritten.mentions[0].nickname == "zoe"
    text = plain_text_from_content(rewritten.html, {"https://remote.example/users/zoe": "zoe@remote.example"})
    assert text == "@zoe@remote.example hi"


def test_title_is_removed_only_when_it_matches():
    with_title = rewrite_content("<h4>Plans</h4><p>Body</p>", tag_url=TAGS, title="Plans").html
    other_heading = rewrite_content("<h4>Other</h4><p>Body</p>", tag_url=TAGS, title="Plans").html

    assert with_title == "<p>Body</p>"
    assert "Other" in other_heading


def test_brackets_end_a_url_and_stay_shielded():
    html = html_from_plain_text("Brackets [url=https://example.com]x[/url]")

    assert html == (
        '<p>Brackets [nobb][[/nobb]url=<a href="https://example.com">https://example.com</a>]x'
        "[nobb][[/nobb]/url]</p>"
    )


def test_query_with_brackets_links_up_to_the_bracket():
    html = html_from_plain_text("https://example.com/?a[]=1")

    assert html == '<p><a href="https://example.com/?a">https://example.com/?a</a>[nobb][[/nobb]]=1</p>'


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Wiki (https://en.wikipedia.org/wiki/Foo_(bar)) ok", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("(see https://example.com/page)", "https://example.com/page"),
        ("end of sentence https://example.com/a.", "https://example.com/a"),
        ("quoted 'https://example.com/q'?", "https://example.com/q"),
    ],
)
def test_url_ends_like_mastodon(text, url):
    assert [text[start:end] for start, end in find_urls(text)] == [url]


def test_paragraph_of_embedded_pictures_is_dropped():
    upstream = 'with picture<br><br><img src="https://friendica.example/photo/abc-0.png" alt="">'

    content = rewrite_content(upstream, tag_url="https://gateway.example/tags").html

    assert content == "<p>with picture</p>"

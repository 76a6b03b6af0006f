"""Text pipeline: what a posted status turns into, and how stored text is shown.

Posting (Friendica 2024.08 ``statuses/update``):

1. ``status`` is Markdown. It is rendered to HTML with hard line breaks and the
   HTML is converted to BBCode. ``htmlstatus`` skips the Markdown step.
2. Mentions (``@nick``, ``@nick@host`` of local users) become
   ``@[url=PROFILE]Display Name[/url]`` and hashtags ``#[url=BASE/search?tag=x]x[/url]``.
   Nothing inside ``[url]``, ``[img]``, ``[code]``, ``[nobb]``, ``[noparse]``
   or a bare URL is touched.
3. The BBCode is stored.

Showing: the BBCode is rendered to HTML in three flavours (see ``bbcode``) and
to the plain ``text`` of the Twitter API, which is the title, a space and the
plain form of the body with hidden link targets appended.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from markdown_it import MarkdownIt

from . import bbcode
from .htmlconv import html_to_bbcode, html_to_plaintext

_MARKDOWN = MarkdownIt("commonmark", {"breaks": True, "html": False})

_PROTECTED = re.compile(
    r"\[(url|img|code|nobb|noparse)(?:=[^\]]*)?\].*?\[/\1\]|https?://[^\s\[\]<>\"']+",
    re.IGNORECASE | re.DOTALL,
)
_MENTION = re.compile(r"(?<![\w@#&/.])@([A-Za-z0-9_][A-Za-z0-9_.\-]*)(?:@([A-Za-z0-9.\-]+(?::\d+)?))?")
_HASHTAG = re.compile(r"(?<![\w&#/])#(\w(?:[\w\-]*\w)?)")
_TAG_LINK = re.compile(r"([@!#])\[url=([^\]]+)\](.*?)\[/url\]", re.DOTALL)
_PROFILE_NICK = re.compile(r"/profile/([^/?#]+)$")


@dataclass(frozen=True)
class MentionTarget:
    """A local user that a mention points to."""

    url: str
    name: str
    public_id: int


@dataclass(frozen=True)
class Tags:
    """Hashtags (names) and mentions (public contact ids) of a body, in order of appearance."""

    hashtags: list[str]
    mentions: list[int]


def markdown_to_bbcode(source: str) -> str:
    """Convert Markdown (hard line breaks, no raw HTML) to BBCode."""
    if not source.strip():
        return ""
    return html_to_bbcode(_MARKDOWN.render(source))


def expand_tags(body: str, resolve: Callable[[str, str | None], MentionTarget | None], base_url: str) -> str:
    """Turn ``@nick`` mentions of local users and ``#tags`` into Friendica's BBCode links."""
    output = []
    position = 0
    for match in _PROTECTED.finditer(body):
        output.append(_expand_plain(body[position : match.start()], resolve, base_url))
        output.append(match.group(0))
        position = match.end()
    output.append(_expand_plain(body[position:], resolve, base_url))
    return "".join(output)


def _expand_plain(
    text: str, resolve: Callable[[str, str | None], MentionTarget | None], base_url: str
) -> str:
    def mention(match: re.Match[str]) -> str:
        nick, host = match.group(1), match.group(2)
        trailing = ""
        while nick and nick[-1] in ".-":
            trailing = nick[-1] + trailing
            nick = nick[:-1]
        if host is not None and trailing:
            # "@bob.@host" is no address; leave it alone.
            return match.group(0)
        target = resolve(nick, host)
        if target is None:
            return match.group(0)
        return f"@[url={target.url}]{target.name}[/url]{trailing}"

    def hashtag(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.isdigit():
            return match.group(0)
        return f"#[url={tag_url(base_url, name)}]{name}[/url]"

    text = _MENTION.sub(mention, text)
    return _HASHTAG.sub(hashtag, text)


def tag_url(base_url: str, name: str) -> str:
    """Return the tag search link Friendica puts behind a hashtag."""
    return f"{base_url}/search?tag={quote(name)}"


def collect_tags(body: str, public_id_for_url: Callable[[str], int | None]) -> Tags:
    """Return the hashtags and mentioned local users of stored BBCode, without duplicates."""
    hashtags: list[str] = []
    mentions: list[int] = []
    for marker, url, label in _TAG_LINK.findall(body):
        if marker == "#":
            if label not in hashtags:
                hashtags.append(label)
            continue
        public_id = public_id_for_url(url)
        if public_id is not None and public_id not in mentions:
            mentions.append(public_id)
    return Tags(hashtags, mentions)


def nick_from_profile_url(url: str) -> str | None:
    """Return the nickname of a ``…/profile/nick`` URL."""
    match = _PROFILE_NICK.search(url)
    return match.group(1) if match else None


def status_html(title: str, body: str, options: bbcode.RenderOptions) -> str:
    """Render a status body as HTML; a title becomes a leading ``<h4>``."""
    source = f"[h4]{title}[/h4]{body}" if title else body
    return bbcode.render_html(source, options)


def status_plaintext(title: str, body: str, base_url: str) -> str:
    """Return the plain ``text`` of a status: title, a space, then the plain body."""
    options = bbcode.RenderOptions(bbcode.FRIENDICA, base_url)
    plain = html_to_plaintext(bbcode.render_html(body, options))
    return f"{title} {plain}".strip() if title else plain


def plain_description(source: str) -> str:
    """Return profile text (BBCode) as plain text."""
    return bbcode.plain_text(source).strip()

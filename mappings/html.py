"""HTML in both directions: upstream markup to Mastodon's, plain text to upstream HTML.

Friendica renders mentions as ``<bdi>@<a class="userinfo mention">nick</a></bdi>``
and hashtags as ``#<a href=".../search?tag=x">x</a>``. Mastodon apps only
recognise their own markup (``h-card``/``u-url mention`` and
``mention hashtag`` links), so the content is parsed into a small tree,
rewritten, and then sanitised with nh3 before any client sees it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

import nh3

VOID_ELEMENTS = frozenset({"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col"})
BLOCK_ELEMENTS = frozenset({"p", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# The markup Mastodon's own sanitiser allows, so every app can render it.
ALLOWED_TAGS = {
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "code",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
}
# "class" is absent on purpose: nh3 checks class values against ALLOWED_CLASSES instead.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "rel", "target", "translate"},
    "span": {"translate"},
    "ol": {"start", "reversed"},
    "li": {"value"},
}
ALLOWED_CLASSES = {
    "a": {"mention", "hashtag", "u-url", "status-link", "unhandled-link"},
    "span": {"h-card", "invisible", "ellipsis"},
}
URL_SCHEMES = {"http", "https", "mailto", "xmpp", "gopher", "gemini", "magnet"}

# A URL runs to the next space, quote, angle or square bracket. Square brackets
# end it because Friendica would read them as BBCode inside the link.
_URL_CANDIDATE = re.compile(r"https?://[^\s<>\"'\[\]]+")
# A paragraph left empty once the pictures embedded in it are removed.
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>)*</p>")
_TRAILING_PUNCTUATION = ".,;:!?'\"*"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


Node = Element | str


class _TreeBuilder(HTMLParser):
    """Build a forgiving tree: unclosed tags close at the end, stray end tags are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        siblings = self.stack[-1].children
        if siblings and isinstance(siblings[-1], str):
            siblings[-1] += data
        else:
            siblings.append(data)


def parse_fragment(markup: str) -> list[Node]:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root.children


def serialize(nodes: Iterable[Node]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(html.escape(node, quote=False))
            continue
        attributes = "".join(
            f' {name}="{html.escape(value, quote=True)}"' for name, value in node.attrs.items()
        )
        if node.tag in VOID_ELEMENTS:
            parts.append(f"<{node.tag}{attributes}>")
        else:
            parts.append(f"<{node.tag}{attributes}>{serialize(node.children)}</{node.tag}>")
    return "".join(parts)


def text_of(nodes: Iterable[Node]) -> str:
    return "".join(node if isinstance(node, str) else text_of(node.children) for node in nodes)


@dataclass(frozen=True)
class MentionLink:
    """A mention found in upstream content: where it points and what it was called."""

    url: str
    nickname: str


@dataclass
class RewrittenContent:
    html: str
    mentions: list[MentionLink]
    hashtags: list[str]


def _is_mention(element: Element) -> bool:
    return "mention" in element.classes() and "hashtag" not in element.classes()


def _hashtag_name(element: Element) -> str | None:
    """Return the tag an upstream hashtag link names, or None for any other link."""
    href = element.attrs.get("href", "")
    query = parse_qs(urlsplit(href).query)
    if "/search" in urlsplit(href).path and query.get("tag"):
        return query["tag"][0]
    if "tag" in element.classes() or element.attrs.get("rel") == "tag":
        return text_of(element.children).lstrip("#") or None
    return None


def _strip_trailing(siblings: list[Node], mark: str) -> bool:
    """Drop ``mark`` from the end of the text just before the current node, if it is there."""
    if siblings and isinstance(siblings[-1], str) and siblings[-1].endswith(mark):
        siblings[-1] = siblings[-1][: -len(mark)]
        if not siblings[-1]:
            siblings.pop()
        return True
    return False


class _ContentRewriter:
    def __init__(self, tag_url: str) -> None:
        self.tag_url = tag_url.rstrip("/")
        self.mentions: list[MentionLink] = []
        self.hashtags: list[str] = []

    def rewrite(self, nodes: list[Node]) -> list[Node]:
        output: list[Node] = []
        for node in nodes:
            if isinstance(node, str):
                output.append(node)
                continue
            self._rewrite_element(node, output)
        return output

    def _rewrite_element(self, element: Element, output: list[Node]) -> None:
        if element.tag in {"bdi", "div", "table", "tbody", "thead", "tr", "td", "th", "font"}:
            output.extend(self.rewrite(element.children))
            return
        if element.tag in HEADINGS:
            output.append(Element("p", {}, [Element("strong", {}, self.rewrite(element.children))]))
            return
        if element.tag in {"img", "hr", "script", "style"}:
            return
        if element.tag == "a":
            output.append(self._rewrite_link(element, output))
            return
        output.append(Element(element.tag, dict(element.attrs), self.rewrite(element.children)))

    def _rewrite_link(self, element: Element, output: list[Node]) -> Node:
        href = element.attrs.get("href", "")
        if _is_mention(element):
            nickname = element.attrs.get("title") or text_of(element.children).lstrip("@")
            _strip_trailing(output, "@") or _strip_trailing(output, "!")
            self.mentions.append(MentionLink(url=href, nickname=nickname))
            link = Element(
                "a", {"href": href, "class": "u-url mention"}, ["@", Element("span", {}, [nickname])]
            )
            return Element("span", {"class": "h-card", "translate": "no"}, [link])

        tag = _hashtag_name(element)
        if tag is not None:
            _strip_trailing(output, "#")
            self.hashtags.append(tag)
            return Element(
                "a",
                {"href": f"{self.tag_url}/{quote(tag.lower())}", "class": "mention hashtag", "rel": "tag"},
                ["#", Element("span", {}, [tag])],
            )

        return Element(
            "a",
            {"href": href, "rel": "nofollow noopener noreferrer", "target": "_blank"},
            self.rewrite(element.children),
        )


def _drop_title(nodes: list[Node], title: str) -> list[Node]:
    """Remove the ``<h4>title</h4>`` Friendica puts before the body of a titled post."""
    if not title:
        return nodes
    for index, node in enumerate(nodes):
        if isinstance(node, str) and not node.strip():
            continue
        if isinstance(node, Element) and node.tag == "h4" and text_of(node.children).strip() == title.strip():
            rest = nodes[index + 1 :]
            while rest and (
                (isinstance(rest[0], Element) and rest[0].tag == "br")
                or (isinstance(rest[0], str) and not rest[0].strip())
            ):
                rest = rest[1:]
            return rest
        break
    return nodes


def _into_paragraphs(nodes: list[Node]) -> list[Node]:
    """Wrap inline content in ``<p>``, splitting at blank lines (two ``<br>`` in a row)."""
    if any(isinstance(node, Element) and node.tag in BLOCK_ELEMENTS for node in nodes):
        return nodes

    paragraphs: list[Node] = []
    current: list[Node] = []
    pending_breaks = 0
    for node in nodes:
        if isinstance(node, Element) and node.tag == "br":
            pending_breaks += 1
            continue
        if isinstance(node, str) and not node.strip() and pending_breaks:
            continue
        if pending_breaks >= 2 and current:
            paragraphs.append(Element("p", {}, current))
            current = []
        elif pending_breaks == 1 and current:
            current.append(Element("br"))
        pending_breaks = 0
        current.append(node)
    if current:
        paragraphs.append(Element("p", {}, current))
    return paragraphs


def sanitize(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def rewrite_content(upstream_html: str, *, tag_url: str, title: str = "") -> RewrittenContent:
    """Turn upstream status HTML into sanitised Mastodon content.

    ``tag_url`` is the base of hashtag links (the gateway's ``/tags``);
    ``title`` is removed from the front because it becomes the spoiler text.
    """
    rewriter = _ContentRewriter(tag_url)
    nodes = _drop_title(parse_fragment(upstream_html), title)
    nodes = _into_paragraphs(rewriter.rewrite(nodes))
    content = sanitize(serialize(nodes))

    # Pictures show as attachments, so a paragraph that only held them goes too.
    content = _EMPTY_PARAGRAPH.sub("", content)
    return RewrittenContent(html=content, mentions=rewriter.mentions, hashtags=rewriter.hashtags)


def plain_text_from_content(content: str, mention_accts: dict[str, str] | None = None) -> str:
    """Recover the text a person would type from Mastodon content HTML.

    Mentions become ``@acct`` (looked up by their URL in ``mention_accts``),
    shortened link texts become their full URL, paragraphs become blank lines.
    """
    accts = mention_accts or {}
    lines: list[str] = []

    def walk(nodes: Iterable[Node]) -> None:
        for node in nodes:
            if isinstance(node, str):
                lines.append(node)
            elif node.tag == "br":
                lines.append("\n")
            elif node.tag == "p":
                if lines and not "".join(lines).endswith("\n\n"):
                    lines.append("\n\n")
                walk(node.children)
            elif node.tag == "li":
                lines.append("\n- ")
                walk(node.children)
            elif node.tag == "a":
                lines.append(_link_as_text(node, accts))
            elif node.tag == "span" and "invisible" in node.classes():
                continue
            else:
                walk(node.children)

    walk(parse_fragment(content))
    return "".join(lines).strip()


def _link_as_text(link: Element, accts: dict[str, str]) -> str:
    href = link.attrs.get("href", "")
    label = text_of(link.children)
    if "mention" in link.classes() and "hashtag" not in link.classes():
        return "@" + accts.get(href, label.lstrip("@"))
    if "hashtag" in link.classes():
        return label
    if href and (label == href or href.split("://", 1)[-1].startswith(label.rstrip("…"))):
        return href
    return label


def html_from_plain_text(text: str) -> str:
    """Build the HTML to post so the upstream stores the text exactly as typed.

    The text is escaped, URLs become links, blank lines become paragraphs and
    single newlines ``<br>``. Friendica converts this HTML to BBCode and reads
    any ``[tag]`` in it as markup, so every ``[`` is shielded in a ``[nobb]``
    block, which Friendica prints literally. Mentions and hashtags stay plain
    text: the upstream links them itself.
    """
    paragraphs = re.split(r"\n[ \t]*\n+", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    rendered = []
    for paragraph in paragraphs:
        lines = [_inline_html(line) for line in paragraph.split("\n")]
        rendered.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(rendered)


def _ends_outside_url(url: str) -> bool:
    last = url[-1]
    return last in _TRAILING_PUNCTUATION or (last == ")" and url.count("(") < url.count(")"))


def find_urls(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the URLs in plain text, as Mastodon would link them.

    Punctuation that ends a sentence is not part of a URL, and neither is a
    closing parenthesis without an opening one inside the URL, so
    ``(see https://example.com/Foo_(bar))`` links ``https://example.com/Foo_(bar)``.
    """
    spans = []
    for match in _URL_CANDIDATE.finditer(text):
        url = match.group(0)
        while url and _ends_outside_url(url):
            url = url[:-1]
        if len(url) > len("https://"):
            spans.append((match.start(), match.start() + len(url)))
    return spans


def _inline_html(line: str) -> str:
    parts: list[str] = []
    position = 0
    for start, end in find_urls(line):
        parts.append(_shield_brackets(html.escape(line[position:start], quote=False)))
        url = line[start:end]
        parts.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url, quote=False)}</a>')
        position = end
    parts.append(_shield_brackets(html.escape(line[position:], quote=False)))
    return "".join(parts)


def _shield_brackets(text: str) -> str:
    return text.replace("[", "[nobb][[/nobb]")


def paragraphs_from_plain_text(text: str) -> str:
    """Render a plain-text field (a profile note) as Mastodon HTML."""
    if not text.strip():
        return ""
    html_text = html_from_plain_text(text).replace("[nobb][[/nobb]", "[")
    return sanitize(html_text)

"""BBCode parsing and HTML rendering in Friendica's API flavours.

Supported tags: ``[b] [i] [u] [s] [strong] [em] [del] [ins] [sub] [sup]``,
``[code]``, ``[quote]``, ``[url]``/``[url=...]``, ``[img]``/``[img=...]``,
``[h1]``..``[h6]``, ``[ul] [ol] [li]``, ``[hr]`` and ``[nobb]``/``[noparse]``
whose content is shown literally. Unknown or unbalanced tags stay as text.

Friendica stores a mention as ``@[url=PROFILE]Name[/url]`` and a hashtag as
``#[url=BASE/search?tag=x]x[/url]``; the renderer recognises both by the
character in front of the link. Paragraphs follow Friendica's converter:
a blank line starts a new paragraph, a single newline becomes ``<br>``, and
when a post has block elements or several paragraphs every run of text is
wrapped in ``<p>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

_TAG = re.compile(r"\[(/?)([a-zA-Z][a-zA-Z0-9]*)(?:=([^\]]*))?\]")
_BARE_URL = re.compile(r"https?://[^\s<>\[\]\"']+")
_URL_TRAILING = ".,;:!?)'\""

INLINE_TAGS = {"b", "i", "u", "s", "strong", "em", "del", "ins", "sub", "sup"}
BLOCK_TAGS = {"quote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li"}
RAW_TAGS = {"code", "nobb", "noparse", "img"}
VOID_TAGS = {"hr"}
KNOWN_TAGS = INLINE_TAGS | BLOCK_TAGS | RAW_TAGS | VOID_TAGS | {"url"}
LITERAL_TAGS = {"nobb", "noparse"}

# Flavours of the HTML output.
STATUSNET = "statusnet"  # Twitter API statusnet_html: mentions show the nickname
FRIENDICA = "friendica"  # Twitter API friendica_html: mentions show the stored name
MASTODON = "mastodon"  # Mastodon API content

STYLED_URL_LENGTH = 30


@dataclass
class Node:
    """A parsed BBCode element; ``tag`` is None for the root."""

    tag: str | None
    option: str | None = None
    opening: str = ""
    children: list[Node | str] = field(default_factory=list)


@dataclass(frozen=True)
class RenderOptions:
    """How to render: the flavour, the site's base URL and a nickname lookup for mentions."""

    flavour: str
    base_url: str
    nick_for_url: Callable[[str], str | None] = lambda url: None


def parse(text: str) -> Node:
    """Parse BBCode into a tree; tags that do not balance are kept as text."""
    root = Node(tag=None)
    stack = [root]
    position = 0

    while True:
        match = _TAG.search(text, position)
        if match is None:
            _append_text(stack[-1], text[position:])
            break

        _append_text(stack[-1], text[position : match.start()])
        closing, name, option = match.group(1) == "/", match.group(2).lower(), match.group(3)
        position = match.end()

        if name not in KNOWN_TAGS:
            _append_text(stack[-1], match.group(0))
        elif closing:
            _close(stack, name, match.group(0))
        elif name in VOID_TAGS:
            stack[-1].children.append(Node(tag=name, opening=match.group(0)))
        elif name in RAW_TAGS:
            end = re.compile(rf"\[/{name}\]", re.IGNORECASE).search(text, position)
            if end is None:
                _append_text(stack[-1], match.group(0))
                continue
            node = Node(tag=name, option=option, opening=match.group(0))
            node.children.append(text[position : end.start()])
            stack[-1].children.append(node)
            position = end.end()
        else:
            node = Node(tag=name, option=option, opening=match.group(0))
            stack[-1].children.append(node)
            stack.append(node)

    while len(stack) > 1:
        _unwrap(stack)
    return root


def _append_text(node: Node, text: str) -> None:
    if not text:
        return
    if node.children and isinstance(node.children[-1], str):
        node.children[-1] += text
    else:
        node.children.append(text)


def _close(stack: list[Node], name: str, literal: str) -> None:
    """Close the innermost open ``name``; unclosed tags inside it turn back into text."""
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth].tag == name:
            while len(stack) - 1 > depth:
                _unwrap(stack)
            stack.pop()
            return
    _append_text(stack[-1], literal)


def _unwrap(stack: list[Node]) -> None:
    """Replace the unclosed top node by its opening tag text and its children."""
    node = stack.pop()
    parent = stack[-1]
    index = next(i for i, child in enumerate(parent.children) if child is node)
    parent.children[index : index + 1] = [node.opening, *node.children]

    merged: list[Node | str] = []
    for child in parent.children:
        if isinstance(child, str) and merged and isinstance(merged[-1], str):
            merged[-1] += child
        else:
            merged.append(child)
    parent.children = merged


def styled_url(url: str) -> str:
    """Return a link text for a bare URL: without scheme or ``www.``, cut at 30 characters."""
    styled = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://(www\.)?", "", url)
    if len(styled) > STYLED_URL_LENGTH:
        styled = styled[:STYLED_URL_LENGTH] + "…"
    return styled


def split_bare_url(candidate: str) -> tuple[str, str]:
    """Split trailing punctuation off a bare URL match: returns (url, rest)."""
    url = candidate.rstrip(_URL_TRAILING)
    if url.endswith("(") or not url:
        return candidate, ""
    return url, candidate[len(url) :]


def render_html(text: str, options: RenderOptions) -> str:
    """Render stored BBCode as HTML in the given flavour."""
    return _render_sequence(parse(text).children, options, paragraphs=True)


# Rendering


@dataclass
class _Piece:
    html: str
    block: bool


def _render_sequence(children: list[Node | str], options: RenderOptions, paragraphs: bool) -> str:
    pieces = _render_pieces(children, options)
    for index, piece in enumerate(pieces):
        if piece.block:
            continue
        if index + 1 < len(pieces) and pieces[index + 1].block:
            piece.html = piece.html.rstrip("\n")
        if index > 0 and pieces[index - 1].block:
            piece.html = piece.html.lstrip("\n")

    has_blocks = any(piece.block for piece in pieces)
    has_breaks = any("\n\n" in piece.html.strip("\n") for piece in pieces if not piece.block)
    if not paragraphs or not (has_blocks or has_breaks):
        return "".join(piece.html if piece.block else _line_breaks(piece.html) for piece in pieces)

    output = []
    for piece in pieces:
        if piece.block:
            output.append(piece.html)
            continue
        for paragraph in piece.html.split("\n\n"):
            paragraph = paragraph.strip()
            if paragraph.strip():
                output.append(f"<p>{_line_breaks(paragraph)}</p>")
    return "".join(output)


def _line_breaks(fragment: str) -> str:
    return fragment.replace("\n", "<br>")


def _render_pieces(children: list[Node | str], options: RenderOptions) -> list[_Piece]:
    """Render children into inline runs and blocks, joining adjacent inline output."""
    pieces: list[_Piece] = []

    def add(fragment: str, block: bool) -> None:
        if not block and pieces and not pieces[-1].block:
            pieces[-1].html += fragment
        else:
            pieces.append(_Piece(fragment, block))

    index = 0
    while index < len(children):
        child = children[index]
        following = children[index + 1] if index + 1 < len(children) else None
        if isinstance(child, str):
            marker = child[-1:] if child else ""
            if marker in ("@", "!", "#") and isinstance(following, Node) and _is_tag_link(following):
                add(_render_text(child[:-1], options), False)
                add(_render_tag_link(marker, following, options), False)
                index += 2
                continue
            add(_render_text(child, options), False)
        else:
            fragment, block = _render_node(child, options)
            add(fragment, block)
        index += 1
    return pieces


def _is_tag_link(node: Node) -> bool:
    return node.tag == "url" and bool(node.option)


def _render_tag_link(marker: str, node: Node, options: RenderOptions) -> str:
    """Render a mention (``@``/``!``) or a hashtag (``#``) link."""
    url = node.option or ""
    label = _plain_children(node)
    href = html.escape(url, quote=True)

    if marker == "#":
        if options.flavour == MASTODON:
            return (
                f'<a class="mention hashtag status-link" href="{href}" rel="tag">'
                f"#<span>{html.escape(label)}</span></a>"
            )
        return "#" + _anchor(url, html.escape(label), options)

    if options.flavour in (STATUSNET, MASTODON):
        label = options.nick_for_url(url) or label
    name = html.escape(label, quote=True)
    if options.flavour == MASTODON:
        return (
            f'<a class="u-url mention status-link" href="{href}" rel="noopener noreferrer" '
            f'target="_blank" title="{name}">{marker}<span>{name}</span></a>'
        )
    return f'<bdi>{marker}<a href="{href}" class="userinfo mention" title="{name}">{name}</a></bdi>'


def _plain_children(node: Node) -> str:
    parts = []
    for child in node.children:
        parts.append(child if isinstance(child, str) else _plain_children(child))
    return "".join(parts)


def _anchor(url: str, label_html: str, options: RenderOptions) -> str:
    """Return a link; local links get no target, like Friendica's converter."""
    href = html.escape(url, quote=True)
    if url.startswith(options.base_url):
        return f'<a href="{href}">{label_html}</a>'
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{label_html}</a>'


def _render_text(text: str, options: RenderOptions) -> str:
    """Escape text and turn bare URLs into links with a shortened label."""
    output = []
    position = 0
    for match in _BARE_URL.finditer(text):
        url, rest = split_bare_url(match.group(0))
        output.append(html.escape(text[position : match.start()], quote=False))
        output.append(_anchor(url, html.escape(styled_url(url), quote=False), options))
        output.append(html.escape(rest, quote=False))
        position = match.end()
    output.append(html.escape(text[position:], quote=False))
    return "".join(output)


def _render_node(node: Node, options: RenderOptions) -> tuple[str, bool]:
    """Render one element; returns the HTML and whether it is a block element."""
    tag = node.tag or ""

    if tag in INLINE_TAGS:
        inner = _render_sequence(node.children, options, paragraphs=False)
        return f"<{tag}>{inner}</{tag}>", False

    if tag in LITERAL_TAGS:
        return html.escape(_plain_children(node), quote=False), False

    if tag == "code":
        content = _plain_children(node)
        if "\n" in content.strip("\n"):
            return (
                f"<pre><code>{html.escape(content.strip(chr(10)), quote=False)}</code></pre>",
                True,
            )
        return f"<code>{html.escape(content, quote=False)}</code>", False

    if tag == "url":
        return _render_url(node, options), False

    if tag == "img":
        return _render_image(node), False

    if tag == "hr":
        return "<hr />", True

    if tag in ("ul", "ol"):
        items = [child for child in node.children if isinstance(child, Node)]
        inner = "".join(_render_node(item, options)[0] for item in items)
        return f"<{tag}>{inner}</{tag}>", True

    if tag == "li":
        inner = _render_sequence(node.children, options, paragraphs=False)
        return f"<li>{inner.strip()}</li>", True

    if tag == "quote":
        inner = _render_sequence(node.children, options, paragraphs=False)
        inner = re.sub(r"^(<br>)+|(<br>)+$", "", inner)
        return f"<blockquote>{inner}</blockquote>", True

    # Headings h1 .. h6.
    inner = _render_sequence(node.children, options, paragraphs=False)
    return f"<{tag}>{inner}</{tag}>", True


def _render_url(node: Node, options: RenderOptions) -> str:
    if node.option:
        url = node.option
        label_text = _plain_children(node)
        if label_text == url:
            label = html.escape(styled_url(url), quote=False)
        else:
            label = _render_sequence(node.children, options, paragraphs=False)
        return _anchor(url, label, options)

    url = _plain_children(node).strip()
    return _anchor(url, html.escape(styled_url(url), quote=False), options)


def _render_image(node: Node) -> str:
    content = _plain_children(node).strip()
    option = node.option or ""
    if option and not re.fullmatch(r"\d+x\d+", option):
        source, alt = option, content
    else:
        source, alt = content, ""
    return f'<img src="{html.escape(source, quote=True)}" alt="{html.escape(alt, quote=True)}">'


def plain_text(text: str) -> str:
    """Return the text content of BBCode without any tags (for descriptions)."""
    return _plain_children(parse(text))

"""HTML conversions: HTML to BBCode (for posting) and HTML to plain text (for ``text``).

Both follow the element mapping of Friendica's converters: formatting
elements keep their names (``<strong>`` becomes ``[strong]``, ``<b>`` stays
``[b]``), paragraphs become newlines and list items ``[li]``. The plain text
form lists items as ``* item``, marks headings with ``*`` and appends the
targets of links that the text does not show, except links to profiles and
tag searches.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_FORMATTING = {"b", "strong", "i", "em", "u", "s", "del", "ins", "sub", "sup"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIPPED = {"script", "style", "head", "title"}
_CONTAINERS = {"ul", "ol", "blockquote", "table", "tr", "tbody", "thead"}

# Link targets that the plain text form does not append (profiles, tag searches ...).
_UNLISTED_LINKS = (
    "/user/",
    "/tag/",
    "/group/",
    "/circle/",
    "/profile/",
    "/search?search=",
    "/search?tag=",
    "mailto:",
    "/u/",
    "/node/",
)


class _BBCodeWriter(HTMLParser):
    """Streams HTML into BBCode."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.output: list[str] = []
        self.closers: list[tuple[str, str]] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in _SKIPPED:
            self.skip_depth += 1
            self.closers.append((tag, ""))
            return
        if tag in ("br", "img", "hr"):
            self.handle_startendtag(tag, attrs)
            return

        opening, closing = self._mapping(tag, attributes)
        if tag == "pre":
            self.pre_depth += 1
        self.output.append(opening)
        self.closers.append((tag, closing))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            self.output.append("\n")
        elif tag == "hr":
            self.output.append("[hr]")
        elif tag == "img" and attributes.get("src"):
            alt = attributes.get("alt") or attributes.get("title") or ""
            if alt:
                self.output.append(f"[img={attributes['src']}]{alt}[/img]")
            else:
                self.output.append(f"[img]{attributes['src']}[/img]")

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _ in self.closers):
            return
        while self.closers:
            open_tag, closing = self.closers.pop()
            if open_tag in _SKIPPED:
                self.skip_depth -= 1
            if open_tag == "pre":
                self.pre_depth -= 1
            self.output.append(closing)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            self.output.append(data)
            return
        parent = self.closers[-1][0] if self.closers else None
        if not data.strip() and "\n" in data and (parent is None or parent in _CONTAINERS):
            return
        self.output.append(re.sub(r"\s+", " ", data))

    @staticmethod
    def _mapping(tag: str, attributes: dict[str, str]) -> tuple[str, str]:
        if tag in _FORMATTING:
            return f"[{tag}]", f"[/{tag}]"
        if tag == "strike":
            return "[s]", "[/s]"
        if tag in _HEADINGS:
            return f"[{tag}]", f"[/{tag}]"
        if tag == "code":
            return "[code]", "[/code]"
        if tag == "blockquote":
            return "[quote]", "[/quote]"
        if tag in ("p", "div"):
            return "\n", "\n"
        if tag in ("ul", "ol"):
            return f"[{tag}]", f"\n[/{tag}]"
        if tag == "li":
            return "\n[li]", "[/li]"
        if tag == "a" and attributes.get("href"):
            return f"[url={attributes['href']}]", "[/url]"
        return "", ""


def html_to_bbcode(markup: str) -> str:
    """Convert HTML to BBCode the way Friendica stores posted HTML."""
    writer = _BBCodeWriter()
    writer.feed(markup)
    writer.close()
    while writer.closers:
        writer.output.append(writer.closers.pop()[1])

    text = "".join(writer.output)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = re.sub(r"\[code\]\n+", "[code]", text)
    text = re.sub(r"\n+\[/code\]", "[/code]", text)
    return text.strip()


class _PlainTextWriter(HTMLParser):
    """Streams HTML into plain text and collects link targets."""

    QUOTE_START = "\x02"
    QUOTE_END = "\x03"

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.output: list[str] = []
        self.links: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in _SKIPPED:
            self.skip_depth += 1
        elif tag == "a" and attributes.get("href"):
            self._collect_link(attributes["href"])
        elif tag in ("br", "img", "hr"):
            self.handle_startendtag(tag, attrs)
        elif tag in ("p", "div"):
            self.output.append("\n")
        elif tag == "li":
            self.output.append("\n* ")
        elif tag in _HEADINGS:
            self.output.append("\n\n*")
        elif tag == "blockquote":
            self.output.append("\n" + self.QUOTE_START)
        elif tag == "tr":
            self.output.append("\n")
        elif tag == "td":
            self.output.append("\t")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            self.output.append("\n")
        elif tag == "hr":
            self.output.append("\n" + "-" * 70 + "\n")
        elif tag == "img" and attributes.get("src"):
            self.output.append(f" {attributes['src']} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in ("p", "div", "li"):
            self.output.append("\n")
        elif tag in _HEADINGS:
            self.output.append("*\n")
        elif tag == "blockquote":
            self.output.append(self.QUOTE_END + "\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.output.append(data)

    def _collect_link(self, href: str) -> None:
        if href.startswith("#") or any(part in href for part in _UNLISTED_LINKS):
            return
        if href not in self.links:
            self.links.append(href)


def html_to_plaintext(markup: str, compact: bool = False) -> str:
    """Convert rendered HTML to the plain ``text`` of a status, appending hidden link targets.

    ``compact`` leaves the link targets out, like Friendica's ``BBCode::toPlaintext(..., false)``.
    """
    writer = _PlainTextWriter()
    writer.feed(markup)
    writer.close()

    text = _quote_levels("".join(writer.output).replace("\xa0", " "))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not text or compact:
        return text

    hidden = [link for link in writer.links if link not in text]
    if hidden:
        text += "\n\n" + "\n".join(hidden)
    return text


def _quote_levels(text: str) -> str:
    """Trim every line, as Friendica's HTML::toPlaintext() does, and prefix quoted ones with ``>``."""
    lines = []
    level = 0
    for line in text.split("\n"):
        level += line.count(_PlainTextWriter.QUOTE_START)
        content = line.replace(_PlainTextWriter.QUOTE_START, "")
        content = content.replace(_PlainTextWriter.QUOTE_END, "").strip()
        lines.append(("> " * level + content) if level and content else content)
        level -= line.count(_PlainTextWriter.QUOTE_END)
    return "\n".join(lines)

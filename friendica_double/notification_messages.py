"""The text of notification rows: message templates and the quoted text of a post.

The templates are Friendica 2024.08's English messages. ``{causer}``,
``{title}`` and ``{author}`` become BBCode links when a row is read (see
``routes_notifications``), ``{site}`` the site name. Which post a message
quotes depends on the cause: a mention, a comment in the user's thread and
participation quote the thread root, the other causes quote the post that
was replied to (for comments and shares) or reacted to.
"""

from __future__ import annotations

from dataclasses import dataclass

from .bbcode import FRIENDICA, RenderOptions, render_html
from .context import Site
from .db import Row, Store
from .htmlconv import html_to_plaintext

# Causes (Friendica's user-notification types), stored in notify.cause.
EXPLICIT_TAGGED = 1
IMPLICIT_TAGGED = 2
THREAD_COMMENT = 4
DIRECT_COMMENT = 8
COMMENT_PARTICIPATION = 16
ACTIVITY_PARTICIPATION = 32
DIRECT_THREAD_COMMENT = 64
SHARED = 128
DIRECT_CAUSES = (DIRECT_COMMENT, DIRECT_THREAD_COMMENT)
PARTICIPATION_CAUSES = (COMMENT_PARTICIPATION, ACTIVITY_PARTICIPATION)
ROOT_QUOTING_CAUSES = (EXPLICIT_TAGGED, THREAD_COMMENT, *PARTICIPATION_CAUSES)

INTRO_TEMPLATE = "You have a new follower at {site} : {causer}"
POST_TEMPLATES = {
    EXPLICIT_TAGGED: "{causer} tagged you on {title}",
    IMPLICIT_TAGGED: "{causer} replied to you on {title}",
    THREAD_COMMENT: "{causer} commented in your thread {title}",
    DIRECT_COMMENT: "{causer} commented on your comment {title}",
    DIRECT_THREAD_COMMENT: "{causer} commented on your thread {title}",
}
ATTEND_TEMPLATES = {
    "attendyes": "{causer} wants to attend your event {title}",
    "attendno": "{causer} does not want to attend your event {title}",
    "attendmaybe": "{causer} maybe wants to attend your event {title}",
}

# Friendica quotes at most this many characters of a post in a message.
QUOTE_LIMIT = 70
ELLIPSIS = "\u2026"
PHP_WHITESPACE = " \t\n\r\0\x0b"


@dataclass(frozen=True)
class Message:
    """Content of a notification: its template, the quoted text and the quoted post's author."""

    template: str
    title: str
    author_id: int
    author_name: str


def compose(site: Site, item: Row, target: Row, root: Row, cause: int) -> Message | None:
    """Return the message of a row about ``item``, or None where Friendica has no message.

    ``target`` is the post the row points to: the item itself, or for a
    reaction or share the post it reacts to. ``root`` is the thread root.
    """
    store = site.store
    quoted: Row | None = root
    if cause not in ROOT_QUOTING_CAUSES:
        quoted = target
        if (item["verb"] == "post" or cause == SHARED) and target["thr_parent_id"]:
            quoted = store.item(target["thr_parent_id"])
    if quoted is None:
        return None

    title = quote(site, quoted["body"])
    by_author = item["author_id"] == quoted["author_id"]
    if cause == SHARED:
        template: str | None = _share_template(by_author, bool(title))
    elif item["verb"] in ATTEND_TEMPLATES:
        template = ATTEND_TEMPLATES[item["verb"]] if cause == DIRECT_THREAD_COMMENT else None
    elif cause in PARTICIPATION_CAUSES:
        template = _participation_template(by_author, bool(title))
    else:
        template = POST_TEMPLATES.get(cause)
    if template is None:
        return None
    return Message(template, title, int(quoted["author_id"]), name_of(store, quoted["author_id"]))


def _participation_template(own_thread: bool, has_title: bool) -> str:
    if own_thread:
        if has_title:
            return "{causer} commented in their thread {title}"
        return "{causer} commented in their thread"
    if has_title:
        return "{causer} commented in the thread {title} from {author}"
    return "{causer} commented in the thread from {author}"


def _share_template(own_post: bool, has_title: bool) -> str:
    if own_post:
        return "{causer} shared the post {title}" if has_title else "{causer} shared a post"
    if has_title:
        return "{causer} shared the post {title} from {author}"
    return "{causer} shared a post from {author}"


def name_of(store: Store, public_id: int) -> str:
    """Return a person's current display name ("" for an unknown id)."""
    person = store.public_contact(public_id)
    return str(person["name"]) if person is not None else ""


def quote(site: Site, body: str) -> str:
    """Return a post body as a notification quotes it: plain, shortened, in double quotes."""
    html = render_html(body, RenderOptions(FRIENDICA, site.base_url))
    shortened = shorten(html_to_plaintext(html, compact=True), QUOTE_LIMIT)
    if not shortened:
        return ""
    return '"' + shortened.replace("\n", " ").strip(PHP_WHITESPACE) + '"'


def shorten(text: str, limit: int) -> str:
    """Keep whole lines while they fit in ``limit`` characters; cut a first line that does not.

    A cut line keeps ``limit - 3`` characters and gets an ellipsis, as in
    Friendica's ``Plaintext::shorten()``.
    """
    kept = ""
    for line in text.split("\n"):
        candidate = (kept + "\n" + line).strip(PHP_WHITESPACE)
        if len(candidate) <= limit:
            kept = candidate
        elif not kept:
            kept = candidate[:limit][:-3] + ELLIPSIS
        else:
            break
    return kept

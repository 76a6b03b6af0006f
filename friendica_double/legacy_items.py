"""Friendica 3.5.4's per-user item rows, mapped onto the double's shared items.

In 3.5.x every user who has a copy of a post has an ``item`` row of their own, and
the API's status ``id`` is that row's id. So one post has a different id
for each user, and ``statusnet_conversation_id`` and
``in_reply_to_status_id`` point at rows of the same user. The double's
``post_user`` table has exactly one row per item and holder, so a legacy
status id is a ``post_user.id`` and every query here returns an *item row*:
the item joined with one holder's copy (``row_id``, ``row_uid``,
``starred``, ``hidden``).

Shares are 3.5.4 posts whose body is a ``[share]`` block (see
``share_parts``). The double's own shares (``announce`` activities, as
seeded) are activities, which 3.5.4's API never lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .context import Site
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, GRAVITY_PARENT, PRIVATE, PUBLIC, Row, Store

ITEM_SELECT = (
    "SELECT item.*, post_user.id AS row_id, post_user.uid AS row_uid, post_user.starred AS starred, "
    "post_user.hidden AS hidden FROM post_user JOIN item ON item.uri_id = post_user.uri_id"
)
# Posts and comments (3.5.4's verb "post"); activities are left out.
POSTS = f"item.gravity IN ({GRAVITY_PARENT}, {GRAVITY_COMMENT})"
VISIBLE = "item.deleted = 0 AND post_user.hidden = 0"

_SHARE = re.compile(r"^\s*\[share([^\]]*)\](.*)\[/share\]\s*$", re.DOTALL)
_SHARE_ATTRIBUTE = re.compile(r"""(\w+)=(?:'([^']*)'|"([^"]*)")""")


@dataclass(frozen=True)
class Page:
    """3.5.4's paging: ``count`` (default 20, no maximum), 1-based ``page``, exclusive ``since_id``,
    inclusive ``max_id``, all on the caller's row ids."""

    count: int = 20
    page: int = 1
    since_id: int = 0
    max_id: int = 0

    @property
    def offset(self) -> int:
        """Return the rows skipped for the page."""
        return max(0, (self.page - 1) * self.count)


@dataclass(frozen=True)
class Share:
    """The parts of a ``[share]`` body: the shared author, their profile and avatar, link, time and text."""

    author: str
    profile: str
    avatar: str
    link: str
    posted: str
    body: str


def row(store: Store, row_id: int) -> Row | None:
    """Return the item row with this id, whichever user it belongs to."""
    return store.one(f"{ITEM_SELECT} WHERE post_user.id = ?", [row_id])


def row_of(store: Store, uri_id: int, uid: int) -> Row | None:
    """Return the item row of ``uid`` for an item."""
    return store.one(f"{ITEM_SELECT} WHERE post_user.uri_id = ? AND post_user.uid = ?", [uri_id, uid])


def row_id(store: Store, uri_id: int | None, uid: int) -> int | None:
    """Return the id of ``uid``'s row of an item, or None when they hold none."""
    if uri_id is None:
        return None
    value = store.scalar("SELECT id FROM post_user WHERE uri_id = ? AND uid = ?", [uri_id, uid])
    return None if value is None else int(value)


def rows(
    store: Store, where: Sequence[str], args: Sequence[Any], page: Page, ascending: bool = False
) -> list[Row]:
    """Return a page of item rows, newest row id first (``ascending`` for oldest first)."""
    conditions = [*where, "post_user.id > ?"]
    values = [*args, page.since_id]
    if page.max_id > 0:
        conditions.append("post_user.id <= ?")
        values.append(page.max_id)
    order = "ASC" if ascending else "DESC"
    return store.query(
        f"{ITEM_SELECT} WHERE {' AND '.join(conditions)} ORDER BY post_user.id {order} LIMIT ? OFFSET ?",
        [*values, page.count, page.offset],
    )


def item_uri(site: Site, item: Row) -> str:
    """Return the URI 3.5.4 would have given an item: ``urn:X-dfrn:<host>:<uid>:<guid>``."""
    return f"urn:X-dfrn:{site.netloc}:{item['origin_uid']}:{item['guid']}"


def wall_owner_uid(store: Store, item: Row) -> int | None:
    """Return the local user whose wall an item's thread is on (the thread root's author)."""
    root = store.item(item["parent_uri_id"])
    if root is None:
        return None
    owner = store.user_by_public_contact(root["owner_id"])
    return int(owner["uid"]) if owner is not None else None


def is_public(item: Row) -> bool:
    """Return whether an item has no ACL and is not private (3.5.4's check for shares and walls)."""
    no_acl = not (item["allow_cid"] or item["allow_gid"] or item["deny_cid"] or item["deny_gid"])
    return no_acl and item["private"] == PUBLIC


def has_acl(item: Row) -> bool:
    """Return whether an item is limited to some people (``protected`` of its author object)."""
    return bool(item["allow_cid"] or item["allow_gid"] or item["deny_cid"] or item["deny_gid"]) or (
        item["private"] == PRIVATE
    )


def latest_own_row(store: Store, uid: int, public_only: bool) -> Row | None:
    """Return the user's newest row of an item they wrote, 3.5.4's "last status" of a user.

    Activities (likes) do not count, but deleted items do, as in 3.5.4's
    query. ``public_only`` leaves out items with an ACL.
    """
    user = store.user(uid)
    if user is None:
        return None
    conditions = ["post_user.uid = ?", "item.author_id = ?", f"item.gravity != {GRAVITY_ACTIVITY}"]
    if public_only:
        conditions.append(
            "item.allow_cid = '' AND item.allow_gid = '' AND item.deny_cid = '' AND item.deny_gid = ''"
        )
    return store.one(
        f"{ITEM_SELECT} WHERE {' AND '.join(conditions)} ORDER BY post_user.id DESC LIMIT 1",
        [uid, user["public_contact"]],
    )


def share_parts(body: str) -> Share | None:
    """Return the parts of a body that is only a ``[share]`` block with all its attributes, else None."""
    match = _SHARE.match(body)
    if match is None:
        return None
    attributes = {name: single or double for name, single, double in _SHARE_ATTRIBUTE.findall(match.group(1))}
    shared = Share(
        author=attributes.get("author", ""),
        profile=attributes.get("profile", ""),
        avatar=attributes.get("avatar", ""),
        link=attributes.get("link", ""),
        posted=attributes.get("posted", ""),
        body=match.group(2).strip(),
    )
    if not (shared.body and shared.profile and shared.author and shared.avatar and shared.posted):
        return None
    return shared


def share_body(author: str, profile: str, avatar: str, link: str, posted: str, body: str) -> str:
    """Return the ``[share]`` body 3.5.4's statuses/retweet posts for a shared item."""

    def quoted(value: str) -> str:
        return value.replace("'", "&#039;")

    header = (
        f"[share author='{quoted(author)}' profile='{quoted(profile)}' avatar='{quoted(avatar)}' "
        f"link='{quoted(link)}' posted='{quoted(posted)}']"
    )
    return f"{header}{body}[/share]"

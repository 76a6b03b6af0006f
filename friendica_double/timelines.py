"""Timeline queries: which statuses a call returns, and from whose point of view.

Each query returns ``Entry`` pairs of a uri-id and the *perspective*: the user
id whose copy Friendica renders. The perspective decides ``favorited``,
``friendica_activities`` and the ``uid``/``cid``/``following`` fields of the
embedded user objects. Friendica 2024.08 renders

- the home timeline, favorites and threads of which the caller has a copy from
  the caller's copy;
- user timelines, mentions, search and the network timeline from the public
  copy (perspective 0) unless the post is private;
- the public timeline from the copy of the wall owner, that is the author.

Paging (recorded on 2024.08): newest first by uri-id, ``since_id`` exclusive,
``max_id`` inclusive, ``count`` clamped to 1..100 and ``page`` as an offset.

Like Friendica's Post::selectForUser(), every query leaves out posts whose
author or owner the caller blocked or muted, or who blocked the caller (see
``user_contacts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .db import GRAVITY_COMMENT, GRAVITY_PARENT, PRIVATE, PUBLIC, Store
from .params import Params
from .user_contacts import HIDDEN_FROM_VIEWER


@dataclass(frozen=True)
class Entry:
    """One status of a result: its uri-id and the user id it is rendered for."""

    uri_id: int
    perspective: int


@dataclass(frozen=True)
class Page:
    """Paging parameters of a timeline call."""

    count: int = 20
    page: int = 1
    since_id: int = 0
    max_id: int = 0

    @classmethod
    def from_params(cls, params: Params, count_name: str = "count") -> Page:
        """Read count, page, since_id and max_id with Friendica's defaults and limits."""
        count = params.integer(count_name, 20, 1, 100)
        assert count is not None
        return cls(
            count=count,
            page=params.integer("page", 1, 1) or 1,
            since_id=params.integer("since_id", 0, 0) or 0,
            max_id=params.integer("max_id", 0, 0) or 0,
        )

    @property
    def offset(self) -> int:
        """Return the number of entries skipped for the page."""
        return max(0, (self.page - 1) * self.count)


_STATUS = f"item.deleted = 0 AND item.gravity IN ({GRAVITY_PARENT}, {GRAVITY_COMMENT})"
# A copy the caller may read: the public copy, or their own copy of a private post.
_READABLE = (
    f"post_user.hidden = 0 AND (post_user.uid = 0 OR (post_user.uid = ? AND item.private = {PRIVATE}))"
)


def _paged(
    store: Store,
    where: list[str],
    args: list[Any],
    page: Page,
    perspective: str = "post_user.uid",
    viewer: int = 0,
) -> list[Entry]:
    where = [*where, "item.uri_id > ?"]
    args = [*args, page.since_id]
    if viewer:
        where.append(f"NOT {HIDDEN_FROM_VIEWER}")
        args.append(viewer)
    if page.max_id > 0:
        where.append("item.uri_id <= ?")
        args.append(page.max_id)

    sql = (
        f"SELECT item.uri_id AS uri_id, {perspective} AS perspective FROM item "
        f"JOIN post_user ON post_user.uri_id = item.uri_id WHERE {' AND '.join(where)} "
        f"ORDER BY item.uri_id DESC LIMIT ? OFFSET ?"
    )
    rows = store.query(sql, [*args, page.count, page.offset])
    return [Entry(row["uri_id"], row["perspective"]) for row in rows]


def home(
    store: Store, uid: int, page: Page, exclude_replies: bool = False, conversation_id: int = 0
) -> list[Entry]:
    """Return the posts the user holds: own, followed, addressed, reacted to by followed people."""
    where = [_STATUS, "post_user.uid = ?", "post_user.hidden = 0"]
    args: list[Any] = [uid]
    if exclude_replies:
        where.append(f"item.gravity = {GRAVITY_PARENT}")
    if conversation_id > 0:
        where.append("item.parent_uri_id = ?")
        args.append(conversation_id)
    return _paged(store, where, args, page, viewer=uid)


def favorites(store: Store, uid: int, page: Page) -> list[Entry]:
    """Return the posts the user starred (bookmarked); likes do not count."""
    where = [_STATUS, "post_user.uid = ?", "post_user.hidden = 0", "post_user.starred = 1"]
    return _paged(store, where, [uid], page, viewer=uid)


def user_timeline(
    store: Store,
    uid: int,
    author_id: int,
    page: Page,
    exclude_replies: bool = False,
    conversation_id: int = 0,
) -> list[Entry]:
    """Return the posts written by one person that the caller may read."""
    where = [_STATUS, _READABLE, "item.author_id = ?"]
    args: list[Any] = [uid, author_id]
    if exclude_replies:
        where.append(f"item.gravity = {GRAVITY_PARENT}")
    if conversation_id > 0:
        where.append("item.parent_uri_id = ?")
        args.append(conversation_id)
    return _paged(store, where, args, page, viewer=uid)


def mentions(store: Store, uid: int, public_id: int, page: Page) -> list[Entry]:
    """Return posts of others that mention the user or comment on the user's posts or threads.

    Friendica counts explicit and implicit mentions, replies to the user's
    posts, comments in threads the user started and in threads the user
    commented in. Likes and other reactions are no mentions.
    """
    mentioned = (
        "EXISTS (SELECT 1 FROM tag WHERE tag.uri_id = item.uri_id "
        "AND tag.type IN ('mention', 'implicit') AND tag.contact_id = ?)"
    )
    replied = (
        f"(item.gravity = {GRAVITY_COMMENT} AND ("
        "EXISTS (SELECT 1 FROM item AS parent WHERE parent.uri_id = item.thr_parent_id "
        "AND parent.author_id = ?) "
        "OR EXISTS (SELECT 1 FROM item AS root WHERE root.uri_id = item.parent_uri_id "
        "AND root.author_id = ?) "
        "OR EXISTS (SELECT 1 FROM item AS other WHERE other.parent_uri_id = item.parent_uri_id "
        f"AND other.gravity = {GRAVITY_COMMENT} AND other.author_id = ? AND other.deleted = 0)))"
    )
    where = [_STATUS, _READABLE, "item.author_id != ?", f"({mentioned} OR {replied})"]
    args: list[Any] = [uid, public_id, public_id, public_id, public_id, public_id]
    return _paged(store, where, args, page, viewer=uid)


def network_public(store: Store, page: Page, viewer: int = 0) -> list[Entry]:
    """Return every public post and comment the server stores."""
    where = [_STATUS, "post_user.uid = 0", f"item.private = {PUBLIC}"]
    return _paged(store, where, [], page, viewer=viewer)


def public(
    store: Store, page: Page, exclude_replies: bool = False, conversation_id: int = 0, viewer: int = 0
) -> list[Entry]:
    """Return public posts written on a local wall, rendered for their author.

    Friendica selects rows that are both ``wall`` and ``origin``: a comment
    counts only when its author also owns the thread, so a reply on someone
    else's thread is missing. With ``exclude_replies`` (and no conversation)
    it lists every public top-level post instead.
    """
    where = [_STATUS, "post_user.uid = 0", f"item.private = {PUBLIC}"]
    args: list[Any] = []
    if exclude_replies and not conversation_id:
        where.append(f"item.gravity = {GRAVITY_PARENT}")
    else:
        where.append(
            "(item.gravity = 0 OR item.author_id = "
            "(SELECT root.owner_id FROM item AS root WHERE root.uri_id = item.parent_uri_id))"
        )
        if conversation_id > 0:
            where.append("item.parent_uri_id = ?")
            args.append(conversation_id)
    return _paged(store, where, args, page, perspective="item.origin_uid", viewer=viewer)


def search(store: Store, uid: int, term: str, page: Page, exclude_replies: bool = False) -> list[Entry]:
    """Return readable posts containing ``term``, or carrying the hashtag ``#term``.

    A hashtag search renders each post from its first stored copy (the
    author's), because Friendica groups that query by uri-id over all copies.
    """
    where = [_STATUS, _READABLE]
    args: list[Any] = [uid]
    perspective = "post_user.uid"
    if term.startswith("#") and term[1:].replace("_", "").isalnum():
        where.append(
            "EXISTS (SELECT 1 FROM tag WHERE tag.uri_id = item.uri_id "
            "AND tag.type = 'hashtag' AND lower(tag.name) = lower(?))"
        )
        args.append(term[1:])
        perspective = (
            "(SELECT first.uid FROM post_user AS first WHERE first.uri_id = item.uri_id "
            "AND first.hidden = 0 ORDER BY first.id LIMIT 1)"
        )
    else:
        where.append("item.body LIKE ? ESCAPE '\\'")
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args.append(f"%{escaped}%")
    if exclude_replies:
        where.append(f"item.gravity = {GRAVITY_PARENT}")
    return _paged(store, where, args, page, perspective=perspective, viewer=uid)


def thread(store: Store, root_uri_id: int, holder_uid: int, page: Page, viewer: int = 0) -> list[Entry]:
    """Return the posts of a thread from the copy the caller's lookup found.

    If the caller has a copy of the thread root, Friendica lists the caller's
    copies of the thread, otherwise the public copies.
    """
    where = [_STATUS, "item.parent_uri_id = ?", "post_user.hidden = 0"]
    args: list[Any] = [root_uri_id]
    if holder_uid:
        where.append("post_user.uid = ?")
        args.append(holder_uid)
    else:
        where.append("post_user.uid = 0")
    return _paged(store, where, args, page, viewer=viewer)


def circle(
    store: Store,
    uid: int,
    member_ids: list[int],
    page: Page,
    exclude_replies: bool = False,
    conversation_id: int = 0,
) -> list[Entry]:
    """Return the posts in the user's copies that Friendica attributes to members of a circle.

    ``member_ids`` are contact ids. Friendica matches them with the
    ``contact-id`` of the user's copies: the user's contact row of the
    author, or the user's self row for the user's own posts and for authors
    the user has no row for. So only members from the user's own address
    book count.
    """
    if not member_ids:
        return []
    members = store.query(
        f"SELECT public_id, self FROM contact WHERE uid = ? AND id IN ({', '.join('?' for _ in member_ids)})",
        [uid, *member_ids],
    )
    authors = [int(row["public_id"]) for row in members if not row["self"]]
    includes_self = any(row["self"] for row in members)
    known_author = (
        "EXISTS (SELECT 1 FROM contact WHERE contact.uid = ? AND contact.self = 0 "
        "AND contact.public_id = item.author_id)"
    )

    attributed = [f"item.author_id IN ({', '.join('?' for _ in authors)})"] if authors else []
    args: list[Any] = [uid, *authors]
    if includes_self:
        attributed.append(f"NOT {known_author}")
        args.append(uid)
    if not attributed:
        return []

    where = [_STATUS, "post_user.uid = ?", "post_user.hidden = 0", f"({' OR '.join(attributed)})"]
    if exclude_replies:
        where.append(f"item.gravity = {GRAVITY_PARENT}")
    if conversation_id > 0:
        where.append("item.parent_uri_id = ?")
        args.append(conversation_id)
    return _paged(store, where, args, page, viewer=uid)


def latest_public_post(store: Store, public_id: int) -> int | None:
    """Return the newest public post or comment of a person (the ``status`` of user objects)."""
    uri_id = store.scalar(
        f"SELECT uri_id FROM item WHERE author_id = ? AND {_STATUS} AND item.private != {PRIVATE} "
        "ORDER BY uri_id DESC LIMIT 1",
        [public_id],
    )
    return None if uri_id is None else int(uri_id)

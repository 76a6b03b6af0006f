"""The legacy dialect: Friendica 3.5 to 2021.09, the API of ``include/api.php``.

What differs from the modern shape, as Friendica 3.5.4 sends it:

- Ids are per user: each person's copy of a post is a row of its own, and
  a status's ``id``, ``in_reply_to_status_id`` and ``statusnet_conversation_id``
  name rows of the viewer. Row ids never repeat across users, so another
  person's id is "not found" rather than another post. The public timeline
  lists the rows of each thread's wall owner (``own_copies`` maps them).
- Numbers from the database arrive as strings (``statusnet_conversation_id``,
  mail and notification fields, photo sizes, ``gid``), posts without
  pictures send ``"attachments": false``, and ``group_show`` without groups
  sends ``null``.
- A status has no ``friendica_private``: ``user.protected`` is true when the
  item has an ACL. It has no ``friendica_author`` either, because ``user``
  is the author, and no ``friendica_title``: a title is an ``<h4>`` in front
  of ``statusnet_html``.
- ``favorited`` is the viewer's private star, kept as ``friendica_starred``
  and used for Mastodon bookmarks. Likes are only visible in
  ``friendica_activities.like``, and ``friendica/activity/like`` toggles
  (before 2020.07): sent twice it removes the like. It answers ``"ok"``.
- ``statuses/update`` and ``statuses/retweet`` answer with the viewer's
  newest own item in a short shape (before 2018.09), which is not always the
  item just created, so the created item is found by its row id and text.
- Likes and shares are not notified; a notification row's ``iid`` is the
  viewer's row of the post, so it names the status directly.
"""

from __future__ import annotations

import html
import logging
import re
from typing import TYPE_CHECKING, Any

from gateway.dialects.base import ContactSource, Dialect
from gateway.errors import NotFound
from gateway.upstream_calls import UpstreamUnverified, int_or_none

if TYPE_CHECKING:
    from gateway.upstream import Credential, FriendicaClient

log = logging.getLogger("mastogate.upstream")

# How many other walls' threads one public timeline page looks up to find the viewer's copies.
MAX_THREADS_RESOLVED = 20
# Statuses read back after a post to find the one just created among the viewer's newest rows.
CREATED_SEARCH_COUNT = 40
# Home timeline statuses searched for other people's shares of the viewer's posts on each sync.
SHARES_SEARCH_COUNT = 100

_STATUS_NUMBERS = ("id", "in_reply_to_status_id", "in_reply_to_user_id", "statusnet_conversation_id")
_USER_NUMBERS = ("id", "cid", "uid", "utc_offset")
_MAIL_NUMBERS = ("id", "sender_id", "recipient_id")
_NOTIFICATION_NUMBERS = ("id", "type", "iid", "parent", "uid", "timestamp")
_ACTIVITY_VERBS = ("like", "dislike", "attendyes", "attendno", "attendmaybe", "announce")

_LEADING_TITLE = re.compile(r"^\s*<h4>(.*?)</h4>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SCALE_IN_URL = re.compile(r"-(\d)\.[A-Za-z0-9]+$")
_MENTION = re.compile(r"[@!]\S+")
_URL = re.compile(r"\w+://\S+")
_WORD = re.compile(r"\w+")


def _number(value: Any) -> Any:
    """Return a numeric string as an int; anything else unchanged."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return value


def _numbers(raw: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {**raw, **{key: _number(raw[key]) for key in keys if key in raw}}


def flag(value: Any) -> bool:
    """Read 3.5.4's booleans: true/false, "1"/"0", "true"/"false", 1/0."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def words(text: str) -> set[str]:
    """Return the words of a text, without mentions and URLs, to recognise a post by its text."""
    plain = html.unescape(_TAG.sub(" ", text))
    plain = _URL.sub(" ", _MENTION.sub(" ", plain))
    return {word.casefold() for word in _WORD.findall(plain)}


def liked_by(status: dict[str, Any], viewer_id: int) -> bool:
    activities = status.get("friendica_activities") or {}
    likes = activities.get("like") if isinstance(activities, dict) else None
    return any(int_or_none(user.get("id")) == viewer_id for user in likes or [] if isinstance(user, dict))


def author_id(status: dict[str, Any]) -> int | None:
    author = status.get("friendica_author") or status.get("user") or {}
    return int_or_none(author.get("id")) if isinstance(author, dict) else None


class LegacyDialect(Dialect):
    """Friendica 3.5 to 2021.09."""

    name = "legacy"
    favorited_is_like = False
    bookmarks_on_star = True
    item_ids_per_user = True
    retweet_shares = True
    pictures_by_media_ids = False
    contact_source: ContactSource = "statuses"
    photo_albums_from_list = True

    # Normalisers

    def status(self, raw: dict[str, Any]) -> dict[str, Any]:
        status = _numbers(raw, _STATUS_NUMBERS)
        user = status.get("user")
        if isinstance(user, dict):
            user = self.user(user)
            if "friendica_private" not in status:
                status["friendica_private"] = flag(user.get("protected"))
                # 3.5.4 reports the item's ACL here, not whether the account is locked.
                user["protected"] = False
            status["user"] = user
            status.setdefault("friendica_author", user)
        if isinstance(status.get("friendica_owner"), dict):
            status["friendica_owner"] = self.user(status["friendica_owner"])
        status["friendica_starred"] = flag(status.get("favorited"))
        if not isinstance(status.get("attachments"), list):
            status["attachments"] = []
        if "friendica_title" not in status:
            match = _LEADING_TITLE.match(str(status.get("statusnet_html") or ""))
            status["friendica_title"] = html.unescape(_TAG.sub("", match.group(1))).strip() if match else ""
        status["friendica_activities"] = self._activities(status.get("friendica_activities"))

        inner = status.get("retweeted_status")
        if isinstance(inner, dict) and isinstance(inner.get("user"), dict):
            status["retweeted_status"] = self.status(inner)
        else:
            # 3.5.4 sends "user": [] when it does not know the shared post's author: show the post itself.
            status.pop("retweeted_status", None)
        return status

    def _activities(self, raw: Any) -> dict[str, list[dict[str, Any]]]:
        activities = raw if isinstance(raw, dict) else {}
        return {
            verb: [self.user(user) for user in activities.get(verb) or [] if isinstance(user, dict)]
            for verb in _ACTIVITY_VERBS
        }

    def user(self, raw: dict[str, Any]) -> dict[str, Any]:
        return _numbers(raw, _USER_NUMBERS)

    def mail(self, raw: dict[str, Any]) -> dict[str, Any]:
        mail = _numbers(raw, _MAIL_NUMBERS)
        mail["friendica_seen"] = flag(mail.get("friendica_seen"))
        for party in ("sender", "recipient"):
            if isinstance(mail.get(party), dict):
                mail[party] = self.user(mail[party])
        return mail

    def notification(self, raw: dict[str, Any]) -> dict[str, Any]:
        row = _numbers(raw, _NOTIFICATION_NUMBERS)
        row["seen"] = flag(row.get("seen"))
        return row

    def photo(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Build ``scales`` from 3.5.4's ``link``, a list of scale URLs, and its string sizes."""
        photo = dict(raw)
        if isinstance(photo.get("scales"), list):
            return photo
        links = photo.get("link")
        urls: list[Any] = []
        if isinstance(links, dict):
            urls = list(links.values())
        elif isinstance(links, list):
            urls = links
        scales = []
        for url in urls:
            match = _SCALE_IN_URL.search(str(url).split("?", 1)[0])
            if match is None:
                continue
            scale: dict[str, Any] = {"scale": int(match.group(1)), "link": str(url)}
            if scale["scale"] == 0:
                # 3.5.4 describes the first stored scale, the original, by its width and height.
                scale["width"] = int_or_none(photo.get("width"))
                scale["height"] = int_or_none(photo.get("height"))
            scales.append(scale)
        photo["scales"] = scales
        photo.setdefault("media-id", None)
        return photo

    def circles(self, body: Any) -> Any:
        if body is None:
            return []
        if isinstance(body, list):
            return [_numbers(circle, ("gid",)) if isinstance(circle, dict) else circle for circle in body]
        return body

    def status_key(self, status: dict[str, Any]) -> str | None:
        return str(status["id"]) if status.get("id") is not None else None

    def notification_key(self, row: dict[str, Any]) -> str | None:
        # The row's item is the viewer's own row of the post: its status id.
        return str(row["iid"]) if row.get("iid") else None

    # Strategies

    async def like(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        """Like a status without ever toggling an existing like off, and check the result.

        ``friendica/activity/like`` removes a like that exists, so it is only
        sent when the status does not show the viewer among its likes.
        """
        before = await upstream.show_status(credential, status_id)
        if liked_by(before, viewer_id):
            return before
        await upstream.send_activity(credential, "like", status_id)
        after = await upstream.show_status(credential, status_id)
        if not liked_by(after, viewer_id):
            raise UpstreamUnverified(detail=f"like of status {status_id} did not show among its likes")
        return after

    async def unlike(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        before = await upstream.show_status(credential, status_id)
        if not liked_by(before, viewer_id):
            return before
        # "unlike" only removes, so it is safe even if another app removed the like meanwhile.
        await upstream.send_activity(credential, "unlike", status_id)
        after = await upstream.show_status(credential, status_id)
        if liked_by(after, viewer_id):
            raise UpstreamUnverified(detail=f"unlike of status {status_id} left the like in place")
        return after

    async def create_item(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        params: dict[str, Any],
        *,
        author_id: int,
        expected_text: str,
    ) -> dict[str, Any]:
        """Post and find the created item, because the answer is the newest own item, whichever it is.

        Row ids only grow, so the new item is an own row above the newest row
        the viewer had before posting, whose words contain the posted words.
        The answer is taken when it is such a row; otherwise the viewer's
        newest rows are searched. Raises UpstreamUnverified when no such row
        exists: then nothing was posted.
        """
        newest = await upstream.newest_row_id(credential)
        answer = self.status(await upstream.post_update(credential, params))
        expected = words(expected_text)

        def created(status: dict[str, Any]) -> bool:
            return (
                int(status["id"]) > newest
                and author_id_matches(status, author_id)
                and expected <= words(str(status.get("statusnet_html") or status.get("text") or ""))
            )

        found = await self._new_own_item(upstream, credential, answer, newest, created)
        if found is None:
            raise UpstreamUnverified(
                "The upstream server did not create the status",
                detail=f"statuses/update answered item {answer.get('id')}, not a new one above {newest}",
            )
        return await upstream.show_status(credential, found)

    async def share(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        """Share with ``statuses/retweet`` and return the viewer's new ``[share]`` post.

        The answer is the viewer's newest own item, so the share is found like a
        created status and then checked to wrap the original's author and words.
        """
        original = await upstream.show_status(credential, status_id)
        newest = await upstream.newest_row_id(credential)
        answer = self.status(await upstream.post_retweet(credential, status_id))

        def created(status: dict[str, Any]) -> bool:
            return int(status["id"]) > newest and author_id_matches(status, viewer_id)

        found = await self._new_own_item(upstream, credential, answer, newest, created)
        if found is None:
            raise UpstreamUnverified(detail=f"statuses/retweet of {status_id} created no share")
        share = await upstream.show_status(credential, found)
        inner = share.get("retweeted_status")
        if (
            not isinstance(inner, dict)
            or author_id(inner) != author_id(original)
            or not words(str(original.get("statusnet_html") or ""))
            <= words(str(inner.get("statusnet_html") or ""))
        ):
            raise UpstreamUnverified(
                detail=f"statuses/retweet of {status_id} made item {found}, not its share"
            )
        return share

    async def _new_own_item(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        answer: dict[str, Any],
        newest: int,
        created: Any,
    ) -> int | None:
        """Return the id of the item just created: the answer if it is, else the newest matching row."""
        if int_or_none(answer.get("id")) is not None and created(answer):
            return int(answer["id"])
        later = await upstream.rows_since(credential, newest, CREATED_SEARCH_COUNT)
        matching = [int(status["id"]) for status in later if created(status)]
        return max(matching) if matching else None

    async def own_copies(
        self, upstream: FriendicaClient, credential: Credential, raws: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Replace the rows of other people's walls by the viewer's own rows of the same posts.

        The public timeline lists each thread in its wall owner's rows, which
        the viewer cannot show, like or answer. ``conversation/show`` accepts
        any row of a thread and returns the viewer's rows of it, matched here
        by author and time. Rows the viewer has no copy of are left out.
        """
        own_threads = {
            _thread_of(raw)
            for raw in raws
            if raw.get("in_reply_to_status_id") is None
            and isinstance(raw.get("friendica_owner"), dict)
            and flag(raw["friendica_owner"].get("self"))
        }
        foreign: dict[int, list[dict[str, Any]]] = {}
        for raw in raws:
            if _thread_of(raw) not in own_threads:
                foreign.setdefault(_thread_of(raw), []).append(raw)

        copies: dict[int, dict[str, Any]] = {}
        for rows in list(foreign.values())[:MAX_THREADS_RESOLVED]:
            try:
                thread = await upstream.conversation(credential, int(rows[0]["id"]), member=False)
            except NotFound:
                continue
            by_origin = {_origin(status): status for status in thread}
            for row in rows:
                copy = by_origin.get(_origin(row))
                if copy is not None:
                    copies[int(row["id"])] = copy
        if len(foreign) > MAX_THREADS_RESOLVED:
            log.info("public page left out %d threads of other walls", len(foreign) - MAX_THREADS_RESOLVED)

        result = []
        for raw in raws:
            if _thread_of(raw) in own_threads:
                result.append(raw)
            elif int(raw["id"]) in copies:
                result.append(copies[int(raw["id"])])
        return result

    async def shares_of_own(
        self, upstream: FriendicaClient, credential: Credential, own: list[dict[str, Any]], *, viewer_id: int
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Find other people's ``[share]`` posts of the viewer's statuses in the viewer's home timeline.

        Friendica neither notifies such a share nor lists it among the
        original's activities, so it is only seen where it reaches the
        viewer: from someone whose posts the viewer receives. Its
        ``retweeted_status`` carries the original's author and time, which
        pick the viewer's own row.
        """
        by_origin = {_origin(status): status for status in own}
        pairs = []
        for status in await upstream.rows_since(credential, 0, SHARES_SEARCH_COUNT):
            inner = status.get("retweeted_status")
            if not isinstance(inner, dict) or author_id(status) == viewer_id or author_id(inner) != viewer_id:
                continue
            original = by_origin.get(_origin(inner))
            if original is not None:
                pairs.append((status, original))
        return pairs


def author_id_matches(status: dict[str, Any], expected: int) -> bool:
    return author_id(status) == expected


def _thread_of(raw: dict[str, Any]) -> int:
    return int(raw.get("statusnet_conversation_id") or raw["id"])


def _origin(status: dict[str, Any]) -> tuple[int | None, str]:
    """Return what every copy of a post shares: its author and its time."""
    return author_id(status), str(status.get("created_at"))

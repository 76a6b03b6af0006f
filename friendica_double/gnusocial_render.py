"""JSON objects of GNU social 1.2's API (``ApiAction::twitterUserArray()`` and ``twitterStatusArray()``).

GNU social has one notice per post and one id space for them. So a status
``id`` is the item's uri-id for every viewer. A repeat is a notice of its
own (the double's ``announce`` activity) whose ``retweeted_status`` is the
original. Dates are ``D M d H:i:s O Y`` in the server's time
zone (``Profile.timezone``). There are no ``*_str`` fields, no ``cid``,
``network`` or ``friendica_*`` keys; ``location``, ``description`` and
``url`` are null when unset, and counts are real.

Status keys follow the core array and its plugins in 1.2: the Favorite
plugin adds ``favorited`` (a real fave, the double's like), the Share
plugin ``repeated`` (and ``repeated_id``). ``source_link`` comes from the
1.2 development line after the 1.2.x branch point.

NOTE: ``attentions``, ``fave_num`` and ``repeat_num`` are added by the
Qvitter plugin, which most GNU social 1.2 servers ran; its other fields
are left out.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from . import bbcode, dates, people, post_media
from .bbcode import STATUSNET, RenderOptions
from .context import Site
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, REL_FOLLOWER, REL_FRIEND, REL_SHARING, Row

ANNOUNCE = "announce"
AVATAR_STREAM_SIZE = 48
AVATAR_PROFILE_SIZE = 96
_TAG_LINK = re.compile(r"([@#!])\[url=([^\]]*)\]([^\[]*)\[/url\]")
_URL_LINK = re.compile(r"\[url=([^\]]*)\]([^\[]*)\[/url\]")
_BARE_URL_TAG = re.compile(r"\[url\]([^\[]*)\[/url\]")
_PHOTO_FILE = re.compile(r"/photo/([0-9a-fA-F]+)-\d\.\w+$")
_IMAGE = re.compile(r"\[img(?:=[^\]]*)?\]([^\[]*)\[/img\]")


def notice_date(site: Site, stored: str) -> str:
    """Return GNU social's date form in the server's time zone, e.g. ``Fri Dec 04 21:01:47 +0100 2026``."""
    moment = dates.parse(stored).astimezone(ZoneInfo(site.profile.timezone))
    return moment.strftime("%a %b %d %H:%M:%S %z %Y")


def rfc2822_date(site: Site, moment: datetime) -> str:
    """Return an RFC 2822 date in the server's time zone (``account/rate_limit_status``)."""
    return moment.astimezone(ZoneInfo(site.profile.timezone)).strftime("%a, %d %b %Y %H:%M:%S %z")


def plain_text(site: Site, body: str) -> str:
    """Return a stored BBCode body as GNU social's notice ``content``: plain text with @nicknames and URLs."""

    def tag(match: re.Match[str]) -> str:
        marker, url, label = match.groups()
        if marker == "@":
            return "@" + (people.nick_for_url(site.store, url) or label)
        return marker + label

    def link(match: re.Match[str]) -> str:
        url, label = match.groups()
        return url if label in ("", url) else f"{label} {url}"

    text = _TAG_LINK.sub(tag, body)
    text = _URL_LINK.sub(link, text)
    text = _BARE_URL_TAG.sub(r"\1", text)
    text = _IMAGE.sub(r"\1", text)
    return bbcode.plain_text(text).strip()


class GsRenderer:
    """Renders GNU social objects for one viewer (0 when anonymous)."""

    def __init__(self, site: Site, viewer_profile: int):
        self.site = site
        self.store = site.store
        self.viewer = viewer_profile

    # Users

    def user(self, public_id: int, with_status: bool = False) -> dict[str, Any]:
        """Return the user array of a profile; ``with_status`` embeds its newest visible notice."""
        person = self.store.public_contact(public_id)
        if person is None:
            raise LookupError(f"profile {public_id} not found")
        local = self.store.user_by_public_contact(public_id)
        avatar = f"{self.site.base_url}/photo/contact/{AVATAR_STREAM_SIZE}/{public_id}"
        profile_size = f"{self.site.base_url}/photo/contact/{AVATAR_PROFILE_SIZE}/{public_id}"
        user: dict[str, Any] = {
            "id": public_id,
            "name": person["name"] or person["nick"],
            "screen_name": person["nick"],
            "location": person["location"] or None,
            "description": bbcode.plain_text(person["about"]).strip() or None,
            "profile_image_url": avatar,
            "profile_image_url_https": avatar,
            "profile_image_url_profile_size": profile_size,
            "profile_image_url_original": profile_size,
            "groups_count": 0,
            "linkcolor": None,
            "backgroundcolor": None,
            "url": self.store.scalar("SELECT homepage FROM gs_homepage WHERE public_id = ?", [public_id])
            or None,
            "protected": False,
            "followers_count": self._count_relations(local, (REL_FOLLOWER, REL_FRIEND)),
            "friends_count": self._count_relations(local, (REL_SHARING, REL_FRIEND)),
            "created_at": notice_date(self.site, person["created"]),
            # Users who never set a time zone have none; dates still use the server's.
            "utc_offset": "0",
            "time_zone": "UTC",
            "statuses_count": self._notice_count(public_id),
            "following": self._subscribed(public_id),
            "statusnet_blocking": self._blocking(public_id),
            "notifications": False,
        }
        if with_status:
            newest = self.newest_notice(public_id)
            if newest is not None:
                user["status"] = self.status(newest, include_user=False)
        user["statusnet_profile_url"] = self.site.profile_url(person["nick"])
        user["favourites_count"] = self.store.count(
            "SELECT COUNT(*) FROM item WHERE author_id = ? AND gravity = ? AND verb = 'like' AND deleted = 0",
            [public_id, GRAVITY_ACTIVITY],
        )
        return user

    def _count_relations(self, local: Row | None, relations: tuple[int, int]) -> int:
        if local is None:
            return 0
        return self.store.count(
            "SELECT COUNT(*) FROM contact WHERE uid = ? AND self = 0 AND pending = 0 AND rel IN (?, ?)",
            [local["uid"], *relations],
        )

    def _notice_count(self, public_id: int) -> int:
        return self.store.count(
            "SELECT COUNT(*) FROM item WHERE author_id = ? AND deleted = 0 AND (gravity != ? OR verb = ?)",
            [public_id, GRAVITY_ACTIVITY, ANNOUNCE],
        )

    def _subscribed(self, public_id: int) -> bool:
        """Return whether the viewer subscribes to a profile; every user subscribes to themselves.

        NOTE: GNU social subscribes each new user to themselves, so a user's own ``following`` is true.
        """
        if not self.viewer:
            return False
        if public_id == self.viewer:
            return True
        viewer = self.store.user_by_public_contact(self.viewer)
        return viewer is not None and people.follows(self.store, int(viewer["uid"]), public_id)

    def _blocking(self, public_id: int) -> bool:
        viewer = self.store.user_by_public_contact(self.viewer) if self.viewer else None
        if viewer is None:
            return False
        row = self.store.one(
            "SELECT blocked FROM user_contact WHERE uid = ? AND public_id = ?", [viewer["uid"], public_id]
        )
        return bool(row and row["blocked"])

    def newest_notice(self, public_id: int) -> int | None:
        """Return the newest public notice of a profile (its ``getCurrentNotice()``)."""
        value = self.store.scalar(
            "SELECT uri_id FROM item WHERE author_id = ? AND deleted = 0 AND private != 1 "
            "AND (gravity != ? OR verb = ?) ORDER BY uri_id DESC LIMIT 1",
            [public_id, GRAVITY_ACTIVITY, ANNOUNCE],
        )
        return None if value is None else int(value)

    # Statuses

    def status(self, uri_id: int, include_user: bool = True) -> dict[str, Any]:
        """Return the status array of a notice, with ``retweeted_status`` for a repeat."""
        item = self.store.item(uri_id)
        if item is None:
            raise LookupError(f"notice {uri_id} not found")
        result = self._simple(item, include_user)
        if item["gravity"] == GRAVITY_ACTIVITY and item["verb"] == ANNOUNCE:
            original = self.store.item(item["thr_parent_id"])
            if original is not None:
                result["retweeted_status"] = self._simple(original, include_user)
        return result

    def notice_text(self, item: Row) -> str:
        """Return a notice's ``content``; a repeat's is "RT @nick original text"."""
        if item["gravity"] == GRAVITY_ACTIVITY and item["verb"] == ANNOUNCE:
            original = self.store.item(item["thr_parent_id"])
            author = self.store.public_contact(original["author_id"]) if original is not None else None
            if original is None or author is None:
                return ""
            return f"RT @{author['nick']} {self.notice_text(original)}"
        text = plain_text(self.site, item["body"])
        for row in post_media.media_of(self.store, item["uri_id"]):
            page = self.attachment_page(row["url"])
            if page not in text:
                text = f"{text} {page}".strip()
        return text

    def attachment_page(self, file_url: str) -> str:
        """Return the ``/attachment/<id>`` page of a stored picture (its widest row), else the file URL."""
        match = _PHOTO_FILE.search(file_url)
        row_id = (
            self.store.scalar(
                "SELECT id FROM photo WHERE resource_id = ? ORDER BY width DESC, scale DESC LIMIT 1",
                [match.group(1)],
            )
            if match
            else None
        )
        return f"{self.site.base_url}/attachment/{row_id}" if row_id is not None else file_url

    def _html(self, item: Row) -> str:
        if item["gravity"] == GRAVITY_ACTIVITY and item["verb"] == ANNOUNCE:
            original = self.store.item(item["thr_parent_id"])
            author = self.store.public_contact(original["author_id"]) if original is not None else None
            if original is None or author is None:
                return ""
            link = f'<a href="{self.site.profile_url(author["nick"])}" class="url">{author["nick"]}</a>'
            return f"RT @{link} {self._html(original)}"
        options = RenderOptions(
            STATUSNET, self.site.base_url, lambda url: people.nick_for_url(self.store, url)
        )
        return bbcode.render_html(item["body"], options)

    def _simple(self, item: Row, include_user: bool) -> dict[str, Any]:
        uri_id = int(item["uri_id"])
        reply_to = None
        replied_profile = None
        if item["gravity"] == GRAVITY_COMMENT:
            parent = self.store.item(item["thr_parent_id"])
            if parent is not None and not parent["deleted"]:
                reply_to = int(parent["uri_id"])
                replied_profile = self.store.public_contact(parent["author_id"])

        status: dict[str, Any] = {
            "text": self.notice_text(item),
            "truncated": False,
            "created_at": notice_date(self.site, item["created"]),
            "in_reply_to_status_id": reply_to,
            "uri": self.notice_uri(item),
            "source": item["app"] or "web",
            "source_link": None,
            "id": uri_id,
            "in_reply_to_user_id": int(replied_profile["id"]) if replied_profile is not None else None,
            "in_reply_to_screen_name": replied_profile["nick"] if replied_profile is not None else None,
            "geo": _geo(item["coord"]),
        }
        media = post_media.media_of(self.store, uri_id)
        if media:
            status["attachments"] = [
                {"url": row["url"], "mimetype": row["mimetype"], "size": row["size"]} for row in media
            ]
        if include_user:
            status["user"] = self.user(int(item["author_id"]))
        status["statusnet_html"] = self._html(item)
        status["statusnet_conversation_id"] = int(item["parent_uri_id"] or uri_id)
        status["favorited"] = self._faved(uri_id)
        repeat = self._own_repeat(uri_id)
        status["repeated"] = repeat is not None
        if repeat is not None:
            status["repeated_id"] = repeat
        status["attentions"] = self._attentions(uri_id)
        status["fave_num"] = self._activity_count(uri_id, "like")
        status["repeat_num"] = self._activity_count(uri_id, ANNOUNCE)
        return status

    def notice_uri(self, item: Row) -> str:
        """Return a GNU social style tag URI of a notice."""
        kind = (
            "share"
            if item["gravity"] == GRAVITY_ACTIVITY
            else "comment"
            if item["gravity"] == GRAVITY_COMMENT
            else "note"
        )
        day = dates.parse(item["created"]).strftime("%Y-%m-%d")
        return f"tag:{self.site.host},{day}:noticeId={item['uri_id']}:objectType={kind}"

    def _faved(self, uri_id: int) -> bool:
        if not self.viewer:
            return False
        return self._activity_count(uri_id, "like", self.viewer) > 0

    def _own_repeat(self, uri_id: int) -> int | None:
        if not self.viewer:
            return None
        value = self.store.scalar(
            "SELECT uri_id FROM item WHERE thr_parent_id = ? AND author_id = ? AND gravity = ? AND verb = ? "
            "AND deleted = 0 ORDER BY uri_id LIMIT 1",
            [uri_id, self.viewer, GRAVITY_ACTIVITY, ANNOUNCE],
        )
        return None if value is None else int(value)

    def _activity_count(self, uri_id: int, verb: str, author_id: int | None = None) -> int:
        sql = "SELECT COUNT(*) FROM item WHERE thr_parent_id = ? AND gravity = ? AND verb = ? AND deleted = 0"
        args: list[Any] = [uri_id, GRAVITY_ACTIVITY, verb]
        if author_id is not None:
            sql += " AND author_id = ?"
            args.append(author_id)
        return self.store.count(sql, args)

    def _attentions(self, uri_id: int) -> list[dict[str, Any]]:
        result = []
        for tag in self.store.tags(uri_id, ("mention", "implicit")):
            person = self.store.public_contact(tag["contact_id"])
            if person is None:
                continue
            result.append(
                {
                    "id": int(person["id"]),
                    "screen_name": person["nick"],
                    "fullname": person["name"],
                    "profileurl": self.site.profile_url(person["nick"]),
                    "ostatus_uri": f"{self.site.base_url}/user/{person['id']}",
                }
            )
        return result

    # Direct messages

    def message(self, row: Row, sender_id: int, recipient_id: int) -> dict[str, Any]:
        """Return the direct message array; ``id`` is the message's, the same in both mailboxes."""
        message_id = self.store.scalar("SELECT MIN(id) FROM mail WHERE uri = ?", [row["uri"]])
        return {
            "id": int(message_id or row["id"]),
            "sender_id": sender_id,
            "text": plain_text(self.site, row["body"]),
            "recipient_id": recipient_id,
            "created_at": notice_date(self.site, row["created"]),
            "sender_screen_name": self.user(sender_id)["screen_name"],
            "recipient_screen_name": self.user(recipient_id)["screen_name"],
            "sender": self.user(sender_id),
            "recipient": self.user(recipient_id),
        }


def _geo(coord: str) -> dict[str, Any] | None:
    parts = (coord or "").split(" ")
    if len(parts) != 2:
        return None
    try:
        return {"type": "Point", "coordinates": [float(parts[0]), float(parts[1])]}
    except ValueError:
        return None

"""JSON objects of Friendica 3.5.4's API (``api_get_user()``, ``api_format_items()``, ``api_status_show()``).

Key order and value types follow 3.5.4's source. Values that 3.5.4 copies
straight from a MySQL row are strings there (``statusnet_conversation_id``,
``self``, mail and group ids, ``friendica_seen``), computed ones are ints.

User objects are read from the *caller's* address book, as 3.5.4's
``api_get_user()`` filters contacts by the API user:

- a person in the address book (the caller's own self row included) gets
  ``verified: true``, the caller's ``uid``, the row's ``cid`` and ``self``
  ("0" or "1"); ``following`` is true when the person follows the caller
  (rel FOLLOWER or FRIEND, 3.5.4's inversion); ``location`` is the network
  name "Friendica" (the user's default location for the caller's own row)
  and ``description`` null (the profile's text for the caller's own row);
- anyone else gets the public contact: ``verified: false``, ``uid: 0``,
  ``cid: 0``, ``self: 0`` (an int) and ``utc_offset: 0`` (an int, where the
  other branch sends "0").

All counts are 0, as 3.5.x had counting switched off.

Statuses come from item rows (see ``legacy_items``): ``id`` is the row id,
``favorited`` the row's star, and ``friendica_activities`` lists the likes,
dislikes and attendance stored with the same user's rows.
"""

from __future__ import annotations

import html
import re
from typing import Any

from . import dates, legacy_items, post_media, text
from .bbcode import FRIENDICA, STATUSNET, RenderOptions
from .context import Site
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, GRAVITY_PARENT, REL_FOLLOWER, REL_FRIEND, Row
from .people import nick_for_url

NETWORK = "dfrn"
NETWORK_NAME = "Friendica"
# Keys of friendica_activities in 3.5.4 (no "announce" yet) and the double's verbs behind them.
ACTIVITY_KEYS = ("like", "dislike", "attendyes", "attendno", "attendmaybe")
# Display URLs longer than this are cut, as in 3.5.4's api_get_entitities().
DISPLAY_URL_LENGTH = 26
_URL = re.compile(r"https?://[a-zA-Z0-9:/\-?&;.=_~#%$!+,@]+")
_BODY_IMAGE = re.compile(r"\[img(?:=\d*x\d*)?\]([^\[\]]*)\[/img\]", re.IGNORECASE)
_LOCAL_PHOTO = re.compile(r"/photo/([0-9a-fA-F]+)-(\d)\.\w+$")
# The recycling symbol 3.5.4 puts before the author of a shared post in plain text.
SHARE_SYMBOL = "\u2672"


def api_date(stored: str) -> str:
    """Return 3.5.4's date form, always UTC: ``Wed May 23 06:01:13 +0000 2007``."""
    return dates.twitter(stored)


class LegacyRenderer:
    """Renders 3.5.4's objects for one caller; caches user objects for one request."""

    def __init__(self, site: Site, viewer: int, include_entities: bool = False):
        self.site = site
        self.store = site.store
        self.viewer = viewer
        self.include_entities = include_entities
        self._users: dict[int, dict[str, Any]] = {}

    # Users

    def user(self, public_id: int) -> dict[str, Any]:
        """Return the user object of a person for the caller (uid and self included).

        Raises LookupError when ``public_id`` names no contact.
        """
        if public_id in self._users:
            return dict(self._users[public_id])
        person = self.store.public_contact(public_id)
        if person is None:
            raise LookupError(f"contact {public_id} not found")

        book_row = self._address_book_row(public_id)
        result = self._public_user(person) if book_row is None else self._book_user(person, book_row)
        self._users[public_id] = result
        return dict(result)

    def _address_book_row(self, public_id: int) -> Row | None:
        if self.viewer:
            return self.store.user_contact(self.viewer, public_id)
        # NOTE: without a login 3.5.4 takes any user's row for the person; the double takes the person's own.
        owner = self.store.user_by_public_contact(public_id)
        return self.store.user_contact(int(owner["uid"]), public_id) if owner is not None else None

    def avatar_url(self, public_id: int) -> str:
        """Return the 48-pixel picture of a person (a contact's ``micro``)."""
        return f"{self.site.base_url}/photo/contact/48/{public_id}"

    def _book_user(self, person: Row, row: Row) -> dict[str, Any]:
        public_id = int(person["id"])
        profile_url = self.site.profile_url(person["nick"])
        own = bool(row["self"])
        return {
            "id": public_id,
            "id_str": str(public_id),
            "name": person["name"] or person["nick"],
            "screen_name": person["nick"] or person["name"],
            "location": "" if own else NETWORK_NAME,
            "description": text.plain_description(person["about"]) if own else None,
            "profile_image_url": self.avatar_url(public_id),
            "profile_image_url_https": self.avatar_url(public_id),
            "url": profile_url,
            "protected": False,
            "followers_count": 0,
            "friends_count": 0,
            "listed_count": 0,
            "created_at": api_date(row["created"]),
            "favourites_count": 0,
            "utc_offset": "0",
            "time_zone": "UTC",
            "geo_enabled": False,
            "verified": True,
            "statuses_count": 0,
            "lang": "",
            "contributors_enabled": False,
            "is_translator": False,
            "is_translation_enabled": False,
            "following": row["rel"] in (REL_FOLLOWER, REL_FRIEND) and not own,
            "follow_request_sent": False,
            "statusnet_blocking": False,
            "notifications": False,
            "statusnet_profile_url": profile_url,
            "uid": int(row["uid"]),
            "cid": int(row["id"]),
            "self": "1" if own else "0",
            "network": NETWORK,
        }

    def _public_user(self, person: Row) -> dict[str, Any]:
        public_id = int(person["id"])
        profile_url = self.site.profile_url(person["nick"])
        return {
            "id": public_id,
            "id_str": str(public_id),
            "name": person["name"],
            "screen_name": person["nick"] or person["name"],
            "location": person["location"] or NETWORK_NAME,
            "description": text.plain_description(person["about"]),
            "profile_image_url": self.avatar_url(public_id),
            "profile_image_url_https": self.avatar_url(public_id),
            "url": profile_url,
            "protected": False,
            "followers_count": 0,
            "friends_count": 0,
            "listed_count": 0,
            "created_at": api_date(person["created"]),
            "favourites_count": 0,
            "utc_offset": 0,
            "time_zone": "UTC",
            "geo_enabled": False,
            "verified": False,
            "statuses_count": 0,
            "lang": "",
            "contributors_enabled": False,
            "is_translator": False,
            "is_translation_enabled": False,
            "following": False,
            "follow_request_sent": False,
            "statusnet_blocking": False,
            "notifications": False,
            "statusnet_profile_url": profile_url,
            "uid": 0,
            "cid": 0,
            "self": 0,
            "network": NETWORK,
        }

    def public_user(self, public_id: int) -> dict[str, Any]:
        """Return a user object without ``uid`` and ``self``, as most endpoints send it."""
        result = self.user(public_id)
        result.pop("uid")
        result.pop("self")
        return result

    # Statuses

    def status(self, item: Row, network_in_source: bool = True) -> dict[str, Any]:
        """Return 3.5.4's main status shape of an item row (timelines, show, favorites).

        ``network_in_source`` is False where 3.5.4 reads the item without its
        network column (favorites/create and destroy), so ``source`` is the
        bare application name.
        """
        author = self.user(item["author_id"])
        author["protected"] = legacy_items.has_acl(item)
        owner = self.user(item["owner_id"]) if item["gravity"] == GRAVITY_PARENT else dict(author)
        reply = self._in_reply_to(item)
        converted = self._converted(item)

        status: dict[str, Any] = {
            "text": converted["text"],
            "truncated": False,
            "created_at": api_date(item["created"]),
            "in_reply_to_status_id": reply["status_id"],
            "in_reply_to_status_id_str": reply["status_id_str"],
            "source": self._source_with_network(item) if network_in_source else item["app"] or "web",
            "id": int(item["row_id"]),
            "id_str": str(item["row_id"]),
            "in_reply_to_user_id": reply["user_id"],
            "in_reply_to_user_id_str": reply["user_id_str"],
            "in_reply_to_screen_name": reply["screen_name"],
            "geo": self._geo(item),
            "favorited": bool(item["starred"]),
            "user": author,
            "friendica_owner": owner,
            "statusnet_html": converted["html"],
            "statusnet_conversation_id": self.conversation_id(item),
            "friendica_activities": self.activities(item),
        }
        # 3.5.4 counts PHP's false as one element, so posts without pictures send "attachments": false.
        status["attachments"] = converted["attachments"]
        if converted["entities"]:
            status["entities"] = converted["entities"]

        shared = legacy_items.share_parts(item["body"]) if item["gravity"] == GRAVITY_PARENT else None
        if shared is not None:
            status["retweeted_status"] = self._retweeted(status, item, shared)
        status["user"].pop("uid")
        status["user"].pop("self")
        return status

    def _retweeted(self, outer: dict[str, Any], item: Row, shared: legacy_items.Share) -> dict[str, Any]:
        """Return 3.5.4's ``retweeted_status``: a copy of the outer status with the shared parts."""
        copy = dict(outer)
        public_id = _public_id_for_profile(self, shared.profile)
        copy["user"] = self.user(public_id) if public_id is not None else []
        copy["text"] = self._plain(shared.body, "")
        copy["statusnet_html"] = self._html(shared.body, "")
        copy["friendica_activities"] = self.activities(item)
        copy["created_at"] = api_date(shared.posted) if _is_stored_date(shared.posted) else shared.posted
        return copy

    def second_shape(self, item: Row, user_info: dict[str, Any]) -> dict[str, Any]:
        """Return 3.5.4's ``api_status_show()`` shape (statuses/update, retweet, mediap).

        ``user_info`` is the caller's user object; ``source`` is the raw
        application name, because that query lacks the network column.
        """
        reply = self._in_reply_to(item)
        converted = self._converted(item)
        user = dict(user_info)
        user.pop("uid", None)
        user.pop("self", None)
        status: dict[str, Any] = {
            "created_at": api_date(item["created"]),
            "id": int(item["row_id"]),
            "id_str": str(item["row_id"]),
            "text": converted["text"],
            "source": item["app"] or "web",
            "truncated": False,
            "in_reply_to_status_id": reply["status_id"],
            "in_reply_to_status_id_str": reply["status_id_str"],
            "in_reply_to_user_id": reply["user_id"],
            "in_reply_to_user_id_str": reply["user_id_str"],
            "in_reply_to_screen_name": reply["screen_name"],
            "user": user,
            "geo": None,
            "coordinates": "",
            "place": "",
            "contributors": "",
            "is_quote_status": False,
            "retweet_count": 0,
            "favorite_count": 0,
            "favorited": bool(item["starred"]),
            "retweeted": False,
            "possibly_sensitive": False,
            "lang": "",
            "statusnet_html": converted["html"],
            "statusnet_conversation_id": self.conversation_id(item),
            "attachments": converted["attachments"],
        }
        if converted["entities"]:
            status["entities"] = converted["entities"]
        return status

    def user_status(self, item: Row, contact_id: int) -> dict[str, Any]:
        """Return the ``status`` that users/show embeds; its ``id`` is (3.5.4's bug) the contact id."""
        reply = self._in_reply_to(item)
        converted = self._converted(item)
        status: dict[str, Any] = {
            "text": converted["text"],
            "truncated": False,
            "created_at": api_date(item["created"]),
            "in_reply_to_status_id": reply["status_id"],
            "in_reply_to_status_id_str": reply["status_id_str"],
            "source": item["app"] or "web",
            "id": contact_id,
            "id_str": str(contact_id),
            "in_reply_to_user_id": reply["user_id"],
            "in_reply_to_user_id_str": reply["user_id_str"],
            "in_reply_to_screen_name": reply["screen_name"],
            "geo": None,
            "favorited": bool(item["starred"]),
            "statusnet_html": converted["html"],
            "statusnet_conversation_id": self.conversation_id(item),
            "attachments": converted["attachments"],
        }
        if converted["entities"]:
            status["entities"] = converted["entities"]
        return status

    def conversation_id(self, item: Row) -> str:
        """Return the row id of the thread root in the same user's rows, as a string."""
        root_row = legacy_items.row_id(self.store, item["parent_uri_id"], int(item["row_uid"]))
        return str(root_row if root_row is not None else item["row_id"])

    def activities(self, item: Row) -> dict[str, list[dict[str, Any]]]:
        """Return likes, dislikes and attendance stored with the row's user, as full user objects."""
        grouped: dict[str, list[dict[str, Any]]] = {key: [] for key in ACTIVITY_KEYS}
        rows = self.store.query(
            "SELECT item.author_id, item.verb FROM item JOIN post_user "
            "ON post_user.uri_id = item.uri_id AND post_user.uid = ? "
            "WHERE item.thr_parent_id = ? AND item.gravity = ? AND item.deleted = 0 ORDER BY post_user.id",
            [item["row_uid"], item["uri_id"], GRAVITY_ACTIVITY],
        )
        for activity in rows:
            if activity["verb"] in grouped:
                grouped[activity["verb"]].append(self.user(activity["author_id"]))
        return grouped

    def _in_reply_to(self, item: Row) -> dict[str, Any]:
        empty: dict[str, Any] = {
            "status_id": None,
            "status_id_str": None,
            "user_id": None,
            "user_id_str": None,
            "screen_name": None,
        }
        if item["gravity"] != GRAVITY_COMMENT:
            return empty
        uid = int(item["row_uid"])
        target_uri = item["thr_parent_id"]
        target_row = legacy_items.row_id(self.store, target_uri, uid)
        if target_row is None:
            target_uri = item["parent_uri_id"]
            target_row = legacy_items.row_id(self.store, target_uri, uid)
        if target_row is None or target_row == item["row_id"]:
            return empty

        result = dict(empty)
        result["status_id"] = target_row
        result["status_id_str"] = str(target_row)
        target = self.store.item(target_uri)
        person = self.store.public_contact(target["author_id"]) if target is not None else None
        if person is not None:
            result["screen_name"] = person["nick"] or person["name"]
            result["user_id"] = int(person["id"])
            result["user_id_str"] = str(person["id"])
        return result

    @staticmethod
    def _source_with_network(item: Row) -> str:
        """Return the application name followed by the network name, as 3.5.4's timelines send it."""
        app = item["app"] or "web"
        if app == "web":
            return NETWORK_NAME
        if app == NETWORK_NAME:
            return app
        return f"{app} ({NETWORK_NAME})"

    @staticmethod
    def _geo(item: Row) -> dict[str, Any] | None:
        parts = (item["coord"] or "").split(" ")
        if len(parts) != 2:
            return None
        try:
            return {"type": "Point", "coordinates": [float(parts[0]), float(parts[1])]}
        except ValueError:
            return None

    # Text

    def _converted(self, item: Row) -> dict[str, Any]:
        """Return text, HTML, attachments and entities of an item like 3.5.4's api_convert_item()."""
        # 3.5.4's drop_item() blanks the title and body of a deleted item.
        title = "" if item["deleted"] else item["title"]
        body = "" if item["deleted"] else item["body"]
        media = post_media.media_of(self.store, item["uri_id"])
        shown_body = post_media.body_with_attachments(body, media)

        shared = legacy_items.share_parts(body)
        if shared is not None:
            who = nick_for_url(self.store, shared.profile) or shared.author
            plain = f"{SHARE_SYMBOL} {who}: {self._plain(shared.body, '')}"
            markup = (
                f'<div class="shared"><p>{SHARE_SYMBOL} <a href="{html.escape(shared.profile)}">'
                f"{html.escape(shared.author)}</a>:</p>"
                f"<blockquote>{self._html(shared.body, '')}</blockquote></div>"
            )
        else:
            plain = self._plain(shown_body, title)
            markup = self._html(shown_body, title)

        found = [post_media.twitter_attachment(row) for row in media] + self._body_pictures(body)
        attachments: list[dict[str, Any]] | bool = found if found else False
        entities = self._entities(plain, media) if self.include_entities else {}
        return {"text": plain, "html": markup, "attachments": attachments, "entities": entities}

    def _body_pictures(self, body: str) -> list[dict[str, Any]]:
        """Return the attachments of local pictures linked with ``[img]`` in a body (3.5.4's way)."""
        pictures = []
        for url in _BODY_IMAGE.findall(body):
            match = _LOCAL_PHOTO.search(url)
            if match is None:
                continue
            photo = self.store.one(
                "SELECT type, datasize FROM photo WHERE resource_id = ? AND scale = ?",
                [match.group(1), int(match.group(2))],
            )
            if photo is not None:
                pictures.append({"url": url, "mimetype": photo["type"], "size": photo["datasize"]})
        return pictures

    def _plain(self, body: str, title: str) -> str:
        plain = text.status_plaintext("", body, self.site.base_url).strip()
        title = title.strip()
        if title and title not in plain:
            return f"{title}\n\n{plain}".strip()
        return plain

    def _html(self, body: str, title: str) -> str:
        options = RenderOptions(STATUSNET, self.site.base_url, lambda url: nick_for_url(self.store, url))
        markup = text.status_html("", body, options)
        if title:
            title_html = text.status_html("", title, RenderOptions(FRIENDICA, self.site.base_url))
            markup = f"<h4>{title_html}</h4><br>{markup}"
        return markup

    def _entities(self, plain: str, media: list[Row]) -> dict[str, Any]:
        """Return 3.5.4's entities: links and pictures; hashtags, symbols and mentions stay empty."""
        entities: dict[str, Any] = {"hashtags": [], "symbols": [], "urls": [], "user_mentions": []}
        picture_urls = {row["url"] for row in media} | {row["preview"] for row in media if row["preview"]}
        offset = 0
        for match in _URL.finditer(plain):
            url = match.group(0)
            if url in picture_urls:
                continue
            start = plain.find(url, offset)
            entities["urls"].append(
                {
                    "url": url,
                    "expanded_url": url,
                    "display_url": _display_url(url),
                    "indices": [start, start + len(url)],
                }
            )
            offset = start + 1
        pictures = []
        for row in media:
            start = plain.find(row["url"])
            position = max(start, 0)
            pictures.append(
                {
                    "id": position + 1,
                    "id_str": str(position + 1),
                    "indices": [position, position + len(row["url"])],
                    "media_url": row["url"],
                    "media_url_https": row["url"],
                    "url": row["url"],
                    "display_url": _display_url(row["url"]),
                    "expanded_url": row["url"],
                    "type": "photo",
                    "sizes": {"medium": {"w": row["width"], "h": row["height"], "resize": "fit"}},
                }
            )
        if pictures:
            entities["media"] = pictures
        return entities


def _display_url(url: str) -> str:
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= DISPLAY_URL_LENGTH else shown[: DISPLAY_URL_LENGTH - 1] + "\u2026"


def _public_id_for_profile(renderer: LegacyRenderer, profile_url: str) -> int | None:
    nick = nick_for_url(renderer.store, profile_url)
    person = renderer.store.public_contact_by_nick(nick) if nick else None
    return int(person["id"]) if person is not None else None


def _is_stored_date(value: str) -> bool:
    try:
        dates.parse(value)
    except ValueError:
        return False
    return True

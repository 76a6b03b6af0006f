"""JSON user and status objects of Friendica 2024.08's Twitter-compatible API.

Key order and value types follow the recorded responses. Objects depend on the
*viewer* (the perspective of ``timelines``). A user object carries the
viewer's address-book data (``uid``, ``cid``, ``verified``, ``following``),
and a status carries the viewer's like (``favorited``) and the reactions
stored with the viewer's copy (``friendica_activities``). Viewer 0 is the
public copy.
"""

from __future__ import annotations

from typing import Any

from . import dates, people, post_media, text
from .bbcode import FRIENDICA, STATUSNET, RenderOptions
from .context import Site
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, PRIVATE, REL_FOLLOWER, REL_FRIEND, Row

# Keys of friendica_activities, in Friendica's order.
ACTIVITY_KEYS = ("like", "dislike", "attendyes", "attendno", "attendmaybe", "announce")

NETWORK_NAME = "DFRN"


class UnknownUser(LookupError):
    """A user id that names no contact."""


class TwitterRenderer:
    """Renders user and status objects; caches user objects for one request."""

    def __init__(self, site: Site):
        self.site = site
        self.store = site.store
        self._users: dict[tuple[int, int, bool], dict[str, Any]] = {}
        self._counts: dict[int, int] = {}

    # Users

    def user(
        self,
        public_id: int,
        viewer: int,
        *,
        include_entities: bool = True,
        status: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Return the user object of a person, rendered for ``viewer``.

        ``status`` is embedded after ``default_profile_image`` when given.
        Raises UnknownUser when ``public_id`` names no contact.
        """
        key = (public_id, viewer, include_entities)
        if status is None and key in self._users:
            return dict(self._users[key])

        person = self.store.public_contact(public_id)
        if person is None:
            raise UnknownUser(f"contact {public_id} not found")
        own_row = self.store.user_contact(viewer, public_id) if viewer else None
        profile_url = self.site.profile_url(person["nick"])
        stamp = dates.epoch(person["updated"])

        def avatar(size: int) -> str:
            return f"{self.site.base_url}/photo/contact/{size}/{public_id}?ts={stamp}"

        user: dict[str, Any] = {
            "id": public_id,
            "id_str": str(public_id),
            "name": person["name"] or person["nick"],
            "screen_name": person["nick"] or person["name"],
            "location": person["location"] or NETWORK_NAME,
            "derived": [],
            "url": profile_url,
        }
        if include_entities:
            user["entities"] = {"url": {"urls": []}, "description": {"urls": []}}
        user.update(
            {
                "description": text.plain_description(person["about"]),
                "protected": False,
                "verified": own_row is not None,
                "followers_count": 0,
                "friends_count": 0,
                "listed_count": 0,
                "favourites_count": 0,
                "statuses_count": self._statuses_count(public_id),
                "created_at": dates.twitter(person["created"]),
                "profile_banner_url": self._banner(person["guid"], stamp),
                "profile_image_url_https": avatar(48),
                "default_profile": False,
                "default_profile_image": False,
            }
        )
        if status is not None:
            user["status"] = status
        user.update(
            {
                "profile_image_url": avatar(48),
                "follow_request_sent": False,
                "profile_image_url_large": avatar(1024),
                "profile_image_url_profile_size": avatar(80),
                "utc_offset": 0,
                "time_zone": "UTC",
                "geo_enabled": False,
                "lang": None,
                "contributors_enabled": False,
                "is_translator": False,
                "is_translation_enabled": False,
                # Friendica's inversion: true when the person follows the viewer.
                "following": bool(
                    own_row is not None
                    and not own_row["self"]
                    and own_row["rel"] in (REL_FOLLOWER, REL_FRIEND)
                ),
                "statusnet_blocking": False,
                "notifications": False,
                "uid": viewer if own_row is not None else 0,
                "pid": public_id,
                "cid": int(own_row["id"]) if own_row is not None else 0,
                "statusnet_profile_url": profile_url,
            }
        )
        if status is None:
            self._users[key] = user
        return dict(user)

    def user_with_status(
        self,
        public_id: int,
        viewer: int,
        *,
        skip_status: bool = False,
        include_entities: bool = True,
    ) -> dict[str, Any]:
        """Return a user object with the person's latest public post embedded (if any)."""
        from .timelines import latest_public_post

        status = None
        if not skip_status:
            latest = latest_public_post(self.store, public_id)
            if latest is not None:
                status = self.status(latest, self.perspective_of(latest, viewer))
        return self.user(public_id, viewer, include_entities=include_entities, status=status)

    def perspective_of(self, uri_id: int, viewer: int) -> int:
        """Return ``viewer`` if they hold a visible copy of the item, else 0 (the public copy)."""
        row = self.store.holder(uri_id, viewer) if viewer else None
        return viewer if row is not None and not row["hidden"] else 0

    def _banner(self, guid: str, stamp: int) -> str:
        return f"{self.site.base_url}/photo/header/{guid}?ts={stamp}"

    def _statuses_count(self, public_id: int) -> int:
        if public_id not in self._counts:
            self._counts[public_id] = people.statuses_count(self.store, public_id)
        return self._counts[public_id]

    # Statuses

    def status(self, uri_id: int, viewer: int, include_entities: bool = False) -> dict[str, Any]:
        """Return the status object of an item, rendered for ``viewer``."""
        item = self.store.item(uri_id)
        if item is None:
            raise LookupError(f"item {uri_id} not found")
        site = self.site
        author = self.user(item["author_id"], viewer)
        owner = self.user(item["owner_id"], viewer)

        reply: dict[str, Any] = {"status": None, "user": None, "screen_name": None}
        if item["gravity"] == GRAVITY_COMMENT:
            # Friendica names the thread root's author here, not the direct parent's.
            root = self.store.item(item["parent_uri_id"])
            root_author = self.store.public_contact(root["author_id"]) if root is not None else None
            reply = {
                "status": item["thr_parent_id"],
                "user": root["author_id"] if root is not None else None,
                "screen_name": root_author["nick"] if root_author is not None else None,
            }

        nick_options = RenderOptions(
            STATUSNET, site.base_url, lambda url: people.nick_for_url(self.store, url)
        )
        name_options = RenderOptions(FRIENDICA, site.base_url)
        media = post_media.media_of(self.store, uri_id)
        entities = self._entities(item, media) if include_entities else None
        # Friendica fills either the entities or the attachments, and sends null for an empty list.
        attachments = None
        if not include_entities and media:
            attachments = [post_media.twitter_attachment(row) for row in media]
        shown_body = post_media.body_with_attachments(item["body"], media)

        return {
            "text": text.status_plaintext(item["title"], shown_body, site.base_url),
            "truncated": False,
            "created_at": dates.twitter(item["created"]),
            "in_reply_to_status_id": reply["status"],
            "in_reply_to_status_id_str": _str_or_none(reply["status"]),
            "source": self._source(item),
            "id": uri_id,
            "id_str": str(uri_id),
            "in_reply_to_user_id": reply["user"],
            "in_reply_to_user_id_str": _str_or_none(reply["user"]),
            "in_reply_to_screen_name": reply["screen_name"],
            # lat/long are accepted on posting, but 2024.08 never returns coordinates.
            "geo": None,
            "favorited": self._liked(uri_id, viewer),
            "user": owner,
            "friendica_author": author,
            "friendica_owner": dict(owner),
            "friendica_private": item["private"] == PRIVATE,
            "statusnet_html": text.status_html(item["title"], item["body"], nick_options),
            "statusnet_conversation_id": item["parent_uri_id"],
            "external_url": site.display_url(item["guid"]),
            "friendica_activities": self.activities(uri_id, viewer),
            "friendica_title": item["title"],
            "friendica_html": text.status_html(item["title"], item["body"], name_options),
            "friendica_comments": self._comment_count(uri_id),
            "attachments": attachments,
            "entities": entities,
            "extended_entities": entities,
        }

    def activities(self, uri_id: int, viewer: int) -> dict[str, list[dict[str, Any]]]:
        """Return the reactions stored with the viewer's copy of an item, grouped by verb."""
        grouped: dict[str, list[dict[str, Any]]] = {key: [] for key in ACTIVITY_KEYS}
        rows = self.store.query(
            "SELECT item.author_id, item.verb FROM item JOIN post_user "
            "ON post_user.uri_id = item.uri_id AND post_user.uid = ? "
            "WHERE item.thr_parent_id = ? AND item.gravity = ? AND item.deleted = 0 "
            "ORDER BY post_user.id",
            [viewer, uri_id, GRAVITY_ACTIVITY],
        )
        for row in rows:
            if row["verb"] in grouped:
                grouped[row["verb"]].append(self.user(row["author_id"], viewer))
        return grouped

    def _liked(self, uri_id: int, viewer: int) -> bool:
        if not viewer:
            return False
        return (
            self.store.count(
                "SELECT COUNT(*) FROM item WHERE thr_parent_id = ? AND origin_uid = ? "
                "AND gravity = ? AND verb = 'like' AND deleted = 0",
                [uri_id, viewer, GRAVITY_ACTIVITY],
            )
            > 0
        )

    def _comment_count(self, uri_id: int) -> int:
        return self.store.count(
            "SELECT COUNT(*) FROM item WHERE thr_parent_id = ? AND gravity = ? AND deleted = 0",
            [uri_id, GRAVITY_COMMENT],
        )

    @staticmethod
    def _source(item: Row) -> str:
        app = item["app"] or ""
        if not app:
            return NETWORK_NAME
        if app == NETWORK_NAME:
            return app
        return f"{app} ({NETWORK_NAME})"

    def _entities(self, item: Row, media: list[Row]) -> dict[str, list[Any]]:
        hashtags = [{"text": row["name"]} for row in self.store.tags(item["uri_id"], ("hashtag",))]
        mentions = []
        for row in self.store.tags(item["uri_id"], ("mention", "implicit")):
            person = self.store.public_contact(row["contact_id"])
            if person is None:
                continue
            mentions.append(
                {
                    # Friendica sends the mention ids as strings.
                    "id": str(person["id"]),
                    "id_str": str(person["id"]),
                    "name": person["name"],
                    "screen_name": person["nick"],
                }
            )
        media_entities = [post_media.twitter_media_entity(row, self.site.base_url) for row in media]
        return {"hashtags": hashtags, "media": media_entities, "urls": [], "user_mentions": mentions}


def _str_or_none(value: int | None) -> str | None:
    return None if value is None else str(value)

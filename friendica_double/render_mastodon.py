"""Objects of Friendica's own Mastodon API: accounts, statuses and the v1 instance.

The shapes follow Friendica 2024.08 (``src/Object/Api/Mastodon``) and the
recorded responses of its reblog, bookmark and dislike endpoints, including
the ``friendica`` extension block of statuses.
"""

from __future__ import annotations

from typing import Any

from . import dates, mastodon_attachments, people, profile_data
from .bbcode import MASTODON, RenderOptions
from .context import Site
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, GRAVITY_PARENT, PRIVATE, UNLISTED, Row
from .posts import acl_ids
from .text import status_html, tag_url

AVATAR_SIZE = 320
SUPPORTED_IMAGE_TYPES = ["image/jpeg", "image/gif", "image/png", "image/webp"]
VISIBILITY = {0: "public", PRIVATE: "private", UNLISTED: "unlisted"}


class MastodonRenderer:
    """Renders Mastodon API objects for one request."""

    def __init__(self, site: Site):
        self.site = site
        self.store = site.store

    def account(self, public_id: int) -> dict[str, Any]:
        """Return the Mastodon account object of a person."""
        person = self.store.public_contact(public_id)
        if person is None:
            raise LookupError(f"contact {public_id} not found")
        user = self.store.user_by_public_contact(public_id)
        base = self.site.base_url
        stamp = dates.epoch(person["updated"])
        avatar = f"{base}/photo/contact/{AVATAR_SIZE}/{person['guid']}?ts={stamp}"
        header = f"{base}/photo/header/{person['guid']}?ts={stamp}"
        last = self.store.scalar(
            "SELECT MAX(created) FROM item WHERE author_id = ? AND gravity IN (0, 6) AND deleted = 0",
            [public_id],
        )

        return {
            "id": str(public_id),
            "username": person["nick"],
            "acct": person["nick"],
            "display_name": person["name"],
            "locked": bool(user["manually_approve"]) if user is not None else False,
            "bot": False,
            "discoverable": profile_data.is_published(self.store, user["uid"]) if user is not None else False,
            "group": False,
            "created_at": dates.mastodon(person["created"]),
            "note": status_html("", person["about"], RenderOptions(MASTODON, base)),
            "url": self.site.profile_url(person["nick"]),
            "avatar": avatar,
            "avatar_static": avatar + "&static=1",
            "header": header,
            "header_static": header + "&static=1",
            "followers_count": 0,
            "following_count": 0,
            "statuses_count": people.statuses_count(self.store, public_id),
            "last_status_at": dates.mastodon_day(last) if last else None,
            "emojis": [],
            "fields": profile_data.mastodon_fields(self.store, base, public_id),
        }

    def status(self, uri_id: int, viewer: int, with_reply_status: bool = True) -> dict[str, Any]:
        """Return the Mastodon status of an item, rendered for ``viewer``."""
        item = self.store.item(uri_id)
        if item is None:
            raise LookupError(f"item {uri_id} not found")
        counts = self._counts(uri_id)
        base = self.site.base_url

        reply_status = None
        if item["gravity"] == GRAVITY_COMMENT and with_reply_status:
            reply_status = self.status(item["thr_parent_id"], viewer, with_reply_status=False)
        root = self.store.item(item["parent_uri_id"])

        content_options = RenderOptions(MASTODON, base, lambda url: people.nick_for_url(self.store, url))
        holder = self.store.holder(uri_id, viewer) if viewer else None

        status: dict[str, Any] = {
            "id": str(uri_id),
            "created_at": dates.mastodon(item["created"]),
            "edited_at": None if item["edited"] == item["created"] else dates.mastodon(item["edited"]),
            "in_reply_to_id": str(item["thr_parent_id"]) if item["gravity"] == GRAVITY_COMMENT else None,
            "in_reply_to_status": reply_status,
            "in_reply_to_account_id": (
                str(root["author_id"]) if item["gravity"] == GRAVITY_COMMENT and root is not None else None
            ),
            "sensitive": False,
            "spoiler_text": item["title"],
            "visibility": VISIBILITY.get(item["private"], "public"),
            "language": "en",
            "uri": self.site.object_url(item["guid"]),
            "url": self.site.display_url(item["guid"]),
            "replies_count": counts["replies"],
            "reblogs_count": counts["announce"],
            "favourites_count": counts["like"],
            "favourited": self._own_activity(uri_id, viewer, "like"),
            "reblogged": self._own_activity(uri_id, viewer, "announce"),
            "muted": False,
            "bookmarked": bool(
                holder is not None and holder["starred"] and item["gravity"] == GRAVITY_PARENT
            ),
            "content": status_html("", item["body"], content_options),
            "reblog": None,
            "quote": None,
            "application": {"name": item["app"] or "DFRN", "vapid_key": None},
            "account": self.account(item["author_id"]),
            "media_attachments": mastodon_attachments.media_attachments(self.store, base, uri_id),
            "mentions": self._mentions(uri_id),
            "tags": [
                {
                    "name": row["name"],
                    "url": tag_url(base, row["name"].lower()),
                    "history": [],
                    "following": False,
                }
                for row in self.store.tags(uri_id, ("hashtag",))
            ],
            "emojis": [],
            "card": None,
            "poll": None,
            "friendica": self._friendica_block(item, counts["dislike"], viewer),
        }
        return status

    def _counts(self, uri_id: int) -> dict[str, int]:
        counts = {"replies": 0, "announce": 0, "like": 0, "dislike": 0}
        counts["replies"] = self.store.count(
            "SELECT COUNT(*) FROM item WHERE thr_parent_id = ? AND gravity = ? AND deleted = 0",
            [uri_id, GRAVITY_COMMENT],
        )
        for row in self.store.query(
            "SELECT verb, COUNT(*) AS total FROM item WHERE thr_parent_id = ? AND gravity = ? "
            "AND deleted = 0 GROUP BY verb",
            [uri_id, GRAVITY_ACTIVITY],
        ):
            if row["verb"] in counts:
                counts[row["verb"]] = int(row["total"])
        return counts

    def _own_activity(self, uri_id: int, viewer: int, verb: str) -> bool:
        if not viewer:
            return False
        return (
            self.store.count(
                "SELECT COUNT(*) FROM item WHERE thr_parent_id = ? AND origin_uid = ? "
                "AND gravity = ? AND verb = ? AND deleted = 0",
                [uri_id, viewer, GRAVITY_ACTIVITY, verb],
            )
            > 0
        )

    def _mentions(self, uri_id: int) -> list[dict[str, str]]:
        mentions = []
        for row in self.store.tags(uri_id, ("mention", "implicit")):
            person = self.store.public_contact(row["contact_id"])
            if person is None:
                continue
            mentions.append(
                {
                    "id": str(person["id"]),
                    "username": person["nick"],
                    "url": self.site.profile_url(person["nick"]),
                    "acct": person["nick"],
                }
            )
        return mentions

    def _friendica_block(self, item: Row, dislikes: int, viewer: int) -> dict[str, Any]:
        return {
            "title": item["title"],
            "changed_at": dates.mastodon(item["changed"]),
            "commented_at": dates.mastodon(item["commented"]),
            "received_at": dates.mastodon(item["created"]),
            "delivery_data": self._delivery_data(item, viewer),
            "dislikes_count": dislikes,
            "disliked": self._own_activity(item["uri_id"], viewer, "dislike"),
            "network": "DFRN",
            "platform": "DFRN",
            "version": "",
            "sitename": "",
            "visibility": {
                "allow_cid": acl_ids(item["allow_cid"]),
                "deny_cid": acl_ids(item["deny_cid"]),
                "allow_gid": acl_ids(item["allow_gid"]),
                "deny_gid": acl_ids(item["deny_gid"]),
            },
        }

    def _delivery_data(self, item: Row, viewer: int) -> dict[str, int | None]:
        """Return the delivery counters, shown to the author only (all delivered, none failed)."""
        if not viewer or item["origin_uid"] != viewer:
            return {
                "delivery_queue_count": None,
                "delivery_queue_done": None,
                "delivery_queue_failed": None,
            }
        delivered = self.store.count(
            "SELECT COUNT(*) FROM post_user WHERE uri_id = ? AND uid NOT IN (0, ?) AND reason = 'delivery'",
            [item["uri_id"], viewer],
        )
        return {
            "delivery_queue_count": delivered,
            "delivery_queue_done": delivered,
            "delivery_queue_failed": 0,
        }

    def instance(self) -> dict[str, Any]:
        """Return the v1 instance object (``GET /api/v1/instance``)."""
        profile = self.site.profile
        store = self.store
        admin = store.one("SELECT * FROM user WHERE lower(email) = lower(?)", [profile.admin_email])
        matrix_limit = 5760 * 5760
        return {
            "uri": self.site.host,
            "title": profile.site_name,
            "short_description": "",
            "description": "",
            "email": profile.admin_email,
            "version": profile.mastodon_version,
            "urls": {"streaming_api": ""},
            "stats": {
                "user_count": store.count("SELECT COUNT(*) FROM user"),
                "status_count": store.count(
                    "SELECT COUNT(*) FROM item WHERE gravity IN (0, 6) AND deleted = 0"
                ),
                "domain_count": 0,
            },
            "thumbnail": f"{self.site.base_url}/images/friendica-banner.jpg",
            "languages": [profile.language],
            "max_toot_chars": profile.text_limit,
            "registrations": False,
            "approval_required": False,
            "invites_enabled": False,
            "configuration": {
                "accounts": {"max_featured_tags": 0},
                "statuses": {
                    "max_characters": profile.text_limit,
                    "max_media_attachments": 99,
                    "characters_reserved_per_url": 23,
                },
                "media_attachments": {
                    "supported_mime_types": SUPPORTED_IMAGE_TYPES,
                    "image_size_limit": 0,
                    "image_matrix_limit": matrix_limit,
                    "video_size_limit": 0,
                    "video_frame_rate_limit": 60,
                    "video_matrix_limit": matrix_limit,
                },
                "polls": {
                    "max_options": 0,
                    "max_characters_per_option": 0,
                    "min_expiration": 0,
                    "max_expiration": 0,
                },
            },
            # Friendica sends an empty list when no admin account exists.
            "contact_account": self.account(admin["public_contact"]) if admin is not None else [],
            "rules": [],
        }

"""Predicates on upstream statuses for the Mastodon filters the upstream cannot apply itself."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def has_media(status: dict[str, Any]) -> bool:
    """Tell whether a status carries pictures, in any of the forms the upstream reports them."""
    entities = status.get("entities") or {}
    return bool(status.get("attachments")) or bool(isinstance(entities, dict) and entities.get("media"))


def is_local(status: dict[str, Any], upstream_url: str) -> bool:
    """Tell whether a status was written by an account of the upstream server itself."""
    author = status.get("friendica_author") or status.get("user") or {}
    profile = author.get("statusnet_profile_url") or author.get("url") or ""
    return (urlsplit(profile).hostname or "") == (urlsplit(upstream_url).hostname or "")


def is_reply(status: dict[str, Any]) -> bool:
    return status.get("in_reply_to_status_id") not in (None, 0, "0", "")


def is_share(status: dict[str, Any]) -> bool:
    return isinstance(status.get("retweeted_status"), dict)


def has_tag(status: dict[str, Any], tag: str) -> bool:
    entities = status.get("entities") or {}
    hashtags = entities.get("hashtags", []) if isinstance(entities, dict) else []
    name = tag.lstrip("#").lower()
    return any(
        str(hashtag.get("text", "")).lower() == name for hashtag in hashtags if isinstance(hashtag, dict)
    )

"""Friendica circles and lists to Mastodon lists."""

from __future__ import annotations

from typing import Any

from mappings.entities import List, RepliesPolicy


def list_from_friendica(raw: dict[str, Any], replies_policy: str = "list") -> List:
    """Map a ``lists/*`` object (``id``, ``name``) or a circle (``gid``, ``name``).

    ``replies_policy`` is the one the gateway keeps for the list: Friendica
    has none. Friendica also shows a list's posts at home, which is
    Mastodon's ``exclusive`` false.
    """
    list_id = raw.get("id") if raw.get("id") is not None else raw.get("gid")
    policy: RepliesPolicy = "list"
    if replies_policy == "followed":
        policy = "followed"
    elif replies_policy == "none":
        policy = "none"
    return List(id=str(list_id), title=str(raw.get("name") or ""), replies_policy=policy, exclusive=False)

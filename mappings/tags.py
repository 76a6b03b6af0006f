"""Hashtags for search results, taken from the statuses that carry them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from mappings.context import MappingContext
from mappings.entities import SearchTag
from mappings.friendica import parse_status


def tag_id(name: str) -> str:
    """Return a stable numeric id for a hashtag; the upstream has no ids for hashtags."""
    digest = hashlib.sha256(name.casefold().encode()).digest()
    return str(int.from_bytes(digest[:6], "big"))


def tags_from_statuses(raws: Sequence[dict[str, Any]], query: str, ctx: MappingContext) -> list[SearchTag]:
    """Return the hashtags of these statuses whose name starts with ``query``, the exact name first.

    The upstream cannot search hashtags, so search results offer the tags
    that statuses found for ``#query`` carry.
    """
    wanted = query.lstrip("#").casefold()
    names: dict[str, str] = {}
    for raw in raws:
        status = parse_status(raw)
        shown = status.retweeted_status or status
        for hashtag in shown.entities.hashtags if shown.entities is not None else []:
            key = hashtag.text.casefold()
            if wanted and key.startswith(wanted):
                names.setdefault(key, hashtag.text)

    ordered = sorted(names.items(), key=lambda item: (item[0] != wanted, len(item[0]), item[0]))
    return [
        SearchTag(id=tag_id(name), name=name, url=f"{ctx.tag_url}/{key}", history=[]) for key, name in ordered
    ]

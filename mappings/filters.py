"""Mastodon filters: their entities, and which statuses they warn about or hide.

A filter matches a status by one of its keywords (in the status's text,
content warning or picture descriptions) or by naming the status itself.
``warn`` filters add a ``filtered`` entry that apps show as a warning;
``hide`` filters remove the status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mappings.dates import mastodon_timestamp
from mappings.entities import Status
from mappings.html import plain_text_from_content

CONTEXTS = ("home", "notifications", "public", "thread", "account")
ACTIONS = ("warn", "hide")


@dataclass(frozen=True)
class Filter:
    """A filter as the mappers see it; ``keywords`` are (id, keyword, whole_word)."""

    id: int
    title: str
    context: tuple[str, ...]
    action: str
    expires_at: datetime | None
    keywords: tuple[tuple[int, str, bool], ...] = ()
    statuses: tuple[tuple[int, str], ...] = ()

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


def filter_entity(item: Filter) -> dict[str, Any]:
    """Build the v2 Filter entity."""
    return {
        "id": str(item.id),
        "title": item.title,
        "context": list(item.context),
        "expires_at": mastodon_timestamp(item.expires_at) if item.expires_at else None,
        "filter_action": item.action,
        "keywords": [
            {"id": str(keyword_id), "keyword": keyword, "whole_word": whole_word}
            for keyword_id, keyword, whole_word in item.keywords
        ],
        "statuses": [{"id": str(entry_id), "status_id": status_id} for entry_id, status_id in item.statuses],
    }


def v1_filter_entity(item: Filter, keyword_index: int = 0) -> dict[str, Any]:
    """Build the v1 Filter entity for one keyword; v1 filters are single keywords with the keyword's id."""
    keyword_id, keyword, whole_word = item.keywords[keyword_index]
    return {
        "id": str(keyword_id),
        "phrase": keyword,
        "context": list(item.context),
        "whole_word": whole_word,
        "expires_at": mastodon_timestamp(item.expires_at) if item.expires_at else None,
        "irreversible": item.action == "hide",
    }


def _keyword_pattern(keyword: str, whole_word: bool) -> re.Pattern[str]:
    escaped = re.escape(keyword)
    if whole_word:
        escaped = rf"(?<!\w){escaped}(?!\w)"
    return re.compile(escaped, re.IGNORECASE)


def searchable_text(status: Status) -> str:
    """Return the text filters look at: content warning, text and picture descriptions."""
    parts = [status.spoiler_text, plain_text_from_content(status.content)]
    parts.extend(media.description or "" for media in status.media_attachments)
    return "\n".join(part for part in parts if part)


def filter_results(
    text: str, status_id: str, filters: Iterable[Filter], context: str, now: datetime
) -> list[tuple[Filter, list[str], list[str]]]:
    """Return, for each active filter of ``context`` that matches, its keyword and status matches."""
    results = []
    for item in filters:
        if context not in item.context or not item.active(now):
            continue
        keywords = [
            keyword
            for _, keyword, whole_word in item.keywords
            if _keyword_pattern(keyword, whole_word).search(text)
        ]
        statuses = [str(entry_status) for _, entry_status in item.statuses if entry_status == status_id]
        if keywords or statuses:
            results.append((item, keywords, statuses))
    return results


def is_hidden(text: str, status_id: str, filters: Sequence[Filter], context: str, now: datetime) -> bool:
    """Tell whether a ``hide`` filter removes a status from ``context``."""
    return any(item.action == "hide" for item, _, _ in filter_results(text, status_id, filters, context, now))


def apply_filters(status: Status, filters: Sequence[Filter], context: str, now: datetime) -> Status | None:
    """Return the status with its ``filtered`` warnings, or None when a filter hides it."""
    target = status.reblog or status
    results = filter_results(searchable_text(target), target.id, filters, context, now)
    if any(item.action == "hide" for item, _, _ in results):
        return None
    if not results:
        return status
    filtered = [
        {
            "filter": filter_entity(item),
            "keyword_matches": keywords or None,
            "status_matches": statuses or None,
        }
        for item, keywords, statuses in results
    ]
    return status.model_copy(update={"filtered": filtered})

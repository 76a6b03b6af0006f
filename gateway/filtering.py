"""The viewer's filters, applied to pages: hidden statuses never count towards a page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.services import Services
from gateway.store.base import FilterRecord
from gateway.timelines import Keep
from mappings.filters import Filter, is_hidden
from mappings.friendica import parse_status
from mappings.html import plain_text_from_content, rewrite_content


def filter_of_record(record: FilterRecord) -> Filter:
    return Filter(
        id=record.id,
        title=record.title,
        context=record.context,
        action=record.action,
        expires_at=record.expires_at,
        keywords=tuple(
            (keyword_id, keyword, whole_word)
            for keyword_id, (keyword, whole_word) in zip(record.keyword_ids, record.keywords, strict=True)
        ),
        statuses=record.statuses,
    )


async def active_filters(shared: Services, viewer: UserViewer, context: str) -> list[Filter]:
    now = datetime.now(UTC)
    return [
        item
        for item in map(filter_of_record, await shared.store.filters(viewer.store_scope))
        if context in item.context and item.active(now)
    ]


def _raw_text(raw: dict[str, Any], tag_url: str) -> str:
    """Return the text a filter searches in an upstream status, before it is mapped."""
    status = parse_status(raw)
    shown = status.retweeted_status or status
    content = rewrite_content(shown.statusnet_html, tag_url=tag_url, title=shown.friendica_title).html
    return f"{shown.friendica_title}\n{plain_text_from_content(content)}"


def not_hidden(filters: list[Filter], context: str, tag_url: str, keep: Keep | None = None) -> Keep | None:
    """Add the viewer's ``hide`` filters to a page's own predicate, so a refill skips hidden statuses."""
    hiding = [item for item in filters if item.action == "hide"]
    if not hiding:
        return keep
    now = datetime.now(UTC)

    def check(raw: dict[str, Any]) -> bool:
        if keep is not None and not keep(raw):
            return False
        inner = raw.get("retweeted_status") or raw
        return not is_hidden(_raw_text(raw, tag_url), str(inner.get("id")), hiding, context, now)

    return check

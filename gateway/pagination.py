"""Mastodon pagination: parsing ``max_id``/``since_id``/``min_id``/``limit`` and the ``Link`` header.

Mastodon's ``max_id`` and ``since_id`` are exclusive; ``min_id`` requests
the items immediately newer than it. Pages are always sent newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from starlette.requests import Request

from gateway.errors import Unprocessable
from gateway.params import Params

PAGE_PARAMETERS = ("max_id", "since_id", "min_id")


@dataclass(frozen=True)
class PageRequest:
    limit: int
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None


def _id_param(params: Params, name: str) -> int | None:
    value = params.string(name)
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise Unprocessable(f"Validation failed: {name} must be a numeric id, not {value[:40]!r}")
    return int(value)


def parse_page(params: Params, *, default_limit: int = 20, max_limit: int = 40) -> PageRequest:
    """Read the page parameters; ``limit`` is clamped to 1..max_limit like Mastodon does."""
    try:
        limit = params.integer("limit", default_limit) or default_limit
    except Unprocessable:
        limit = default_limit
    return PageRequest(
        limit=max(1, min(limit, max_limit)),
        max_id=_id_param(params, "max_id"),
        since_id=_id_param(params, "since_id"),
        min_id=_id_param(params, "min_id"),
    )


def link_header(request: Request, public_url: str, newest_id: int | str, oldest_id: int | str) -> str:
    """Build ``Link`` with ``next`` (older) first, as toot only reads a header that starts with it.

    The request's other query parameters are kept, so a filtered timeline
    stays filtered from page to page.
    """
    kept = [
        (name, value) for name, value in request.query_params.multi_items() if name not in PAGE_PARAMETERS
    ]
    # The path arrives decoded; an album name with a space must not break the header.
    base = public_url.rstrip("/") + quote(request.url.path)

    def url(extra: tuple[str, str]) -> str:
        return f"{base}?{urlencode([*kept, extra])}"

    return f'<{url(("max_id", str(oldest_id)))}>; rel="next", <{url(("min_id", str(newest_id)))}>; rel="prev"'

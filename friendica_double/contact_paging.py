"""Paging of contact id lists, shared by the endpoints built on Friendica's ContactEndpoint.

``friends/*``, ``followers/*``, ``friendships/incoming`` and ``blocks/*``
page the same way. Ids come newest (highest) first, ``count`` is 1..200
(default 20), ``max_id`` is exclusive, and ``since_id`` and ``min_id`` are
exclusive lower bounds, where ``min_id`` takes the lowest ids. The cursor
members depend on the page only, and the ``Link`` header carries
``max_id``/``min_id`` and no other parameters.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from .params import Params

DEFAULT_COUNT = 20
MAX_COUNT = 200


def page_of_ids(params: Params, ids: list[int]) -> list[int]:
    """Return the page of ``ids`` (sorted highest first) that the paging parameters pick."""
    count = params.integer("count", DEFAULT_COUNT, 1, MAX_COUNT) or DEFAULT_COUNT
    max_id = params.integer("max_id", 0, 0) or 0
    since_id = params.integer("since_id", 0, 0) or 0
    min_id = params.integer("min_id", 0, 0) or 0

    selected = [
        value
        for value in ids
        if (not max_id or value < max_id)
        and (not since_id or value > since_id)
        and (not min_id or value > min_id)
    ]
    if min_id:
        return list(reversed(sorted(selected)[:count]))
    return selected[:count]


def cursor_fields(params: Params, ids: list[Any], total: int) -> dict[str, Any]:
    """Return Friendica's cursor members for a result page."""
    cursor = params.integer("cursor", -1)
    cursor = 0 if cursor is None else cursor
    count = params.integer("count", DEFAULT_COUNT, 1, MAX_COUNT) or DEFAULT_COUNT

    previous_cursor = -int(ids[0]) if ids else 0
    next_cursor = int(ids[-1]) if ids else 0
    if total <= len(ids) or len(ids) < count:
        next_cursor = 0
    if cursor < 0 and not ids:
        next_cursor = -1
    if cursor == -1:
        previous_cursor = 0
    if cursor > 0 and not ids:
        previous_cursor = -cursor
    return {
        "next_cursor": next_cursor,
        "next_cursor_str": str(next_cursor),
        "previous_cursor": previous_cursor,
        "previous_cursor_str": str(previous_cursor),
        "total_count": total,
    }


def with_link_header(request: Request, body: dict[str, Any], ids: list[int], base_url: str) -> JSONResponse:
    """Return the JSON response with Friendica's Link header built from the id range."""
    headers = {}
    if ids:
        command = f"{base_url}{request.url.path}"
        headers["Link"] = (
            f'<{command}?max_id={min(ids)}>; rel="next", <{command}?min_id={max(ids)}>; rel="prev"'
        )
    return JSONResponse(body, headers=headers)


def id_values(params: Params, ids: list[int]) -> list[Any]:
    """Return the ids as sent: strings with ``stringify_ids``, else numbers."""
    if params.boolean("stringify_ids"):
        return [str(value) for value in ids]
    return list(ids)

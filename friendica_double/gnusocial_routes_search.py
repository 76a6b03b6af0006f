"""GNU social 1.2's ``search.json`` (``ApiSearchJSONAction`` with the default ``like`` search engine).

``q`` is matched as a case-insensitive substring of each notice's plain
text (``content LIKE "%q%"``), so ``#tag`` also finds ``#tagged`` and an
empty ``q`` finds every notice. Results are newest first by creation time.
``rpp`` (default 15, at most 100) and ``page`` (default 1) page them, but
1.2 queries its database for ``rpp + 1`` notices from offset
``(page - 1) * rpp``, so each full page contains one notice more than ``rpp``
and repeats it at the top of the next page. ``since_id``, ``lang`` and
``geocode`` are read and ignored, and ``max_id`` is not read at all. The
response is a bare array of statuses. A login is optional.

1.2 applies no scope filter here, so its search also lists notices for
subscribers only to anyone, and so does the double; ``statuses/show``
answers 403 for those.
"""

from __future__ import annotations

from typing import Any

from .gnusocial_render import GsRenderer
from .gnusocial_routes import NOTICE, renderer
from .gnusocial_routing import GsCall
from .legacy_routing import php_intval

DEFAULT_RPP = 15
MAX_RPP = 100


def search(call: GsCall) -> list[dict[str, Any]]:
    """GET search.json: notices whose text contains ``q``, ``rpp + 1`` from offset ``(page - 1) * rpp``."""
    params = call.params
    query = params.string("q").strip().casefold()
    rpp = php_intval(params.string("rpp"))
    rpp = DEFAULT_RPP if rpp <= 0 else min(rpp, MAX_RPP)
    page = max(1, php_intval(params.string("page")))

    rows = call.store.query(
        f"SELECT item.* FROM item WHERE {NOTICE} AND item.deleted = 0 "
        "ORDER BY item.created DESC, item.uri_id DESC"
    )
    me: GsRenderer = renderer(call)
    found = [int(row["uri_id"]) for row in rows if query in me.notice_text(row).casefold()]
    offset = (page - 1) * rpp
    return [me.status(uri_id) for uri_id in found[offset : offset + rpp + 1]]

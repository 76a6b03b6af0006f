"""Bookmarks and muted conversations, which the gateway keeps for each person.

Friendica's own star is a natural home for bookmarks: private, listed by
``favorites``, kept with the person's copy of the post. Before 2022.03
``favorites/create`` sets it, so bookmarks are the star there (the
dialect's ``bookmarks_on_star``). Current releases made ``favorites/create``
a like and cannot set the star, so bookmarks live in the gateway's store,
each with a copy of the status that pages showing it keep fresh.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import authenticate
from gateway.pagination import link_header, parse_page
from gateway.params import read_params
from gateway.render import status_json, statuses_json
from gateway.routes.common import path_id, statuses_page
from gateway.services import services
from gateway.sharing import upstream_status_id
from gateway.upstream import UpstreamPage


async def _set_bookmark(request: Request, bookmarked: bool) -> JSONResponse:
    viewer = await authenticate(request, "write:bookmarks")
    shared = services(request)
    # TODO: bookmark mails too; a bookmark keeps an upstream item, and a mail id raises 422 here.
    status_id = await upstream_status_id(shared, viewer, path_id(request))
    raw = await shared.upstream.show_status(viewer.credential, status_id)

    if (await shared.capabilities.get()).dialect.bookmarks_on_star:
        if bool(raw.get("friendica_starred")) is not bookmarked:
            raw = await shared.upstream.set_star(viewer.credential, status_id, bookmarked)
    elif bookmarked:
        await shared.store.add_bookmark(viewer.store_scope, status_id, json.dumps(raw), datetime.now(UTC))
    else:
        await shared.store.remove_bookmark(viewer.store_scope, status_id)
    return JSONResponse(await status_json(shared, viewer, raw))


async def bookmark(request: Request) -> JSONResponse:
    return await _set_bookmark(request, True)


async def unbookmark(request: Request) -> JSONResponse:
    return await _set_bookmark(request, False)


async def bookmarks(request: Request) -> JSONResponse:
    """List the viewer's bookmarks, newest first.

    Bookmarks kept by the gateway page by bookmark ids, as Mastodon does;
    starred posts page by status ids, as the upstream's ``favorites`` does.
    """
    viewer = await authenticate(request, "read:bookmarks")
    shared = services(request)
    page = parse_page(await read_params(request))
    if (await shared.capabilities.get()).dialect.bookmarks_on_star:

        async def fetch(upstream_page: UpstreamPage) -> list[dict[str, Any]]:
            return await shared.upstream.starred(viewer.credential, upstream_page)

        return await statuses_page(request, shared, viewer, page, fetch, context="bookmarks")

    records = await shared.store.list_bookmarks(
        viewer.store_scope, max_id=page.max_id, since_id=page.since_id, min_id=page.min_id, limit=page.limit
    )

    statuses = await statuses_json(shared, viewer, [json.loads(record.snapshot) for record in records])
    headers = {}
    if records:
        headers["Link"] = link_header(
            request, shared.public_url, records[0].bookmark_id, records[-1].bookmark_id
        )
    return JSONResponse(statuses, headers=headers)


async def _set_muted(request: Request, muted: bool) -> JSONResponse:
    """Mute or unmute the thread a status belongs to: no notifications from it while muted."""
    viewer = await authenticate(request, "write:mutes")
    shared = services(request)
    status_id = await upstream_status_id(shared, viewer, path_id(request))
    raw = await shared.upstream.show_status(viewer.credential, status_id)
    thread_id = int(raw.get("statusnet_conversation_id") or raw["id"])

    if muted:
        await shared.store.mute_thread(viewer.store_scope, thread_id)
    else:
        await shared.store.unmute_thread(viewer.store_scope, thread_id)
    return JSONResponse(await status_json(shared, viewer, raw))


async def mute(request: Request) -> JSONResponse:
    return await _set_muted(request, True)


async def unmute(request: Request) -> JSONResponse:
    return await _set_muted(request, False)

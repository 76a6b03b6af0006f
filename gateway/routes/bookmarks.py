"""Bookmarks and muted conversations, which the gateway keeps for each person.

Friendica's own star would be a natural home for bookmarks, but its
Twitter-compatible API cannot set one on current releases, so bookmarks
live in the gateway's store, each with a copy of the status that pages
showing it keep fresh.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import authenticate
from gateway.pagination import link_header, parse_page
from gateway.params import read_params
from gateway.render import status_json, statuses_json
from gateway.routes.common import path_id
from gateway.services import services
from gateway.sharing import upstream_status_id


async def bookmark(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:bookmarks")
    shared = services(request)
    # TODO: bookmark mails too; a bookmark keeps an upstream item, and a mail id raises 422 here.
    status_id = await upstream_status_id(shared, path_id(request))
    raw = await shared.upstream.show_status(viewer.credential, status_id)

    await shared.store.add_bookmark(viewer.store_scope, status_id, json.dumps(raw), datetime.now(UTC))
    return JSONResponse(await status_json(shared, viewer, raw))


async def unbookmark(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:bookmarks")
    shared = services(request)
    status_id = await upstream_status_id(shared, path_id(request))
    raw = await shared.upstream.show_status(viewer.credential, status_id)

    await shared.store.remove_bookmark(viewer.store_scope, status_id)
    return JSONResponse(await status_json(shared, viewer, raw))


async def bookmarks(request: Request) -> JSONResponse:
    """List the viewer's bookmarks, newest first, paged by bookmark ids as Mastodon does."""
    viewer = await authenticate(request, "read:bookmarks")
    shared = services(request)
    page = parse_page(await read_params(request))
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
    status_id = await upstream_status_id(shared, path_id(request))
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

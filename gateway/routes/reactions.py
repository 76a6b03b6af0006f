"""Favourites and reblogs of one status, who made them, and the viewer's favourites list."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import authenticate
from gateway.notifications import log_favourite, withdraw_favourite
from gateway.pagination import link_header, parse_page
from gateway.params import read_params
from gateway.render import status_json, statuses_json
from gateway.routes.common import path_id
from gateway.services import services
from gateway.sharing import reblog, unreblog, upstream_status_id
from mappings.accounts import account_from_friendica
from mappings.friendica import parse_user


async def favourite(request: Request) -> JSONResponse:
    """Like a status; the upstream's like is public, unlike its star (see ``gateway.dialects``)."""
    viewer = await authenticate(request, "write:favourites")
    shared = services(request)
    status_id = await upstream_status_id(shared, viewer, path_id(request))

    raw = await shared.upstream.like(viewer.credential, status_id, viewer_id=viewer.user_id)
    await shared.store.record_favourites(
        viewer.store_scope, {status_id: (json.dumps(raw), datetime.now(UTC))}
    )
    await log_favourite(shared, viewer, raw)
    return JSONResponse(await status_json(shared, viewer, raw))


async def unfavourite(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:favourites")
    shared = services(request)
    status_id = await upstream_status_id(shared, viewer, path_id(request))

    raw = await shared.upstream.unlike(viewer.credential, status_id, viewer_id=viewer.user_id)
    await shared.store.forget_favourites(viewer.store_scope, [status_id])
    await withdraw_favourite(shared, viewer, raw)
    return JSONResponse(await status_json(shared, viewer, raw))


async def reblog_status(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    return JSONResponse(await reblog(services(request), viewer, path_id(request)))


async def unreblog_status(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    return JSONResponse(await unreblog(services(request), viewer, path_id(request)))


async def _reactors(request: Request, verb: str) -> JSONResponse:
    """Return one page of the accounts that reacted to a status with ``verb`` (like or announce).

    The upstream lists them all inside the status (GNU social's repeats in a
    list of their own), so the page is cut from that list, ordered by
    account id, with Mastodon's page parameters.
    """
    viewer = await authenticate(request, "read:accounts")
    shared = services(request)
    page = parse_page(await read_params(request), max_limit=80)
    status_id = await upstream_status_id(shared, viewer, path_id(request))
    raw = await shared.upstream.show_status(viewer.credential, status_id)

    reactors = await shared.upstream.reactors(viewer.credential, raw, verb)
    users = sorted(
        {user.id: user for user in map(parse_user, reactors)}.values(), key=lambda user: user.id, reverse=True
    )
    lower = page.min_id if page.min_id is not None else page.since_id
    users = [
        user
        for user in users
        if (page.max_id is None or user.id < page.max_id) and (lower is None or user.id > lower)
    ]
    users = users[-page.limit :] if page.min_id is not None else users[: page.limit]

    ctx = await shared.mapping_context(viewer.user_id)
    headers = {}
    if users:
        headers["Link"] = link_header(request, shared.public_url, users[0].id, users[-1].id)
    return JSONResponse([account_from_friendica(user, ctx).to_json() for user in users], headers=headers)


async def favourited_by(request: Request) -> JSONResponse:
    return await _reactors(request, "like")


async def reblogged_by(request: Request) -> JSONResponse:
    return await _reactors(request, "announce")


async def favourites(request: Request) -> JSONResponse:
    """List the statuses the viewer liked, newest like first.

    The upstream's ``favorites`` list contains starred posts, not likes, and
    nothing lists likes, so this comes from the gateway's favourites log:
    every like made through the gateway and every status a page it served
    showed as liked, with the status as it looked then. Likes made elsewhere
    appear once the gateway has shown the status.
    """
    viewer = await authenticate(request, "read:favourites")
    shared = services(request)
    page = parse_page(await read_params(request))
    records = await shared.store.list_favourites(
        viewer.store_scope, max_id=page.max_id, since_id=page.since_id, min_id=page.min_id, limit=page.limit
    )

    raws = [json.loads(record.snapshot) for record in records]
    statuses = await statuses_json(shared, viewer, raws)
    headers = {}
    if records:
        headers["Link"] = link_header(
            request, shared.public_url, records[0].favourite_id, records[-1].favourite_id
        )
    return JSONResponse(statuses, headers=headers)

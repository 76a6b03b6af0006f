"""Helpers the route modules share: ids from the path, and paged status and account lists."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer
from gateway.errors import NotFound
from gateway.filtering import active_filters, not_hidden
from gateway.pagination import PageRequest, link_header
from gateway.render import statuses_json
from gateway.services import Services
from gateway.timelines import Fetch, Keep, read_page
from mappings.accounts import account_from_friendica


def path_id(request: Request, name: str = "id") -> int:
    """Return a numeric id from the path; anything else cannot name a record."""
    value = request.path_params[name]
    if not value.isdigit() or len(value) > 20:
        raise NotFound()
    return int(value)


async def statuses_page(
    request: Request,
    shared: Services,
    viewer: UserViewer,
    page: PageRequest,
    fetch: Fetch,
    keep: Keep | None = None,
    *,
    context: str,
    own_copies: Callable[[list[dict[str, Any]]], Awaitable[list[dict[str, Any]]]] | None = None,
) -> JSONResponse:
    """Read one page from an upstream timeline and return it with its ``Link`` header.

    ``context`` names the filter context (home, public, account): statuses a
    ``hide`` filter removes do not count, so the page is refilled past them.
    ``own_copies`` replaces statuses whose ids are not the viewer's (see
    ``FriendicaClient.own_copies``); the ``Link`` header keeps the ids the
    upstream paged by.
    """
    filters = await active_filters(shared, viewer, context)
    raws = await read_page(
        fetch, page, not_hidden(filters, context, shared.settings.public_url + "/tags", keep)
    )
    shown = await own_copies(raws) if own_copies is not None else raws
    statuses = await statuses_json(shared, viewer, shown, context=context)
    headers = {}
    if raws:
        headers["Link"] = link_header(request, shared.public_url, raws[0]["id"], raws[-1]["id"])
    return JSONResponse(statuses, headers=headers)


async def accounts_page(
    request: Request,
    shared: Services,
    viewer: UserViewer,
    users: list[dict[str, Any]],
    page_ids: list[int] | None = None,
) -> JSONResponse:
    """Return a page of accounts with its ``Link`` header.

    ``page_ids`` are the ids the page was read by, newest first, where they
    are not the accounts' own (follow requests page by contact ids).
    """
    ctx = await shared.mapping_context(viewer.user_id)
    accounts = [account_from_friendica(user, ctx).to_json() for user in users]
    ids = page_ids if page_ids is not None else [int(user["id"]) for user in users]
    headers = {}
    if ids:
        headers["Link"] = link_header(request, shared.public_url, ids[0], ids[-1])
    return JSONResponse(accounts, headers=headers)

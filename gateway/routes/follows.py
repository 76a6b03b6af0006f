"""Account lists of one person: followers, followed accounts, blocked accounts and follow requests.

Each page is one upstream call, read by public ids (follow requests by the
viewer's contact ids), newest first, so a page is only short at the end.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway import follow_requests
from gateway.auth.bearer import authenticate
from gateway.lookups import user_by_id
from gateway.pagination import parse_page
from gateway.params import read_params
from gateway.routes.common import accounts_page, path_id
from gateway.services import services
from gateway.upstream_people import ContactList

MAX_ACCOUNTS = 80


async def followers(request: Request) -> JSONResponse:
    return await _contacts(request, "followers")


async def following(request: Request) -> JSONResponse:
    return await _contacts(request, "friends")


async def _contacts(request: Request, kind: ContactList) -> JSONResponse:
    """Read a page of a person's followers or followed accounts.

    Friendica returns these only for the viewer. For anyone else the page is empty.
    """
    viewer = await authenticate(request, "read:accounts")
    account_id = path_id(request)
    page = parse_page(await read_params(request), default_limit=40, max_limit=MAX_ACCOUNTS)
    shared = services(request)

    if account_id != viewer.user_id:
        await user_by_id(shared, viewer, account_id)
    users = await shared.upstream.contacts_page(
        viewer.credential,
        kind,
        account_id,
        count=page.limit,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
    )
    shared.users.put_many(viewer.credential, users)
    return await accounts_page(request, shared, viewer, users)


async def blocks(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:blocks")
    page = parse_page(await read_params(request), default_limit=40, max_limit=MAX_ACCOUNTS)
    shared = services(request)
    (await shared.capabilities.get()).require("blocks_list")
    users = await shared.upstream.contacts_page(
        viewer.credential,
        "blocks",
        viewer.user_id,
        count=page.limit,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
    )
    return await accounts_page(request, shared, viewer, users)


async def list_follow_requests(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:follows")
    page = parse_page(await read_params(request), default_limit=40, max_limit=MAX_ACCOUNTS)
    shared = services(request)
    (await shared.capabilities.get()).require("follow_requests")
    users, contact_ids = await follow_requests.waiting_page(shared, viewer, page)
    return await accounts_page(request, shared, viewer, users, contact_ids)


async def authorize_follow_request(request: Request) -> JSONResponse:
    return await _answer(request, "authorize")


async def reject_follow_request(request: Request) -> JSONResponse:
    return await _answer(request, "reject")


async def _answer(request: Request, action: str) -> JSONResponse:
    viewer = await authenticate(request, "write:follows")
    account_id = path_id(request)
    shared = services(request)
    relationship = await follow_requests.answer(shared, viewer, account_id, action)
    return JSONResponse(relationship.to_json())

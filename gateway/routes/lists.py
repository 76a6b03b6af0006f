"""Lists: the viewer's own, their members, and the lists an account is in."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway import lists
from gateway.auth.bearer import authenticate
from gateway.errors import Unprocessable
from gateway.lookups import user_by_id
from gateway.pagination import parse_page
from gateway.params import Params, read_params
from gateway.routes.accounts import numeric_ids
from gateway.routes.common import accounts_page, path_id
from gateway.services import services
from mappings.lists import list_from_friendica

MAX_MEMBERS_PAGE = 80


async def show_lists(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:lists")
    shared = services(request)
    found = await lists.own_lists(shared, viewer)
    policies = await lists.replies_policies(shared, viewer)
    return JSONResponse(
        [
            list_from_friendica(item, policies.get(int(item["id"]), lists.DEFAULT_REPLIES_POLICY)).to_json()
            for item in found
        ]
    )


async def show_list(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:lists")
    list_id = path_id(request)
    shared = services(request)
    found = await lists.own_list(shared, viewer, list_id)
    policies = await lists.replies_policies(shared, viewer)
    return JSONResponse(
        list_from_friendica(found, policies.get(list_id, lists.DEFAULT_REPLIES_POLICY)).to_json()
    )


def _check_exclusive(params: Params) -> None:
    if params.boolean("exclusive"):
        raise Unprocessable(
            "The upstream server does not support this: it cannot hide a list's posts from the home timeline",
            field="exclusive",
        )


async def create_list(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:lists")
    params = await read_params(request)
    title = lists.check_title(params.string("title"))
    policy = lists.check_replies_policy(params.string("replies_policy")) or lists.DEFAULT_REPLIES_POLICY
    _check_exclusive(params)
    shared = services(request)
    created = await lists.create_list(shared, viewer, title, policy)
    return JSONResponse(list_from_friendica(created, policy).to_json())


async def update_list(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:lists")
    list_id = path_id(request)
    params = await read_params(request)
    title = lists.check_title(params.string("title")) if "title" in params else None
    policy = lists.check_replies_policy(params.string("replies_policy"))
    _check_exclusive(params)
    shared = services(request)
    updated = await lists.update_list(shared, viewer, list_id, title, policy)
    policies = await lists.replies_policies(shared, viewer)
    return JSONResponse(
        list_from_friendica(updated, policies.get(list_id, lists.DEFAULT_REPLIES_POLICY)).to_json()
    )


async def delete_list(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:lists")
    list_id = path_id(request)
    shared = services(request)
    await lists.delete_list(shared, viewer, list_id)
    return JSONResponse({})


async def list_accounts(request: Request) -> JSONResponse:
    """``GET /api/v1/lists/:id/accounts``: members by descending id; ``limit=0`` gives all of them."""
    viewer = await authenticate(request, "read:lists")
    list_id = path_id(request)
    params = await read_params(request)
    every = params.string("limit") == "0"
    page = parse_page(params, default_limit=40, max_limit=MAX_MEMBERS_PAGE)
    shared = services(request)

    members = await lists.members_page(shared, viewer, list_id, None if every else page)
    return await accounts_page(request, shared, viewer, members)


async def add_list_accounts(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:lists")
    list_id = path_id(request)
    account_ids = _account_ids(await read_params(request))
    shared = services(request)
    await lists.add_members(shared, viewer, list_id, account_ids)
    return JSONResponse({})


async def remove_list_accounts(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:lists")
    list_id = path_id(request)
    account_ids = _account_ids(await read_params(request))
    shared = services(request)
    await lists.remove_members(shared, viewer, list_id, account_ids)
    return JSONResponse({})


def _account_ids(params: Params) -> list[int]:
    account_ids = numeric_ids(params, "account_ids")
    if not account_ids:
        raise Unprocessable("Validation failed: account_ids is missing", field="account_ids")
    return account_ids


async def account_lists(request: Request) -> JSONResponse:
    """``GET /api/v1/accounts/:id/lists``: the viewer's lists the account is in."""
    viewer = await authenticate(request, "read:lists")
    account_id = path_id(request)
    shared = services(request)
    await user_by_id(shared, viewer, account_id)
    found = await lists.lists_with_member(shared, viewer, account_id)
    return JSONResponse([list_from_friendica(item).to_json() for item in found])

"""Accounts: the viewer's own, one by id, address or search, several at once, and their statuses."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer, authenticate
from gateway.errors import UpstreamBadResponse
from gateway.filters import has_media, has_tag, is_share
from gateway.lookups import own_account, user_by_acct, user_by_id, users_by_ids
from gateway.pagination import parse_page
from gateway.params import Params, read_params
from gateway.profile import own_account_json, own_profile, read_change, update_credentials
from gateway.routes.common import path_id, statuses_page
from gateway.search import search_accounts
from gateway.services import Services, services
from gateway.timelines import Keep
from gateway.upstream import UpstreamPage
from mappings.accounts import account_from_friendica

# The maximum number of accounts in one Mastodon response.
MAX_ACCOUNTS = 80


async def accounts_json(
    shared: Services, viewer: UserViewer, users: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    ctx = await shared.mapping_context(viewer.user_id)
    return [account_from_friendica(user, ctx).to_json() for user in users]


def numeric_ids(params: Params, name: str = "id") -> list[int]:
    """Read an id list such as ``id[]=1&id[]=2``; ids that cannot name an account are left out."""
    values = [value for value in params.strings(name) if value.isdigit() and len(value) <= 20]
    return [int(value) for value in dict.fromkeys(values)][:MAX_ACCOUNTS]


async def verify_credentials(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "profile")
    shared = services(request)
    user = await own_account(shared, viewer)
    if int(user["id"]) != viewer.user_id:
        raise UpstreamBadResponse(
            detail=f"the credential of user {viewer.user_id} now belongs to user {user['id']}"
        )
    return JSONResponse(await own_account_json(shared, viewer, user))


async def change_credentials(request: Request) -> JSONResponse:
    """``PATCH /api/v1/accounts/update_credentials``: change the viewer's profile."""
    viewer = await authenticate(request, "write:accounts")
    change = read_change(await read_params(request))
    shared = services(request)
    return JSONResponse(await update_credentials(shared, viewer, change))


async def show_account(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:accounts")
    account_id = path_id(request)
    shared = services(request)
    user = await user_by_id(shared, viewer, account_id)
    own = await own_profile(shared, viewer) if account_id == viewer.user_id else None
    ctx = await shared.mapping_context(viewer.user_id)
    return JSONResponse(account_from_friendica(user, ctx, own).to_json())


async def show_accounts(request: Request) -> JSONResponse:
    """``GET /api/v1/accounts?id[]=``: several accounts in the order asked, unknown ids left out."""
    viewer = await authenticate(request, "read:accounts")
    account_ids = numeric_ids(await read_params(request))
    shared = services(request)
    users = await users_by_ids(shared, viewer, account_ids)
    return JSONResponse(await accounts_json(shared, viewer, users))


async def lookup_account(request: Request) -> JSONResponse:
    """``GET /api/v1/accounts/lookup?acct=``: the account of ``name`` or ``name@domain``."""
    viewer = await authenticate(request, "read:accounts")
    acct = (await read_params(request)).required_string("acct")
    shared = services(request)
    user = await user_by_acct(shared, viewer, acct)
    return JSONResponse((await accounts_json(shared, viewer, [user]))[0])


async def find_accounts(request: Request) -> JSONResponse:
    """``GET /api/v1/accounts/search``: exact names and addresses, then followed people by prefix."""
    viewer = await authenticate(request, "read:accounts")
    params = await read_params(request)
    query = params.required_string("q")
    limit = parse_page(params, default_limit=40, max_limit=MAX_ACCOUNTS).limit
    offset = max(0, params.integer("offset", 0) or 0)
    shared = services(request)
    users = await search_accounts(
        shared,
        viewer,
        query,
        limit=limit,
        offset=offset,
        following=params.boolean("following"),
        resolve=params.boolean("resolve"),
    )
    return JSONResponse(await accounts_json(shared, viewer, users))


async def account_statuses(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    account_id = path_id(request)
    params = await read_params(request)
    page = parse_page(params)
    shared = services(request)

    # Unknown accounts get 404 here; the upstream would return an empty list.
    await user_by_id(shared, viewer, account_id)
    if params.boolean("pinned"):
        # TODO: show pinned posts once the upstream exposes them; its Twitter-compatible API does not.
        return JSONResponse([])

    exclude_replies = params.boolean("exclude_replies")
    checks: list[Keep] = []
    if params.boolean("only_media"):
        checks.append(has_media)
    if params.boolean("exclude_reblogs"):
        checks.append(lambda status: not is_share(status))
    tagged = params.string("tagged")
    if tagged:
        checks.append(lambda status: has_tag(status, tagged))
    if exclude_replies:
        # GNU social ignores exclude_replies, so replies are left out here too.
        checks.append(lambda status: not status.get("in_reply_to_status_id"))

    async def fetch(upstream_page: UpstreamPage) -> list[dict[str, Any]]:
        return await shared.upstream.user_timeline(
            viewer.credential, account_id, upstream_page, exclude_replies=exclude_replies
        )

    keep = (lambda status: all(check(status) for check in checks)) if checks else None
    return await statuses_page(request, shared, viewer, page, fetch, keep, context="account")

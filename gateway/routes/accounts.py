"""Accounts: the viewer's own, one by id, and the statuses one has written."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import authenticate
from gateway.errors import UpstreamBadResponse
from gateway.filters import has_media, has_tag, is_share
from gateway.lookups import user_by_id
from gateway.pagination import parse_page
from gateway.params import read_params
from gateway.routes.common import path_id, statuses_page
from gateway.services import services
from gateway.timelines import Keep
from gateway.upstream import UpstreamPage
from mappings.accounts import account_from_friendica, credential_account_from_friendica


async def verify_credentials(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "profile")
    shared = services(request)
    user = await shared.upstream.verify_credentials(viewer.credential)
    if int(user["id"]) != viewer.user_id:
        raise UpstreamBadResponse(
            detail=f"the credential of user {viewer.user_id} now belongs to user {user['id']}"
        )
    ctx = await shared.mapping_context(viewer.user_id)
    return JSONResponse(credential_account_from_friendica(user, ctx).to_json())


async def show_account(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:accounts")
    account_id = path_id(request)
    shared = services(request)
    user = await user_by_id(shared, viewer, account_id)
    ctx = await shared.mapping_context(viewer.user_id)
    return JSONResponse(account_from_friendica(user, ctx).to_json())


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

    async def fetch(upstream_page: UpstreamPage) -> list[dict[str, Any]]:
        return await shared.upstream.user_timeline(
            viewer.credential, account_id, upstream_page, exclude_replies=exclude_replies
        )

    keep = (lambda status: all(check(status) for check in checks)) if checks else None
    return await statuses_page(request, shared, viewer, page, fetch, keep, context="account")

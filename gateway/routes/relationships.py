"""Relationships with other accounts, and following, blocking and muting them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway import relationships
from gateway.auth.bearer import authenticate
from gateway.errors import Unprocessable
from gateway.params import read_params
from gateway.routes.accounts import numeric_ids
from gateway.routes.common import path_id
from gateway.services import services
from mappings.entities import FamiliarFollowers


async def show_relationships(request: Request) -> JSONResponse:
    """``GET /api/v1/accounts/relationships?id[]=``: one Relationship per known account."""
    viewer = await authenticate(request, "read:follows")
    account_ids = numeric_ids(await read_params(request))
    shared = services(request)
    found = await relationships.relationships(shared, viewer, account_ids)
    return JSONResponse([relationship.to_json() for relationship in found])


async def familiar_followers(request: Request) -> JSONResponse:
    """``GET /api/v1/accounts/familiar_followers?id[]=``: always without accounts.

    Friendica does not report who follows another person, so no followed
    account can be named as a follower of theirs.
    """
    await authenticate(request, "read:follows")
    account_ids = numeric_ids(await read_params(request))
    found = [FamiliarFollowers(id=str(account_id), accounts=[]) for account_id in account_ids]
    return JSONResponse([entry.to_json() for entry in found])


async def follow(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:follows")
    account_id = path_id(request)
    notify = (await read_params(request)).boolean("notify")
    shared = services(request)
    relationship = await relationships.follow(shared, viewer, account_id, notify=notify)
    return JSONResponse(relationship.to_json())


async def unfollow(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:follows")
    account_id = path_id(request)
    shared = services(request)
    relationship = await relationships.unfollow(shared, viewer, account_id)
    return JSONResponse(relationship.to_json())


async def block(request: Request) -> JSONResponse:
    return await _flag(request, "block", "write:blocks")


async def unblock(request: Request) -> JSONResponse:
    return await _flag(request, "unblock", "write:blocks")


async def mute(request: Request) -> JSONResponse:
    """Mute an account; Friendica mutes for good and hides notifications too, so only that is accepted."""
    viewer = await authenticate(request, "write:mutes")
    account_id = path_id(request)
    params = await read_params(request)
    if (params.integer("duration", 0) or 0) > 0:
        raise Unprocessable("The upstream server does not support this: it cannot mute for a limited time")
    if not params.boolean("notifications", True):
        raise Unprocessable(
            "The upstream server does not support this: it cannot mute an account but keep its notifications"
        )
    shared = services(request)
    relationship = await relationships.set_flag(shared, viewer, account_id, "mute")
    return JSONResponse(relationship.to_json())


async def unmute(request: Request) -> JSONResponse:
    return await _flag(request, "unmute", "write:mutes")


async def _flag(request: Request, action: str, scope: str) -> JSONResponse:
    viewer = await authenticate(request, scope)
    account_id = path_id(request)
    shared = services(request)
    relationship = await relationships.set_flag(shared, viewer, account_id, action)
    return JSONResponse(relationship.to_json())

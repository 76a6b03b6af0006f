"""``GET /api/v2/search``: accounts, statuses and hashtags."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway import search
from gateway.auth.bearer import authenticate
from gateway.errors import Unprocessable
from gateway.pagination import parse_page
from gateway.params import read_params
from gateway.render import statuses_json
from gateway.routes.accounts import accounts_json
from gateway.services import services

TYPES = ("accounts", "statuses", "hashtags")


async def search_v2(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:search")
    params = await read_params(request)
    query = params.required_string("q")
    wanted = params.string("type") or None
    if wanted is not None and wanted not in TYPES:
        raise Unprocessable(f"Validation failed: type must be one of {', '.join(TYPES)}", field="type")
    page = parse_page(params, default_limit=20, max_limit=40)
    offset = max(0, params.integer("offset", 0) or 0)
    account_id = params.integer("account_id")
    shared = services(request)

    results: dict[str, list[Any]] = {"accounts": [], "statuses": [], "hashtags": []}
    if wanted in (None, "accounts"):
        users = await search.search_accounts(
            shared,
            viewer,
            query,
            limit=page.limit,
            offset=offset,
            following=params.boolean("following"),
            resolve=params.boolean("resolve"),
        )
        results["accounts"] = await accounts_json(shared, viewer, users)
    # Without search/tweets a search for everything still finds accounts; one for statuses is a 422.
    capabilities = await shared.capabilities.get()
    if wanted in ("statuses", "hashtags"):
        capabilities.require("search")
    if not capabilities.has("search"):
        return JSONResponse(results)
    if wanted in (None, "statuses"):
        raws = await search.search_statuses(shared, viewer, query, page, offset=offset, account_id=account_id)
        results["statuses"] = await statuses_json(shared, viewer, raws)
    if wanted in (None, "hashtags"):
        tags = await search.search_hashtags(shared, viewer, query, limit=page.limit, offset=offset)
        results["hashtags"] = [tag.to_json() for tag in tags]
    return JSONResponse(results)

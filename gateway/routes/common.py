"""Helpers the route modules share: ids from the path and paged status lists."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer
from gateway.errors import NotFound
from gateway.filtering import active_filters, not_hidden
from gateway.pagination import PageRequest, link_header
from gateway.render import statuses_json
from gateway.services import Services
from gateway.timelines import Fetch, Keep, read_page


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
) -> JSONResponse:
    """Read one page from an upstream timeline and return it with its ``Link`` header.

    ``context`` names the filter context (home, public, account): statuses a
    ``hide`` filter removes do not count, so the page is refilled past them.
    """
    filters = await active_filters(shared, viewer, context)
    raws = await read_page(
        fetch, page, not_hidden(filters, context, shared.settings.public_url + "/tags", keep)
    )
    statuses = await statuses_json(shared, viewer, raws, context=context)
    headers = {}
    if raws:
        headers["Link"] = link_header(request, shared.public_url, raws[0]["id"], raws[-1]["id"])
    return JSONResponse(statuses, headers=headers)

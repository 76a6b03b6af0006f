"""Home, public, hashtag and list timelines."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway import lists, search
from gateway.auth.bearer import authenticate
from gateway.errors import NotFound
from gateway.filters import has_media, is_local
from gateway.pagination import parse_page
from gateway.params import read_params
from gateway.routes.common import path_id, statuses_page
from gateway.services import services
from gateway.timelines import Keep
from gateway.upstream import UpstreamPage
from mappings.entities import SearchTag
from mappings.tags import tag_id


async def home(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    page = parse_page(await read_params(request))
    shared = services(request)

    async def fetch(upstream_page: UpstreamPage) -> list[dict[str, Any]]:
        return await shared.upstream.home_timeline(viewer.credential, upstream_page)

    return await statuses_page(request, shared, viewer, page, fetch, context="home")


async def public(request: Request) -> JSONResponse:
    """Return the federated timeline; ``local`` keeps posts written on this server, ``remote`` the rest."""
    viewer = await authenticate(request, "read:statuses")
    params = await read_params(request)
    page = parse_page(params)
    local, remote, only_media = (
        params.boolean("local"),
        params.boolean("remote"),
        params.boolean("only_media"),
    )
    shared = services(request)
    upstream_url = shared.settings.upstream_url
    # Where the upstream has no federated timeline, its local one is the only public one it has.
    federated = (await shared.capabilities.get()).has("network_timeline")

    async def fetch(upstream_page: UpstreamPage) -> list[dict[str, Any]]:
        if local or not federated:
            return await shared.upstream.public_timeline(viewer.credential, upstream_page)
        return await shared.upstream.network_public_timeline(viewer.credential, upstream_page)

    async def own_copies(raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return await shared.upstream.own_copies(viewer.credential, raws)

    checks: list[Keep] = []
    if remote and not local:
        checks.append(lambda status: not is_local(status, upstream_url))
    if only_media:
        checks.append(has_media)
    keep = (lambda status: all(check(status) for check in checks)) if checks else None
    return await statuses_page(
        request, shared, viewer, page, fetch, keep, context="public", own_copies=own_copies
    )


async def hashtag(request: Request) -> JSONResponse:
    """Return statuses with the hashtag or any of ``any[]``, all of ``all[]`` and none of ``none[]``."""
    viewer = await authenticate(request, "read:statuses")
    params = await read_params(request)
    page = parse_page(params)
    tags = search.tag_names([request.path_params["tag"], *params.strings("any")])
    shared = services(request)
    (await shared.capabilities.get()).require("search")
    if not tags:
        return JSONResponse([])

    fetch = search.hashtag_source(shared, viewer, tags)
    keep = search.hashtag_filter(
        tags,
        required=search.tag_names(params.strings("all")),
        excluded=search.tag_names(params.strings("none")),
        local=params.boolean("local"),
        remote=params.boolean("remote"),
        only_media=params.boolean("only_media"),
        upstream_url=shared.settings.upstream_url,
    )
    return await statuses_page(request, shared, viewer, page, fetch, keep, context="public")


async def show_tag(request: Request) -> JSONResponse:
    """Return a hashtag as Mastodon's Tag entity; the upstream keeps nothing about a hashtag but its name."""
    await authenticate(request, "read")
    names = search.tag_names([request.path_params["name"]])
    if not names:
        raise NotFound()
    name = names[0]
    ctx = await services(request).mapping_context(None)
    tag = SearchTag(id=tag_id(name), name=name, url=f"{ctx.tag_url}/{name}", history=[], following=False)
    return JSONResponse(tag.to_json())


async def list_timeline(request: Request) -> JSONResponse:
    """Return the statuses of a list's members: the upstream's own list timeline where it has one."""
    viewer = await authenticate(request, "read:lists")
    list_id = path_id(request)
    page = parse_page(await read_params(request))
    shared = services(request)
    fetch, keep = await lists.timeline_source(shared, viewer, list_id)
    return await statuses_page(request, shared, viewer, page, fetch, keep, context="home")

"""Server information: Mastodon instance v1 and v2, NodeInfo, host-meta."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from gateway.auth.pages import templates
from gateway.media import SUPPORTED_MIME_TYPES
from gateway.services import Services, services
from mappings.instance import (
    MASTOGATE_VERSION,
    InstanceFacts,
    host_meta,
    instance_v1,
    instance_v2,
    nodeinfo,
    nodeinfo_links,
)


async def _facts(shared: Services) -> InstanceFacts:
    capabilities = await shared.capabilities.get()
    settings = shared.settings
    max_characters = settings.max_characters
    if capabilities.text_limit:
        max_characters = min(max_characters, capabilities.text_limit)

    return InstanceFacts(
        public_url=settings.public_url,
        title=settings.instance_title or capabilities.site_name or "mastogate",
        description=f"A Mastodon-compatible gateway to {capabilities.site_name or settings.upstream_url}, "
        f"a {capabilities.software} server.",
        email=capabilities.site_email,
        upstream_url=settings.upstream_url,
        upstream_software=f"{capabilities.software} {capabilities.version or ''}".strip(),
        max_characters=max_characters,
        max_media_attachments=settings.max_media_attachments,
        supported_mime_types=SUPPORTED_MIME_TYPES,
        image_size_limit=settings.media_size_limit,
        registrations_open=capabilities.registrations_open,
        languages=("en",),
        vapid_key=shared.vapid_key,
        thumbnail_url=f"{settings.public_url}/mastogate/static/thumbnail.png",
        source_url=settings.source_url or f"{settings.public_url}/about",
    )


async def show_instance_v1(request: Request) -> JSONResponse:
    return JSONResponse(instance_v1(await _facts(services(request))))


async def show_instance_v2(request: Request) -> JSONResponse:
    return JSONResponse(instance_v2(await _facts(services(request))))


async def show_nodeinfo_links(request: Request) -> JSONResponse:
    return JSONResponse(nodeinfo_links(services(request).public_url))


async def show_nodeinfo(request: Request) -> JSONResponse:
    document = nodeinfo(await _facts(services(request)))
    return JSONResponse(
        document,
        media_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"',
    )


async def show_host_meta(request: Request) -> Response:
    return Response(host_meta(services(request).public_url), media_type="application/xrd+xml")


async def redirect_tag(request: Request) -> RedirectResponse:
    """Send a browser that opens a hashtag link to the upstream's own tag search."""
    tag = quote(request.path_params["tag"], safe="")
    return RedirectResponse(f"{services(request).settings.upstream_url}/search?tag={tag}", status_code=302)


async def about(request: Request) -> Response:
    """Show people who open the server's address in a browser what it is."""
    shared = services(request)
    capabilities = await shared.capabilities.get()
    settings = shared.settings
    return templates.TemplateResponse(
        request,
        "about.html",
        {
            "title": settings.instance_title or capabilities.site_name or "mastogate",
            "server": capabilities.site_name or urlsplit(settings.upstream_url).netloc,
            "upstream_url": settings.upstream_url,
            "public_url": settings.public_url,
            "version": MASTOGATE_VERSION,
            "source_url": settings.source_url,
        },
    )

"""The picture files behind photo links, served like Friendica's ``/photo`` module.

- ``/photo/<resource-id>-<scale>.<ext>``: the largest stored scale up to the
  requested one. The extension is ignored. ``/photo/thumb_small_<name>``
  requests scale 2 and ``/photo/scaled_full_<name>`` scale 1.
- ``/photo/media/<id>`` and ``/photo/preview/<id>``: the picture (or its
  preview) of a post-media row, as linked from ``entities.media``.
  ``/photo/media/<pixels>/<id>`` scales it down to ``pixels``.

Credentials are optional: public pictures need none, private ones need HTTP
Basic credentials or a bearer token of the owner or of a follower whom the
ACL allows (Friendica's ``Photo`` module reads the caller like its API).
Wrong credentials count as none. Everything else is 404. As in Friendica, any
request with ``If-Modified-Since`` gets 304 without a lookup.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from email.utils import formatdate

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import errors, photos, post_media
from .context import Site, logger
from .credentials import identify
from .db import Row
from .imaging import InvalidImage, load_picture

CACHE_SECONDS = 31536000
SIZE_PREFIXES = {"thumb_small_": 2, "scaled_full_": 1}
# Friendica's pattern for links to its own photos in post-media rows.
_LOCAL_PHOTO = re.compile(r".*?/photo/(.*[a-fA-F0-9])-(.*[0-9])\..*\w")


def build_routes(site: Site) -> list[Route]:
    """Return the Starlette routes of the picture files."""

    async def by_name(request: Request) -> Response:
        if "if-modified-since" in request.headers:
            return Response(status_code=304)
        resource_id, scale = parse_photo_name(request.path_params["name"])
        row = photos.viewable_scale(site.store, resource_id, scale, await _visitor(site, request))
        if row is None:
            return _not_found(f"The Photo with id {resource_id} is not available.")
        return _picture(row, row["data"], row["type"])

    async def media(request: Request) -> Response:
        return await _post_media_file(site, request, preview=False)

    async def preview(request: Request) -> Response:
        return await _post_media_file(site, request, preview=True)

    handlers: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = [
        ("/photo/media/{id:int}", media),
        ("/photo/media/{pixels:int}/{id:int}", media),
        ("/photo/preview/{id:int}", preview),
        ("/photo/preview/{pixels:int}/{id:int}", preview),
        ("/photo/{name}", by_name),
    ]
    return [Route(path, handler, methods=["GET"]) for path, handler in handlers]


def parse_photo_name(name: str) -> tuple[str, int]:
    """Return the resource id and scale of a photo file name like ``<resource-id>-2.jpg``.

    A name without ``-<digit>`` before the extension means scale 0.
    """
    scale_override = None
    for prefix, scale in SIZE_PREFIXES.items():
        if name.startswith(prefix):
            name = name[len(prefix) :]
            scale_override = scale

    stem = name.rsplit(".", 1)[0] if "." in name else name
    scale = 0
    if len(stem) >= 2 and stem[-2] == "-":
        scale = int(stem[-1]) if stem[-1].isdigit() else 0
        stem = stem[:-2]
    return stem, scale if scale_override is None else scale_override


async def _post_media_file(site: Site, request: Request, preview: bool) -> Response:
    if "if-modified-since" in request.headers:
        return Response(status_code=304)
    row = post_media.media_row(site.store, request.path_params["id"])
    if row is None or row["type"] != post_media.IMAGE:
        return _not_found()

    url = row["preview"] if preview and row["preview"] else row["url"]
    match = _LOCAL_PHOTO.match(url) if url.startswith(site.base_url + "/") else None
    if match is None:
        # NOTE: Friendica fetches pictures of other servers; the double has no such attachments.
        return _not_found()
    photo = photos.viewable_scale(
        site.store, match.group(1), int(match.group(2)), await _visitor(site, request)
    )
    if photo is None:
        return _not_found()

    pixels = request.path_params.get("pixels", 0)
    if not pixels:
        return _picture(photo, photo["data"], photo["type"])
    try:
        picture = load_picture(photo["data"], photo["type"], photo["filename"]).scaled_down(pixels)
    except InvalidImage as error:
        logger.warning("stored photo %s cannot be read: %s", photo["resource_id"], error)
        return errors.exception_page(errors.ApiError(500, f"Invalid photo with id {photo['id']}."))
    return _picture(photo, picture.encode(), picture.mimetype)


async def _visitor(site: Site, request: Request) -> int:
    user = (await identify(site, request)).user
    return int(user["uid"]) if user is not None else 0


def _picture(photo: Row, data: bytes, mimetype: str) -> Response:
    is_public = not (photo["allow_cid"] or photo["allow_gid"] or photo["deny_cid"] or photo["deny_gid"])
    if is_public:
        headers = {
            "Last-Modified": formatdate(usegmt=True),
            "Etag": f'"{photo["hash"]}"',
            "Expires": formatdate(time.time() + CACHE_SECONDS, usegmt=True),
            "Cache-Control": f"max-age={CACHE_SECONDS}",
        }
    else:
        # Someone else may see the picture after logging in, so browsers must not keep it.
        headers = {"Cache-Control": "no-store, no-cache, must-revalidate"}
    return Response(data, media_type=mimetype, headers=headers)


def _not_found(message: str = "") -> Response:
    return errors.exception_page(errors.ApiError(404, message))

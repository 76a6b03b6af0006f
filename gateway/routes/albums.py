"""Friendica photo albums, an extension under ``/api/v1/friendica/`` for people who use them.

Mastodon has no albums, so these endpoints are mastogate's own. They follow
the same token, scope and error rules as the Mastodon endpoints, and list
photos as MediaAttachment entities.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer, authenticate
from gateway.errors import NotFound, Unprocessable
from gateway.params import read_params
from gateway.pictures import picture_url
from gateway.services import Services, services
from mappings.dates import EPOCH, mastodon_timestamp, parse_upstream_date
from mappings.media import Picture, PictureDetails, attachment_from_picture

MAX_ALBUM_NAME = 255
DEFAULT_PAGE = 40
MAX_PAGE = 80
# The most photos Friendica lists from one album in one answer.
ALBUM_LIMIT = 500


def _album_name(request: Request) -> str:
    name = str(request.path_params["name"]).strip()
    if not name:
        raise NotFound()
    return name


async def list_albums(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    shared = services(request)
    (await shared.capabilities.get()).require("photos")
    albums = await shared.upstream.photo_albums(viewer.credential)
    return JSONResponse(
        [
            {
                "name": str(album["name"]),
                "created_at": mastodon_timestamp(parse_upstream_date(album.get("created")) or EPOCH),
                "photos_count": int(album.get("count") or 0),
            }
            for album in albums
        ]
    )


async def album_photos(request: Request) -> JSONResponse:
    """List one album's photos, oldest first, a page at a time (``limit``, ``offset``)."""
    viewer = await authenticate(request, "read:statuses")
    name = _album_name(request)
    params = await read_params(request)
    limit = max(1, min(params.integer("limit", DEFAULT_PAGE) or DEFAULT_PAGE, MAX_PAGE))
    offset = max(0, params.integer("offset", 0) or 0)
    shared = services(request)
    (await shared.capabilities.get()).require("photos")

    photos = await shared.upstream.photo_album(viewer.credential, name, offset=offset, limit=limit + 1)
    if not photos and offset == 0:
        raise NotFound()
    page = [await _photo_attachment(shared, viewer, photo) for photo in photos[:limit]]
    headers = {}
    if len(photos) > limit:
        query = urlencode({"limit": limit, "offset": offset + limit})
        next_url = f"{shared.public_url}{quote(request.url.path)}?{query}"
        headers["Link"] = f'<{next_url}>; rel="next"'
    return JSONResponse(page, headers=headers)


async def _photo_attachment(shared: Services, viewer: UserViewer, photo: dict[str, Any]) -> dict[str, Any]:
    """Describe one album photo as a MediaAttachment, with the gateway's id for uploads made through it."""
    scales = sorted(
        (scale for scale in photo.get("scales", []) if isinstance(scale, dict) and scale.get("link")),
        key=lambda scale: int(scale.get("scale", 0)),
    )
    if not scales:
        raise Unprocessable(detail=f"photo {photo.get('id')} has no scales")
    original, smallest = scales[0], scales[-1]
    picture = Picture(url=str(original["link"]), width=original.get("width"), height=original.get("height"))

    uploads = await shared.store.media_by_resource([str(photo["id"])])
    record = uploads.get(str(photo["id"]))
    details = PictureDetails(
        description=str(photo.get("desc") or "") or None,
        width=original.get("width"),
        height=original.get("height"),
        preview_url=str(smallest["link"]),
        preview_width=smallest.get("width"),
        preview_height=smallest.get("height"),
        blurhash=record.blurhash if record else None,
        focus=record.focus if record else None,
    )

    url, preview = picture.url, str(smallest["link"])
    restricted = any(photo.get(field) for field in ("allow_cid", "allow_gid", "deny_cid", "deny_gid"))
    if restricted:
        url, preview = await picture_url(shared, viewer, url), await picture_url(shared, viewer, preview)
    attachment_id = str(record.id) if record else str(photo.get("media-id") or original.get("id"))
    return attachment_from_picture(
        picture, details, attachment_id=attachment_id, url=url, preview_url=preview
    ).to_json()


async def rename_album(request: Request) -> JSONResponse:
    """Rename an album; renaming onto an existing album is refused, since the upstream would merge them."""
    viewer = await authenticate(request, "write:media")
    name = _album_name(request)
    params = await read_params(request)
    new_name = (params.string("name") or "").strip()
    if not new_name or len(new_name) > MAX_ALBUM_NAME:
        raise Unprocessable(f"Validation failed: name must be 1 to {MAX_ALBUM_NAME} characters")
    shared = services(request)
    (await shared.capabilities.get()).require("photos")

    existing = {str(album["name"]) for album in await shared.upstream.photo_albums(viewer.credential)}
    if name not in existing:
        raise NotFound()
    if new_name in existing and new_name != name:
        raise Unprocessable(f"Validation failed: an album named {new_name!r} already exists")
    await shared.upstream.rename_album(viewer.credential, name, new_name)
    return JSONResponse({"name": new_name})


async def delete_album(request: Request) -> JSONResponse:
    """Delete an album and its photos; statuses that showed them lose those pictures."""
    viewer = await authenticate(request, "write:media")
    name = _album_name(request)
    shared = services(request)
    (await shared.capabilities.get()).require("photos")

    photos = await shared.upstream.photo_album(viewer.credential, name, offset=0, limit=ALBUM_LIMIT)
    await shared.upstream.delete_album(viewer.credential, name)
    uploads = await shared.store.media_by_resource([str(photo["id"]) for photo in photos])
    for record in uploads.values():
        await shared.store.delete_media(record.id)
    return JSONResponse({})

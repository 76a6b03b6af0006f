"""Friendica photo albums, an extension under ``/api/v1/friendica/`` for people who use them.

Mastodon has no albums, so these endpoints are mastogate's own. They follow
the same token, scope and error rules as the Mastodon endpoints, and list
photos as MediaAttachment entities.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer, authenticate
from gateway.errors import NotFound, Unprocessable
from gateway.media import picture_url
from gateway.params import read_params
from gateway.services import Services, services
from mappings.dates import EPOCH, mastodon_timestamp, parse_upstream_date
from mappings.media import Picture, PictureDetails, attachment_from_picture

MAX_ALBUM_NAME = 255


def _album_name(request: Request) -> str:
    name = str(request.path_params["name"]).strip()
    if not name:
        raise NotFound()
    return name


async def list_albums(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    albums = await services(request).upstream.photo_albums(viewer.credential)
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
    viewer = await authenticate(request, "read:statuses")
    name = _album_name(request)
    shared = services(request)
    photos = await shared.upstream.photo_album(viewer.credential, name)
    if not photos:
        raise NotFound()
    return JSONResponse([await _photo_attachment(shared, viewer, photo) for photo in photos])


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
    viewer = await authenticate(request, "write:media")
    name = _album_name(request)
    params = await read_params(request)
    new_name = (params.string("name") or "").strip()
    if not new_name or len(new_name) > MAX_ALBUM_NAME:
        raise Unprocessable(f"Validation failed: name must be 1 to {MAX_ALBUM_NAME} characters")

    await services(request).upstream.rename_album(viewer.credential, name, new_name)
    return JSONResponse({"name": new_name})


async def delete_album(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:media")
    await services(request).upstream.delete_album(viewer.credential, _album_name(request))
    return JSONResponse({})

"""Media uploads, their descriptions, and the gateway's signed picture URLs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.auth.bearer import UserViewer, authenticate
from gateway.auth.vault import CredentialUnreadable
from gateway.errors import GatewayError, NotFound, Unprocessable
from gateway.media import attachment_from_record, parse_focus, upload
from gateway.params import read_params
from gateway.pictures import PICTURE_FETCH_LIMIT, picture_url
from gateway.routes.common import path_id
from gateway.services import Services, services
from gateway.store.base import MediaRecord

log = logging.getLogger("mastogate.media")

MAX_DESCRIPTION = 1500
INVALID_LINK = "This picture link is invalid or has expired; reload the status to get a new one"


async def create_media(request: Request) -> JSONResponse:
    """Upload a picture (``POST /api/v1/media`` and ``/api/v2/media``).

    The upstream stores the photo before it answers, so the attachment is
    ready at once and both versions answer 200 with its ``url``.
    """
    viewer = await authenticate(request, "write:media")
    params = await read_params(request)
    file = params.get("file")
    if not isinstance(file, UploadFile):
        raise Unprocessable("Validation failed: file is missing; send the picture as multipart field 'file'")
    description = _description(params.string("description"))
    focus = parse_focus(params.string("focus"))
    shared = services(request)

    data = await file.read(shared.settings.media_size_limit + 1)
    record = await upload(
        shared,
        viewer,
        data,
        filename=file.filename or "upload",
        declared_type=file.content_type,
        description=description,
        focus=focus,
    )
    return JSONResponse(await _upload_json(shared, viewer, record))


async def _upload_json(shared: Services, viewer: UserViewer, record: MediaRecord) -> dict[str, object]:
    """Describe an upload with URLs the owner's app can load.

    Until a post uses it, the upstream shows the photo to its owner only, so
    the URLs are the gateway's signed ones.
    """
    url = await picture_url(shared, viewer, record.url)
    preview = await picture_url(shared, viewer, record.preview_url)
    return attachment_from_record(record, url=url, preview_url=preview).to_json()


def _description(value: str | None) -> str:
    description = (value or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Unprocessable(f"Validation failed: description is longer than {MAX_DESCRIPTION} characters")
    return description


async def _own_media(shared: Services, viewer: UserViewer, media_id: int) -> MediaRecord:
    """Return one of the viewer's uploads; someone else's is "not found", as in Mastodon."""
    record = await shared.store.get_media(media_id)
    if record is None or record.scope != viewer.store_scope:
        raise NotFound()
    return record


async def show_media(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    shared = services(request)
    record = await _own_media(shared, viewer, path_id(request))
    return JSONResponse(await _upload_json(shared, viewer, record))


async def update_media(request: Request) -> JSONResponse:
    """Change the description or the focal point of an upload.

    Where uploads are photos, the description is the photo's description upstream too.
    """
    viewer = await authenticate(request, "write:media")
    shared = services(request)
    record = await _own_media(shared, viewer, path_id(request))
    params = await read_params(request)

    description = record.description
    photos = (await shared.capabilities.get()).dialect.uploads_as_photos
    if "description" in params:
        description = _description(params.string("description")) or None
    if "description" in params and photos:
        await shared.upstream.update_photo(
            viewer.credential,
            record.resource_id,
            album=shared.settings.media_album,
            description=description or "",
        )
    focus = parse_focus(params.string("focus")) if "focus" in params else record.focus

    await shared.store.update_media(record.id, description=description, focus=focus)
    updated = await _own_media(shared, viewer, record.id)
    return JSONResponse(await _upload_json(shared, viewer, updated))


async def delete_media(request: Request) -> JSONResponse:
    """Delete an upload that no status uses yet, upstream photo included."""
    viewer = await authenticate(request, "write:media")
    shared = services(request)
    record = await _own_media(shared, viewer, path_id(request))
    if record.status_id is not None:
        raise Unprocessable("This media is attached to a status; delete the status instead")

    if (await shared.capabilities.get()).dialect.uploads_as_photos:
        await shared.upstream.delete_photo(viewer.credential, record.resource_id)
    else:
        log.info("upload %d stays upstream: the upstream's API cannot delete files", record.id)
    await shared.store.delete_media(record.id)
    log.info("user %d deleted picture %d", viewer.user_id, record.id)
    return JSONResponse({})


async def serve_picture(request: Request) -> Response:
    """Serve an upstream picture under a signed URL, with the credential sealed in its grant."""
    shared = services(request)
    grant = await shared.store.get_media_grant(request.path_params["grant"], datetime.now(UTC))
    if grant is None:
        raise NotFound(INVALID_LINK)
    try:
        credential = shared.vault.open(grant.credential_blob, request.path_params["key"])
    except CredentialUnreadable:
        raise NotFound(INVALID_LINK) from None

    try:
        data, content_type = await shared.upstream.fetch_picture(grant.url, credential, PICTURE_FETCH_LIMIT)
    except GatewayError as error:
        log.info("signed picture %s failed: %s", grant.id, error)
        raise
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=content_type or "application/octet-stream", headers=headers)

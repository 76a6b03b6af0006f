"""Twitter-style media endpoints: ``media/upload`` and ``media/metadata/create``."""

from __future__ import annotations

import json
from typing import Any

from . import errors, photos
from .context import logger
from .routing import ApiRoute, Call


def upload(call: Call) -> dict[str, Any]:
    """POST media/upload: store the multipart file ``media`` as a picture in "Wall Photos".

    Returns the id of the picture's widest row as ``media_id``. The picture
    stays visible to its owner only until a post attaches it. No file is 400
    "No media."; a file that is not a readable picture is a bare 500.
    """
    user = call.require_user()
    file = call.files.get("media")
    if file is None:
        raise errors.ApiError(400, "No media.")

    try:
        uploaded = photos.upload(call.site, user, photos.read_upload(file, call.site.media))
    except photos.UploadFailed as error:
        logger.info("media/upload by %s failed: %s", user["nickname"], error)
        raise errors.ApiError(500) from None

    return {
        "media_id": uploaded.media_id,
        "media_id_string": str(uploaded.media_id),
        "size": uploaded.size,
        "image": {
            "w": uploaded.width,
            "h": uploaded.height,
            "image_type": uploaded.mimetype,
            "friendica_preview_url": uploaded.preview_url,
        },
    }


def create_metadata(call: Call) -> None:
    """POST media/metadata/create: set a picture's description from a raw JSON body.

    The body is ``{"media_id": ID, "alt_text": {"text": DESCRIPTION}}``, where
    ID is any row id of one of the caller's pictures. Every scale gets the
    description. Friendica 2024.08 writes no response body, so success is
    the 200 site page. Errors are 400 exception pages.
    """
    user = call.require_user()
    if not call.body:
        raise errors.ApiError(400, "No post data")

    try:
        data = json.loads(call.body)
    except ValueError:
        data = None
    if _php_empty(data):
        raise errors.ApiError(400, "Invalid post data")

    fields = data if isinstance(data, dict) else {}
    if _php_empty(fields.get("media_id")) or _php_empty(fields.get("alt_text")):
        raise errors.ApiError(400, "Missing post data values")
    alt_text = fields["alt_text"]
    if not isinstance(alt_text, dict) or _php_empty(alt_text.get("text")):
        raise errors.ApiError(400, "No alt text.")

    media_id = str(fields["media_id"]).strip()
    row = None
    if media_id.isdigit():
        row = call.store.one(
            "SELECT resource_id FROM photo WHERE id = ? AND uid = ?", [int(media_id), user["uid"]]
        )
    if row is None:
        raise errors.ApiError(400, "Metadata not found.")

    photos.update(
        call.store, {"description": str(alt_text["text"])}, uid=user["uid"], resource_id=row["resource_id"]
    )
    raise errors.SitePage(200)


def _php_empty(value: object) -> bool:
    """Return whether PHP's empty() is true for a decoded JSON value."""
    return value is None or value is False or value in (0, "", "0") or value == [] or value == {}


ROUTES = [
    ApiRoute("media/upload", ("POST",), upload),
    ApiRoute("media/metadata/create", ("POST",), create_metadata),
]

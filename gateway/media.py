"""Uploads: pictures checked and measured here, then stored upstream as Friendica photos.

An upload is checked (type, size, pixel count) and measured (dimensions,
blurhash), then stored upstream as a photo in the configured album, readable
only by its owner until a post gives it that post's permissions. The
attachments of statuses are built in ``gateway.pictures``.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import blurhash
from PIL import Image, UnidentifiedImageError

from gateway.auth.bearer import UserViewer
from gateway.errors import GatewayError, PayloadTooLarge, Unprocessable
from gateway.lookups import own_account
from gateway.services import Services
from gateway.store.base import MediaRecord
from mappings.entities import MediaAttachment
from mappings.media import Picture, PictureDetails, attachment_from_picture

log = logging.getLogger("mastogate.media")

# What Friendica stores as photos; Pillow's format names to MIME types.
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
SUPPORTED_MIME_TYPES = tuple(IMAGE_FORMATS.values())

# Mastodon's image_matrix_limit: pictures with more pixels are refused (it also stops decompression bombs).
MAX_PIXELS = 16_777_216

# Blurhash of a picture scaled to fit this many pixels: the hash only keeps 4x3 colour terms.
BLURHASH_SIDE = 32
BLURHASH_COMPONENTS = (4, 3)

# Mastodon deletes uploads no status uses after a day; so does the gateway, on the owner's next upload.
UNATTACHED_LIFETIME = timedelta(days=1)

# The key of an upload stored as a file until a post names it by its picture (see ``_upload_file``).
UPLOADED_FILE = "file:{media_id}"


@dataclass(frozen=True)
class ImageFacts:
    mimetype: str
    width: int
    height: int
    blurhash: str


def blurhash_of(image: Image.Image) -> str:
    thumbnail = image.convert("RGB")
    thumbnail.thumbnail((BLURHASH_SIDE, BLURHASH_SIDE))
    width, height = thumbnail.size
    pixels = [[list(thumbnail.getpixel((x, y))) for x in range(width)] for y in range(height)]  # type: ignore[arg-type]
    return str(
        blurhash.encode(pixels, components_x=BLURHASH_COMPONENTS[0], components_y=BLURHASH_COMPONENTS[1])
    )


def inspect_image(data: bytes, declared_type: str | None) -> ImageFacts:
    """Check that ``data`` is a picture the upstream can store, and measure it.

    Raises 422 for videos, audio, other files and damaged pictures.
    """
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared.startswith(("video/", "audio/")):
        raise Unprocessable(f"The upstream server stores pictures only; {declared} files cannot be uploaded")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise Unprocessable(
                    f"Validation failed: the picture has {width}x{height} pixels, "
                    f"more than the limit of {MAX_PIXELS:,}"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            facts_blurhash = blurhash_of(image)
    except UnidentifiedImageError as error:
        raise Unprocessable("Validation failed: the file is not a picture the server can read") from error
    except (OSError, SyntaxError, ValueError) as error:
        reason = str(error).split(" <", 1)[0]
        raise Unprocessable(f"Validation failed: the picture is damaged ({reason})") from error
    if image_format not in IMAGE_FORMATS:
        supported = ", ".join(SUPPORTED_MIME_TYPES)
        raise Unprocessable(
            f"Validation failed: {image_format or 'this'} pictures are not supported; use {supported}"
        )
    return ImageFacts(
        mimetype=IMAGE_FORMATS[image_format], width=width, height=height, blurhash=facts_blurhash
    )


def parse_focus(value: str | None) -> tuple[float, float] | None:
    """Read Mastodon's focal point ``"x,y"``, each between -1.0 and 1.0."""
    if value is None or not value.strip():
        return None
    try:
        x, y = (float(part) for part in value.split(","))
    except ValueError:
        raise Unprocessable(
            f"Validation failed: focus must be two numbers like 0.5,-0.3, not {value[:40]!r}"
        ) from None
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise Unprocessable("Validation failed: focus coordinates must be between -1.0 and 1.0")
    return (x, y)


async def upload(
    shared: Services,
    viewer: UserViewer,
    data: bytes,
    *,
    filename: str,
    declared_type: str | None,
    description: str,
    focus: tuple[float, float] | None,
) -> MediaRecord:
    """Store an uploaded picture upstream and record it; nothing is left behind if a step fails."""
    if len(data) > shared.settings.media_size_limit:
        raise PayloadTooLarge(
            f"The file is larger than the limit of {_size(shared.settings.media_size_limit)}"
        )
    facts = await anyio.to_thread.run_sync(inspect_image, data, declared_type)
    await delete_abandoned_uploads(shared, viewer)
    if not (await shared.capabilities.get()).dialect.uploads_as_photos:
        return await _upload_file(
            shared, viewer, data, filename=filename, facts=facts, description=description, focus=focus
        )

    me = await own_account(shared, viewer)
    if not me.get("cid"):
        raise Unprocessable("The upstream server did not say who owns the upload; nothing was stored")
    photo = await shared.upstream.create_photo(
        viewer.credential,
        data,
        filename=filename or "upload",
        mimetype=facts.mimetype,
        album=shared.settings.media_album,
        description=description,
        allow_contact_ids=[int(me["cid"])],
    )

    try:
        original, preview = _scales(photo)
        record = await shared.store.create_media(
            MediaRecord(
                id=0,
                scope=viewer.store_scope,
                resource_id=str(photo["id"]),
                # 0 where the upstream gives no media id; pictures are then embedded by URL.
                photo_id=int(photo.get("media-id") or 0),
                mimetype=facts.mimetype,
                url=str(original["link"]),
                preview_url=str(preview["link"]),
                description=description or None,
                focus=focus,
                width=facts.width,
                height=facts.height,
                preview_width=int(preview.get("width") or 0) or None,
                preview_height=int(preview.get("height") or 0) or None,
                blurhash=facts.blurhash,
                status_id=None,
                created_at=datetime.now(UTC),
            )
        )
    except BaseException:
        log.warning("storing upload %s failed; deleting the upstream photo again", photo["id"])
        with anyio.CancelScope(shield=True):
            await shared.upstream.delete_photo(viewer.credential, str(photo["id"]))
        raise
    log.info("user %d uploaded picture %d (%s)", viewer.user_id, record.id, record.resource_id)
    return record


async def _upload_file(
    shared: Services,
    viewer: UserViewer,
    data: bytes,
    *,
    filename: str,
    facts: ImageFacts,
    description: str,
    focus: tuple[float, float] | None,
) -> MediaRecord:
    """Store a picture with ``media/upload`` (GNU social) and record it.

    The upstream keeps no description, so the gateway does. Until a post
    shows the picture (``gateway.pictures.link_uploads``), the upload is
    known by its file id and its attachment page, which GNU social 1.2
    serves as an HTML page and the double as a redirect to the picture.
    """
    answer = await shared.upstream.upload_media(
        viewer.credential, data, filename=filename or "upload", mimetype=facts.mimetype
    )
    media_id = int(answer["media_id"])
    page = str(answer["media_url"])
    record = await shared.store.create_media(
        MediaRecord(
            id=0,
            scope=viewer.store_scope,
            resource_id=UPLOADED_FILE.format(media_id=media_id),
            photo_id=media_id,
            mimetype=facts.mimetype,
            url=page,
            preview_url=page,
            description=description or None,
            focus=focus,
            width=facts.width,
            height=facts.height,
            preview_width=None,
            preview_height=None,
            blurhash=facts.blurhash,
            status_id=None,
            created_at=datetime.now(UTC),
        )
    )
    log.info("user %d uploaded picture %d (file %d)", viewer.user_id, record.id, media_id)
    return record


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def _scales(photo: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the original scale of an upstream photo and the smallest one, which apps preview.

    Statuses preview the smallest scale too (``mappings.media.PREVIEW_SCALE``),
    so a picture looks the same in a status and in its album.
    """
    scales = sorted(
        (scale for scale in photo["scales"] if isinstance(scale, dict) and scale.get("link")),
        key=lambda scale: int(scale.get("scale", 0)),
    )
    if not scales:
        raise Unprocessable("The upstream server stored the picture without any size")
    return scales[0], scales[-1]


def details_of_record(record: MediaRecord) -> PictureDetails:
    return PictureDetails(
        description=record.description,
        width=record.width,
        height=record.height,
        preview_width=record.preview_width,
        preview_height=record.preview_height,
        preview_url=record.preview_url,
        blurhash=record.blurhash,
        focus=record.focus,
    )


def attachment_from_record(
    record: MediaRecord, *, url: str | None = None, preview_url: str | None = None
) -> MediaAttachment:
    picture = Picture(url=record.url, mimetype=record.mimetype, width=record.width, height=record.height)
    return attachment_from_picture(
        picture,
        details_of_record(record),
        attachment_id=str(record.id),
        url=url or record.url,
        preview_url=preview_url or record.preview_url,
    )


async def delete_abandoned_uploads(shared: Services, viewer: UserViewer) -> None:
    """Delete the viewer's uploads that no status used within a day, here and upstream.

    Only the owner's own requests carry the credential that deletes their
    photos, so the clean-up runs when they upload again. Files of
    ``media/upload`` stay upstream: GNU social's API cannot delete them.
    """
    cutoff = datetime.now(UTC) - UNATTACHED_LIFETIME
    photos = (await shared.capabilities.get()).dialect.uploads_as_photos
    for record in await shared.store.unattached_media(viewer.store_scope, older_than=cutoff):
        try:
            if photos:
                await shared.upstream.delete_photo(viewer.credential, record.resource_id)
        except GatewayError as error:
            if error.status_code != 404:
                log.warning("could not delete abandoned upload %d: %s", record.id, error)
                continue
        await shared.store.delete_media(record.id)
        log.info("deleted upload %d of user %d, unused for a day", record.id, viewer.user_id)

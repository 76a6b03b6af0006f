"""Pictures: uploads that become upstream photos, and the attachments of statuses.

An upload is checked and measured here (type, size, dimensions, blurhash),
then stored upstream as a Friendica photo in the configured album, readable
only by its owner until a post gives it that post's permissions.

For a page of statuses, every picture is described once: uploads from the
store, pictures seen before from the picture cache, and each new picture by
one fetch of its smallest scale. Pictures of private statuses are served by
the gateway under short-lived URLs that carry the viewer's right to see them.
"""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import blurhash
from PIL import Image, UnidentifiedImageError

from gateway.auth.bearer import UserViewer
from gateway.errors import GatewayError, PayloadTooLarge, Unprocessable
from gateway.services import Services
from gateway.store.base import MediaGrant, MediaRecord
from mappings.entities import MediaAttachment
from mappings.friendica import parse_status
from mappings.media import (
    PREVIEW_SCALE,
    PREVIEW_SIDE,
    Picture,
    PictureDetails,
    attachment_from_picture,
    pictures_of,
)
from mappings.statuses import StatusExtras

log = logging.getLogger("mastogate.media")

# What Friendica stores as photos; Pillow's format names to MIME types.
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
SUPPORTED_MIME_TYPES = tuple(IMAGE_FORMATS.values())

# Blurhash of a picture scaled to fit this many pixels: the hash only keeps 4x3 colour terms.
BLURHASH_SIDE = 32
BLURHASH_COMPONENTS = (4, 3)

# How long a signed picture URL works; replicas reuse one for half of that (see GrantCache).
GRANT_LIFETIME = timedelta(hours=2)

# Pictures described at once for one page, and how long a page waits for them.
DESCRIBE_CONCURRENCY = 4
DESCRIBE_BUDGET_SECONDS = 8.0
PICTURE_FETCH_LIMIT = 20 * 1024 * 1024


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
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
            facts_blurhash = blurhash_of(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise Unprocessable(f"Validation failed: the file is not a readable picture ({error})") from error
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
            f"The file is larger than {shared.settings.media_size_limit // (1024 * 1024)} MB"
        )
    facts = await anyio.to_thread.run_sync(inspect_image, data, declared_type)

    me = await shared.upstream.verify_credentials(viewer.credential)
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
                photo_id=int(photo["media-id"]),
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


def _scales(photo: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the original scale of an upstream photo and the one apps should preview."""
    scales = sorted(
        (scale for scale in photo["scales"] if isinstance(scale, dict) and scale.get("link")),
        key=lambda scale: int(scale.get("scale", 0)),
    )
    if not scales:
        raise Unprocessable("The upstream server stored the picture without any size")
    fitting = [
        scale for scale in scales if max(int(scale.get("width") or 0), int(scale.get("height") or 0)) <= 640
    ]
    return scales[0], (fitting[0] if fitting else scales[-1])


def attachment_from_record(
    record: MediaRecord, *, url: str | None = None, preview_url: str | None = None
) -> MediaAttachment:
    picture = Picture(url=record.url, mimetype=record.mimetype, width=record.width, height=record.height)
    details = PictureDetails(
        description=record.description,
        width=record.width,
        height=record.height,
        preview_width=record.preview_width,
        preview_height=record.preview_height,
        preview_url=record.preview_url,
        blurhash=record.blurhash,
        focus=record.focus,
    )
    return attachment_from_picture(
        picture,
        details,
        attachment_id=str(record.id),
        url=url or record.url,
        preview_url=preview_url or record.preview_url,
    )


# Attachments of statuses


@dataclass
class _PagePicture:
    picture: Picture
    status_id: int
    private: bool
    own: bool


async def picture_url(shared: Services, viewer: UserViewer, url: str) -> str:
    """Return a gateway URL that serves an upstream picture with the viewer's credential for a while.

    The credential is sealed under a random key that exists only in the
    returned URL, so neither the database nor the URL alone opens it.
    """
    cached = shared.grants.get(viewer.store_scope, url)
    if cached is not None:
        return cached
    grant_id, key = secrets.token_urlsafe(16), secrets.token_urlsafe(24)
    await shared.store.create_media_grant(
        MediaGrant(
            id=grant_id,
            url=url,
            credential_blob=shared.vault.seal(viewer.credential, key),
            expires_at=datetime.now(UTC) + GRANT_LIFETIME,
        )
    )
    path = f"{shared.public_url}/mastogate/pictures/{grant_id}/{key}"
    shared.grants.put(viewer.store_scope, url, path)
    return path


async def status_extras(shared: Services, viewer: UserViewer, raws: list[dict[str, Any]]) -> StatusExtras:
    """Gather what the mappers need beyond the statuses: picture entities and flags."""
    statuses = [parse_status(raw) for raw in raws]
    shown = [status.retweeted_status or status for status in statuses]
    page_pictures = {
        picture.key: _PagePicture(
            picture, status.id, status.friendica_private, status.author.id == viewer.user_id
        )
        for status in shown
        for picture in pictures_of(status)
    }
    attachments = await _attachments(shared, viewer, page_pictures) if page_pictures else {}
    sensitive = await shared.store.sensitive_statuses([status.id for status in shown])
    return StatusExtras(attachments=attachments, sensitive=sensitive)


async def _attachments(
    shared: Services, viewer: UserViewer, page_pictures: dict[str, _PagePicture]
) -> dict[str, MediaAttachment]:
    uploads = await shared.store.media_by_resource(
        [entry.picture.resource_id for entry in page_pictures.values() if entry.picture.resource_id]
    )
    cached = await shared.store.picture_details(list(page_pictures))
    missing = [
        entry
        for key, entry in page_pictures.items()
        if key not in cached and entry.picture.resource_id not in uploads
    ]
    if missing:
        cached.update(await _describe(shared, viewer, missing))

    attachments: dict[str, MediaAttachment] = {}
    for key, entry in page_pictures.items():
        picture = entry.picture
        record = uploads.get(picture.resource_id or "")
        details = _details_of_record(record) if record else cached.get(key)
        url = picture.url
        preview = (details.preview_url if details else None) or picture.url
        if entry.private:
            url, preview = await picture_url(shared, viewer, url), await picture_url(shared, viewer, preview)
        attachment_id = str(record.id) if record else picture.fallback_id
        attachments[key] = attachment_from_picture(
            picture, details, attachment_id=attachment_id, url=url, preview_url=preview
        )
    return attachments


def _details_of_record(record: MediaRecord) -> PictureDetails:
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


async def _describe(
    shared: Services, viewer: UserViewer, entries: list[_PagePicture]
) -> dict[str, PictureDetails]:
    """Describe each new picture once and cache what was learned.

    Each picture costs one fetch of its smallest scale (for its size and
    blurhash). Its description comes from the photo itself for the viewer's
    own pictures, and otherwise from the upstream's own Mastodon API, one
    call per status, where the upstream has one. The page waits at most
    DESCRIBE_BUDGET_SECONDS; a picture not described by then shows without
    blurhash and is described on a later page.
    """
    measured: dict[str, PictureDetails] = {}
    descriptions: dict[str, str] = {}
    limiter = anyio.CapacityLimiter(DESCRIBE_CONCURRENCY)
    capabilities = await shared.capabilities.get()

    async def measure(entry: _PagePicture) -> None:
        async with limiter:
            details = await _measure(shared, viewer, entry.picture)
        if details is not None:
            measured[entry.picture.key] = details

    async def describe_own(entry: _PagePicture) -> None:
        async with limiter:
            description = await _own_description(shared, viewer, entry.picture)
        if description:
            descriptions[entry.picture.key] = description

    async def describe_others(status_id: int, pictures: list[Picture]) -> None:
        async with limiter:
            native = await shared.upstream.native_status(viewer.credential, status_id)
        by_id = {
            str(attachment.get("id")): attachment.get("description")
            for attachment in (native or {}).get("media_attachments") or []
            if isinstance(attachment, dict)
        }
        for picture in pictures:
            description = by_id.get(str(picture.media_id))
            if description:
                descriptions[picture.key] = str(description)

    others: dict[int, list[Picture]] = {}
    for entry in entries:
        if not entry.own and entry.picture.media_id is not None:
            others.setdefault(entry.status_id, []).append(entry.picture)

    with anyio.move_on_after(DESCRIBE_BUDGET_SECONDS):
        async with anyio.create_task_group() as tasks:
            for entry in entries:
                tasks.start_soon(measure, entry)
                if entry.own and entry.picture.resource_id:
                    tasks.start_soon(describe_own, entry)
            if capabilities.native_api:
                for status_id, pictures in others.items():
                    tasks.start_soon(describe_others, status_id, pictures)

    now = datetime.now(UTC)
    results = {}
    for key, details in measured.items():
        results[key] = replace(details, description=descriptions.get(key))
        await shared.store.save_picture_details(key, results[key], now)
    return results


async def _own_description(shared: Services, viewer: UserViewer, picture: Picture) -> str | None:
    try:
        photo = await shared.upstream.photo(viewer.credential, picture.resource_id or "")
    except GatewayError as error:
        log.info("no description for picture %s: %s", picture.resource_id, error)
        return None
    return str(photo.get("desc") or "") or None


async def _measure(shared: Services, viewer: UserViewer, picture: Picture) -> PictureDetails | None:
    """Fetch the smallest scale of a picture and measure it; None if it cannot be loaded."""
    small_url = picture.scale_url(PREVIEW_SCALE)
    known_small = picture.width is not None and max(picture.width, picture.height or 0) <= PREVIEW_SIDE
    candidates = [url for url in (None if known_small else small_url, picture.url) if url]
    for url in candidates:
        try:
            data, _ = await shared.upstream.fetch_picture(url, viewer.credential, PICTURE_FETCH_LIMIT)
        except GatewayError as error:
            log.info("picture %s not described: %s", url, error)
            continue
        try:
            facts = await anyio.to_thread.run_sync(inspect_image, data, None)
        except Unprocessable as error:
            log.info("picture %s not described: %s", url, error)
            return None
        is_original = url == picture.url
        return PictureDetails(
            width=facts.width if is_original else picture.width,
            height=facts.height if is_original else picture.height,
            preview_url=url,
            preview_width=facts.width,
            preview_height=facts.height,
            blurhash=facts.blurhash,
        )
    return None

"""The pictures of statuses: MediaAttachment entities, picture details and signed URLs.

For a page of statuses every picture is described once and remembered:

- its size and blurhash come from one download of its smallest scale;
- its description comes from the store for uploads made through the
  gateway, from the photo itself for the viewer's own pictures, and from the
  upstream's own Mastodon API (one call per status) for other people's,
  where the upstream has one. A description is asked for again after a day,
  and only by someone the source answers, so a reader who cannot see the
  description never hides it from the owner.

Pictures of private statuses are served by the gateway under short-lived
URLs that carry the viewer's right to see them.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio

from gateway.auth.bearer import UserViewer
from gateway.errors import GatewayError, Unprocessable
from gateway.media import details_of_record, inspect_image
from gateway.services import Services
from gateway.store.base import CachedPicture, MediaGrant, MediaRecord
from mappings.entities import MediaAttachment
from mappings.friendica import FriendicaStatus, parse_status
from mappings.media import (
    PREVIEW_SCALE,
    PREVIEW_SIDE,
    Picture,
    PictureDetails,
    attachment_from_picture,
    pictures_of,
)

log = logging.getLogger("mastogate.pictures")

# How long a signed picture URL works; replicas reuse one for half of that (see GrantCache).
GRANT_LIFETIME = timedelta(hours=2)

# How long a known description is trusted before it is asked for again.
DESCRIPTION_LIFETIME = timedelta(days=1)

# Pictures described at once for one page, and how long a page waits for them.
DESCRIBE_CONCURRENCY = 4
DESCRIBE_BUDGET_SECONDS = 8.0
PICTURE_FETCH_LIMIT = 20 * 1024 * 1024


@dataclass
class PagePicture:
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


async def page_attachments(
    shared: Services, viewer: UserViewer, statuses: list[FriendicaStatus]
) -> dict[str, MediaAttachment]:
    """Build the MediaAttachment of every picture of a page of statuses, keyed by ``Picture.key``."""
    page_pictures = {
        picture.key: PagePicture(
            picture, status.id, status.friendica_private, status.author.id == viewer.user_id
        )
        for status in statuses
        for picture in pictures_of(status)
    }
    return await _attachments(shared, viewer, page_pictures) if page_pictures else {}


async def _attachments(
    shared: Services, viewer: UserViewer, page_pictures: dict[str, PagePicture]
) -> dict[str, MediaAttachment]:
    # Uploads are known by the photo's resource id, or by the URL of a file that has none (``link_uploads``).
    uploads = await shared.store.media_by_resource(list(page_pictures))
    cached = await shared.store.picture_details(list(page_pictures))
    capabilities = await shared.capabilities.get()
    now = datetime.now(UTC)

    to_measure, to_describe = [], []
    for key, entry in page_pictures.items():
        if key in uploads:
            continue
        if key not in cached:
            to_measure.append(entry)
        described_natively = capabilities.native_statuses and entry.picture.media_id is not None
        knows_descriptions = (entry.own and capabilities.has("photos")) or described_natively
        checked = cached[key].description_checked_at if key in cached else None
        if knows_descriptions and (checked is None or now - checked > DESCRIPTION_LIFETIME):
            to_describe.append(entry)
    if to_measure or to_describe:
        cached.update(await _describe(shared, viewer, to_measure, to_describe, cached))

    attachments: dict[str, MediaAttachment] = {}
    for key, entry in page_pictures.items():
        picture = entry.picture
        record = uploads.get(key)
        details = details_of_record(record) if record else (cached[key].details if key in cached else None)
        url = picture.url
        preview = (details.preview_url if details else None) or picture.url
        if entry.private:
            url, preview = await picture_url(shared, viewer, url), await picture_url(shared, viewer, preview)
        attachment_id = str(record.id) if record else picture.fallback_id
        attachments[key] = attachment_from_picture(
            picture, details, attachment_id=attachment_id, url=url, preview_url=preview
        )
    return attachments


async def link_uploads(
    shared: Services, viewer: UserViewer, uploads: list[MediaRecord], status: dict[str, Any]
) -> None:
    """Name each upload by the picture it became in a status just created, in the order posted.

    Where uploads are files (GNU social's ``media/upload``), statuses carry
    their pictures without the upload's id, so each upload is found again by
    its picture's key, with that picture's URL and a measured preview.
    """
    for upload, picture in zip(uploads, pictures_of(parse_status(status)), strict=False):
        details = await _measure(shared, viewer, picture)
        await shared.store.relocate_media(
            upload.id,
            resource_id=picture.key,
            url=picture.url,
            preview_url=details.preview_url if details and details.preview_url else picture.url,
            preview_width=details.preview_width if details else None,
            preview_height=details.preview_height if details else None,
        )


async def _describe(
    shared: Services,
    viewer: UserViewer,
    to_measure: list[PagePicture],
    to_describe: list[PagePicture],
    cached: dict[str, CachedPicture],
) -> dict[str, CachedPicture]:
    """Measure new pictures and look up descriptions, within one time budget for the page.

    A picture not measured in time shows without blurhash and is measured on
    a later page.
    """
    measured: dict[str, PictureDetails] = {}
    descriptions: dict[str, str | None] = {}
    limiter = anyio.CapacityLimiter(DESCRIBE_CONCURRENCY)

    async def measure(entry: PagePicture) -> None:
        async with limiter:
            details = await _measure(shared, viewer, entry.picture)
        if details is not None:
            measured[entry.picture.key] = details

    async def describe_own(entry: PagePicture) -> None:
        async with limiter:
            descriptions[entry.picture.key] = await _own_description(shared, viewer, entry.picture)

    async def describe_others(status_id: int, pictures: list[Picture]) -> None:
        async with limiter:
            native = await shared.upstream.native_status(viewer.credential, status_id)
        if native is None:
            return
        by_id = {
            str(attachment.get("id")): attachment.get("description")
            for attachment in native.get("media_attachments") or []
            if isinstance(attachment, dict)
        }
        for picture in pictures:
            description = by_id.get(str(picture.media_id))
            descriptions[picture.key] = str(description) if description else None

    others: dict[int, list[Picture]] = {}
    for entry in to_describe:
        if not entry.own:
            others.setdefault(entry.status_id, []).append(entry.picture)

    with anyio.move_on_after(DESCRIBE_BUDGET_SECONDS):
        async with anyio.create_task_group() as tasks:
            for entry in to_measure:
                tasks.start_soon(measure, entry)
            for entry in to_describe:
                if entry.own:
                    tasks.start_soon(describe_own, entry)
            for status_id, pictures in others.items():
                tasks.start_soon(describe_others, status_id, pictures)

    now = datetime.now(UTC)
    learned: dict[str, CachedPicture] = {}
    for key in measured.keys() | descriptions.keys():
        details = measured.get(key) or (cached[key].details if key in cached else None)
        if details is None:
            continue
        previous = cached.get(key)
        if key in descriptions:
            picture = CachedPicture(
                replace(details, description=descriptions[key]), description_checked_at=now
            )
        else:
            picture = CachedPicture(details, previous.description_checked_at if previous else None)
        learned[key] = picture
        await shared.store.save_picture_details(key, picture, now)
    return learned


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
            log.info("picture %s not measured: %s", url, error)
            continue
        try:
            facts = await anyio.to_thread.run_sync(inspect_image, data, None)
        except Unprocessable as error:
            log.info("picture %s not measured: %s", url, error)
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

"""Profile pictures and profile headers of local users, stored and served like Friendica's.

An avatar upload (Photo::uploadAvatar()) stores the picture three times in
the album "Profile Photos": scale 4 at most 300 px, scale 5 at most 80 px and
scale 6 at most 48 px, as photo type 10 (user avatar). A header upload
(Photo::uploadBanner()) stores scale 3, at most 960 px, as type 11 (user
banner) in "Banner Photos". The previous avatar or header becomes an
ordinary photo. Both are public and listed by the photo API. After an
upload the user's contact rows count as updated, so the ``?ts=`` of every
avatar and header link changes and clients fetch the new picture.

NOTE: Friendica 2024.08's uploadAvatar() never marks the new rows as the
profile photo, so on a real server the avatar falls back to the default
picture and its links keep their ``?ts=`` (recording 081). The double makes
the upload the avatar, which is what the API promises.

Served here: ``/photo/profile/<nick>``, ``/photo/avatar/<nick>`` and
``/photo/micro/<nick>`` (optionally with an extension). ``routes_web`` calls
``contact_picture`` and ``header_picture`` before it draws a stand-in.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PIL import ImageOps
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import dates, errors, images, people, photos
from .context import Site, logger
from .db import Row, Store
from .imaging import InvalidImage, Picture, blurhash_of, extension_for, fit_to_file_size, load_picture

USER_AVATAR = 10
USER_BANNER = 11
PROFILE_PHOTOS = "Profile Photos"
BANNER_PHOTOS = "Banner Photos"

# Scales of an avatar and their longest side in pixels, as Photo::uploadAvatar() stores them.
AVATAR_SCALES = ((4, 300), (5, 80), (6, 48))
BANNER_SCALE = 3
BANNER_PIXELS = 960

# Friendica's Proxy sizes: a request up to 48 px gets scale 6, up to 80 px scale 5, larger scale 4.
MICRO_PIXELS = 48
THUMB_PIXELS = 80
# The avatar scale behind /photo/<kind>/<nick>.
SCALE_OF_KIND = {"profile": 4, "avatar": 5, "micro": 6}
CACHE_HEADERS = {"Cache-Control": "public, max-age=86400"}


@dataclass(frozen=True)
class StoredPicture:
    """Picture bytes and their MIME type."""

    data: bytes
    mimetype: str


def store_avatar(site: Site, user: Row, file: photos.Upload) -> str:
    """Store an uploaded picture as the user's avatar and return its resource id.

    Raises photos.UploadFailed for a dropped or unreadable file.
    """
    picture = _load(site, file)
    store = site.store
    with store.transaction():
        resource_id = _store_scales(
            store, int(user["uid"]), picture, file.filename, PROFILE_PHOTOS, USER_AVATAR, AVATAR_SCALES
        )
        store.execute(
            "UPDATE photo SET profile = 0, photo_type = ? WHERE uid = ? AND profile = 1 AND resource_id != ?",
            [photos.DEFAULT_TYPE, user["uid"], resource_id],
        )
        store.execute("UPDATE photo SET profile = 1 WHERE resource_id = ?", [resource_id])
        _touch_contacts(store, int(user["public_contact"]))
    logger.info("stored avatar %s for user %s", resource_id, user["nickname"])
    return resource_id


def store_banner(site: Site, user: Row, file: photos.Upload) -> str:
    """Store an uploaded picture as the user's profile header and return its resource id.

    Raises photos.UploadFailed for a dropped or unreadable file.
    """
    picture = _load(site, file)
    store = site.store
    with store.transaction():
        resource_id = _store_scales(
            store,
            int(user["uid"]),
            picture,
            file.filename,
            BANNER_PHOTOS,
            USER_BANNER,
            ((BANNER_SCALE, BANNER_PIXELS),),
        )
        store.execute(
            "UPDATE photo SET photo_type = ? WHERE uid = ? AND photo_type = ? AND resource_id != ?",
            [photos.DEFAULT_TYPE, user["uid"], USER_BANNER, resource_id],
        )
        _touch_contacts(store, int(user["public_contact"]))
    logger.info("stored profile header %s for user %s", resource_id, user["nickname"])
    return resource_id


def avatar_row(store: Store, uid: int, scale: int) -> Row | None:
    """Return one scale (4, 5 or 6) of the user's avatar, or None without avatar."""
    return store.one("SELECT * FROM photo WHERE uid = ? AND profile = 1 AND scale = ?", [uid, scale])


def scale_for(pixels: int) -> int:
    """Return the avatar scale that Friendica serves for a requested size in pixels."""
    if pixels <= MICRO_PIXELS:
        return 6
    if pixels <= THUMB_PIXELS:
        return 5
    return 4


def banner_row(store: Store, uid: int) -> Row | None:
    """Return the user's profile header, or None without one."""
    return store.one(
        "SELECT * FROM photo WHERE uid = ? AND photo_type = ? AND scale = ?", [uid, USER_BANNER, BANNER_SCALE]
    )


def profile_photo_url(site: Site, user: Row, kind: str = "profile") -> str:
    """Return ``/photo/<kind>/<nick>``, with extension and ``?ts=`` once the user has an avatar."""
    url = f"{site.base_url}/photo/{kind}/{user['nickname']}"
    row = avatar_row(site.store, int(user["uid"]), SCALE_OF_KIND[kind])
    if row is None:
        return url
    return f"{url}{extension_for(row['type'])}?ts={dates.epoch(max(row['created'], row['edited']))}"


def contact_picture(site: Site, ident: str, pixels: int) -> StoredPicture | None:
    """Return the uploaded avatar behind ``/photo/contact/<pixels>/<id or guid>`` at that size, or None."""
    user = _user_for_ident(site.store, ident)
    row = avatar_row(site.store, int(user["uid"]), scale_for(pixels)) if user is not None else None
    if row is None:
        return None
    return _sized(row, pixels)


def header_picture(site: Site, guid: str) -> StoredPicture | None:
    """Return the uploaded header behind ``/photo/header/<guid>``, or None."""
    user = _user_for_ident(site.store, guid)
    row = banner_row(site.store, int(user["uid"])) if user is not None else None
    if row is None:
        return None
    return StoredPicture(bytes(row["data"]), str(row["type"]))


def build_routes(site: Site) -> list[Route]:
    """Return the routes of ``/photo/profile|avatar|micro/<nick>``."""
    stand_in_pixels = {"profile": 300, "avatar": THUMB_PIXELS, "micro": MICRO_PIXELS}

    def handler(kind: str) -> Callable[[Request], Awaitable[Response]]:
        async def by_nickname(request: Request) -> Response:
            nickname = request.path_params["name"].split(".", 1)[0]
            user = site.store.user_by_nickname(nickname)
            if user is None:
                return errors.exception_page(errors.ApiError(404))

            row = avatar_row(site.store, int(user["uid"]), SCALE_OF_KIND[kind])
            if row is not None:
                return Response(bytes(row["data"]), media_type=row["type"], headers=CACHE_HEADERS)
            drawn = images.avatar(str(user["guid"]), stand_in_pixels[kind])
            return Response(drawn, media_type="image/png", headers=CACHE_HEADERS)

        return by_nickname

    return [
        Route(f"/photo/{kind}/{{name}}", handler(kind), methods=["GET", "HEAD"]) for kind in SCALE_OF_KIND
    ]


def _load(site: Site, file: photos.Upload) -> Picture:
    if file.data is None:
        raise photos.UploadFailed(f"{file.filename} is larger than the upload limit and was dropped")
    try:
        picture = load_picture(file.data, file.content_type, file.filename)
    except InvalidImage as error:
        raise photos.UploadFailed(str(error)) from error
    return fit_to_file_size(picture, site.media.max_image_bytes)


def _store_scales(
    store: Store,
    uid: int,
    picture: Picture,
    filename: str,
    album: str,
    photo_type: int,
    scales: tuple[tuple[int, int], ...],
) -> str:
    """Insert one public row per scale, each scaled down from the previous one, and return the resource id."""
    resource_id = uuid.uuid4().hex
    moment = dates.to_storage(dates.now())
    blurhash = blurhash_of(picture)

    for scale, pixels in scales:
        picture = picture.scaled_down(pixels)
        data = picture.encode()
        store.insert(
            "photo",
            {
                "uid": uid,
                "resource_id": resource_id,
                "scale": scale,
                "photo_type": photo_type,
                "created": moment,
                "edited": moment,
                "album": album,
                "filename": filename.replace("\\", "/").rsplit("/", 1)[-1],
                "type": picture.mimetype,
                "width": picture.width,
                "height": picture.height,
                "datasize": len(data),
                "hash": hashlib.md5(data).hexdigest(),
                "blurhash": blurhash,
                "data": data,
            },
        )
    return resource_id


def _touch_contacts(store: Store, public_id: int) -> None:
    """Mark every contact row of a person updated, because avatar and header links carry that time."""
    store.execute(
        "UPDATE contact SET updated = ? WHERE id = ? OR public_id = ?",
        [dates.to_storage(dates.now()), public_id, public_id],
    )


def _user_for_ident(store: Store, ident: str) -> Row | None:
    """Return the local user behind a contact id or a guid, as avatar and header links name people."""
    if ident.isdigit():
        public_id = people.public_id_for(store, int(ident))
        return store.user_by_public_contact(public_id) if public_id else None
    return store.one("SELECT * FROM user WHERE guid = ?", [ident])


def _sized(row: Row, pixels: int) -> StoredPicture:
    """Return a stored scale fitted to the requested size: square up to 80 px, else scaled down."""
    try:
        picture = load_picture(bytes(row["data"]), row["type"], row["filename"])
    except InvalidImage as error:
        logger.warning("stored avatar %s cannot be read: %s", row["resource_id"], error)
        return StoredPicture(bytes(row["data"]), str(row["type"]))

    if pixels <= THUMB_PIXELS:
        fitted = Picture(ImageOps.fit(picture.image, (pixels, pixels)), picture.mimetype)
    else:
        fitted = picture.scaled_down(pixels)
    return StoredPicture(fitted.encode(), fitted.mimetype)

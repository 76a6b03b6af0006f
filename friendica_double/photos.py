"""Photo storage like Friendica's ``photo`` table: uploads, scales, albums and visibility.

A picture is stored once per scale, all rows sharing one 32-hex resource id:

- scale 0: the upload, re-encoded and scaled down until it fits ``maximagesize``;
- scale 1: at most 640 px on the long side, stored only when the original is
  larger than 320 px on some side (so a 400x300 picture has a scale 1 of 400x300);
- scale 2: at most 320 px on the long side, stored together with scale 1.

Very tall pictures (taller than 16:9) are limited by width only. Each row has
its own id, which the API calls ``media_id`` (``media-id``).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from starlette.datastructures import UploadFile

from . import dates
from .context import MediaSettings, Site, logger
from .db import REL_FOLLOWER, REL_FRIEND, Row, Store
from .imaging import InvalidImage, Picture, blurhash_of, extension_for, fit_to_file_size, load_picture
from .posts import Acl

WALL_PHOTOS = "Wall Photos"

# Friendica's Proxy::PIXEL_MEDIUM and PIXEL_SMALL: the long side of scales 1 and 2.
MEDIUM_PIXELS = 640
SMALL_PIXELS = 320

# Friendica's photo-type values. API uploads are DEFAULT, and contact pictures are never listed.
DEFAULT_TYPE = 0
CONTACT_AVATAR_TYPE = 20
CONTACT_BANNER_TYPE = 21


class UploadFailed(Exception):
    """An upload that Friendica's Photo::upload() rejects (it logs the reason and returns nothing)."""


@dataclass(frozen=True)
class Upload:
    """One uploaded file as PHP hands it over. ``data`` is None when PHP dropped a too large file."""

    filename: str
    content_type: str
    data: bytes | None


@dataclass(frozen=True)
class UploadedPhoto:
    """Result of Photo::upload(): the widest row of the new picture and its preview link."""

    media_id: int
    resource_id: str
    size: int
    width: int
    height: int
    mimetype: str
    preview_url: str


def read_upload(file: UploadFile, settings: MediaSettings) -> Upload:
    """Read a multipart file part, dropping its data when it is larger than the upload limit."""
    filename = file.filename or ""
    content_type = file.content_type or ""
    size = file.size
    if size is None:
        file.file.seek(0, 2)
        size = file.file.tell()
    if settings.max_upload_bytes and size > settings.max_upload_bytes:
        logger.info(
            "dropped upload %s: %d bytes exceed the limit of %d", filename, size, settings.max_upload_bytes
        )
        return Upload(filename, content_type, None)

    file.file.seek(0)
    return Upload(filename, content_type, file.file.read())


def upload(
    site: Site,
    user: Row,
    file: Upload,
    *,
    album: str = "",
    acl: Acl | None = None,
    description: str = "",
    resource_id: str = "",
    created: str | None = None,
) -> UploadedPhoto:
    """Store an uploaded picture with its scales, like Friendica's Photo::upload().

    An empty album means "Wall Photos". Without an ACL the picture is visible
    to its owner only until a post makes it public or private. Raises
    UploadFailed for a dropped or unreadable file.
    """
    if file.data is None:
        raise UploadFailed(f"{file.filename} is larger than the upload limit and was dropped")
    try:
        picture = load_picture(file.data, file.content_type, file.filename)
    except InvalidImage as error:
        raise UploadFailed(str(error)) from error

    if acl is None:
        acl = Acl(allow_cid=f"<{user['self_contact']}>")
    store = site.store
    with store.transaction():
        resource_id = resource_id or _new_resource_id(site)
        preview_scale = store_with_preview(
            site,
            int(user["uid"]),
            picture,
            resource_id=resource_id,
            filename=file.filename,
            album=album or WALL_PHOTOS,
            description=description,
            acl=acl,
            created=created,
        )

    # Ties go to the higher scale: the recorded server returned the scale-1 row of a 400x300 upload.
    widest = store.one(
        "SELECT * FROM photo WHERE resource_id = ? ORDER BY width DESC, scale DESC LIMIT 1",
        [resource_id],
    )
    assert widest is not None
    # Friendica puts a dot before an extension that already starts with one: "-1..jpeg".
    preview_url = f"{site.base_url}/photo/{resource_id}-{preview_scale}.{extension_for(widest['type'])}"
    logger.info("stored photo %s for user %s (%s)", resource_id, user["nickname"], file.filename)
    return UploadedPhoto(
        media_id=int(widest["id"]),
        resource_id=resource_id,
        size=int(widest["datasize"]),
        width=int(widest["width"]),
        height=int(widest["height"]),
        mimetype=str(widest["type"]),
        preview_url=preview_url,
    )


def store_with_preview(
    site: Site,
    uid: int,
    picture: Picture,
    *,
    resource_id: str,
    filename: str,
    album: str,
    description: str,
    acl: Acl,
    created: str | None = None,
) -> int:
    """Store scale 0 and, for pictures over 320 px, scales 1 and 2; return the preview scale."""
    picture = fit_to_file_size(picture, site.media.max_image_bytes)
    # NOTE: Friendica computes a blurhash per scale; the double reuses the original's for all scales.
    blurhash = blurhash_of(picture)

    def store_scale(scale: int, scaled: Picture) -> None:
        _store_scale(
            site.store,
            uid,
            resource_id,
            scale,
            scaled,
            filename=filename,
            album=album,
            description=description,
            acl=acl,
            blurhash=blurhash,
            created=created,
        )

    store_scale(0, picture)
    if picture.width <= SMALL_PIXELS and picture.height <= SMALL_PIXELS:
        return 0

    medium = picture.scaled_down(MEDIUM_PIXELS)
    store_scale(1, medium)
    store_scale(2, medium.scaled_down(SMALL_PIXELS))
    return 1


def _store_scale(
    store: Store,
    uid: int,
    resource_id: str,
    scale: int,
    picture: Picture,
    *,
    filename: str,
    album: str,
    description: str,
    acl: Acl,
    blurhash: str,
    created: str | None,
) -> None:
    """Insert one scale, or replace it (keeping its creation time) when it exists."""
    data = picture.encode()
    moment = created or dates.to_storage(dates.now())
    fields = {
        "uid": uid,
        "resource_id": resource_id,
        "scale": scale,
        "photo_type": DEFAULT_TYPE,
        "edited": moment,
        "description": description,
        "album": album,
        "filename": filename.replace("\\", "/").rsplit("/", 1)[-1],
        "type": picture.mimetype,
        "width": picture.width,
        "height": picture.height,
        "datasize": len(data),
        "hash": hashlib.md5(data).hexdigest(),
        "blurhash": blurhash,
        "data": data,
        "allow_cid": acl.allow_cid,
        "allow_gid": acl.allow_gid,
        "deny_cid": acl.deny_cid,
        "deny_gid": acl.deny_gid,
    }

    existing = store.one(
        "SELECT id FROM photo WHERE resource_id = ? AND uid = ? AND scale = ?", [resource_id, uid, scale]
    )
    if existing is None:
        store.insert("photo", {**fields, "created": moment})
        return
    assignments = ", ".join(f"{column} = ?" for column in fields)
    store.execute(f"UPDATE photo SET {assignments} WHERE id = ?", [*fields.values(), existing["id"]])


def _new_resource_id(site: Site) -> str:
    """Return a new 32-hex resource id, derived from the next photo row id so that seeds repeat."""
    last_row = site.store.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'photo'") or 0
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{site.base_url}/photo/{int(last_row) + 1}").hex


# Queries


def rows_of(store: Store, uid: int, resource_id: str, scale: int | None = None) -> list[Row]:
    """Return a user's rows of a picture in row order, optionally of one scale only."""
    if scale is None:
        return store.query(
            "SELECT * FROM photo WHERE uid = ? AND resource_id = ? ORDER BY id", [uid, resource_id]
        )
    return store.query(
        "SELECT * FROM photo WHERE uid = ? AND resource_id = ? AND scale = ? ORDER BY id",
        [uid, resource_id, scale],
    )


def exists(store: Store, uid: int, *, resource_id: str | None = None, album: str | None = None) -> bool:
    """Return whether the user has a photo row with this resource id and/or in this album."""
    conditions = ["uid = ?"]
    values: list[object] = [uid]
    if resource_id is not None:
        conditions.append("resource_id = ?")
        values.append(resource_id)
    if album is not None:
        conditions.append("album = ?")
        values.append(album)
    return store.count(f"SELECT COUNT(*) FROM photo WHERE {' AND '.join(conditions)}", values) > 0


def listed_resource_ids(
    store: Store,
    uid: int,
    album: str | None = None,
    *,
    newest_first: bool = False,
    offset: int = 0,
    limit: int = -1,
) -> list[str]:
    """Return a user's resource ids, one per picture, ordered by their first row id.

    Contact avatars and banners are left out, as in Friendica's photo lists.
    ``limit`` -1 means no limit.
    """
    conditions = "uid = ? AND photo_type NOT IN (?, ?)"
    values: list[object] = [uid, CONTACT_AVATAR_TYPE, CONTACT_BANNER_TYPE]
    if album is not None:
        conditions += " AND album = ?"
        values.append(album)
    order = "DESC" if newest_first else "ASC"
    rows = store.query(
        f"SELECT resource_id, MIN(id) AS first_id FROM photo WHERE {conditions} "
        f"GROUP BY resource_id ORDER BY first_id {order} LIMIT ? OFFSET ?",
        [*values, limit, offset],
    )
    return [row["resource_id"] for row in rows]


def albums(store: Store, uid: int) -> list[Row]:
    """Return a user's albums with picture count and first creation time, newest first."""
    return store.query(
        "SELECT album, COUNT(DISTINCT resource_id) AS total, MIN(created) AS created FROM photo "
        "WHERE uid = ? AND photo_type NOT IN (?, ?) GROUP BY album ORDER BY created DESC, album",
        [uid, CONTACT_AVATAR_TYPE, CONTACT_BANNER_TYPE],
    )


# Changes


def update(
    store: Store,
    fields: dict[str, str],
    *,
    uid: int,
    resource_id: str | None = None,
    album: str | None = None,
    edited: str | None = None,
) -> None:
    """Change columns of a user's rows (by picture and/or album) and mark them edited (default: now)."""
    conditions = ["uid = ?"]
    values: list[object] = [uid]
    if resource_id is not None:
        conditions.append("resource_id = ?")
        values.append(resource_id)
    if album is not None:
        conditions.append("album = ?")
        values.append(album)

    changes = {**fields, "edited": edited or dates.to_storage(dates.now())}
    assignments = ", ".join(f"{column} = ?" for column in changes)
    store.execute(
        f"UPDATE photo SET {assignments} WHERE {' AND '.join(conditions)}", [*changes.values(), *values]
    )


def set_permissions(store: Store, uid: int, resource_id: str, acl: Acl, edited: str | None = None) -> None:
    """Give every scale of a picture a post's ACL, like Photo::setPermissionForResource()."""
    update(
        store,
        {
            "allow_cid": acl.allow_cid,
            "allow_gid": acl.allow_gid,
            "deny_cid": acl.deny_cid,
            "deny_gid": acl.deny_gid,
        },
        uid=uid,
        resource_id=resource_id,
        edited=edited,
    )


def delete(store: Store, uid: int, *, resource_id: str | None = None, album: str | None = None) -> None:
    """Delete a user's rows of a picture or of a whole album."""
    if resource_id is not None:
        store.execute("DELETE FROM photo WHERE uid = ? AND resource_id = ?", [uid, resource_id])
    if album is not None:
        store.execute("DELETE FROM photo WHERE uid = ? AND album = ?", [uid, album])


# Links


def photo_url(site: Site, resource_id: str, scale: int, extension: str) -> str:
    """Return the ``/photo/<resource-id>-<scale>.<ext>`` link (``extension`` with its dot)."""
    return f"{site.base_url}/photo/{resource_id}-{scale}{extension}"


# Visibility


def viewable_scale(store: Store, resource_id: str, scale: int, visitor_uid: int) -> Row | None:
    """Return the largest scale up to ``scale`` that a visitor may see, like Photo::getPhoto().

    The owner may see everything. A visitor whom the owner has as a follower
    (FOLLOWER or FRIEND, not blocked) may see public pictures and those whose
    ACL allows their contact or one of their circles and does not deny them.
    Anyone else may see public pictures only. ``visitor_uid`` 0 is anonymous.
    """
    owner = store.scalar("SELECT uid FROM photo WHERE resource_id = ? LIMIT 1", [resource_id])
    if owner is None:
        return None

    candidates = store.query(
        "SELECT * FROM photo WHERE resource_id = ? AND scale <= ? ORDER BY scale DESC",
        [resource_id, scale],
    )
    if visitor_uid and visitor_uid == owner:
        return candidates[0] if candidates else None

    contact = _visitor_contact(store, int(owner), visitor_uid)
    for row in candidates:
        if _permits(store, row, contact):
            return row
    return None


def _visitor_contact(store: Store, owner_uid: int, visitor_uid: int) -> Row | None:
    """Return the owner's address-book row of a visitor who follows them (Friendica's remote contact)."""
    visitor = store.user(visitor_uid) if visitor_uid else None
    if visitor is None:
        return None
    return store.one(
        "SELECT * FROM contact WHERE uid = ? AND public_id = ? AND self = 0 AND blocked = 0 "
        "AND rel IN (?, ?) ORDER BY id LIMIT 1",
        [owner_uid, visitor["public_contact"], REL_FOLLOWER, REL_FRIEND],
    )


def _permits(store: Store, row: Row, contact: Row | None) -> bool:
    is_public = not (row["allow_cid"] or row["allow_gid"] or row["deny_cid"] or row["deny_gid"])
    if contact is None:
        return is_public

    circles = [
        f"<{member['circle_id']}>"
        for member in store.query("SELECT circle_id FROM circle_member WHERE contact_id = ?", [contact["id"]])
    ]
    own = f"<{contact['id']}>"
    if own in row["deny_cid"] or any(circle in row["deny_gid"] for circle in circles):
        return False
    allowed = own in row["allow_cid"] or any(circle in row["allow_gid"] for circle in circles)
    return allowed or not (row["allow_cid"] or row["allow_gid"])

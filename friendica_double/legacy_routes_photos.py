"""Friendica 3.5.4's picture endpoints: ``media/upload``, ``friendica/photo*`` and the profile picture.

3.5.4 copies photo rows from MySQL, so sizes and flags are strings, and
``link`` is a list of the scale URLs starting at index 0. Pictures stored
through ``photo/create`` get scales 0, 1 (at most 640 pixels) and 2 (at most
320 pixels) as far as the picture is larger.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from . import avatars, photos
from .context import logger
from .imaging import extension_for
from .legacy_routes_users import verify_credentials
from .legacy_routing import LegacyCall, LegacyError, php_intval
from .posts import Acl

ACL_FIELDS = ("allow_cid", "deny_cid", "allow_gid", "deny_gid")
_ACL_ENTRY = re.compile(r"<[A-Za-z0-9]+>")
ACTIVITY_KEYS = ("like", "dislike", "attendyes", "attendno", "attendmaybe")


def photo_data(call: LegacyCall, resource_id: str, scale: int | None = None) -> dict[str, Any]:
    """Return 3.5.4's ``prepare_photo_data()`` object of one of the caller's pictures.

    Without ``scale`` it describes the first row and lists every scale in
    ``link``; with ``scale`` it describes that scale and starts with its
    base64 ``data``. Raises the 404 error when the caller has no such picture.
    """
    rows = photos.rows_of(call.store, call.uid, resource_id)
    chosen = [row for row in rows if scale is None or row["scale"] == scale]
    if not chosen:
        raise LegacyError(404)
    first = chosen[0]

    photo: dict[str, Any] = {}
    if scale is not None:
        photo["data"] = base64.b64encode(first["data"]).decode("ascii")
    photo.update(
        {
            "created": first["created"],
            "edited": first["edited"],
            "title": first["title"],
            "desc": first["description"],
            "album": first["album"],
            "filename": first["filename"],
            "type": first["type"],
            "height": str(first["height"]),
            "width": str(first["width"]),
        }
    )
    if scale is not None:
        photo["datasize"] = str(first["datasize"])
    photo.update(
        {
            "profile": str(first["profile"]),
            "allow_cid": first["allow_cid"],
            "deny_cid": first["deny_cid"],
            "allow_gid": first["allow_gid"],
            "deny_gid": first["deny_gid"],
            "id": resource_id,
        }
    )
    scales = [int(row["scale"]) for row in chosen]
    extension = extension_for(first["type"])
    photo["link"] = [
        photos.photo_url(call.site, resource_id, number, extension)
        for number in range(min(scales), max(scales) + 1)
    ]
    # NOTE: 3.5.4 reads these from the hidden post it creates for each upload; the double keeps none.
    photo["friendica_activities"] = {key: [] for key in ACTIVITY_KEYS}
    photo["friendica_comments"] = []
    photo["rights_mismatch"] = any(first[field] for field in ACL_FIELDS)
    return photo


def photo_detail(call: LegacyCall) -> dict[str, Any]:
    """GET friendica/photo: one of the caller's pictures; ``scale`` adds that scale's data."""
    call.require_user()
    if not call.params.non_empty("photo_id"):
        raise LegacyError(400, "No photo id.")
    scale = php_intval(call.params.string("scale")) if call.params.non_empty("scale") else None
    return photo_data(call, call.params.string("photo_id"), scale)


def photos_list(call: LegacyCall) -> list[dict[str, Any]]:
    """GET friendica/photos/list: pictures outside "Contact Photos"; ``thumb`` is the smallest scale."""
    call.require_user()
    rows = call.store.query(
        "SELECT resource_id, MAX(scale) AS scale, album, filename, type, MAX(created) AS created, "
        "MAX(edited) AS edited, MAX(description) AS description FROM photo "
        "WHERE uid = ? AND album != 'Contact Photos' GROUP BY resource_id ORDER BY MIN(id)",
        [call.uid],
    )
    return [
        {
            "id": row["resource_id"],
            "album": row["album"],
            "filename": row["filename"],
            "type": row["type"],
            "created": row["created"],
            "edited": row["edited"],
            "desc": row["description"],
            "thumb": photos.photo_url(
                call.site, row["resource_id"], int(row["scale"]), extension_for(row["type"])
            ),
        }
        for row in rows
    ]


def _acl_values(call: LegacyCall) -> dict[str, str | None]:
    """Read the ACL strings: a sent but empty field becomes "" (public), a missing one None."""
    values: dict[str, str | None] = {}
    for field in ACL_FIELDS:
        if call.params.non_empty(field):
            values[field] = call.params.string(field).strip()
        elif field in call.params:
            values[field] = ""
        else:
            values[field] = None
    for value in values.values():
        for entry in _ACL_ENTRY.findall(value or ""):
            contact = call.store.contact(php_intval(entry.strip("<>")))
            if contact is None or contact["uid"] != call.uid:
                raise LegacyError(400, "acl data invalid")
    return values


def photo_create_or_update(call: LegacyCall) -> Any:
    """POST friendica/photo/create and photo/update (one handler in 3.5.4).

    Without ``photo_id`` a ``media`` file is stored in ``album``. With it the
    picture (which must be in ``album``) gets the sent ``desc``,
    ``album_new`` and ACL strings, or a new ``media`` file.
    """
    user = call.require_user()
    params = call.params
    album = params.string("album") if params.non_empty("album") else None
    if album is None:
        raise LegacyError(400, "no albumname specified")
    photo_id = params.string("photo_id") if params.non_empty("photo_id") else None
    file = call.files.get("media")
    if photo_id is None and file is None:
        raise LegacyError(400, "no media data submitted")
    if photo_id is not None and not call.store.count(
        "SELECT COUNT(*) FROM photo WHERE uid = ? AND resource_id = ? AND album = ?",
        [call.uid, photo_id, album],
    ):
        raise LegacyError(400, "photo not available")
    acl = _acl_values(call)

    if photo_id is None:
        assert file is not None
        uploaded = _store(call, user, file, album, acl, params.string("desc"))
        return photo_data(call, uploaded)

    changes: dict[str, str] = {}
    if "desc" in params:
        changes["description"] = params.string("desc")
    if params.non_empty("album_new"):
        changes["album"] = params.string("album_new")
    for field in ACL_FIELDS:
        value = acl[field]
        if value is not None:
            changes[field] = value
    if file is not None:
        _store(call, user, file, album, acl, params.string("desc"), resource_id=photo_id)
        return photo_data(call, photo_id)
    if not changes:
        return {"result": "cancelled", "message": f"Nothing to update for image id `{photo_id}`."}
    assignments = ", ".join(f"{column} = ?" for column in changes)
    call.store.execute(
        f"UPDATE photo SET {assignments}, edited = datetime('now') "
        "WHERE uid = ? AND resource_id = ? AND album = ?",
        [*changes.values(), call.uid, photo_id, album],
    )
    return {"result": "updated", "message": f"Image id `{photo_id}` has been updated."}


def _store(
    call: LegacyCall,
    user: Any,
    file: Any,
    album: str,
    acl: dict[str, str | None],
    description: str,
    resource_id: str = "",
) -> str:
    if resource_id:
        photos.delete(call.store, call.uid, resource_id=resource_id)
    try:
        uploaded = photos.upload(
            call.site,
            user,
            photos.read_upload(file, call.site.media),
            album=album,
            acl=Acl(
                acl["allow_cid"] or "", acl["allow_gid"] or "", acl["deny_cid"] or "", acl["deny_gid"] or ""
            ),
            description=description,
            resource_id=resource_id,
        )
    except photos.UploadFailed as error:
        logger.info("photo upload by %s failed: %s", user["nickname"], error)
        raise LegacyError(500, "unable to process image data") from None
    return uploaded.resource_id


def photo_delete(call: LegacyCall) -> dict[str, str]:
    """POST friendica/photo/delete: delete one of the caller's pictures with all its scales."""
    call.require_user()
    photo_id = call.params.string("photo_id")
    if not call.params.non_empty("photo_id"):
        raise LegacyError(400, "no photo_id specified")
    if not photos.exists(call.store, call.uid, resource_id=photo_id):
        raise LegacyError(400, "photo not available")
    photos.delete(call.store, call.uid, resource_id=photo_id)
    return {"result": "deleted", "message": f"photo with id `{photo_id}` has been deleted from server."}


def album_delete(call: LegacyCall) -> dict[str, str]:
    """POST friendica/photoalbum/delete: delete every picture of ``album``."""
    call.require_user()
    album = call.params.string("album")
    if not album:
        raise LegacyError(400, "no albumname specified")
    if not photos.exists(call.store, call.uid, album=album):
        raise LegacyError(400, "album not available")
    photos.delete(call.store, call.uid, album=album)
    return {"result": "deleted", "message": f"album `{album}` with all containing photos has been deleted."}


def album_update(call: LegacyCall) -> dict[str, str]:
    """POST friendica/photoalbum/update: rename ``album`` to ``album_new``."""
    call.require_user()
    album = call.params.string("album")
    album_new = call.params.string("album_new")
    if not album:
        raise LegacyError(400, "no albumname specified")
    if not album_new:
        raise LegacyError(400, "no new albumname specified")
    if not photos.exists(call.store, call.uid, album=album):
        raise LegacyError(400, "album not available")
    call.store.execute("UPDATE photo SET album = ? WHERE uid = ? AND album = ?", [album_new, call.uid, album])
    return {
        "result": "updated",
        "message": f"album `{album}` with all containing photos has been renamed to `{album_new}`.",
    }


def media_upload(call: LegacyCall) -> dict[str, Any]:
    """POST media/upload: store the multipart ``media`` file; the numbers are strings as in 3.5.4.

    ``media_id`` is the row id of the widest scale.
    """
    user = call.require_user()
    file = call.files.get("media")
    if file is None:
        raise LegacyError(400, "No media.")
    try:
        uploaded = photos.upload(call.site, user, photos.read_upload(file, call.site.media))
    except photos.UploadFailed as error:
        logger.info("media/upload by %s failed: %s", user["nickname"], error)
        raise LegacyError(500) from None
    return {
        "media_id": str(uploaded.media_id),
        "media_id_string": str(uploaded.media_id),
        "size": str(uploaded.size),
        "image": {"w": str(uploaded.width), "h": str(uploaded.height), "image_type": uploaded.mimetype},
    }


def update_profile_image(call: LegacyCall) -> dict[str, Any]:
    """POST account/update_profile_image: a new profile picture from the multipart ``image`` file."""
    user = call.require_user()
    file = call.files.get("image")
    if file is None:
        raise LegacyError(400, "no media data submitted")
    if call.params.non_empty("profile_id") and call.params.string("profile_id") != str(user["uid"]):
        raise LegacyError(400, "profile_id not available")
    try:
        avatars.store_avatar(call.site, user, photos.read_upload(file, call.site.media))
    except photos.UploadFailed as error:
        logger.info("profile picture of %s not stored: %s", user["nickname"], error)
        raise LegacyError(500, "image upload failed") from None
    return verify_credentials(call)

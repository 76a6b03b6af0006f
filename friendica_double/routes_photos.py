"""Friendica's photo API: ``friendica/photo``, ``photo/*``, ``photos/list`` and ``photoalbum*``.

Every endpoint works on the caller's own pictures only, so another user's
picture is "not found" even when its ACL would let the caller see it.
Errors are 400 exception pages, and 404 for an unknown ``photo_id``.
"""

from __future__ import annotations

import re
from typing import Any

from . import errors, photos
from .context import logger
from .posts import Acl
from .render_photos import listed_photo, photo_object
from .routing import ApiRoute, Call

ACL_FIELDS = ("allow_cid", "deny_cid", "allow_gid", "deny_gid")
ALBUM_LIMIT = 50
ALBUM_MAX_LIMIT = 500

_ACL_ENTRY = re.compile(r"<([A-Za-z0-9]+)>")
_LEADING_INTEGER = re.compile(r"^\s*([+-]?\d+)")


# Single pictures


def show(call: Call) -> dict[str, Any]:
    """GET friendica/photo: one of the caller's pictures by ``photo_id`` (the resource id).

    ``scale=N`` limits the response to that scale and adds its base64 ``data``.
    Friendica reads ``scale`` only when it is not empty, so ``scale=0`` gives
    the plain object without data.
    """
    user = call.require_user()
    photo_id = call.params.string("photo_id")
    if not call.params.non_empty("photo_id"):
        raise errors.ApiError(400, "No photo id.")

    scale = _php_intval(call.params.string("scale")) if call.params.non_empty("scale") else None
    try:
        return photo_object(call.site, user["uid"], photo_id, scale)
    except LookupError:
        raise errors.ApiError(404) from None


def create(call: Call) -> dict[str, Any]:
    """POST friendica/photo/create: store the file ``media`` in ``album`` with ``desc`` and ACL strings.

    ``album`` must be sent but may be empty ("Wall Photos"). The ACL strings
    are stored as sent (trimmed), after checking that each ``<id>`` is one of
    the caller's contacts or circles. Without ACL strings the picture is public.
    """
    user = call.require_user()
    params = call.params
    album = params.raw("album")
    if album is None:
        raise errors.ApiError(400, "no album name specified")
    file = call.files.get("media")
    if file is None:
        raise errors.ApiError(400, "no media data submitted")
    allow_cid, deny_cid, allow_gid, deny_gid = _checked_acl(call)

    try:
        uploaded = photos.upload(
            call.site,
            user,
            photos.read_upload(file, call.site.media),
            album=params.string("album"),
            acl=Acl(allow_cid or "", allow_gid or "", deny_cid or "", deny_gid or ""),
            description=params.string("desc"),
        )
    except photos.UploadFailed as error:
        logger.info("photo/create by %s failed: %s", user["nickname"], error)
        raise errors.ApiError(
            500, "unknown error - uploading photo failed, see Friendica log for more information"
        ) from None
    return photo_object(call.site, user["uid"], uploaded.resource_id)


def update(call: Call) -> dict[str, Any]:
    """POST friendica/photo/update: change ``desc``, move to ``album_new``, set ACLs or replace the file.

    ``photo_id`` and its current ``album`` must match one of the caller's
    pictures. A new ``media`` file replaces the picture and the response is its
    photo object. Otherwise the response is ``{"result": "updated"}``, or
    ``"cancelled"`` when no field was sent.
    """
    user = call.require_user()
    params = call.params
    photo_id = params.string("photo_id")
    album = params.string("album")
    if not album:
        raise errors.ApiError(400, "no albumname specified")
    if not photos.exists(call.store, user["uid"], resource_id=photo_id, album=album):
        raise errors.ApiError(400, "photo not available")
    allow_cid, deny_cid, allow_gid, deny_gid = _checked_acl(call)

    fields = {}
    if "desc" in params:
        fields["description"] = params.string("desc")
    if "album_new" in params:
        fields["album"] = params.string("album_new")
    for name, value in zip(ACL_FIELDS, (allow_cid, deny_cid, allow_gid, deny_gid), strict=True):
        if value is not None:
            fields[name] = value
    if fields:
        photos.update(call.store, fields, uid=user["uid"], resource_id=photo_id, album=album)

    file = call.files.get("media")
    if file is not None:
        # Friendica hands missing desc, deny_cid and deny_gid on as null to a function that needs
        # strings, and PHP aborts with a TypeError (read from the 2024.08 source, not recorded).
        if "desc" not in params or deny_cid is None or deny_gid is None:
            raise errors.ApiError(500)
        acl = None
        if allow_cid is not None or allow_gid is not None:
            acl = Acl(allow_cid or "", allow_gid or "", deny_cid, deny_gid)
        try:
            uploaded = photos.upload(
                call.site,
                user,
                photos.read_upload(file, call.site.media),
                album=album,
                acl=acl,
                description=params.string("desc"),
                resource_id=photo_id,
            )
            return photo_object(call.site, user["uid"], uploaded.resource_id)
        except photos.UploadFailed as error:
            logger.info("photo/update by %s could not replace %s: %s", user["nickname"], photo_id, error)
            if not fields:
                raise errors.ApiError(500, "unknown error - update photo entry in database failed") from None

    if fields:
        return {"result": "updated", "message": f"Image id `{photo_id}` has been updated."}
    return {"result": "cancelled", "message": f"Nothing to update for image id `{photo_id}`."}


def delete(call: Call) -> dict[str, Any]:
    """POST friendica/photo/delete: delete every scale of one of the caller's pictures."""
    user = call.require_user()
    photo_id = call.params.string("photo_id")
    if not call.params.non_empty("photo_id"):
        raise errors.ApiError(400, "no photo_id specified")
    if not photos.exists(call.store, user["uid"], resource_id=photo_id):
        raise errors.ApiError(400, "photo not available")

    photos.delete(call.store, user["uid"], resource_id=photo_id)
    return {"result": "deleted", "message": f"photo with id `{photo_id}` has been deleted from server."}


def list_photos(call: Call) -> list[dict[str, Any]]:
    """GET friendica/photos/list: every picture of the caller, oldest first, one entry per resource id."""
    user = call.require_user()
    resource_ids = photos.listed_resource_ids(call.store, user["uid"])
    return [listed_photo(call.site, user["uid"], resource_id) for resource_id in resource_ids]


# Albums


def list_albums(call: Call) -> list[dict[str, Any]]:
    """GET friendica/photoalbums: the caller's albums, newest first, with their picture counts."""
    user = call.require_user()
    return [
        {"name": row["album"], "created": row["created"], "count": row["total"]}
        for row in photos.albums(call.store, user["uid"])
    ]


def show_album(call: Call) -> list[dict[str, Any]]:
    """GET friendica/photoalbum: the pictures of ``album`` (paged by ``offset`` and ``limit``).

    ``limit`` defaults to 50 and is kept between 1 and 500; ``latest_first``
    reverses the order. An unknown album is an empty list.
    """
    user = call.require_user()
    params = call.params
    album = params.string("album")
    if not params.non_empty("album"):
        raise errors.ApiError(400, "No album name specified.")

    limit = params.integer("limit", ALBUM_LIMIT) or 0
    limit = max(1, min(ALBUM_MAX_LIMIT, limit))
    resource_ids = photos.listed_resource_ids(
        call.store,
        user["uid"],
        album,
        newest_first=params.boolean("latest_first"),
        offset=max(0, params.integer("offset", 0) or 0),
        limit=limit,
    )
    return [listed_photo(call.site, user["uid"], resource_id) for resource_id in resource_ids]


def update_album(call: Call) -> dict[str, Any]:
    """POST friendica/photoalbum/update: rename ``album`` to ``album_new``."""
    user = call.require_user()
    album = call.params.string("album")
    album_new = call.params.string("album_new")
    if not call.params.non_empty("album"):
        raise errors.ApiError(400, "no albumname specified")
    if not call.params.non_empty("album_new"):
        raise errors.ApiError(400, "no new albumname specified")
    if not photos.exists(call.store, user["uid"], album=album):
        raise errors.ApiError(400, "album not available")

    photos.update(call.store, {"album": album_new}, uid=user["uid"], album=album)
    return {
        "result": "updated",
        "message": f"album `{album}` with all containing photos has been renamed to `{album_new}`.",
    }


def delete_album(call: Call) -> dict[str, Any]:
    """POST friendica/photoalbum/delete: delete ``album`` with all its pictures."""
    user = call.require_user()
    album = call.params.string("album")
    if not call.params.non_empty("album"):
        raise errors.ApiError(400, "no albumname specified")
    if not photos.exists(call.store, user["uid"], album=album):
        raise errors.ApiError(400, "album not available")

    photos.delete(call.store, user["uid"], album=album)
    return {"result": "deleted", "message": f"album `{album}` with all containing photos has been deleted."}


# Parameters


def _checked_acl(call: Call) -> tuple[str | None, str | None, str | None, str | None]:
    """Return the trimmed ``allow_cid, deny_cid, allow_gid, deny_gid`` (None if not sent) or raise 400.

    Every ``<id>`` must name one of the caller's contacts (``*_cid``) or
    circles (``*_gid``), as Friendica's ACL::isValidContact() and isValidCircle() check.
    """
    uid = call.uid
    values = tuple(call.params.string(name).strip() if name in call.params else None for name in ACL_FIELDS)
    for name, value in zip(ACL_FIELDS, values, strict=True):
        if not value:
            continue
        table = "contact" if name.endswith("_cid") else "circle"
        extra = " AND deleted = 0" if table == "circle" else ""
        for entry in _ACL_ENTRY.findall(value):
            known = entry.isdigit() and call.store.count(
                f"SELECT COUNT(*) FROM {table} WHERE id = ? AND uid = ?{extra}", [int(entry), uid]
            )
            if not known:
                raise errors.ApiError(400, "acl data invalid")
    allow_cid, deny_cid, allow_gid, deny_gid = values
    return allow_cid, deny_cid, allow_gid, deny_gid


def _php_intval(value: str) -> int:
    """Return the leading integer of a string as PHP's intval() reads it (0 when there is none)."""
    match = _LEADING_INTEGER.match(value)
    return int(match.group(1)) if match else 0


ROUTES = [
    ApiRoute("friendica/photo", ("GET",), show),
    ApiRoute("friendica/photo/create", ("POST",), create),
    ApiRoute("friendica/photo/update", ("POST",), update),
    ApiRoute("friendica/photo/delete", ("POST",), delete),
    ApiRoute("friendica/photos/list", ("GET",), list_photos),
    ApiRoute("friendica/photoalbums", ("GET",), list_albums),
    ApiRoute("friendica/photoalbum", ("GET",), show_album),
    ApiRoute("friendica/photoalbum/update", ("POST",), update_album),
    ApiRoute("friendica/photoalbum/delete", ("POST",), delete_album),
]

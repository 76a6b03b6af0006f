"""Photo objects of Friendica's photo API (``src/Factory/Api/Friendica/Photo.php``), keys in its order."""

from __future__ import annotations

import base64
from typing import Any

from . import photos
from .context import Site
from .imaging import extension_for


def photo_object(
    site: Site, uid: int, resource_id: str, scale: int | None = None, with_posts: bool = True
) -> dict[str, Any]:
    """Return the photo object of one of a user's pictures; raise LookupError if they have none.

    Without ``scale`` the object describes scale 0 and lists every scale in
    ``link`` and ``scales``. With ``scale`` it describes that scale only and
    starts with its base64 ``data``. ``with_posts`` adds the activity and
    comment fields of ``friendica/photo``.
    """
    rows = photos.rows_of(site.store, uid, resource_id, scale)
    if not rows:
        raise LookupError(f"user {uid} has no photo {resource_id} in scale {scale}")
    first = rows[0]

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
            "height": first["height"],
            "width": first["width"],
            "datasize": first["datasize"],
            "profile": first["profile"],
            "allow_cid": first["allow_cid"],
            "deny_cid": first["deny_cid"],
            "allow_gid": first["allow_gid"],
            "deny_gid": first["deny_gid"],
            "id": resource_id,
            "scale": first["scale"],
            "media-id": first["id"],
        }
    )

    # Every link takes the extension of the first row's type.
    extension = extension_for(first["type"])
    links = [photos.photo_url(site, resource_id, row["scale"], extension) for row in rows]
    photo["link"] = links
    if scale is None:
        photo["scales"] = [
            {
                "id": row["id"],
                "scale": row["scale"],
                "link": link,
                "width": row["width"],
                "height": row["height"],
                "size": row["datasize"],
            }
            for row, link in zip(rows, links, strict=True)
        ]

    if with_posts:
        # Friendica fills these from a photo's own post, which only its web interface creates.
        photo["friendica_activities"] = []
        photo["friendica_comments"] = []
        photo["rights_mismatch"] = False
    return photo


def listed_photo(site: Site, uid: int, resource_id: str) -> dict[str, Any]:
    """Return a photo list element: the photo object with ``thumb``, the last scale's link, for ``link``."""
    photo = photo_object(site, uid, resource_id, with_posts=False)
    photo["thumb"] = photo.pop("link")[-1]
    return photo

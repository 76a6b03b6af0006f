"""GNU social 1.2's ``account/update_profile`` and ``account/update_profile_image``.

``ApiAccountUpdateProfileAction`` writes all four of ``name``, ``url``,
``location`` and ``description`` on every call, each trimmed, so a field
the request leaves out is cleared. It checks no length. An empty name
shows as the nickname (``Profile::getBestName()``).

``ApiAccountUpdateProfileImageAction`` reads the multipart file ``image``.
A missing file and one that is not a picture both end in 400 "Not an
image or corrupt file.", because PHP reads the missing upload's error code
as ``UPLOAD_ERR_OK``. Both actions need a POST and a login and return
the caller's user array, newest notice included.

The homepage (``url``) lives in a table of this front (``gs_homepage``),
because the shared contact table's ``url`` is the profile page.
"""

from __future__ import annotations

from typing import Any

from . import avatars, photos, profile_data
from .context import logger
from .db import Store
from .gnusocial_routes import literal_brackets, renderer
from .gnusocial_routing import GsCall, GsError

SCHEMA = "CREATE TABLE IF NOT EXISTS gs_homepage (public_id INTEGER PRIMARY KEY, homepage TEXT NOT NULL)"
NOT_AN_IMAGE = "Not an image or corrupt file."


def prepare(store: Store) -> None:
    """Create the homepage table."""
    store.execute(SCHEMA)


def update_profile(call: GsCall) -> dict[str, Any]:
    """POST account/update_profile: replace name, homepage, location and profile text at once."""
    user = call.require_user()
    params = call.params
    name = params.string("name").strip()
    url = params.string("url").strip()
    location = params.string("location").strip()
    description = params.string("description").strip()

    store = call.store
    public_id = int(user["public_contact"])
    with store.transaction():
        profile_data.set_name(store, user, name)
        profile_data.set_about(store, user, literal_brackets(description))
        store.execute(
            "UPDATE contact SET location = ? WHERE id = ? OR public_id = ?", [location, public_id, public_id]
        )
        store.execute(
            "INSERT INTO gs_homepage (public_id, homepage) VALUES (?, ?) "
            "ON CONFLICT (public_id) DO UPDATE SET homepage = excluded.homepage",
            [public_id, url],
        )
    return renderer(call).user(public_id, with_status=True)


def update_profile_image(call: GsCall) -> dict[str, Any]:
    """POST account/update_profile_image: make the multipart ``image`` the caller's avatar.

    NOTE: 1.2 rejects a file over the upload limit with "That file is too
    big. The maximum file size is ...", which the double does not tell
    apart from an unreadable picture.
    """
    user = call.require_user()
    file = call.files.get("image")
    if file is None:
        raise GsError(400, NOT_AN_IMAGE)
    try:
        avatars.store_avatar(call.site, user, photos.read_upload(file, call.site.media))
    except photos.UploadFailed as error:
        logger.info("update_profile_image by %s failed: %s", user["nickname"], error)
        raise GsError(400, NOT_AN_IMAGE) from None
    return renderer(call).user(call.profile_id, with_status=True)

"""Profile endpoints: ``friendica/profile/show``, ``account/update_profile``,
``account/update_profile_image`` and ``PATCH /api/v1/accounts/update_credentials``.

The Twitter API changes the display name (``name``), the profile text
(``description``, an empty one clears it) and the avatar (multipart
``image`` or ``media``). It cannot set the profile header. Friendica's
Mastodon ``update_credentials`` can (multipart ``header``), and it also
takes ``display_name``, ``note``, ``locked``, ``discoverable`` and
``avatar``. Both Twitter update endpoints return the user object of
``account/verify_credentials``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import avatars, errors, photos, profile_data
from .context import Site, logger
from .db import Row
from .routing import NATIVE_PREFIXES, ApiRoute, Call

# Profile members that Friendica 2024.08 always sends as null.
NULL_PROFILE_MEMBERS = (
    "hometown",
    "gender",
    "marital",
    "marital_with",
    "marital_since",
    "sexual",
    "politic",
    "religion",
    "public_keywords",
    "private_keywords",
    "likes",
    "dislikes",
    "about",
    "music",
    "book",
    "tv",
    "film",
    "interest",
    "romance",
    "work",
    "education",
    "social_networks",
)


def show(call: Call) -> dict[str, Any]:
    """GET friendica/profile/show: the caller's user object and their one profile.

    ``description`` is the profile text (null until one is set) and
    ``custom_fields`` the public custom fields with HTML values.
    """
    user = call.require_user()
    site, store = call.site, call.store
    uid = int(user["uid"])

    profile: dict[str, Any] = {
        "profile_id": profile_data.profile_id(store, uid),
        "profile_name": None,
        "is_default": None,
        "hide_friends": False,
        "profile_photo": avatars.profile_photo_url(site, user, "profile"),
        "profile_thumb": avatars.profile_photo_url(site, user, "avatar"),
        "publish": False,
        "net_publish": profile_data.is_published(store, uid),
        "description": profile_data.about(store, uid),
        "date_of_birth": "0000-00-00",
        "address": "",
        "city": "",
        "region": "",
        "postal_code": "",
        "country": "",
    }
    profile.update(dict.fromkeys(NULL_PROFILE_MEMBERS))
    profile.update(
        {
            "homepage": "",
            "users": [],
            "custom_fields": profile_data.twitter_custom_fields(store, site.base_url, uid),
        }
    )
    return {
        "multi_profiles": False,
        "global_dir": "",
        "friendica_owner": call.twitter.user(int(user["public_contact"]), uid),
        "profiles": [profile],
    }


def update_profile(call: Call) -> dict[str, Any]:
    """POST account/update_profile: set ``name`` (when not empty) and ``description`` (when sent)."""
    user = call.require_user()
    params = call.params
    with call.store.transaction():
        if params.non_empty("name"):
            profile_data.set_name(call.store, user, params.string("name"))
        if "description" in params:
            profile_data.set_about(call.store, user, params.string("description"))
    return _own_user(call, user)


def update_profile_image(call: Call) -> dict[str, Any]:
    """POST account/update_profile_image: make the multipart ``image`` (or ``media``) the avatar.

    No file is 400 "no media data submitted", and a file that is not a
    readable picture is 500 "image upload failed".
    """
    user = call.require_user()
    file = call.files.get("image") or call.files.get("media")
    if file is None:
        raise errors.ApiError(400, "no media data submitted")

    try:
        avatars.store_avatar(call.site, user, photos.read_upload(file, call.site.media))
    except photos.UploadFailed as error:
        logger.info("update_profile_image by %s failed: %s", user["nickname"], error)
        raise errors.ApiError(500, "image upload failed") from None
    return _own_user(call, user)


def update_credentials(call: Call) -> dict[str, Any]:
    """PATCH /api/v1/accounts/update_credentials: change the profile and return the Mastodon account.

    Empty ``display_name`` or ``note`` change nothing, so the profile text
    cannot be cleared here. ``locked`` decides whether follows need approval.
    Pictures that fail to upload are skipped, as in Friendica, and
    ``fields_attributes`` is accepted but ignored.
    """
    user = call.require_user()
    params = call.params
    store = call.store

    # NOTE: Friendica turns a "bot" account into an unlocked news page. The double ignores "bot".
    with store.transaction():
        if params.non_empty("display_name"):
            profile_data.set_name(store, user, params.string("display_name"))
        if params.non_empty("note"):
            profile_data.set_about(store, user, params.string("note"))
        locked = params.boolean("locked", bool(user["manually_approve"]))
        store.execute("UPDATE user SET manually_approve = ? WHERE uid = ?", [int(locked), user["uid"]])
        published = params.boolean("discoverable", profile_data.is_published(store, int(user["uid"])))
        profile_data.set_published(store, int(user["uid"]), published)

    _try_upload(call, user, "avatar", avatars.store_avatar)
    _try_upload(call, user, "header", avatars.store_banner)
    return call.mastodon.account(int(user["public_contact"]))


def _try_upload(
    call: Call, user: Row, field: str, store_picture: Callable[[Site, Row, photos.Upload], str]
) -> None:
    file = call.files.get(field)
    if file is None:
        return
    try:
        store_picture(call.site, user, photos.read_upload(file, call.site.media))
    except photos.UploadFailed as error:
        logger.info("update_credentials by %s skipped the %s: %s", user["nickname"], field, error)


def _own_user(call: Call, user: Row) -> dict[str, Any]:
    """Return the caller's user object as the update endpoints send it (no ``verified``, no ``uid``)."""
    result = call.twitter.user_with_status(
        int(user["public_contact"]), int(user["uid"]), skip_status=call.params.boolean("skip_status")
    )
    del result["verified"]
    del result["uid"]
    return result


ROUTES = [
    ApiRoute("friendica/profile/show", ("GET",), show),
    ApiRoute("account/update_profile", ("POST",), update_profile),
    ApiRoute("account/update_profile_image", ("POST",), update_profile_image),
    ApiRoute(
        "v1/accounts/update_credentials",
        ("PATCH",),
        update_credentials,
        prefixes=NATIVE_PREFIXES,
        extensions=False,
    ),
]

"""Friendica 3.5.4's user, relationship and server endpoints.

``users/show``, ``users/search`` and ``externalprofile/show`` need no login
and do not log the caller in, so their user objects are rendered for an
anonymous visitor even when credentials are sent, except when they fall
back to the caller. ``friends/ids`` and ``followers/ids`` list *all* of the
caller's contacts (3.5.4 builds its relation filter but never uses it) and
send an empty body when there are none.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from . import dates, legacy_items
from .db import REL_FOLLOWER, REL_FRIEND, REL_SHARING
from .legacy_people import address_book_row, requested_person
from .legacy_render import LegacyRenderer, api_date
from .legacy_routes_statuses import renderer
from .legacy_routing import LegacyCall, LegacyError, empty_body

FRIEND_RELATIONS = (REL_SHARING, REL_FRIEND)
FOLLOWER_RELATIONS = (REL_FOLLOWER, REL_FRIEND)


def verify_credentials(call: LegacyCall) -> dict[str, Any]:
    """GET account/verify_credentials: the caller without ``verified``, ``uid`` and ``self``.

    ``status`` comes last unless ``skip_status`` is set. It is the caller's
    newest public item in the second shape, without its user, and a user
    who never posted gets none.
    """
    user = call.require_user()
    me = renderer(call)
    result = me.user(int(user["public_contact"]))
    del result["verified"]
    if not call.params.non_empty("skip_status"):
        newest = legacy_items.latest_own_row(call.store, call.uid, public_only=True)
        if newest is not None:
            status = me.second_shape(newest, result)
            del status["user"]
            result["status"] = status
    del result["uid"]
    del result["self"]
    return result


def users_show(call: LegacyCall) -> dict[str, Any]:
    """GET users/show (and externalprofile/show): a user with the caller's newest public row of them.

    The embedded status's ``id`` is the caller's contact id of the person,
    3.5.4's bug. Without an address-book row there is no status.
    """
    public_id = requested_person(call)
    me = LegacyRenderer(call.site, call.uid)
    result = me.user(public_id)
    book_row = address_book_row(call, public_id)
    if book_row is not None:
        latest = call.store.one(
            f"{legacy_items.ITEM_SELECT} WHERE post_user.uid = ? AND item.author_id = ? "
            f"AND {legacy_items.POSTS} "
            "AND item.allow_cid = '' AND item.allow_gid = '' AND item.deny_cid = '' AND item.deny_gid = '' "
            "ORDER BY post_user.id DESC LIMIT 1",
            [call.uid, public_id],
        )
        if latest is not None:
            result["status"] = me.user_status(latest, int(book_row["id"]))
    del result["uid"]
    del result["self"]
    return result


def users_search(call: LegacyCall) -> list[dict[str, Any]]:
    """GET users/search: public contacts whose name, else nickname, equals ``q`` (uid and self kept)."""
    term = call.query.string("q")
    if not call.query.non_empty("q"):
        raise LegacyError(400, "User not found.")
    rows = call.store.query("SELECT id FROM contact WHERE uid = 0 AND name = ? ORDER BY id", [term])
    if not rows:
        rows = call.store.query("SELECT id FROM contact WHERE uid = 0 AND nick = ? ORDER BY id", [term])
    if not rows:
        raise LegacyError(400, "User not found.")
    me = LegacyRenderer(call.site, call.uid)
    return [me.user(int(row["id"])) for row in rows]


def _related_users(call: LegacyCall, relations: tuple[int, ...]) -> Any:
    """List the caller's contacts with ``relations``; for anyone but the caller the list is empty."""
    call.require_user()
    if call.query.string("cursor") == "undefined":
        # 3.5.4 returns false here to stop Hotot from loading the list again, which becomes a 500.
        raise LegacyError(500)
    public_id = requested_person(call)
    if public_id != call.require_user()["public_contact"]:
        return []
    marks = ", ".join("?" for _ in relations)
    rows = call.store.query(
        f"SELECT public_id FROM contact WHERE uid = ? AND self = 0 AND rel IN ({marks}) ORDER BY id",
        [call.uid, *relations],
    )
    me = renderer(call)
    return [me.public_user(int(row["public_id"])) for row in rows]


def statuses_friends(call: LegacyCall) -> Any:
    """GET statuses/friends: user objects of the people the caller follows."""
    return _related_users(call, FRIEND_RELATIONS)


def statuses_followers(call: LegacyCall) -> Any:
    """GET statuses/followers: user objects of the caller's followers."""
    return _related_users(call, FOLLOWER_RELATIONS)


def contact_ids(call: LegacyCall) -> Any:
    """GET friends/ids and followers/ids: public ids of every contact of the caller.

    ``stringify_ids`` sends strings. No contacts means an empty body.
    """
    call.require_user()
    requested_person(call)
    rows = call.store.query(
        "SELECT public_id FROM contact WHERE uid = ? AND self = 0 ORDER BY id", [call.uid]
    )
    if not rows:
        return empty_body()
    if call.params.non_empty("stringify_ids"):
        return [str(row["public_id"]) for row in rows]
    return [int(row["public_id"]) for row in rows]


def rate_limit_status(call: LegacyCall) -> dict[str, Any]:
    """GET account/rate_limit_status: 3.5.4's fixed response, with the hit counts as strings."""
    call.require_user()
    reset = dates.to_storage(dates.now() + timedelta(hours=1))
    return {
        "reset_time_in_seconds": dates.epoch(reset),
        "remaining_hits": "150",
        "hourly_limit": "150",
        "reset_time": api_date(reset),
    }


def help_test(call: LegacyCall) -> str:
    """GET help/test: the JSON string "ok"."""
    return "ok"


def empty_lists(call: LegacyCall) -> list[Any]:
    """GET lists and lists/list: always ``[]``.

    3.5.4 has no lists, but registers ``api/lists``, so by prefix matching
    every ``api/lists...`` path (``lists/create``, ``lists/statuses`` ...)
    lands here and returns ``[]`` with status 200.
    """
    call.require_user()
    return []


def config(call: LegacyCall) -> dict[str, Any]:
    """GET statusnet/config and gnusocial/config: 3.5.4's site block, flags as "true"/"false" strings."""
    site = call.site
    profile = site.profile
    https = urlsplit(site.base_url).scheme == "https"
    return {
        "site": {
            "name": profile.site_name,
            "server": site.host,
            "theme": profile.theme,
            "path": "",
            "logo": f"{site.base_url}/images/friendica-64.png",
            "fancy": True,
            "language": profile.language,
            "email": profile.admin_email,
            "broughtby": "",
            "broughtbyurl": "",
            "timezone": "UTC",
            "closed": "true",
            "inviteonly": False,
            "private": "false",
            "textlimit": str(profile.text_limit),
            "sslserver": site.base_url if https else "",
            "ssl": "true" if https else "false",
            "shorturllength": "30",
            "friendica": {
                "FRIENDICA_PLATFORM": profile.platform,
                "FRIENDICA_VERSION": profile.version,
                "DFRN_PROTOCOL_VERSION": profile.dfrn_protocol_version,
                "DB_UPDATE_VERSION": profile.db_update_version,
            },
        }
    }


def version(call: LegacyCall) -> str:
    """GET statusnet/version and gnusocial/version: the GNU social version 3.5.4 claims."""
    return call.site.profile.gnusocial_version


def remote_auth(call: LegacyCall) -> Any:
    """GET friendica/remoteauth: redirect into a remote DFRN contact's site.

    3.5.4's contact query passes its two values in the wrong order, so it
    never finds a contact. With ``url`` and ``c_url`` the response is 400
    "Unknown contact".
    """
    call.require_user()
    if not call.query.non_empty("url") or not call.query.non_empty("c_url"):
        raise LegacyError(400, "Wrong parameters.")
    raise LegacyError(400, "Unknown contact")


def profile_show(call: LegacyCall) -> dict[str, Any]:
    """GET friendica/profile/show: the caller's one profile (``profile_id`` must be theirs)."""
    user = call.require_user()
    requested = call.params.string("profile_id")
    if requested and requested != "0" and requested != str(user["uid"]):
        raise LegacyError(400, "profile_id not available")
    person = call.store.public_contact(int(user["public_contact"]))
    about = call.store.scalar("SELECT about FROM profile WHERE uid = ?", [call.uid]) or ""
    me = renderer(call)
    avatar = me.avatar_url(int(user["public_contact"]))
    profile: dict[str, Any] = {
        "profile_id": str(user["uid"]),
        "profile_name": "default",
        "is_default": True,
        "hide_friends": False,
        "profile_photo": avatar,
        "profile_thumb": avatar,
        "publish": False,
        "net_publish": False,
        "description": "",
        "date_of_birth": "0000-00-00",
        "address": "",
        "city": "",
        "region": "",
        "postal_code": "",
        "country": "",
        "hometown": "",
        "gender": "",
        "marital": "",
        "marital_with": "",
        "marital_since": "0000-00-00 00:00:00",
        "sexual": "",
        "politic": "",
        "religion": "",
        "public_keywords": "",
        "private_keywords": "",
        "likes": "",
        "dislikes": "",
        "about": about,
        "music": "",
        "book": "",
        "tv": "",
        "film": "",
        "interest": "",
        "romance": "",
        "work": "",
        "education": "",
        "social_networks": "",
        "homepage": call.site.profile_url(person["nick"]) if person is not None else "",
        "users": [],
    }
    return {
        "multi_profiles": False,
        "global_dir": "https://dir.friendica.social",
        "friendica_owner": me.user(int(user["public_contact"])),
        "profiles": [profile],
    }

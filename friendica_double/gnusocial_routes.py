"""GNU social 1.2's API endpoints (core actions and the Favorite, Share and DirectMessage plugins).

Timelines list notices newest first by id: posts, replies and repeats.
``count`` defaults to 20, ``page`` is 1-based, ``since_id`` is exclusive
and ``max_id`` inclusive. A notice with an ACL (a seeded private post) is
only visible to the people it is addressed to, everything else to anyone.

Error messages are GNU social's, since clients read them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from . import attachments, dates, mail, people, photos, posts, user_contacts
from .context import logger
from .db import GRAVITY_ACTIVITY, GRAVITY_COMMENT, GRAVITY_PARENT, PRIVATE, Row
from .gnusocial_render import ANNOUNCE, GsRenderer, rfc2822_date
from .gnusocial_routing import GsCall, GsError
from .legacy_routing import php_intval
from .post_media import Attachment

# Posts, replies and repeats; likes and attendance are no notices here.
NOTICE = (
    f"(item.gravity IN ({GRAVITY_PARENT}, {GRAVITY_COMMENT}) "
    f"OR (item.gravity = {GRAVITY_ACTIVITY} AND item.verb = 'announce'))"
)
VISIBLE_TO = (
    f"(item.private != {PRIVATE} OR EXISTS (SELECT 1 FROM post_user WHERE post_user.uri_id = item.uri_id "
    "AND post_user.uid = ? AND post_user.hidden = 0))"
)
# The error code GNU social's media upload puts into its own error shape.
MEDIA_ERROR_CODE = 131
_DIGITS = re.compile(r"\d+")


def renderer(call: GsCall) -> GsRenderer:
    """Return a renderer for the caller."""
    return GsRenderer(call.site, call.profile_id)


def challenge(call: GsCall) -> dict[str, str]:
    """Return the Basic challenge header of a 401."""
    return {"WWW-Authenticate": f'Basic realm="{call.site.profile.site_name} API"'}


def _notices(call: GsCall, where: list[str], args: list[Any], order: str = "item.uri_id DESC") -> list[int]:
    params = call.params
    count = php_intval(params.string("count")) if "count" in params else 20
    page = max(1, php_intval(params.string("page")) if "page" in params else 1)
    conditions = [NOTICE, "item.deleted = 0", VISIBLE_TO, *where, "item.uri_id > ?"]
    values = [call.uid, *args, php_intval(params.string("since_id"))]
    max_id = php_intval(params.string("max_id"))
    if max_id > 0:
        conditions.append("item.uri_id <= ?")
        values.append(max_id)
    rows = call.store.query(
        f"SELECT item.uri_id FROM item WHERE {' AND '.join(conditions)} ORDER BY {order} LIMIT ? OFFSET ?",
        [*values, max(0, count), (page - 1) * max(0, count)],
    )
    return [int(row["uri_id"]) for row in rows]


def _statuses(call: GsCall, uri_ids: list[int]) -> list[dict[str, Any]]:
    me = renderer(call)
    return [me.status(uri_id) for uri_id in uri_ids]


def target_profile(call: GsCall, name: str = "id") -> Row | None:
    """Return the public contact a call names, like ``ApiAction::getTargetProfile()``.

    ``id`` (path or parameter) is a profile id or a nickname, then come
    ``user_id`` and ``screen_name``, then the caller.
    """
    store = call.store
    value = call.params.string(name).strip()
    if value:
        if value.isdigit():
            return store.public_contact(int(value))
        return store.public_contact_by_nick(value)
    if call.params.non_empty("user_id"):
        user_id = call.params.string("user_id")
        return store.public_contact(int(user_id)) if user_id.isdigit() else None
    if call.params.string("screen_name"):
        return store.public_contact_by_nick(call.params.string("screen_name"))
    if call.user is not None:
        return store.public_contact(call.profile_id)
    return None


def _visible(call: GsCall, item: Row) -> bool:
    if item["private"] != PRIVATE:
        return True
    holder = call.store.holder(int(item["uri_id"]), call.uid) if call.uid else None
    return holder is not None and not holder["hidden"]


def _notice(call: GsCall, uri_id: int) -> Row | None:
    """Return a notice (post, reply or repeat) that exists and is not deleted."""
    item = call.store.item(uri_id) if uri_id else None
    if item is None or item["deleted"]:
        return None
    if item["gravity"] == GRAVITY_ACTIVITY and item["verb"] != ANNOUNCE:
        return None
    return item


def _original(call: GsCall, item: Row) -> Row:
    """Return the repeated notice of a repeat, or the notice itself."""
    if item["gravity"] == GRAVITY_ACTIVITY and item["verb"] == ANNOUNCE:
        original = call.store.item(item["thr_parent_id"])
        if original is not None:
            return original
    return item


# Timelines


def home_timeline(call: GsCall) -> list[dict[str, Any]]:
    """GET statuses/home_timeline (and friends_timeline): own notices, followed people's, and mentions."""
    user = call.require_user()
    where = [
        "(item.author_id = ? OR item.author_id IN (SELECT public_id FROM contact WHERE uid = ? AND self = 0 "
        "AND pending = 0 AND rel IN (2, 3)) OR EXISTS (SELECT 1 FROM tag WHERE tag.uri_id = item.uri_id "
        "AND tag.type IN ('mention', 'implicit') AND tag.contact_id = ?))"
    ]
    return _statuses(
        call, _notices(call, where, [user["public_contact"], user["uid"], user["public_contact"]])
    )


def public_timeline(call: GsCall) -> list[dict[str, Any]]:
    """GET statuses/public_timeline: every public notice of the server's users."""
    return _statuses(call, _notices(call, [f"item.private != {PRIVATE}"], []))


def networkpublic_timeline(call: GsCall) -> list[dict[str, Any]]:
    """GET statuses/networkpublic_timeline: notices from other servers, which the double has none of."""
    return []


def user_timeline(call: GsCall) -> list[dict[str, Any]]:
    """GET statuses/user_timeline: a profile's notices, repeats included."""
    target = target_profile(call)
    if target is None:
        raise GsError(404, "No such user.")
    return _statuses(call, _notices(call, ["item.author_id = ?"], [target["id"]]))


def mentions(call: GsCall) -> list[dict[str, Any]]:
    """GET statuses/mentions (replies, mentions_timeline): notices that mention or reply to a profile."""
    target = target_profile(call)
    if target is None:
        raise GsError(404, "No such user.")
    where = [
        "item.author_id != ?",
        "(EXISTS (SELECT 1 FROM tag WHERE tag.uri_id = item.uri_id AND tag.type IN ('mention', 'implicit') "
        "AND tag.contact_id = ?) OR EXISTS (SELECT 1 FROM item AS parent "
        "WHERE parent.uri_id = item.thr_parent_id "
        f"AND item.gravity = {GRAVITY_COMMENT} AND parent.author_id = ?))",
    ]
    return _statuses(call, _notices(call, where, [target["id"], target["id"], target["id"]]))


def favorites_timeline(call: GsCall) -> list[dict[str, Any]]:
    """GET favorites: the notices a profile faved, newest fave first."""
    target = target_profile(call)
    if target is None:
        raise GsError(404, "No such user.")
    where = [
        "EXISTS (SELECT 1 FROM item AS fave WHERE fave.thr_parent_id = item.uri_id AND fave.author_id = ? "
        f"AND fave.gravity = {GRAVITY_ACTIVITY} AND fave.verb = 'like' AND fave.deleted = 0)"
    ]
    return _statuses(call, _notices(call, where, [target["id"]]))


def conversation(call: GsCall) -> list[dict[str, Any]]:
    """GET statusnet/conversation/<id>: the notices of a conversation, newest first."""
    conversation_id = php_intval(call.params.string("id"))
    root = call.store.item(conversation_id) if conversation_id else None
    if root is None or root["parent_uri_id"] != root["uri_id"]:
        raise GsError(404, f"No conversation with ID {conversation_id}.")
    return _statuses(call, _notices(call, ["item.parent_uri_id = ?"], [conversation_id]))


# Single notices


def show(call: GsCall) -> dict[str, Any]:
    """GET statuses/show: one notice; ``id`` as a parameter wins over the path."""
    item = _notice(call, php_intval(call.params.string("id")))
    if item is None:
        raise GsError(404, "No such notice.")
    if not _visible(call, item):
        raise GsError(403, "Access restricted.")
    return renderer(call).status(int(item["uri_id"]))


def literal_brackets(text: str) -> str:
    """Return plain notice text as a BBCode body that renders every square bracket as typed.

    GNU social notices are plain text, but the shared data model stores BBCode.
    """
    return text.replace("[", "[noparse][[/noparse]")


def update(call: GsCall) -> dict[str, Any]:
    """POST statuses/update: post ``status`` (plain text) with pictures from ``media_ids`` or ``media``.

    Each picture's attachment URL is appended to the text, as GNU social
    does. A reply names the notice in ``in_reply_to_status_id``.
    """
    user = call.require_user()
    params = call.params
    text = params.string("status").strip()
    if not text:
        raise GsError(400, "Client must provide a 'status' parameter with a value.")

    reply_to = php_intval(params.string("in_reply_to_status_id"))
    if reply_to and _notice(call, reply_to) is None:
        raise GsError(404, "Parent notice not found.")

    media_ids = list(dict.fromkeys(_DIGITS.findall(params.string("media_ids"))))
    file = call.files.get("media")
    if file is not None:
        media_ids.append(str(_store_upload(call, user, file).media_id))
    pictures: list[Attachment] = []
    me = renderer(call)
    for media_id in media_ids:
        found = attachments.attachment_for(call.site, call.uid, media_id)
        if found is not None:
            photos.set_permissions(call.store, call.uid, found[0], posts.Acl())
            pictures.append(found[1])
            text += f" {me.attachment_page(found[1].url)}"

    limit = call.site.profile.text_limit
    if limit and len(text) > limit:
        raise GsError(413, f"Maximum notice size is {limit} characters, including attachment URL.")
    if reply_to:
        original = _original(call, _notice(call, reply_to))  # type: ignore[arg-type]
        reply_to = int(original["uri_id"])
    try:
        uri_id = posts.create_post(
            call.site,
            user,
            body=literal_brackets(text),
            app=_source(call),
            reply_to=reply_to or None,
            acl=posts.Acl(),
            coord=_coord(call),
            attachments=pictures,
        )
    except posts.NotCreated as error:
        raise GsError(400, str(error)) from None
    return renderer(call).status(uri_id)


def _source(call: GsCall) -> str:
    """Return the notice source: the ``source`` parameter unless empty or reserved, else "api"."""
    source = call.params.string("source").strip()
    return source if source and source not in ("web", "omb", "ostatus", "mail", "xmpp", "api") else "api"


def _coord(call: GsCall) -> str:
    if call.params.non_empty("lat") and call.params.non_empty("long"):
        return f"{call.params.string('lat')} {call.params.string('long')}"
    return ""


def destroy(call: GsCall) -> dict[str, Any]:
    """POST statuses/destroy: delete one of the caller's notices and return it as it was."""
    user = call.require_user()
    if call.request.method not in ("POST", "DELETE"):
        raise GsError(400, "This method requires a POST or DELETE.")
    item = _notice(call, php_intval(call.params.string("id")))
    if item is None:
        raise GsError(404, "No status found with that ID.")
    if item["author_id"] != user["public_contact"]:
        raise GsError(403, "You may not delete another user's status.")
    result = renderer(call).status(int(item["uri_id"]))
    posts.delete_item(call.store, int(item["uri_id"]))
    return result


def retweet(call: GsCall) -> dict[str, Any]:
    """POST statuses/retweet/<id>: repeat a notice; the response is the new repeat notice."""
    user = call.require_user()
    item = _notice(call, php_intval(call.params.string("id")))
    if item is None:
        raise GsError(400, "No such notice.")
    original = _original(call, item)
    if original["author_id"] == user["public_contact"]:
        raise GsError(400, "You cannot repeat your own notice.")
    if original["private"] == PRIVATE:
        raise GsError(403, "Cannot repeat a private notice.")
    if posts.find_activity(call.store, call.uid, int(original["uri_id"]), (ANNOUNCE,)) is not None:
        raise GsError(400, "You already repeated that notice.")
    posts.react(call.site, user, int(original["uri_id"]), ANNOUNCE)
    repeat = posts.find_activity(call.store, call.uid, int(original["uri_id"]), (ANNOUNCE,))
    assert repeat is not None
    call.store.execute("UPDATE item SET app = ? WHERE uri_id = ?", [_source(call), repeat["uri_id"]])
    return renderer(call).status(int(repeat["uri_id"]))


def retweets(call: GsCall) -> list[dict[str, Any]]:
    """GET statuses/retweets/<id>: the repeats of a notice."""
    item = _notice(call, php_intval(call.params.string("id")))
    if item is None:
        raise GsError(400, "No such notice.")
    where = ["item.gravity = ?", "item.verb = 'announce'", "item.thr_parent_id = ?"]
    return _statuses(call, _notices(call, where, [GRAVITY_ACTIVITY, item["uri_id"]]))


# Faves


def favorite_create(call: GsCall) -> dict[str, Any]:
    """POST favorites/create: fave a notice (a repeat's original); faving twice is 403."""
    user = call.require_user()
    item = _notice(call, php_intval(call.params.string("id")))
    if item is None:
        raise GsError(404, "No status found with that ID.")
    original = _original(call, item)
    if posts.find_activity(call.store, call.uid, int(original["uri_id"]), ("like",)) is not None:
        raise GsError(403, "You have already favorited this!")
    posts.react(call.site, user, int(original["uri_id"]), "like")
    return renderer(call).status(int(original["uri_id"]))


def favorite_destroy(call: GsCall) -> dict[str, Any]:
    """POST favorites/destroy: take a fave back; a notice that is no fave is 403."""
    user = call.require_user()
    if call.request.method != "POST":
        raise GsError(400, "This method requires a POST.")
    item = _notice(call, php_intval(call.params.string("id")))
    if item is None:
        raise GsError(404, "No status found with that ID.")
    original = _original(call, item)
    if posts.find_activity(call.store, call.uid, int(original["uri_id"]), ("like",)) is None:
        raise GsError(403, "That status is not a favorite.")
    posts.react(call.site, user, int(original["uri_id"]), "unlike")
    return renderer(call).status(int(original["uri_id"]))


# People


def verify_credentials(call: GsCall) -> dict[str, Any]:
    """GET account/verify_credentials: the caller with their newest notice."""
    return renderer(call).user(call.profile_id, with_status=True)


def users_show(call: GsCall) -> dict[str, Any]:
    """GET users/show: a local user by ``id``, ``user_id`` or ``screen_name``, with their newest notice."""
    target = target_profile(call)
    if target is None or call.store.user_by_public_contact(int(target["id"])) is None:
        raise GsError(404, "User not found.")
    return renderer(call).user(int(target["id"]), with_status=True)


def _subscriptions(call: GsCall, followers: bool) -> list[int]:
    target = target_profile(call)
    if target is None:
        raise GsError(404, "No such user.")
    local = call.store.user_by_public_contact(int(target["id"]))
    if local is None:
        return []
    relations = (1, 3) if followers else (2, 3)
    rows = call.store.query(
        "SELECT public_id FROM contact WHERE uid = ? AND self = 0 AND pending = 0 AND rel IN (?, ?) "
        "ORDER BY id DESC",
        [local["uid"], *relations],
    )
    return [int(row["public_id"]) for row in rows]


def friends_ids(call: GsCall) -> list[int]:
    """GET friends/ids: ids of the profiles a user subscribes to (a bare JSON array)."""
    return _subscriptions(call, followers=False)


def followers_ids(call: GsCall) -> list[int]:
    """GET followers/ids: ids of a user's subscribers."""
    return _subscriptions(call, followers=True)


def statuses_friends(call: GsCall) -> list[dict[str, Any]]:
    """GET statuses/friends: user arrays (with their newest notice) of a user's subscriptions."""
    me = renderer(call)
    return [me.user(public_id, with_status=True) for public_id in _subscriptions(call, followers=False)]


def statuses_followers(call: GsCall) -> list[dict[str, Any]]:
    """GET statuses/followers: user arrays of a user's subscribers."""
    me = renderer(call)
    return [me.user(public_id, with_status=True) for public_id in _subscriptions(call, followers=True)]


def friendship_create(call: GsCall) -> dict[str, Any]:
    """POST friendships/create: subscribe to a profile at once (no approval) and return it."""
    user = call.require_user()
    other = target_profile(call)
    if other is None:
        raise GsError(403, "Could not follow user: profile not found.")
    other_id = int(other["id"])
    me = renderer(call)
    if other_id == call.profile_id or people.follows(call.store, call.uid, other_id):
        raise GsError(403, f"Could not follow user: {other['nick']} is already on your list.")
    followed = call.store.user_by_public_contact(other_id)
    if followed is None:
        raise GsError(403, "Could not follow user: profile not found.")
    # Subscription::start() throws a plain Exception here, which the API's error handler sends as a 500.
    if user_contacts.flag(call.store, int(followed["uid"]), call.profile_id, "blocked"):
        raise GsError(500, "User has blocked you.")
    people.follow(call.store, int(user["uid"]), int(followed["uid"]))
    return me.user(other_id, with_status=True)


def friendship_destroy(call: GsCall) -> dict[str, Any]:
    """POST friendships/destroy: cancel a subscription and return the profile.

    Cancelling a subscription that does not exist fails with GNU social's
    "Not subscribed!", which its error handler sends as a 500.
    """
    call.require_user()
    other = target_profile(call)
    if other is None:
        raise GsError(403, "Could not unfollow user: User not found.")
    other_id = int(other["id"])
    if other_id == call.profile_id:
        raise GsError(403, "You cannot unfollow yourself.")
    if not people.follows(call.store, call.uid, other_id):
        raise GsError(500, "Not subscribed!")
    people.unfollow(call.store, call.uid, other_id)
    return renderer(call).user(other_id, with_status=True)


def _relationship_side(call: GsCall, source: Row, target: Row) -> dict[str, Any]:
    source_id, target_id = int(source["public_contact"]), int(target["public_contact"])
    following = source_id == target_id or people.follows(call.store, int(source["uid"]), target_id)
    followed_by = source_id == target_id or people.follows(call.store, int(target["uid"]), source_id)
    blocked = call.store.one(
        "SELECT blocked FROM user_contact WHERE uid = ? AND public_id = ?", [source["uid"], target_id]
    )
    return {
        "screen_name": source["nickname"],
        "followed_by": followed_by,
        "following": following,
        "notifications_enabled": False,
        "blocking": bool(blocked and blocked["blocked"]),
        "id": source_id,
    }


def friendship_show(call: GsCall) -> dict[str, Any]:
    """GET friendships/show: the relationship of ``source_*`` (default the caller) and ``target_*``."""
    params = call.params
    if params.non_empty("source_id"):
        source = call.store.user_by_public_contact(php_intval(params.string("source_id")))
    elif params.non_empty("source_screen_name"):
        source = call.store.user_by_nickname(params.string("source_screen_name"))
    else:
        if call.user is None:
            raise GsError(401, "Could not authenticate you.", challenge(call))
        source = call.user
    if params.non_empty("target_id"):
        target = call.store.user_by_public_contact(php_intval(params.string("target_id")))
    elif params.non_empty("target_screen_name"):
        target = call.store.user_by_nickname(params.string("target_screen_name"))
    else:
        target = None
    if source is None:
        raise GsError(404, "Could not determine source user.")
    if target is None:
        raise GsError(404, "Could not find target user.")
    return {
        "relationship": {
            "source": _relationship_side(call, source, target),
            "target": _relationship_side(call, target, source),
        }
    }


def friendship_exists(call: GsCall) -> bool:
    """GET friendships/exists: whether ``user_a`` subscribes to ``user_b``."""
    first = target_profile(call, "user_a") if call.params.non_empty("user_a") else None
    second = target_profile(call, "user_b") if call.params.non_empty("user_b") else None
    if first is None or second is None:
        raise GsError(400, "Two valid IDs or nick names must be supplied.")
    first_user = call.store.user_by_public_contact(int(first["id"]))
    if first["id"] == second["id"]:
        return True
    return first_user is not None and people.follows(call.store, int(first_user["uid"]), int(second["id"]))


# Server


def help_test(call: GsCall) -> str:
    """GET help/test: the JSON string "ok"."""
    return "ok"


def config(call: GsCall) -> dict[str, Any]:
    """GET statusnet/config and gnusocial/config: GNU social's configuration sections, no ``friendica``."""
    site = call.site
    profile = site.profile
    https = site.base_url.startswith("https:")
    return {
        "site": {
            "name": profile.site_name,
            "server": site.host,
            "theme": profile.theme,
            "path": "",
            "logo": None,
            "fancy": True,
            "language": profile.language,
            "email": profile.admin_email,
            "broughtby": None,
            "broughtbyurl": None,
            "timezone": profile.timezone,
            "closed": False,
            "inviteonly": True,
            "private": False,
            "textlimit": profile.text_limit,
            "ssl": "always" if https else "never",
            "sslserver": None,
        },
        "license": {
            "type": "cc",
            "owner": None,
            "url": "https://creativecommons.org/licenses/by/3.0/",
            "title": "Creative Commons Attribution 3.0",
            "image": "/theme/licenses/cc_by_3.0_80x15.png",
        },
        "nickname": {"featured": []},
        "profile": {"biolimit": None},
        "group": {"desclimit": None},
        "notice": {"contentlimit": None},
        "throttle": {"enabled": False, "count": 20, "timespan": 600},
        "xmpp": {"enabled": None, "server": None, "port": None, "user": None},
        "integration": {"source": "StatusNet"},
        "attachments": {
            "uploads": True,
            "file_quota": min(5000000, call.site.media.max_upload_bytes or 5000000),
        },
        "url": {"maxurllength": 100, "maxnoticelength": -1},
    }


def version(call: GsCall) -> str:
    """GET statusnet/version and gnusocial/version: GNU social's version string."""
    return call.site.profile.version


def rate_limit_status(call: GsCall) -> dict[str, Any]:
    """GET account/rate_limit_status: the fixed response, with int counts and an RFC 2822 reset time."""
    reset = dates.now() + timedelta(hours=1)
    return {
        "reset_time_in_seconds": int(reset.timestamp()),
        "remaining_hits": 150,
        "hourly_limit": 150,
        "reset_time": rfc2822_date(call.site, reset),
    }


# Direct messages


def _messages(call: GsCall, sent: bool) -> list[dict[str, Any]]:
    user = call.require_user()
    view = mail.SENT if sent else mail.INBOX
    rows = mail.mailbox(call.store, user, view, mail.MailPage.from_params(call.params))
    me = renderer(call)
    result = []
    for row in rows:
        other = people.public_id_for(call.store, int(row["contact_id"])) or 0
        sender, recipient = (call.profile_id, other) if sent else (int(row["author_id"]), call.profile_id)
        result.append(me.message(row, sender, recipient))
    return result


def direct_messages(call: GsCall) -> list[dict[str, Any]]:
    """GET direct_messages: messages to the caller, newest first."""
    return _messages(call, sent=False)


def direct_messages_sent(call: GsCall) -> list[dict[str, Any]]:
    """GET direct_messages/sent: messages from the caller."""
    return _messages(call, sent=True)


def direct_message_new(call: GsCall) -> Any:
    """POST direct_messages/new: send ``text`` to ``user`` (a nickname or id), ``user_id`` or ``screen_name``.

    Only mutual subscribers may write to each other. GNU social 1.2 stores
    the message and then calls a method its action class lacks, so every
    successful send ends in a 500 error that names that method.
    """
    user = call.require_user()
    text = call.params.string("text").strip()
    if not text:
        raise GsError(406, "No message text!")
    target = (
        target_profile(call, "user")
        if (
            call.params.non_empty("user")
            or call.params.non_empty("user_id")
            or call.params.non_empty("screen_name")
        )
        else None
    )
    if target is None:
        raise GsError(403, "Recipient user not found.")
    target_id = int(target["id"])
    recipient = call.store.user_by_public_contact(target_id)
    mutual = (
        recipient is not None
        and people.follows(call.store, call.uid, target_id)
        and people.follows(call.store, int(recipient["uid"]), call.profile_id)
    )
    if not mutual:
        raise GsError(403, "Cannot send direct messages to users who aren't your friend.")
    if target_id == call.profile_id:
        raise GsError(403, "Do not send a message to yourself; just say it to yourself quietly instead.")
    contact = call.store.user_contact(call.uid, target_id)
    assert contact is not None
    sent = mail.send(call.site, user, int(contact["id"]), text, "")
    logger.info("direct message %d from %s stored before the 500 of GNU social 1.2", sent, user["nickname"])
    # NOTE: read from the 1.2 source: PHP 7 turns the missing method into this 500; PHP 5 dies instead.
    raise GsError(500, "Call to undefined method ApiDirectMessageNewAction::showSingleJsondirectMessage()")


# Media


def attachment_url(call: GsCall, media_id: int) -> str:
    """Return the attachment page URL GNU social appends to a notice for an uploaded file."""
    return f"{call.site.base_url}/attachment/{media_id}"


def _store_upload(call: GsCall, user: Row, file: Any) -> photos.UploadedPhoto:
    try:
        return photos.upload(call.site, user, photos.read_upload(file, call.site.media), acl=posts.Acl())
    except photos.UploadFailed as error:
        logger.info("upload by %s failed: %s", user["nickname"], error)
        raise GsError(400, "Unable to process the uploaded file.") from None


def media_upload(call: GsCall) -> dict[str, Any]:
    """POST media/upload (and statuses/update_with_media): store the ``media`` file.

    Errors keep status 200 and come as ``{"errors": [{"message", "code": 131}]}``.
    """
    user = call.require_user()
    file = call.files.get("media")
    if file is None:
        return {
            "errors": [
                {"message": 'There is no uploaded media for input field "media".', "code": MEDIA_ERROR_CODE}
            ]
        }
    try:
        uploaded = photos.upload(call.site, user, photos.read_upload(file, call.site.media), acl=posts.Acl())
    except photos.UploadFailed as error:
        logger.info("media/upload by %s failed: %s", user["nickname"], error)
        return {"errors": [{"message": "Unable to process the uploaded file.", "code": MEDIA_ERROR_CODE}]}
    return {
        "media_id": uploaded.media_id,
        "media_id_string": str(uploaded.media_id),
        "media_url": attachment_url(call, uploaded.media_id),
        "size": uploaded.size,
        "image": {"w": uploaded.width, "h": uploaded.height, "image_type": uploaded.mimetype},
    }

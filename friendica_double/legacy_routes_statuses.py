"""Friendica 3.5.4's status endpoints: posting, showing, deleting, sharing, timelines, stars and likes.

Ids are the caller's item row ids (see ``legacy_items``). Timelines read the
caller's rows newest first; ``count`` defaults to 20 with no maximum,
``page`` is 1-based, ``since_id`` is exclusive and ``max_id`` inclusive.
The public timeline lists the rows of each thread's wall owner, so its ids
belong to other users and ``statuses/show`` of them fails for the caller.
"""

from __future__ import annotations

from typing import Any

from . import dates, legacy_items, photos, posts
from .db import GRAVITY_ACTIVITY, GRAVITY_PARENT, Row
from .htmlconv import html_to_bbcode
from .imaging import extension_for
from .legacy_items import POSTS, VISIBLE, Page
from .legacy_people import address_book_row, requested_person
from .legacy_render import LegacyRenderer
from .legacy_routing import LegacyCall, LegacyError, empty_body, php_intval

ACL_NAMES = ("contact_allow", "group_allow", "contact_deny", "group_deny")
ACTIVITY_VERBS = (
    "like",
    "dislike",
    "attendyes",
    "attendno",
    "attendmaybe",
    "unlike",
    "undislike",
    "unattendyes",
    "unattendno",
    "unattendmaybe",
)
ATTEND_VERBS = ("attendyes", "attendno", "attendmaybe")
NO_STATUS = "There is no status with this id."


def renderer(call: LegacyCall) -> LegacyRenderer:
    """Return a renderer for the caller, with entities when ``include_entities=true``."""
    include_entities = call.params.string("include_entities", "false").lower() == "true"
    return LegacyRenderer(call.site, call.uid, include_entities)


def page_of(call: LegacyCall, count_from_query_only: bool = False) -> Page:
    """Read 3.5.4's paging parameters; a non-numeric ``count`` gives an empty page, as in 3.5.4."""
    source = call.query if count_from_query_only else call.params
    count = php_intval(source.string("count")) if source.non_empty("count") else 20
    page = php_intval(call.params.string("page")) if call.params.non_empty("page") else 1
    return Page(
        count=max(0, count),
        page=max(1, page),
        since_id=php_intval(call.params.string("since_id")),
        max_id=php_intval(call.params.string("max_id")),
    )


def _caller_row(call: LegacyCall, row_id: int) -> Row | None:
    """Return one of the caller's visible post rows (3.5.4's lookups with ``uid`` and ``verb``)."""
    return call.store.one(
        f"{legacy_items.ITEM_SELECT} WHERE post_user.id = ? AND post_user.uid = ? AND {POSTS} AND {VISIBLE}",
        [row_id, call.uid],
    )


# Posting


def update(call: LegacyCall) -> Any:
    """POST statuses/update (and update_with_media, mediap): post, then return the newest own item.

    ``status`` is BBCode; ``htmlstatus`` is converted only when it contains
    ``<`` or ``>``, otherwise nothing is posted. ``in_reply_to_status_id``
    is any user's row id (digits) or the URI of a post in the caller's rows.
    ACLs use ``contact_allow``/``group_allow``/``contact_deny``/``group_deny``
    (the user's default without any of them). A ``media`` file or one
    ``media_ids`` picture is appended to the body as BBCode. Nothing posted
    (no text, unknown parent) is an empty 200 body. Otherwise the response is
    the caller's newest own item in the second status shape, which is not
    always the new post: a ``message_id`` that is already stored posts
    nothing and still returns the newest item.
    """
    user = call.require_user()
    params = call.params

    if params.non_empty("htmlstatus"):
        markup = params.string("htmlstatus")
        body = html_to_bbcode(markup) if ("<" in markup or ">" in markup) else ""
    else:
        body = params.string("status")

    parent_uri_id = _parent_for_reply(call, params.string("in_reply_to_status_id"))
    if parent_uri_id is False:
        return empty_body()

    message_id = params.string("message_id").strip()
    if message_id and _stored_message(call, message_id):
        return _newest_own(call)

    file = call.files.get("media")
    if file is not None:
        picture = _append_upload(call, user, file)
        body += picture
    elif params.non_empty("media_ids"):
        body += _picture_for_media_id(call, user, php_intval(params.string("media_ids")))

    if not body.strip():
        return empty_body()
    try:
        posts.create_post(
            call.site,
            user,
            body=body,
            title=params.string("title"),
            app=params.string("source") or _default_source(call),
            reply_to=parent_uri_id or None,
            acl=_acl(call, user),
            coord=_coord(call),
        )
    except posts.NotCreated:
        return empty_body()
    return _newest_own(call)


def _default_source(call: LegacyCall) -> str:
    """Return 3.5.4's ``api_source()``: "Twidere" for that client, else "api"."""
    return "Twidere" if "Twidere" in call.request.headers.get("user-agent", "") else "api"


def _parent_for_reply(call: LegacyCall, value: str) -> int | bool:
    """Return the uri-id to reply to, 0 for a new post, or False when the parent is unknown."""
    if not value or value == "-1":
        return 0
    if value.isdigit():
        found = legacy_items.row(call.store, int(value))
        return int(found["uri_id"]) if found is not None else False
    for candidate in call.store.query(
        "SELECT item.uri_id FROM item JOIN post_user ON post_user.uri_id = item.uri_id "
        "WHERE post_user.uid = ?",
        [call.uid],
    ):
        item = call.store.item(candidate["uri_id"])
        if item is not None and legacy_items.item_uri(call.site, item) == value:
            return int(item["uri_id"])
    return False


def _stored_message(call: LegacyCall, message_id: str) -> bool:
    """Return whether the caller already has an item with this URI (3.5.4's duplicate check)."""
    for candidate in call.store.query("SELECT uri_id FROM post_user WHERE uid = ?", [call.uid]):
        item = call.store.item(candidate["uri_id"])
        if item is not None and legacy_items.item_uri(call.site, item) == message_id:
            return True
    return False


def _newest_own(call: LegacyCall) -> Any:
    newest = legacy_items.latest_own_row(call.store, call.uid, public_only=False)
    if newest is None:
        return None
    me = renderer(call)
    return me.second_shape(newest, me.user(int(call.require_user()["public_contact"])))


def _acl(call: LegacyCall, user: Row) -> posts.Acl:
    if not any(name in call.params for name in ACL_NAMES):
        return posts.Acl.from_user_default(user)
    return posts.Acl(
        posts.acl_string(call.params.raw("contact_allow")),
        posts.acl_string(call.params.raw("group_allow")),
        posts.acl_string(call.params.raw("contact_deny")),
        posts.acl_string(call.params.raw("group_deny")),
    )


def _coord(call: LegacyCall) -> str:
    if call.params.non_empty("lat") and call.params.non_empty("long"):
        return f"{call.params.string('lat')} {call.params.string('long')}"
    return ""


def _append_upload(call: LegacyCall, user: Row, file: Any) -> str:
    """Store an uploaded ``media`` file and return the BBCode 3.5.4 appends to the body."""
    try:
        uploaded = photos.upload(call.site, user, photos.read_upload(file, call.site.media), acl=posts.Acl())
    except photos.UploadFailed:
        return ""
    return _picture_bbcode(call, user, uploaded.resource_id)


def _picture_for_media_id(call: LegacyCall, user: Row, media_id: int) -> str:
    """Return the BBCode for a ``media_ids`` picture: its largest scale above 0, else nothing.

    NOTE: read from 3.5.4's query (``scale > 0``); pictures of 320 pixels or
    less have scale 0 only and are silently dropped.
    """
    found = call.store.one("SELECT resource_id FROM photo WHERE id = ? AND uid = ?", [media_id, user["uid"]])
    if found is None:
        return ""
    return _picture_bbcode(call, user, str(found["resource_id"]), above_zero=True)


def _picture_bbcode(call: LegacyCall, user: Row, resource_id: str, above_zero: bool = False) -> str:
    """Return the BBCode of a picture: a link to its photo page around one of its scales.

    A new upload shows its first scaled-down size (1, else 2, else the
    original), a ``media_ids`` picture its largest size above scale 0.
    """
    if above_zero:
        chosen = call.store.one(
            "SELECT scale, type FROM photo WHERE resource_id = ? AND scale > 0 ORDER BY width DESC LIMIT 1",
            [resource_id],
        )
    else:
        chosen = call.store.one(
            "SELECT scale, type FROM photo WHERE resource_id = ? AND scale IN (0, 1, 2) "
            "ORDER BY CASE scale WHEN 1 THEN 0 WHEN 2 THEN 1 ELSE 2 END LIMIT 1",
            [resource_id],
        )
    if chosen is None:
        return ""
    photos.set_permissions(call.store, int(user["uid"]), resource_id, posts.Acl())
    page = f"{call.site.base_url}/photos/{user['nickname']}/image/{resource_id}"
    image = photos.photo_url(call.site, resource_id, int(chosen["scale"]), extension_for(chosen["type"]))
    return f"\n\n[url={page}][img]{image}[/img][/url]"


# Reading


def show(call: LegacyCall) -> Any:
    """GET statuses/show: one of the caller's rows, or with ``conversation`` its thread oldest first."""
    call.require_user()
    row_id = call.path_or_param_id()
    me = renderer(call)
    if call.params.non_empty("conversation"):
        root = _caller_row(call, row_id)
        rows = []
        if root is not None and root["gravity"] == GRAVITY_PARENT:
            rows = call.store.query(
                f"{legacy_items.ITEM_SELECT} WHERE post_user.uid = ? AND item.parent_uri_id = ? "
                f"AND {POSTS} AND {VISIBLE} ORDER BY post_user.id ASC",
                [call.uid, root["uri_id"]],
            )
        if not rows:
            raise LegacyError(400, NO_STATUS)
        return [me.status(row) for row in rows]

    found = _caller_row(call, row_id)
    if found is None:
        raise LegacyError(400, NO_STATUS)
    return me.status(found)


def destroy(call: LegacyCall) -> Any:
    """POST statuses/destroy: return the status as statuses/show does, then delete it.

    The author deletes the post for everyone; anyone else removes their own row.
    """
    user = call.require_user()
    result = show(call)
    found = _caller_row(call, call.path_or_param_id())
    if found is not None:
        posts.delete_for_user(call.store, user, int(found["uri_id"]))
    return result


def retweet(call: LegacyCall) -> Any:
    """POST statuses/retweet: share any user's public row as a new ``[share]`` post.

    The item must be public and have a body, else 403. The response is the
    caller's newest own item in the second status shape.
    """
    user = call.require_user()
    found = legacy_items.row(call.store, call.path_or_param_id())
    if found is None or found["deleted"] or found["gravity"] == GRAVITY_ACTIVITY:
        raise LegacyError(403)
    if not legacy_items.is_public(found) or not found["body"]:
        raise LegacyError(403)

    if "[/share]" in found["body"]:
        body = found["body"][found["body"].find("[share") :]
    else:
        author = call.store.public_contact(found["author_id"])
        assert author is not None
        body = legacy_items.share_body(
            author=author["name"],
            profile=call.site.profile_url(author["nick"]),
            avatar=f"{call.site.base_url}/photo/contact/48/{author['id']}",
            link=call.site.display_url(found["guid"]),
            posted=found["created"],
            body=found["body"],
        )
    try:
        posts.create_post(
            call.site,
            user,
            body=body,
            app=call.params.string("source") or _default_source(call),
            acl=posts.Acl(),
        )
    except posts.NotCreated:
        raise LegacyError(403) from None
    return _newest_own(call)


def _timeline(call: LegacyCall, where: list[str], args: list[Any], page: Page | None = None) -> list[Any]:
    me = renderer(call)
    rows = legacy_items.rows(call.store, where, args, page or page_of(call))
    return [me.status(row) for row in rows]


def _thread_filters(call: LegacyCall, where: list[str], args: list[Any]) -> None:
    """Add ``exclude_replies`` and ``conversation_id`` (a root row id of the caller)."""
    if call.params.non_empty("exclude_replies"):
        where.append(f"item.gravity = {GRAVITY_PARENT}")
    conversation = php_intval(call.params.string("conversation_id"))
    if conversation > 0:
        root = legacy_items.row(call.store, conversation)
        where.append("item.parent_uri_id = ?")
        args.append(root["uri_id"] if root is not None and root["row_uid"] == call.uid else -1)


def home_timeline(call: LegacyCall) -> list[Any]:
    """GET statuses/home_timeline (and friends_timeline): every post row the caller holds."""
    call.require_user()
    where = ["post_user.uid = ?", POSTS, VISIBLE]
    args: list[Any] = [call.uid]
    _thread_filters(call, where, args)
    return _timeline(call, where, args)


def public_timeline(call: LegacyCall) -> list[Any]:
    """GET statuses/public_timeline: public posts and comments, in their wall owner's rows."""
    call.require_user()
    where = [
        POSTS,
        VISIBLE,
        "item.private = 0 AND item.allow_cid = '' AND item.allow_gid = '' AND item.deny_cid = '' "
        "AND item.deny_gid = ''",
        "post_user.uid = (SELECT user.uid FROM user JOIN item AS root ON root.owner_id = user.public_contact "
        "WHERE root.uri_id = item.parent_uri_id)",
    ]
    args: list[Any] = []
    _thread_filters(call, where, args)
    return _timeline(call, where, args)


def user_timeline(call: LegacyCall) -> list[Any]:
    """GET statuses/user_timeline: the caller's rows of a person's posts.

    A person outside the caller's address book gives an empty list (3.5.4
    matches the rows' contact). For the caller, only posts and comments on
    their own wall count, so their comments on others' threads are missing.
    """
    call.require_user()
    public_id = requested_person(call)
    if address_book_row(call, public_id) is None:
        return []
    where = ["post_user.uid = ?", POSTS, VISIBLE, "item.author_id = ?"]
    args: list[Any] = [call.uid, public_id]
    if public_id == call.require_user()["public_contact"]:
        where.append("(SELECT root.owner_id FROM item AS root WHERE root.uri_id = item.parent_uri_id) = ?")
        args.append(public_id)
    _thread_filters(call, where, args)
    return _timeline(call, where, args)


def mentions(call: LegacyCall) -> list[Any]:
    """GET statuses/mentions (and replies): others' rows in threads that mention the caller.

    NOTE: 3.5.4 reads a per-thread "mention" flag; the double takes threads
    in which any post mentions the caller, explicitly or by replying.
    """
    user = call.require_user()
    where = [
        "post_user.uid = ?",
        POSTS,
        VISIBLE,
        "item.author_id != ?",
        "EXISTS (SELECT 1 FROM tag JOIN item AS other ON other.uri_id = tag.uri_id "
        "WHERE other.parent_uri_id = item.parent_uri_id AND tag.type IN ('mention', 'implicit') "
        "AND tag.contact_id = ?)",
    ]
    args: list[Any] = [call.uid, user["public_contact"], user["public_contact"]]
    return _timeline(call, where, args)


def conversation(call: LegacyCall) -> list[Any]:
    """GET conversation/show (and statusnet/conversation): the thread of a row, newest first."""
    call.require_user()
    row_id = php_intval(call.arg(3)) or php_intval(call.params.string("id")) or php_intval(call.arg(4))
    found = legacy_items.row(call.store, row_id)
    root_uri = found["parent_uri_id"] if found is not None else -1
    where = ["post_user.uid = ?", POSTS, VISIBLE, "item.parent_uri_id = ?"]
    result = _timeline(call, where, [call.uid, root_uri])
    if not result:
        raise LegacyError(400, NO_STATUS)
    return result


# Stars (favorites) and activities


def favorites_list(call: LegacyCall) -> list[Any]:
    """GET favorites: the caller's starred rows; ``count`` is read from the query only."""
    call.require_user()
    where = ["post_user.uid = ?", "item.deleted = 0", "post_user.hidden = 0", "post_user.starred = 1"]
    return _timeline(call, where, [call.uid], page_of(call, count_from_query_only=True))


def favorite_action(call: LegacyCall) -> Any:
    """POST favorites/create and favorites/destroy: set or clear the private star of a row.

    The action is the path segment after ``favorites`` and the id the next
    segment or ``id``. Unlike later releases this is no like: nobody else
    sees it. The response is the row in the main shape, with the raw source.
    """
    call.require_user()
    position = 3 if call.arg(1) == "1.1" else 2
    if len(call.argv) <= position:
        raise LegacyError(400, "Invalid request.")
    action = call.arg(position).removesuffix(".json")
    if len(call.argv) == position + 2:
        row_id = php_intval(call.arg(position + 1))
    else:
        row_id = php_intval(call.params.string("id"))

    found = call.store.one(
        f"{legacy_items.ITEM_SELECT} WHERE post_user.id = ? AND post_user.uid = ?", [row_id, call.uid]
    )
    if found is None:
        raise LegacyError(400, "Invalid item.")
    if action not in ("create", "destroy"):
        raise LegacyError(400, f"Invalid action {action}")

    starred = 1 if action == "create" else 0
    call.store.execute("UPDATE post_user SET starred = ? WHERE id = ?", [starred, row_id])
    updated = legacy_items.row(call.store, row_id)
    assert updated is not None
    return renderer(call).status(updated, network_in_source=False)


def activity(call: LegacyCall) -> Any:
    """POST friendica/activity/<verb>: add or remove a like, dislike or attendance; returns "ok".

    Like 3.5.4's ``do_like()`` the verbs toggle: sending ``like`` for a row
    the caller already likes removes the like. An attendance verb replaces
    another one, and sending the same one again removes it. The ``un…``
    verbs only remove. The id must be one of the caller's rows.
    """
    user = call.require_user()
    verb = call.arg(3).lower().split(".")[0]
    target = legacy_items.row(call.store, php_intval(call.params.string("id")))
    if verb not in ACTIVITY_VERBS or target is None or target["row_uid"] != call.uid or target["deleted"]:
        raise LegacyError(400, "Error adding activity")

    name = verb[2:] if verb.startswith("un") else verb
    group = ATTEND_VERBS if name in ATTEND_VERBS else (name,)
    store = call.store
    with store.transaction():
        existing = posts.find_activity(store, call.uid, int(target["uri_id"]), group)
        if existing is not None:
            posts.delete_item(store, int(existing["uri_id"]))
            if name not in ATTEND_VERBS or existing["verb"] == name:
                return "ok"
        if verb.startswith("un"):
            return "ok"
        posts.react(call.site, user, int(target["uri_id"]), name, created=dates.to_storage(dates.now()))
    return "ok"

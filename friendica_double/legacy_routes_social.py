"""Friendica 3.5.4's private mail, groups and notifications.

Mail ids, group ids and every notification field come straight from MySQL
rows in 3.5.4 and are therefore strings in JSON; ``sender_id`` and
``recipient_id`` come from user objects and are ints.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import circles, dates, mail, notifications, people
from .bbcode import STATUSNET, RenderOptions, render_html
from .db import Row
from .htmlconv import html_to_plaintext
from .legacy_items import ITEM_SELECT
from .legacy_render import api_date
from .legacy_routes_statuses import renderer
from .legacy_routing import LegacyCall, LegacyError, empty_body, php_intval
from .routes_notifications import render_notification

SUBJECT_LENGTH = 10
NOTIFICATION_LIMIT = 50


# Private mail


def render_message(call: LegacyCall, row: Row, sender_id: int, recipient_id: int) -> dict[str, Any]:
    """Return 3.5.4's ``api_format_messages()`` object of a mail row.

    Without ``getText`` (query only), ``text`` is the subject, a line break
    and the plain body, and ``title`` is empty. With ``html`` or ``plain``
    the body comes in that form and the subject in ``title``; any other
    value leaves ``text`` empty. ``getUserObjects=false`` drops the users.
    """
    me = renderer(call)
    sender = me.public_user(sender_id)
    recipient = me.public_user(recipient_id)
    options = RenderOptions(STATUSNET, call.site.base_url, lambda url: people.nick_for_url(call.store, url))
    body_html = render_html(row["body"], options)

    message: dict[str, Any] = {
        "id": str(row["id"]),
        "sender_id": sender["id"],
        "text": "",
        "recipient_id": recipient["id"],
        "created_at": api_date(row["created"]),
        "sender_screen_name": sender["screen_name"],
        "recipient_screen_name": recipient["screen_name"],
        "sender": sender,
        "recipient": recipient,
        "title": "",
        "friendica_seen": str(row["seen"]),
        "friendica_parent_uri": row["parent_uri"],
    }
    if call.query.non_empty("getText"):
        message["title"] = row["title"]
        mode = call.query.string("getText")
        if mode == "html":
            message["text"] = body_html
        elif mode == "plain":
            message["text"] = html_to_plaintext(body_html).strip()
    else:
        message["text"] = row["title"] + "\n" + html_to_plaintext(body_html)
    if call.query.string("getUserObjects") == "false":
        del message["sender"]
        del message["recipient"]
    return message


def _message_parties(call: LegacyCall, row: Row) -> tuple[int, int]:
    """Return (sender, recipient) public ids of a copy in the caller's mailbox."""
    own = int(call.require_user()["public_contact"])
    other = people.public_id_for(call.store, int(row["contact_id"])) or 0
    if row["author_id"] == own:
        return own, other
    return int(row["author_id"]), own


def new_message(call: LegacyCall) -> Any:
    """POST direct_messages/new: send ``text`` to ``screen_name`` or ``user_id`` (form fields only).

    Without ``text`` or a recipient the response is an empty body. A
    recipient outside the caller's address book gives ``{"error": -1}`` or
    ``{"error": -2}`` with status 200. ``replyto`` (the caller's copy id)
    continues a thread with its subject; otherwise ``title`` or the first
    ten characters of the text and "..." are the subject.
    """
    user = call.require_user()
    form = call.form
    if not form.non_empty("text") or not (form.non_empty("screen_name") or form.non_empty("user_id")):
        return empty_body()

    if form.non_empty("screen_name"):
        row = call.store.one(
            "SELECT id FROM contact WHERE uid = ? AND self = 0 AND lower(nick) = lower(?) "
            "ORDER BY id LIMIT 1",
            [call.uid, form.string("screen_name")],
        )
        contact_id = int(row["id"]) if row is not None else -1
    else:
        public = call.store.public_contact(php_intval(form.string("user_id")))
        if public is None:
            raise LegacyError(400, "User not found.")
        own_row = call.store.user_contact(call.uid, int(public["id"]))
        contact_id = int(own_row["id"]) if own_row is not None and not own_row["self"] else 0

    text = form.string("text")
    thread_uri, subject = "", ""
    if call.params.non_empty("replyto"):
        replied = mail.find(call.store, call.uid, php_intval(call.params.string("replyto")))
        if replied is not None:
            thread_uri, subject = replied["parent_uri"], replied["title"]
    elif call.params.non_empty("title"):
        subject = call.params.string("title")
    else:
        subject = text[:SUBJECT_LENGTH] + "..." if len(text) > SUBJECT_LENGTH else text

    if contact_id < 0:
        # NOTE: 3.5.4 falls back to the caller's own contact for an unknown nickname; the double refuses.
        result = mail.NOT_A_RECIPIENT
    else:
        result = mail.send(call.site, user, contact_id, text, subject, thread_uri)
    if result < 0:
        return {"error": result}
    row = mail.find(call.store, call.uid, result)
    assert row is not None
    sender, recipient = _message_parties(call, row)
    return render_message(call, row, sender, recipient)


def _mailbox(call: LegacyCall, view: str) -> Any:
    """List a mailbox view newest first; ``count`` comes from the query only, ``max_id`` is inclusive."""
    user = call.require_user()
    count = php_intval(call.query.string("count")) if call.query.non_empty("count") else 20
    page = max(1, php_intval(call.params.string("page")) if call.params.non_empty("page") else 1)
    conditions = ["uid = ?", "id > ?"]
    args: list[Any] = [call.uid, php_intval(call.params.string("since_id"))]
    if view == mail.SENT:
        conditions.append("author_id = ?")
        args.append(user["public_contact"])
    elif view == mail.INBOX:
        conditions.append("author_id != ?")
        args.append(user["public_contact"])
    elif view == mail.CONVERSATION:
        conditions.append("parent_uri = ?")
        args.append(call.query.string("uri"))
    max_id = php_intval(call.params.string("max_id"))
    if max_id > 0:
        conditions.append("id <= ?")
        args.append(max_id)
    if call.params.non_empty("user_id"):
        conditions.append("contact_id = ?")
        args.append(php_intval(call.params.string("user_id")))
    elif call.params.non_empty("screen_name"):
        conditions.append("contact_id IN (SELECT id FROM contact WHERE uid = ? AND lower(nick) = lower(?))")
        args += [call.uid, call.params.string("screen_name")]

    rows = call.store.query(
        f"SELECT * FROM mail WHERE {' AND '.join(conditions)} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*args, max(0, count), (page - 1) * max(0, count)],
    )
    if not rows and call.query.string("friendica_verbose").lower() == "true":
        return {"result": "error", "message": "no mails available"}
    return [render_message(call, row, *_message_parties(call, row)) for row in rows]


def inbox(call: LegacyCall) -> Any:
    """GET direct_messages: mails others sent to the caller."""
    return _mailbox(call, mail.INBOX)


def sent(call: LegacyCall) -> Any:
    """GET direct_messages/sent: mails the caller sent."""
    return _mailbox(call, mail.SENT)


def all_mail(call: LegacyCall) -> Any:
    """GET direct_messages/all: every copy in the caller's mailbox."""
    return _mailbox(call, mail.ALL)


def conversation(call: LegacyCall) -> Any:
    """GET direct_messages/conversation: the copies of one thread (``uri``)."""
    return _mailbox(call, mail.CONVERSATION)


def destroy(call: LegacyCall) -> Any:
    """POST direct_messages/destroy: delete one copy; empty response unless ``friendica_verbose=true``."""
    call.require_user()
    mail_id = php_intval(call.params.string("id"))
    parent_uri = call.params.string("friendica_parenturi")
    verbose = call.query.string("friendica_verbose").lower() == "true"
    if verbose and (mail_id == 0 or not parent_uri):
        return {"result": "error", "message": "message id or parenturi not specified"}
    if mail_id == 0:
        raise LegacyError(400, "Message id not specified")
    found = mail.find(call.store, call.uid, mail_id)
    if found is None or (parent_uri and found["parent_uri"] != parent_uri):
        if verbose:
            return {"result": "error", "message": "message id not in database"}
        raise LegacyError(400, "message id not in database")
    mail.delete(call.store, call.uid, mail_id)
    if verbose:
        return {"result": "ok", "message": "message deleted"}
    return empty_body()


def set_seen(call: LegacyCall) -> dict[str, str]:
    """GET friendica/direct_messages_setseen: mark one copy seen."""
    call.require_user()
    if not call.params.non_empty("id"):
        return {"result": "error", "message": "message id not specified"}
    row = mail.find(call.store, call.uid, php_intval(call.params.string("id")))
    if row is None:
        return {"result": "error", "message": "message id not in database"}
    mail.mark_seen(call.store, int(row["id"]))
    return {"result": "ok", "message": "message set to seen"}


def search(call: LegacyCall) -> dict[str, Any]:
    """GET friendica/direct_messages_search: copies whose body contains ``searchstring``.

    3.5.4 tests "no rows" before "nothing found", so an empty result is
    ``{"success": false, "search_results": "problem with query"}``.
    """
    call.require_user()
    term = call.params.string("searchstring")
    if not term:
        return {"result": "error", "message": "searchstring not specified"}
    rows = mail.search(call.store, call.uid, term)
    if not rows:
        return {"success": False, "search_results": "problem with query"}
    return {
        "success": True,
        "search_results": [render_message(call, row, *_message_parties(call, row)) for row in rows],
    }


# Groups


def _group_members(call: LegacyCall, group_id: int) -> list[dict[str, Any]]:
    me = renderer(call)
    return [me.user(int(row["public_id"])) for row in circles.visible_members(call.store, call.uid, group_id)]


def group_show(call: LegacyCall) -> Any:
    """GET friendica/group_show: all groups, or the one named by ``gid``; ids are strings.

    A user without groups gets JSON ``null``.
    """
    call.require_user()
    gid = php_intval(call.params.string("gid"))
    if gid:
        found = circles.owned_circle(call.store, call.uid, gid, include_deleted=False)
        if found is None:
            raise LegacyError(400, "gid not available")
        groups = [found]
    else:
        groups = circles.circles_of(call.store, call.uid)
    if not groups:
        return None
    return [
        {"name": group["name"], "gid": str(group["id"]), "user": _group_members(call, int(group["id"]))}
        for group in groups
    ]


def _posted_members(call: LegacyCall) -> list[Any]:
    """Return the ``user`` list of the form field ``json`` (3.5.4 reads no raw JSON body)."""
    try:
        decoded = json.loads(call.form.string("json")) if call.form.non_empty("json") else None
    except ValueError:
        return []
    users = decoded.get("user") if isinstance(decoded, dict) else None
    return users if isinstance(users, list) else []


def _add_members(call: LegacyCall, group_id: int, users: list[Any]) -> list[Any]:
    """Add the posted contacts; return the cids that are not the caller's contacts."""
    wrong = []
    for entry in users:
        cid = entry.get("cid") if isinstance(entry, dict) else None
        contact = call.store.contact(php_intval(str(cid))) if cid is not None else None
        if contact is None or contact["uid"] != call.uid:
            wrong.append(cid)
            continue
        circles.add_member(call.store, group_id, int(contact["id"]))
    return wrong


def group_create(call: LegacyCall) -> dict[str, Any]:
    """POST friendica/group_create: create ``name`` with the members of the form field ``json``."""
    call.require_user()
    name = call.params.string("name")
    if not name:
        raise LegacyError(400, "group name not specified")
    if circles.find_by_name(call.store, call.uid, name, include_deleted=False) is not None:
        raise LegacyError(400, "group name already exists")
    group_id, revived = circles.create_or_revive(call.store, call.uid, name)
    wrong = _add_members(call, group_id, _posted_members(call))
    if wrong:
        status = "missing user"
    elif revived:
        status = "reactivated"
    else:
        status = "ok"
    return {"success": True, "gid": str(group_id), "name": name, "status": status, "wrong users": wrong}


def group_update(call: LegacyCall) -> dict[str, Any]:
    """POST friendica/group_update: make the posted contacts the members of group ``gid``."""
    call.require_user()
    name = call.params.string("name")
    gid = call.params.string("gid")
    if not name:
        raise LegacyError(400, "group name not specified")
    if not gid:
        raise LegacyError(400, "gid not specified")
    group = circles.owned_circle(call.store, call.uid, php_intval(gid), include_deleted=True)
    users = _posted_members(call)
    wrong: list[Any] = []
    if group is not None:
        circles.set_members(call.store, int(group["id"]), [])
        wrong = _add_members(call, int(group["id"]), users)
    status = "missing user" if wrong else "ok"
    return {"success": True, "gid": gid, "name": name, "status": status, "wrong users": wrong}


def group_delete(call: LegacyCall) -> dict[str, Any]:
    """POST friendica/group_delete: delete group ``gid``, which must also be called ``name``."""
    call.require_user()
    gid = call.params.string("gid")
    name = call.params.string("name")
    if php_intval(gid) == 0 or not name:
        raise LegacyError(400, "gid or name not specified")
    group = circles.owned_circle(call.store, call.uid, php_intval(gid), include_deleted=True)
    if group is None:
        raise LegacyError(400, "gid not available")
    if group["name"].lower() != name.lower():
        raise LegacyError(400, "wrong group name")
    circles.remove(call.store, int(group["id"]))
    return {"success": True, "gid": gid, "name": name, "status": "deleted", "wrong users": []}


# Notifications


def notification_list(call: LegacyCall) -> Any:
    """GET friendica/notification(s): up to 50 rows, unseen first; ``false`` when there are none.

    The path must have three segments, so under ``api/1.1/`` the response is
    400 "Invalid argument count".
    """
    call.require_user()
    if len(call.argv) != 3:
        raise LegacyError(400, "Invalid argument count")
    rows = notifications.latest(call.store, call.uid, NOTIFICATION_LIMIT)
    if not rows:
        return False
    now = dates.now()
    return [_legacy_notification(call, row, now) for row in rows]


def _legacy_notification(call: LegacyCall, row: Row, now: Any) -> dict[str, Any]:
    """Return a notify row with 3.5.4's types: every stored column a string, ``timestamp`` an int."""
    modern = render_notification(call.site, row, now)
    result: dict[str, Any] = {}
    for key, value in modern.items():
        if key == "seen":
            result[key] = "1" if value else "0"
        elif key == "timestamp":
            result[key] = int(value)
        elif isinstance(value, int):
            result[key] = str(value)
        else:
            result[key] = value
        if key == "id":
            result["hash"] = hashlib.md5(f"notify-{row['id']}".encode()).hexdigest()
    return result


def notification_seen(call: LegacyCall) -> Any:
    """POST friendica/notification/seen: mark a row seen; a row about a post returns ``[status]``.

    For a post the response is the list of the caller's rows with the row's
    ``iid``, which is ``[]`` when the post is gone.
    """
    call.require_user()
    if len(call.argv) != 4:
        raise LegacyError(400, "Invalid argument count")
    row = notifications.find(call.store, php_intval(call.params.string("id")))
    if row is None or row["uid"] != call.uid:
        raise LegacyError(400, "Invalid argument")
    notifications.mark_seen(call.store, int(row["id"]))
    if row["otype"] == notifications.OTYPE_ITEM:
        items = call.store.query(
            f"{ITEM_SELECT} WHERE post_user.id = ? AND post_user.uid = ? AND item.deleted = 0",
            [row["iid"], call.uid],
        )
        me = renderer(call)
        return [me.status(item) for item in items]
    return "success"

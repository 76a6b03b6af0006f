"""Direct message endpoints: ``direct_messages`` (inbox), ``/sent``, ``/all``, ``/conversation``,
``/new``, ``/destroy``, and Friendica's ``direct_messages_setseen`` and ``direct_messages_search``.

Ids are mail copy ids, so each mailbox has its own id for the same message
(see ``mail``). ``friendica_parent_uri`` is the thread key, and ``replyto``
takes the caller's own copy id. As recorded on 2024.08, many failures come
back as 200 with ``{"result": "error", "message": ...}``, a failed send as
200 ``{"error": -N}``, and a ``new`` without text or recipient, or a
successful ``destroy`` without ``friendica_verbose``, as the 200 site page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import dates, errors, mail, people
from .bbcode import STATUSNET, RenderOptions, render_html
from .db import Row
from .htmlconv import html_to_plaintext
from .routing import ApiRoute, Call

# A subject taken from the text keeps this many bytes (PHP's substr()) and gets "...".
SUBJECT_BYTES = 10
TEXT_MODES = ("", "html", "plain")


def render_message(call: Call, row: Row, text_mode: str) -> dict[str, Any]:
    """Return the API object of the caller's mail copy ``row``.

    Without ``text_mode``, ``text`` is the subject, a line break and the plain
    body, and ``title`` is empty. With ``html`` or ``plain`` the body comes
    alone in that form and the subject in ``title``. Friendica fails with 500
    on any other mode, because the text stays unset.
    """
    user = call.require_user()
    store = call.store
    if text_mode not in TEXT_MODES:
        raise errors.EmptyError(500)

    options = RenderOptions(STATUSNET, call.site.base_url, lambda url: people.nick_for_url(store, url))
    body_html = render_html(row["body"], options)
    if text_mode == "html":
        text, title = body_html, row["title"]
    elif text_mode == "plain":
        text, title = html_to_plaintext(body_html), row["title"]
    else:
        text, title = row["title"] + "\n" + html_to_plaintext(body_html), ""

    own_id = int(user["public_contact"])
    if row["author_id"] == own_id:
        sender_id, recipient_id = own_id, people.public_id_for(store, row["contact_id"])
    else:
        sender_id, recipient_id = int(row["author_id"]), own_id
    if recipient_id is None:
        raise errors.EmptyError(500)
    sender = call.twitter.user(sender_id, user["uid"])
    recipient = call.twitter.user(recipient_id, user["uid"])
    del sender["uid"], recipient["uid"]

    return {
        "id": row["id"],
        "sender_id": sender["id"],
        "text": text,
        "recipient_id": recipient["id"],
        "created_at": dates.twitter(row["created"]),
        "sender_screen_name": sender["screen_name"],
        "recipient_screen_name": recipient["screen_name"],
        "sender": sender,
        "recipient": recipient,
        "title": title,
        "friendica_seen": bool(row["seen"]),
        "friendica_parent_uri": row["parent_uri"],
    }


def _person(call: Call) -> int | None:
    """Return the public contact id that ``user_id``, ``profileurl`` or ``screen_name`` names.

    Unlike users/show there is no fallback to the caller. ``user_id`` is
    taken as it is, even when no such contact exists.
    """
    params = call.params
    screen_name = params.string("screen_name")
    if "@" in screen_name and not params.non_empty("user_id") and not params.non_empty("profileurl"):
        nick, _, host = screen_name.partition("@")
        target = people.mention_resolver(call.site)(nick, host)
        return target.public_id if target is not None else None
    return people.public_id_for_search(
        call.store, screen_name, params.string("profileurl"), params.integer("user_id", 0) or 0, 0
    )


def _subject_from_text(text: str) -> str:
    """Return the subject of a mail without title: the text, cut after 10 bytes plus "..."."""
    encoded = text.encode("utf-8")
    if len(encoded) <= SUBJECT_BYTES:
        return text
    # NOTE: PHP may cut inside a multi-byte character; the double drops the broken character.
    return encoded[:SUBJECT_BYTES].decode("utf-8", "ignore") + "..."


def new_message(call: Call) -> Any:
    """POST direct_messages/new: send ``text`` to ``screen_name``, ``user_id`` or ``profileurl``.

    ``title`` is the subject (else the start of the text). ``replyto`` names
    the caller's own copy of a mail, whose thread and subject the reply
    keeps. An unknown recipient is 404 "Recipient not found"; someone the
    caller may not write to gives 200 ``{"error": -1}`` or ``{"error": -2}``.
    """
    user = call.require_user()
    params = call.params
    if not params.non_empty("text") or not (params.non_empty("screen_name") or params.non_empty("user_id")):
        raise errors.SitePage(200)

    person = _person(call)
    if not person:
        raise errors.ApiError(404, "Recipient not found")

    text = params.string("text")
    thread_uri = ""
    if params.non_empty("replyto"):
        answered = mail.find(call.store, user["uid"], params.integer("replyto", 0) or 0)
        if answered is None:
            # NOTE: inferred from the source, not recorded: Friendica reads fields of a missing
            # row and fails with a type error, so the double returns an empty 500 as for other PHP errors.
            raise errors.EmptyError(500)
        thread_uri, subject = answered["parent_uri"], answered["title"]
    elif params.non_empty("title"):
        subject = params.string("title")
    else:
        subject = _subject_from_text(text)

    contact_id = mail.address_book_id(call.store, user["uid"], person)
    mail_id = mail.send(call.site, user, contact_id, text, subject, thread_uri)
    if mail_id < 0:
        return {"error": mail_id}
    row = mail.find(call.store, user["uid"], mail_id)
    assert row is not None
    return render_message(call, row, params.string("getText"))


def _mailbox_handler(view: str) -> Callable[[Call], Any]:
    def handler(call: Call) -> Any:
        user = call.require_user()
        params = call.params
        person = _person(call)
        contact_id = mail.address_book_id(call.store, user["uid"], person) if person else 0
        rows = mail.mailbox(
            call.store,
            user,
            view,
            mail.MailPage.from_params(params),
            thread_uri=params.string("uri"),
            contact_id=contact_id,
        )
        if not rows and params.boolean("friendica_verbose"):
            return {"result": "error", "message": "no mails available"}
        return [render_message(call, row, params.string("getText")) for row in rows]

    handler.__doc__ = f"GET direct_messages ({view}): one page of the caller's copies, newest first."
    return handler


def set_seen(call: Call) -> dict[str, str]:
    """POST friendica/direct_messages_setseen: mark the caller's copy ``id`` seen."""
    user = call.require_user()
    mail_id = call.params.integer("id", 0) or 0
    if not mail_id:
        return {"result": "error", "message": "message id not specified"}
    if mail.find(call.store, user["uid"], mail_id) is None:
        return {"result": "error", "message": "message id not in database"}

    mail.mark_seen(call.store, mail_id)
    return {"result": "ok", "message": "message set to seen"}


def search(call: Call) -> dict[str, Any]:
    """GET friendica/direct_messages_search: the caller's copies whose body contains ``searchstring``."""
    user = call.require_user()
    term = call.params.string("searchstring")
    if term == "":
        return {"result": "error", "message": "searchstring not specified"}

    rows = mail.search(call.store, user["uid"], term)
    if not rows:
        return {"success": False, "search_results": "nothing found"}
    text_mode = call.params.string("getText")
    return {"success": True, "search_results": [render_message(call, row, text_mode) for row in rows]}


def destroy(call: Call) -> dict[str, str]:
    """POST direct_messages/destroy: delete the caller's copy ``id``.

    Without ``friendica_verbose`` a deleted copy gives the 200 site page and
    an unknown one 400 "message id not in database". ``friendica_parenturi``
    must then match the copy's thread too.
    """
    user = call.require_user()
    params = call.params
    mail_id = params.integer("id", 0) or 0
    verbose = params.boolean("friendica_verbose")
    thread_uri = params.string("friendica_parenturi")
    if verbose and not mail_id and not thread_uri:
        return {"result": "error", "message": "message id or parenturi not specified"}

    if not mail.delete(call.store, user["uid"], mail_id, thread_uri):
        if verbose:
            return {"result": "error", "message": "message id not in database"}
        raise errors.ApiError(400, "message id not in database")
    if verbose:
        return {"result": "ok", "message": "message deleted"}
    raise errors.SitePage(200)


ROUTES = [
    ApiRoute("direct_messages", ("GET", "POST"), _mailbox_handler(mail.INBOX)),
    ApiRoute("direct_messages/sent", ("GET",), _mailbox_handler(mail.SENT)),
    ApiRoute("direct_messages/all", ("GET",), _mailbox_handler(mail.ALL)),
    ApiRoute("direct_messages/conversation", ("GET",), _mailbox_handler(mail.CONVERSATION)),
    ApiRoute("direct_messages/new", ("POST",), new_message),
    ApiRoute("direct_messages/destroy", ("POST",), destroy),
    ApiRoute("friendica/direct_messages_setseen", ("POST",), set_seen),
    ApiRoute("friendica/direct_messages_search", ("GET",), search),
]

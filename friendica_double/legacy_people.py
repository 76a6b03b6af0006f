"""Which person a 3.5.4 API call is about (``api_get_user()`` without a contact argument).

3.5.4 reads these query parameters in this order: ``user_id`` (a public
contact id), ``screen_name`` (a nickname in the caller's address book, the
caller's own included) and ``profileurl``. Then it reads the path segment
after the endpoint (``users/show/bob.json`` or ``users/show/5``). Without
any of them the call is about the caller, and an anonymous caller must log
in. An unknown id or nickname is 400 "User not found.".
"""

from __future__ import annotations

from .db import Row
from .legacy_routing import LegacyCall, LegacyError, php_intval
from .text import nick_from_profile_url

NOT_FOUND = "User not found."


def requested_person(call: LegacyCall) -> int:
    """Return the public contact id of the person the call names, or the caller's."""
    store = call.store
    if call.query.non_empty("user_id"):
        return _public_id(call, php_intval(call.query.string("user_id")))
    if call.query.non_empty("screen_name"):
        return _by_nick(call, call.query.string("screen_name"))
    if call.query.non_empty("profileurl"):
        nick = nick_from_profile_url(call.query.string("profileurl")) or ""
        person = store.public_contact_by_nick(nick) if nick else None
        if person is None:
            raise LegacyError(400, NOT_FOUND)
        return int(person["id"])

    segment = call.arg(len(call.called_api)).split(".")[0]
    if segment:
        if segment.isdigit():
            return _public_id(call, int(segment))
        return _by_nick(call, segment)
    return int(call.require_user()["public_contact"])


def _public_id(call: LegacyCall, contact_id: int) -> int:
    person = call.store.public_contact(contact_id)
    if person is None:
        raise LegacyError(400, NOT_FOUND)
    return int(person["id"])


def _by_nick(call: LegacyCall, nick: str) -> int:
    """Find a nickname in the caller's address book (anyone's without a login)."""
    if call.user is not None:
        row: Row | None = call.store.one(
            "SELECT public_id FROM contact WHERE uid = ? AND lower(nick) = lower(?) "
            "ORDER BY self DESC, id LIMIT 1",
            [call.uid, nick],
        )
    else:
        row = call.store.one(
            "SELECT public_id FROM contact WHERE uid != 0 AND lower(nick) = lower(?) "
            "ORDER BY self DESC, id LIMIT 1",
            [nick],
        )
    if row is None:
        raise LegacyError(400, NOT_FOUND)
    return int(row["public_id"])


def address_book_row(call: LegacyCall, public_id: int) -> Row | None:
    """Return the caller's address-book row of a person (their self row for themselves)."""
    if call.user is None:
        return None
    return call.store.user_contact(call.uid, public_id)

"""Friendica's Mastodon account endpoints that fill the Twitter API's gaps.

Served with HTTP Basic auth: ``POST /api/v1/accounts/{id}/follow``,
``/unfollow``, ``/block``, ``/unblock``, ``/mute``, ``/unmute`` (each returns
the Relationship), ``GET /api/v1/accounts/relationships?id[]=``,
``GET /api/v1/follow_requests`` and
``POST /api/v1/follow_requests/{id}/authorize|reject|ignore``.

Account ids are public contact ids; one of the caller's own contact ids
works as well. The errors are Friendica 2024.08's: its JSON errors all come
with status 403 (see ``routes_native``), an id that names no contact is a
404 page "Contact not found." from the Relationship, and following an id
that names no contact fails inside Friendica with an empty 500. What the
actions change is described in ``relations``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.responses import JSONResponse

from . import errors, relations
from .db import REL_FOLLOWER, REL_FRIEND, Row
from .params import php_int
from .render_relationships import relationship, resolve
from .routing import NATIVE_PREFIXES, ApiRoute, Call

ERROR_STATUS = 403
DEFAULT_REQUEST_LIMIT = 40


def _account_id(call: Call) -> int:
    account_id = int(call.path_params.get("id", 0))
    if not account_id:
        raise errors.JsonError(ERROR_STATUS, "Unprocessable Entity")
    return account_id


def _person(call: Call, user: Row, account_id: int) -> int | None:
    """Return the public id behind an account id the caller may name, or None."""
    resolved = resolve(call.store, account_id, user["uid"])
    return resolved[0] if resolved else None


def follow(call: Call) -> dict[str, Any]:
    """POST /api/v1/accounts/{id}/follow: follow, or request to. ``notify=true`` turns on post notices."""
    user = call.require_user()
    account_id = _account_id(call)
    target = call.store.contact(account_id)
    if target is None:
        raise errors.EmptyError(500)

    public_id = int(target["id"]) if target["uid"] == 0 else int(target["public_id"])
    # NOTE: Friendica turns the caller's own self row into a followed contact. The double changes nothing.
    if public_id == user["public_contact"]:
        return relationship(call.store, account_id, user["uid"])

    contact_id = relations.follow(call.store, user, public_id, notify=call.params.boolean("notify"))
    return relationship(call.store, contact_id, user["uid"])


def unfollow(call: Call) -> dict[str, Any]:
    """POST /api/v1/accounts/{id}/unfollow: stop following, or 403 "Record not found" without a relation."""
    user = call.require_user()
    account_id = _account_id(call)
    public_id = _person(call, user, account_id)
    row = relations.address_row(call.store, user["uid"], public_id) if public_id else None
    if row is None:
        raise errors.JsonError(ERROR_STATUS, "Record not found")

    relations.unfollow(call.store, user, row)
    return relationship(call.store, account_id, user["uid"])


def _flag_handler(change: Callable[[Call, Row, int], None]) -> Callable[[Call], dict[str, Any]]:
    def handler(call: Call) -> dict[str, Any]:
        user = call.require_user()
        account_id = _account_id(call)
        public_id = _person(call, user, account_id)
        # NOTE: Friendica lets users block or mute themselves. The double ignores such a call.
        if public_id is not None and public_id != user["public_contact"]:
            change(call, user, public_id)
        return relationship(call.store, account_id, user["uid"])

    return handler


block = _flag_handler(lambda call, user, person: relations.block(call.store, user, person))
unblock = _flag_handler(lambda call, user, person: relations.unblock(call.store, user, person))
mute = _flag_handler(lambda call, user, person: relations.set_muted(call.store, user, person, True))
unmute = _flag_handler(lambda call, user, person: relations.set_muted(call.store, user, person, False))


def relationships(call: Call) -> list[dict[str, Any]]:
    """GET /api/v1/accounts/relationships: one Relationship per ``id[]`` (or a single ``id``)."""
    user = call.require_user()
    raw = call.params.raw("id")
    if not call.params.non_empty("id"):
        raise errors.JsonError(ERROR_STATUS, "Unprocessable Entity")

    if isinstance(raw, dict):
        raw = list(raw.values())
    requested = raw if isinstance(raw, list) else [raw]
    result = []
    for value in requested:
        account_id = php_int(value)
        if account_id is None:
            # A non-numeric id breaks Friendica's int parameter: an empty 500.
            raise errors.EmptyError(500)
        result.append(relationship(call.store, account_id, user["uid"]))
    return result


def follow_requests(call: Call) -> JSONResponse:
    """GET /api/v1/follow_requests: accounts whose request waits, newest request first.

    Paging uses ``min_id``, ``max_id`` (both exclusive) and ``limit`` (default
    40) on request ids, which are the caller's contact ids in the double
    (Friendica's introduction ids are their own id space).
    """
    user = call.require_user()
    params = call.params
    min_id = params.integer("min_id", 0) or 0
    max_id = params.integer("max_id", 0) or 0
    limit = max(0, params.integer("limit", DEFAULT_REQUEST_LIMIT) or 0)

    rows = [
        row
        for row in call.store.pending_requests(user["uid"])
        if row["id"] > min_id and (max_id <= 0 or row["id"] < max_id)
    ][:limit]
    accounts = [call.mastodon.account(int(row["public_id"])) for row in rows]

    headers = {}
    if rows:
        request_ids = [int(row["id"]) for row in rows]
        headers["Link"] = link_header(call, min(request_ids), max(request_ids))
    return JSONResponse(accounts, headers=headers)


def answer_request(call: Call) -> dict[str, Any]:
    """POST /api/v1/follow_requests/{id}/{action}: ``authorize``, ``reject`` or ``ignore`` a request.

    An id without a contact is a 404 page "Contact not found", and a contact
    without a waiting request makes Friendica fail with an empty 500.
    """
    user = call.require_user()
    resolved = resolve(call.store, int(call.path_params.get("id", 0)), user["uid"])
    row = call.store.contact(resolved[1]) if resolved and resolved[1] else None
    if row is None:
        raise errors.ApiError(404, "Contact not found")
    if row["self"] or not row["pending"] or row["rel"] not in (REL_FOLLOWER, REL_FRIEND):
        raise errors.EmptyError(500)

    action = call.path_params.get("action", "")
    if action == "authorize":
        relations.authorize(call.store, user, row)
        return relationship(call.store, int(row["id"]), user["uid"])
    if action == "ignore":
        relations.ignore(call.store, user, row)
        return relationship(call.store, int(row["id"]), user["uid"])
    if action == "reject":
        relations.reject(call.store, user, row)
        # The double deleted the row (see relations.reject), so the public id names the person.
        return relationship(call.store, int(row["public_id"]), user["uid"])
    raise errors.ApiError(400, 'Unexpected action parameter, expecting "authorize", "ignore" or "reject"')


def link_header(call: Call, lowest: int, highest: int) -> str:
    """Return Friendica's Link header: the request's parameters with ``max_id`` or ``min_id`` set.

    ``routes_native_notifications`` sends the same header.
    """
    kept = [
        (key, value)
        for key, value in call.params.values.items()
        if key not in ("min_id", "max_id", "since_id", "pagename")
    ]
    command = f"{call.site.base_url}{call.request.url.path}"
    next_page = _php_query([*kept, ("max_id", str(lowest))])
    previous_page = _php_query([*kept, ("min_id", str(highest))])
    return f'<{command}?{next_page}>; rel="next", <{command}?{previous_page}>; rel="prev"'


def _php_query(pairs: list[tuple[str, Any]]) -> str:
    """Encode parameters like PHP's http_build_query() (lists as ``name[0]=…``)."""
    flat: list[tuple[str, str]] = []
    for key, value in pairs:
        if isinstance(value, list):
            flat += [(f"{key}[{index}]", item) for index, item in enumerate(value)]
        elif isinstance(value, dict):
            flat += [(f"{key}[{name}]", item) for name, item in value.items()]
        else:
            flat.append((key, value))
    return urlencode(flat)


def _native(path: str, methods: tuple[str, ...], handler: Callable[[Call], Any]) -> ApiRoute:
    return ApiRoute(path, methods, handler, prefixes=NATIVE_PREFIXES, extensions=False)


ROUTES = [
    _native("v1/accounts/{id}/follow", ("POST",), follow),
    _native("v1/accounts/{id}/unfollow", ("POST",), unfollow),
    _native("v1/accounts/{id}/block", ("POST",), block),
    _native("v1/accounts/{id}/unblock", ("POST",), unblock),
    _native("v1/accounts/{id}/mute", ("POST",), mute),
    _native("v1/accounts/{id}/unmute", ("POST",), unmute),
    _native("v1/accounts/relationships", ("GET",), relationships),
    _native("v1/follow_requests", ("GET",), follow_requests),
    _native("v1/follow_requests/{id}/{action}", ("POST",), answer_request),
]

"""Friendica's Mastodon notification endpoints, read from the ``notification`` table.

Served with HTTP Basic auth: ``GET /api/v1/notifications``,
``GET /api/v1/notifications/{id}``, ``POST /api/v1/notifications/{id}/dismiss``
and ``POST /api/v1/notifications/clear``. What creates the rows is described
in ``user_notifications``.

A notification is ``{"id", "type", "created_at", "dismissed", "account",
"status"}`` in this order. ``id`` is the row id as a string, an id space of
its own shared by all users. ``account`` is the actor's Mastodon account (id
= public contact id) and ``status`` the Mastodon status of the target as the
caller sees it (id = uri-id): the liked or shared post for ``favourite`` and
``reblog``, the post or comment itself for ``mention`` and ``status``.
Follow notifications have no ``status`` key.

The list reads Friendica 2024.08's parameters the way it does:

- ``limit`` defaults to 15 and is capped at 30; 0, a negative number or
  garbage gives ``[]``.
- Newest first. ``since_id`` and ``min_id`` are both exclusive lower bounds
  (``min_id`` wins when both are set) and also return the newest rows above
  it, not the ones right after it. ``max_id`` is an exclusive upper bound.
- ``include_all=true`` lists dismissed rows too.
- ``exclude_types[]`` works on the stored rows, see
  ``user_notifications.EXCLUSIONS`` for what each type really removes.
- ``types[]`` is not read at all, and ``with_muted`` is read but changes
  nothing.
- ``account_id`` breaks the query when it names a contact (Friendica adds a
  condition on a column the table does not have), so the list is ``[]``. An
  id that names no contact is ignored. NOTE: read from Friendica's code, not
  recorded.
- ``summary=true`` returns ``{"count": n}`` for the same rows, without
  paging.
- Rows that cannot be shown (a follow row without the address-book row) are
  left out after the limit is applied, so a page can be short.

The Link header is the one of ``follow_requests``: ``next`` with
``max_id`` = the lowest id shown, ``prev`` with ``min_id`` = the highest, and
none for an empty page.

``GET /api/v1/notifications/{id}`` also shows dismissed rows; an id of
another user or a row that cannot be shown is 403 "Record not found", and
``/api/v1/notifications/0`` is the list. ``dismiss`` and ``clear`` return
``[]``. Dismissing an id that is not the caller's is a 404 exception page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse

from . import dates, errors, posts, user_notifications
from .context import logger
from .db import Row
from .routes_native_accounts import link_header
from .routing import NATIVE_PREFIXES, ApiRoute, Call

ERROR_STATUS = 403
DEFAULT_LIMIT = 15
MAX_LIMIT = 30


def notification_list(call: Call) -> Any:
    """GET /api/v1/notifications: the caller's notifications, newest first (see the module docstring)."""
    user = call.require_user()
    params = call.params
    where = user_notifications.condition(
        int(user["uid"]), params.boolean("include_all"), _excluded_types(call)
    )
    account_id = params.integer("account_id", 0) or 0
    broken = account_id != 0 and call.store.contact(account_id) is not None

    if params.boolean("summary"):
        return {"count": 0 if broken else user_notifications.count(call.store, where)}

    above = params.integer("min_id", 0) or params.integer("since_id", 0) or 0
    below = params.integer("max_id", 0) or 0
    limit = min(params.integer("limit", DEFAULT_LIMIT) or 0, MAX_LIMIT)
    rows = [] if broken else user_notifications.page(call.store, where, above, below, limit)

    notes: list[dict[str, Any]] = []
    note_ids: list[int] = []
    for row in rows:
        rendered = _render(call, row)
        if rendered is not None:
            notes.append(rendered)
            note_ids.append(int(row["id"]))

    headers = {}
    if note_ids:
        headers["Link"] = link_header(call, min(note_ids), max(note_ids))
    return JSONResponse(notes, headers=headers)


def show(call: Call) -> Any:
    """GET /api/v1/notifications/{id}: one notification of the caller (id 0 lists them all)."""
    user = call.require_user()
    notification_id = int(call.path_params.get("id", 0))
    if not notification_id:
        return notification_list(call)
    row = user_notifications.find(call.store, int(user["uid"]), notification_id)
    rendered = _render(call, row) if row is not None else None
    if rendered is None:
        raise errors.JsonError(ERROR_STATUS, "Record not found")
    return rendered


def dismiss(call: Call) -> list[Any]:
    """POST /api/v1/notifications/{id}/dismiss: dismiss one of the caller's notifications."""
    user = call.require_user()
    notification_id = int(call.path_params.get("id", 0))
    if not notification_id:
        raise errors.JsonError(ERROR_STATUS, "Unprocessable Entity")
    if user_notifications.find(call.store, int(user["uid"]), notification_id) is None:
        raise errors.ApiError(404)
    user_notifications.dismiss(call.store, int(user["uid"]), notification_id)
    return []


def clear(call: Call) -> list[Any]:
    """POST /api/v1/notifications/clear: dismiss all of the caller's notifications."""
    user = call.require_user()
    user_notifications.dismiss(call.store, int(user["uid"]))
    return []


def _excluded_types(call: Call) -> list[str]:
    """Return ``exclude_types`` as a list, as PHP's FILTER_FORCE_ARRAY makes one of any value."""
    raw = call.params.raw("exclude_types")
    if raw is None:
        return []
    if isinstance(raw, dict):
        return [str(value) for value in raw.values()]
    if isinstance(raw, list):
        return [str(value) for value in raw]
    return [str(raw)]


def _render(call: Call, row: Row) -> dict[str, Any] | None:
    """Return the Mastodon notification of a row, or None when Friendica would skip it."""
    kind = user_notifications.mastodon_type(call.store, row)
    if not kind:
        return None
    uid = int(row["uid"])
    try:
        account = call.mastodon.account(int(row["actor_id"]))
    except LookupError:
        logger.info("notification %s skipped: actor %s not found", row["id"], row["actor_id"])
        return None

    notification: dict[str, Any] = {
        "id": str(row["id"]),
        "type": kind,
        "created_at": dates.mastodon(row["created"]),
        "dismissed": bool(row["dismissed"]),
        "account": account,
    }
    target = row["target_uri_id"]
    # Friendica leaves the status out when the target cannot be read (the key is dropped, not null).
    if target and posts.visible_copy(call.store, int(target), uid) is not None:
        notification["status"] = call.mastodon.status(int(target), uid)
    return notification


def _native(path: str, methods: tuple[str, ...], handler: Callable[[Call], Any]) -> ApiRoute:
    return ApiRoute(path, methods, handler, prefixes=NATIVE_PREFIXES, extensions=False)


ROUTES = [
    _native("v1/notifications", ("GET",), notification_list),
    _native("v1/notifications/clear", ("POST",), clear),
    _native("v1/notifications/{id}", ("GET",), show),
    _native("v1/notifications/{id}/dismiss", ("POST",), dismiss),
]

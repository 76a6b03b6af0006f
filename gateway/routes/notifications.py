"""Notifications, from the gateway's notification log."""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer, authenticate
from gateway.errors import GatewayError, NotFound
from gateway.notifications import notifications_json, sync
from gateway.pagination import link_header, parse_page
from gateway.params import Params, read_params
from gateway.routes.common import path_id
from gateway.services import Services, services
from gateway.store.base import NotificationRecord
from mappings.notifications import group_key

log = logging.getLogger("mastogate.notifications")

UNREAD_LIMIT = 1000
# The types whose notifications about one status form one group in the v2 API.
GROUPED_TYPES = {"favourite", "reblog"}


def _types(params: Params, name: str) -> set[str] | None:
    """Read a list of notification types; like Mastodon, names it does not know are left out."""
    values = set(params.strings(name))
    return values or None


async def list_notifications(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    page = parse_page(params, default_limit=40, max_limit=80)
    types, exclude_types = _types(params, "types"), _types(params, "exclude_types")
    account_id = params.string("account_id") or None
    shared = services(request)

    await sync(shared, viewer)
    records = await shared.store.list_notifications(
        viewer.store_scope,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
        limit=page.limit,
        types=types,
        exclude_types=exclude_types,
        account_id=account_id,
    )
    headers = {}
    if records:
        headers["Link"] = link_header(request, shared.public_url, records[0].id, records[-1].id)
    return JSONResponse(await notifications_json(shared, viewer, records), headers=headers)


async def show_notification(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    shared = services(request)
    record = await shared.store.get_notification(viewer.store_scope, path_id(request))
    rendered = await notifications_json(shared, viewer, [record]) if record else []
    if not rendered:
        raise NotFound()
    return JSONResponse(rendered[0])


async def dismiss_notification(request: Request) -> JSONResponse:
    """Remove a notification from the person's list; the upstream's own row is marked seen."""
    viewer = await authenticate(request, "write:notifications")
    shared = services(request)
    record = await shared.store.get_notification(viewer.store_scope, path_id(request))
    if record is None or not await shared.store.dismiss_notification(viewer.store_scope, record.id):
        raise NotFound()
    if record.source.startswith("notify:"):
        try:
            await shared.upstream.mark_notification_seen(
                viewer.credential, int(record.source.split(":", 1)[1])
            )
        except GatewayError as error:
            # The dismissal stands; an upstream row left unseen only affects Friendica's own counter.
            log.info("could not mark %s of user %d seen upstream: %s", record.source, viewer.user_id, error)
    return JSONResponse({})


async def clear_notifications(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    shared = services(request)

    # Log what the upstream has first: what is cleared must not come back on the next sync.
    await sync(shared, viewer, force=True)
    await shared.store.dismiss_all_notifications(viewer.store_scope)
    return JSONResponse({})


async def _last_read(shared: Services, viewer: UserViewer) -> int:
    markers = await shared.store.markers(viewer.store_scope, ["notifications"])
    return int(markers["notifications"].last_read_id) if "notifications" in markers else 0


async def unread_count(request: Request) -> JSONResponse:
    """Count the notifications newer than the person's notifications marker."""
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    limit = max(1, min(params.integer("limit", 100) or 100, UNREAD_LIMIT))
    shared = services(request)

    await sync(shared, viewer)
    count = await shared.store.count_notifications_after(
        viewer.store_scope, await _last_read(shared, viewer), limit
    )
    return JSONResponse({"count": count})


async def grouped_unread_count(request: Request) -> JSONResponse:
    """Count the notification groups newer than the person's notifications marker."""
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    limit = max(1, min(params.integer("limit", 100) or 100, UNREAD_LIMIT))
    shared = services(request)

    await sync(shared, viewer)
    records = await shared.store.list_notifications(
        viewer.store_scope,
        max_id=None,
        since_id=await _last_read(shared, viewer),
        min_id=None,
        limit=UNREAD_LIMIT,
        types=_types(params, "types"),
        exclude_types=_types(params, "exclude_types"),
    )
    groups = {group_key(record.type, record.status_id, str(record.id)) for record in records}
    return JSONResponse({"count": min(len(groups), limit)})


async def grouped_notifications(request: Request) -> JSONResponse:
    """Return notifications grouped as in Mastodon 4.3: favourites and reblogs of one status together."""
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    page = parse_page(params, default_limit=40, max_limit=80)
    types, exclude_types = _types(params, "types"), _types(params, "exclude_types")
    shared = services(request)

    await sync(shared, viewer)
    records = await shared.store.list_notifications(
        viewer.store_scope,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
        limit=page.limit,
        types=types,
        exclude_types=exclude_types,
    )
    rendered = await notifications_json(shared, viewer, records)
    headers = {}
    if records:
        headers["Link"] = link_header(request, shared.public_url, records[0].id, records[-1].id)
    grouped_types = set(params.strings("grouped_types")) or GROUPED_TYPES
    return JSONResponse(_grouped(rendered, grouped_types), headers=headers)


async def _group_records(shared: Services, viewer: UserViewer, key: str) -> list[NotificationRecord]:
    """Return the logged notifications of one v2 group key, newest first; 404 when there are none."""
    await sync(shared, viewer)
    kind, _, rest = key.partition("-")
    if kind == "ungrouped" and rest.isdigit():
        record = await shared.store.get_notification(viewer.store_scope, int(rest))
        records = [record] if record is not None else []
    elif kind in GROUPED_TYPES and rest.isdigit():
        records = await shared.store.notification_group(viewer.store_scope, kind, rest)
    else:
        records = []
    if not records:
        raise NotFound()
    return records


async def show_group(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    shared = services(request)
    records = await _group_records(shared, viewer, request.path_params["group_key"])
    rendered = await notifications_json(shared, viewer, records)
    if not rendered:
        raise NotFound()
    return JSONResponse(_grouped(rendered, GROUPED_TYPES))


async def group_accounts(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:notifications")
    shared = services(request)
    records = await _group_records(shared, viewer, request.path_params["group_key"])
    accounts: dict[str, Any] = {}
    for notification in await notifications_json(shared, viewer, records):
        accounts.setdefault(notification["account"]["id"], notification["account"])
    return JSONResponse(list(accounts.values()))


async def dismiss_group(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:notifications")
    shared = services(request)
    for record in await _group_records(shared, viewer, request.path_params["group_key"]):
        await shared.store.dismiss_notification(viewer.store_scope, record.id)
    return JSONResponse({})


def _grouped(notifications: list[dict[str, Any]], grouped_types: set[str]) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    accounts: dict[str, Any] = {}
    statuses: dict[str, Any] = {}
    for notification in notifications:
        accounts.setdefault(notification["account"]["id"], notification["account"])
        if notification["status"]:
            statuses.setdefault(notification["status"]["id"], notification["status"])
        key = notification["group_key"]
        if notification["type"] not in grouped_types:
            key = f"ungrouped-{notification['id']}"
        group = groups.get(key)
        if group is None:
            groups[key] = {
                "group_key": key,
                "notifications_count": 1,
                "type": notification["type"],
                "most_recent_notification_id": notification["id"],
                "page_min_id": notification["id"],
                "page_max_id": notification["id"],
                "latest_page_notification_at": notification["created_at"],
                "sample_account_ids": [notification["account"]["id"]],
                "status_id": notification["status"]["id"] if notification["status"] else None,
            }
            continue
        group["notifications_count"] += 1
        group["page_min_id"] = notification["id"]
        if notification["account"]["id"] not in group["sample_account_ids"]:
            group["sample_account_ids"].append(notification["account"]["id"])
    return {
        "accounts": list(accounts.values()),
        "statuses": list(statuses.values()),
        "notification_groups": list(groups.values()),
    }

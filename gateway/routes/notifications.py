"""Notifications, from the gateway's notification log."""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import authenticate
from gateway.errors import GatewayError, NotFound, Unprocessable
from gateway.notifications import notifications_json, sync
from gateway.pagination import link_header, parse_page
from gateway.params import Params, read_params
from gateway.routes.common import path_id
from gateway.services import services
from mappings.notifications import MASTODON_TYPES

log = logging.getLogger("mastogate.notifications")

UNREAD_LIMIT = 1000


def _types(params: Params, name: str) -> set[str] | None:
    values = set(params.strings(name))
    unknown = (
        values - set(MASTODON_TYPES) - {"poll", "admin.sign_up", "admin.report", "severed_relationships"}
    )
    if unknown:
        raise Unprocessable(f"Validation failed: {', '.join(sorted(unknown))} is not a notification type")
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
    await services(request).store.dismiss_all_notifications(viewer.store_scope)
    return JSONResponse({})


async def unread_count(request: Request) -> JSONResponse:
    """Count the notifications newer than the person's notifications marker."""
    viewer = await authenticate(request, "read:notifications")
    params = await read_params(request)
    limit = max(1, min(params.integer("limit", 100) or 100, UNREAD_LIMIT))
    shared = services(request)

    await sync(shared, viewer)
    markers = await shared.store.markers(viewer.store_scope, ["notifications"])
    last_read = int(markers["notifications"].last_read_id) if "notifications" in markers else 0
    count = await shared.store.count_notifications_after(viewer.store_scope, last_read, limit)
    return JSONResponse({"count": count})


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
    return JSONResponse(_grouped(rendered), headers=headers)


def _grouped(notifications: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    accounts: dict[str, Any] = {}
    statuses: dict[str, Any] = {}
    for notification in notifications:
        accounts.setdefault(notification["account"]["id"], notification["account"])
        if notification["status"]:
            statuses.setdefault(notification["status"]["id"], notification["status"])
        group = groups.get(notification["group_key"])
        if group is None:
            groups[notification["group_key"]] = {
                "group_key": notification["group_key"],
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

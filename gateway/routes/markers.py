"""Read positions (markers), which Mastodon apps save and the upstream does not keep."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import authenticate
from gateway.errors import Unprocessable
from gateway.params import read_params
from gateway.services import services
from gateway.store.base import Marker
from mappings.dates import mastodon_timestamp

TIMELINES = ("home", "notifications")


def marker_entity(marker: Marker) -> dict[str, Any]:
    return {
        "last_read_id": marker.last_read_id,
        "version": marker.version,
        "updated_at": mastodon_timestamp(marker.updated_at),
    }


async def show_markers(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    params = await read_params(request)
    wanted = [timeline for timeline in params.strings("timeline") if timeline in TIMELINES] or list(TIMELINES)

    markers = await services(request).store.markers(viewer.store_scope, wanted)
    return JSONResponse({timeline: marker_entity(marker) for timeline, marker in markers.items()})


def _last_read_ids(params_values: dict[str, Any]) -> dict[str, str]:
    """Read ``home[last_read_id]=…`` from forms and ``{"home": {"last_read_id": …}}`` from JSON."""
    found: dict[str, str] = {}
    for name, value in params_values.items():
        timeline, bracket, rest = name.partition("[")
        if bracket and rest == "last_read_id]":
            found[timeline] = str(value)
        elif isinstance(value, dict) and "last_read_id" in value:
            found[name] = str(value["last_read_id"])
    return found


async def save_markers(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    positions = _last_read_ids({name: params.get(name) for name in params.names()})
    if not positions:
        raise Unprocessable(
            "Validation failed: give home[last_read_id] or notifications[last_read_id]",
            field="timeline",
            code="ERR_BLANK",
        )
    unknown = sorted(set(positions) - set(TIMELINES))
    if unknown:
        raise Unprocessable(
            f"Validation failed: {', '.join(unknown)} is not a timeline; use home or notifications",
            field="timeline",
            code="ERR_INCLUSION",
        )
    for timeline, last_read_id in positions.items():
        if not last_read_id.isdigit():
            raise Unprocessable(
                f"Validation failed: {timeline} last_read_id must be a status id", field="last_read_id"
            )

    store, now = services(request).store, datetime.now(UTC)
    saved = {
        timeline: await store.save_marker(viewer.store_scope, timeline, last_read_id, now)
        for timeline, last_read_id in positions.items()
    }
    return JSONResponse({timeline: marker_entity(marker) for timeline, marker in saved.items()})

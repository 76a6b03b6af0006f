"""Turn upstream statuses into the JSON a client gets, with what the store adds.

Mapping itself is pure (``mappings.statuses``). This module first gathers
what the mappers need from the store: ids for shared originals that have
none. After mapping, it records in one batch which statuses the page shows
the viewer liked.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.ids import MintedKind
from gateway.pictures import status_extras
from gateway.services import Services
from mappings.context import MappingContext
from mappings.statuses import status_from_friendica


async def statuses_json(
    shared: Services, viewer: UserViewer, raws: list[dict[str, Any]], *, with_source: bool = False
) -> list[dict[str, Any]]:
    ctx = await shared.mapping_context(viewer.user_id)
    original_ids = await _original_ids(shared, raws)
    extras = await status_extras(shared, viewer, raws)
    statuses = [
        status_from_friendica(
            raw, ctx, reblog_id=original_ids.get(int(raw["id"])), with_source=with_source, extras=extras
        ).to_json()
        for raw in raws
    ]
    await observe_favourites(shared, viewer, raws, ctx)
    return statuses


async def status_json(
    shared: Services, viewer: UserViewer, raw: dict[str, Any], *, with_source: bool = False
) -> dict[str, Any]:
    return (await statuses_json(shared, viewer, [raw], with_source=with_source))[0]


async def _original_ids(shared: Services, raws: list[dict[str, Any]]) -> dict[int, str]:
    """Mint ids for shared originals that the upstream gives the outer id (legacy servers)."""
    ids: dict[int, str] = {}
    for raw in raws:
        inner = raw.get("retweeted_status")
        if isinstance(inner, dict) and str(inner.get("id")) == str(raw.get("id")):
            minted = await shared.store.mint_id(
                MintedKind.SHARED_ORIGINAL, "upstream", str(raw["id"]), datetime.now(UTC)
            )
            ids[int(raw["id"])] = str(minted)
    return ids


async def observe_favourites(
    shared: Services, viewer: UserViewer, raws: list[dict[str, Any]], ctx: MappingContext
) -> None:
    """Keep the favourites log in step with what a page shows the viewer liked.

    The upstream has no list of the statuses a person liked, so the gateway
    keeps one: every like made through it, plus every status a page shows
    as liked. A status a page shows as no longer liked leaves the log.
    """
    if not ctx.favorited_is_like or not raws:
        return
    now = datetime.now(UTC)
    liked = {int(raw["id"]): (json.dumps(raw), now) for raw in raws if raw.get("favorited") is True}
    unliked = [int(raw["id"]) for raw in raws if raw.get("favorited") is False]
    if unliked:
        logged = await shared.store.favourite_status_ids(viewer.store_scope, unliked)
        await shared.store.forget_favourites(viewer.store_scope, sorted(logged))
    if liked:
        await shared.store.record_favourites(viewer.store_scope, liked)

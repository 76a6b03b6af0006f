"""Turn upstream statuses into the JSON a client gets, with what the store adds.

Mapping itself is pure (``mappings.statuses``). This module first gathers
what the mappers need from the store in one batch per page: ids for shared
originals that have none, picture entities, and the viewer's bookmarks,
muted threads and sensitive flags. After mapping it applies the viewer's
filters for the page's context and records which statuses the page shows
the viewer liked.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.filtering import active_filters
from gateway.ids import MintedKind
from gateway.pictures import page_attachments
from gateway.services import Services
from mappings.context import MappingContext
from mappings.entities import Status
from mappings.filters import apply_filters
from mappings.friendica import parse_status
from mappings.statuses import StatusExtras, status_from_friendica, viewer_favourited

# The name under which the store keeps, per person, the original a share made through the gateway wraps.
SHARE_ORIGINAL_KEY = "share-original:{share_id}"
# And the other way round: the share post a person made of an original through the gateway,
# or "" once that share was deleted.
SHARED_AS_KEY = "shared-as:{status_id}"


async def minted_scope(shared: Services, viewer: UserViewer) -> str:
    """Return the scope of ids minted for upstream items: the viewer's own where ids are per person."""
    dialect = (await shared.capabilities.get()).dialect
    return viewer.store_scope if dialect.item_ids_per_user else "upstream"


async def status_extras(shared: Services, viewer: UserViewer, raws: list[dict[str, Any]]) -> StatusExtras:
    """Gather everything the store adds to a page of statuses, one query per kind."""
    statuses = [parse_status(raw) for raw in raws]
    shown = [status.retweeted_status or status for status in statuses]
    ids = [status.id for status in shown]
    threads = [status.statusnet_conversation_id or status.id for status in shown]
    if (await shared.capabilities.get()).dialect.bookmarks_on_star:
        bookmarked = frozenset(status.id for status in shown if status.friendica_starred)
    else:
        bookmarked = await shared.store.bookmarked(viewer.store_scope, ids)
    return StatusExtras(
        attachments=await page_attachments(shared, viewer, shown),
        sensitive=await shared.store.sensitive_statuses(ids),
        bookmarked=bookmarked,
        muted_threads=await shared.store.muted_threads(viewer.store_scope, threads),
        reblogged=await _shared_through_gateway(shared, viewer, ids),
    )


async def _shared_through_gateway(shared: Services, viewer: UserViewer, ids: list[int]) -> frozenset[int]:
    """Return the statuses the viewer shared with ``statuses/retweet`` through the gateway.

    A share post there does not show on its original, so the gateway's own
    note is the only record of it.
    """
    if (await shared.capabilities.get()).reblog_via != "retweet":
        return frozenset()
    names = {SHARED_AS_KEY.format(status_id=status_id): status_id for status_id in set(ids)}
    noted = await shared.store.sync_values(viewer.store_scope, list(names))
    return frozenset(names[name] for name, share_id in noted.items() if share_id)


async def statuses_json(
    shared: Services,
    viewer: UserViewer,
    raws: list[dict[str, Any]],
    *,
    with_source: bool = False,
    context: str | None = None,
) -> list[dict[str, Any]]:
    """Map a page of upstream statuses; with a filter ``context``, apply the viewer's filters."""
    ctx = await shared.mapping_context(viewer.user_id)
    original_ids = await _original_ids(shared, viewer, raws)
    extras = await status_extras(shared, viewer, raws)
    filters = await active_filters(shared, viewer, context) if context else []
    now = datetime.now(UTC)

    statuses = []
    for raw in raws:
        status: Status | None = status_from_friendica(
            raw, ctx, reblog_id=original_ids.get(int(raw["id"])), with_source=with_source, extras=extras
        )
        if filters and context and status is not None:
            status = apply_filters(status, filters, context, now)
        if status is not None:
            statuses.append(status.to_json())

    await observe_favourites(shared, viewer, raws, ctx)
    await _refresh_bookmarks(shared, viewer, raws, extras)
    return statuses


async def status_json(
    shared: Services, viewer: UserViewer, raw: dict[str, Any], *, with_source: bool = False
) -> dict[str, Any]:
    return (await statuses_json(shared, viewer, [raw], with_source=with_source))[0]


async def _refresh_bookmarks(
    shared: Services, viewer: UserViewer, raws: list[dict[str, Any]], extras: StatusExtras
) -> None:
    """Keep the stored copies of bookmarked statuses as fresh as the last page that showed them."""
    snapshots = {int(raw["id"]): json.dumps(raw) for raw in raws if int(raw["id"]) in extras.bookmarked}
    if snapshots:
        await shared.store.refresh_bookmarks(viewer.store_scope, snapshots)


async def _original_ids(shared: Services, viewer: UserViewer, raws: list[dict[str, Any]]) -> dict[int, str]:
    """Find ids for shared originals that the upstream gives the outer id (legacy servers).

    A share made through the gateway wraps an original whose id it noted.
    Other originals get a minted id that stands for the share post, scoped
    to the viewer where ids are per person.
    """
    ids: dict[int, str] = {}
    scope = await minted_scope(shared, viewer)
    for raw in raws:
        inner = raw.get("retweeted_status")
        if not isinstance(inner, dict) or str(inner.get("id")) != str(raw.get("id")):
            continue
        noted = await shared.store.sync_value(
            viewer.store_scope, SHARE_ORIGINAL_KEY.format(share_id=int(raw["id"]))
        )
        if noted is not None:
            ids[int(raw["id"])] = noted
            continue
        minted = await shared.store.mint_id(
            MintedKind.SHARED_ORIGINAL, scope, str(raw["id"]), datetime.now(UTC)
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
    if not raws:
        return
    now = datetime.now(UTC)
    shown = {int(raw["id"]): viewer_favourited(parse_status(raw), ctx) for raw in raws}
    liked = {int(raw["id"]): (json.dumps(raw), now) for raw in raws if shown[int(raw["id"])]}
    unliked = [status_id for status_id, favourited in shown.items() if not favourited]
    if unliked:
        logged = await shared.store.favourite_status_ids(viewer.store_scope, unliked)
        await shared.store.forget_favourites(viewer.store_scope, sorted(logged))
    if liked:
        await shared.store.record_favourites(viewer.store_scope, liked)

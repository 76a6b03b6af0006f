"""Shares (Mastodon reblogs) and the ids the gateway mints for them.

On a modern Friendica a share is an activity without a timeline entry of
its own, and the Twitter-compatible API cannot make or undo one correctly
(2024.08's ``statuses/retweet`` acts on an unrelated item, and no release
has ``unretweet``). Where the upstream serves its own Mastodon API the
gateway shares through that; elsewhere it returns 422. Mastodon answers a
reblog with a wrapper status of its own id, so the gateway mints one per
person and original, and resolves it back when a client sends it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import Forbidden, NotFound, Unprocessable
from gateway.ids import MintedKind, is_minted
from gateway.lookups import user_by_id
from gateway.notifications import log_share, withdraw_share
from gateway.render import status_json
from gateway.services import Services
from mappings.accounts import account_from_friendica
from mappings.entities import Status
from mappings.friendica import parse_status
from mappings.statuses import reblog_wrapper


async def original_of_share(shared: Services, minted_id: int) -> int:
    """Return the upstream id of the original behind a minted share id."""
    found = await shared.store.resolve_minted_id(minted_id)
    if found is not None and found[0] == MintedKind.MAIL:
        raise Unprocessable(
            "This is a private message; the upstream server cannot favourite, share or bookmark it"
        )
    if found is None or found[0] not in (MintedKind.SHARE, MintedKind.SHARED_ORIGINAL):
        raise NotFound()
    return int(found[2])


async def upstream_status_id(shared: Services, status_id: int) -> int:
    """Return the upstream item a Mastodon status id stands for."""
    return await original_of_share(shared, status_id) if is_minted(status_id) else status_id


async def share_wrapper_json(
    shared: Services, viewer: UserViewer, minted_id: int, sharer_id: int, original: dict[str, Any]
) -> dict[str, Any]:
    sharer = await user_by_id(shared, viewer, sharer_id)
    ctx = await shared.mapping_context(viewer.user_id)
    wrapper = reblog_wrapper(
        Status.model_validate(await status_json(shared, viewer, original)),
        wrapper_id=str(minted_id),
        reblogger=account_from_friendica(sharer, ctx),
        created_at=datetime.now(UTC),
    )
    return wrapper.to_json()


async def show_share(shared: Services, viewer: UserViewer, minted_id: int) -> dict[str, Any]:
    """Return the wrapper status behind a minted share id, as ``GET /api/v1/statuses/:id`` does."""
    found = await shared.store.resolve_minted_id(minted_id)
    if found is None:
        raise NotFound()
    kind, scope, key = found
    original = await shared.upstream.show_status(viewer.credential, int(key))
    if kind != MintedKind.SHARE:
        return await status_json(shared, viewer, original)
    return await share_wrapper_json(shared, viewer, minted_id, int(scope.removeprefix("user:")), original)


async def reblog(shared: Services, viewer: UserViewer, status_id: int) -> dict[str, Any]:
    capabilities = await shared.capabilities.get()
    status_id = await upstream_status_id(shared, status_id)
    if capabilities.reblog_via != "native":
        # TODO: share with statuses/retweet on legacy Friendica, where it works.
        raise Unprocessable("The upstream server cannot share statuses through its API")

    # Like Mastodon, only the author may share a private status: sharing it
    # would show it to the sharer's followers.
    before = await shared.upstream.show_status(viewer.credential, status_id)
    if before.get("friendica_private") and not _is_author(before, viewer):
        raise Forbidden("This action is not allowed")

    await shared.upstream.native_reblog(viewer.credential, status_id)
    original = await shared.upstream.show_status(viewer.credential, status_id)
    await log_share(shared, viewer, original)
    now = datetime.now(UTC)
    minted = await shared.store.mint_id(MintedKind.SHARE, viewer.store_scope, str(status_id), now)
    return await share_wrapper_json(shared, viewer, minted, viewer.user_id, original)


def _is_author(raw: dict[str, Any], viewer: UserViewer) -> bool:
    author = raw.get("friendica_author") or raw.get("user") or {}
    return str(author.get("id")) == str(viewer.user_id)


async def delete_share(shared: Services, viewer: UserViewer, minted_id: int) -> dict[str, Any]:
    """Undo the viewer's share behind a minted id, as deleting a reblog does in Mastodon."""
    found = await shared.store.resolve_minted_id(minted_id)
    if found is None or found[0] != MintedKind.SHARE or found[1] != viewer.store_scope:
        raise NotFound()
    original = parse_status(await shared.upstream.show_status(viewer.credential, int(found[2])))
    if not any(user.id == viewer.user_id for user in original.friendica_activities.announce):
        # The share was already undone: there is nothing left to delete.
        raise NotFound()
    return await unreblog(shared, viewer, int(found[2]))


async def unreblog(shared: Services, viewer: UserViewer, status_id: int) -> dict[str, Any]:
    capabilities = await shared.capabilities.get()
    status_id = await upstream_status_id(shared, status_id)
    if capabilities.unreblog_via != "native":
        raise Unprocessable("The upstream server cannot undo a share through its API")

    await shared.upstream.native_unreblog(viewer.credential, status_id)
    original = await shared.upstream.show_status(viewer.credential, status_id)
    await withdraw_share(shared, viewer, original)
    return await status_json(shared, viewer, original)

"""Shares (Mastodon reblogs) and the ids the gateway mints for them.

On a modern Friendica a share is an activity without a timeline entry of
its own, and the Twitter-compatible API cannot make or undo one correctly
(2024.08's ``statuses/retweet`` acts on an unrelated item, and no release
has ``unretweet``). Where the upstream serves its own Mastodon API the
gateway shares through that. Mastodon answers a reblog with a wrapper
status of its own id, so the gateway mints one per person and original,
and resolves it back when a client sends it.

Older Friendica (``Capabilities.reblog_via == "retweet"``) shares with
``statuses/retweet``, which makes a ``[share]`` post of the viewer's own:
its id is the wrapper's, and the original inside it carries the same id.
The gateway remembers which original a share made through it wraps, and
mints an id for the originals of other shares. No release can undo a share,
but the share post can be deleted like any status of the viewer's.

GNU social's repeat is a notice of its own too, whose original keeps its
own id and names the viewer's repeat, so undoing a share deletes that
repeat (``Capabilities.unreblog_via == "delete"``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import Forbidden, NotFound, Unprocessable
from gateway.ids import MintedKind, is_minted
from gateway.lookups import user_by_id
from gateway.notifications import log_share, withdraw_share
from gateway.render import SHARE_ORIGINAL_KEY, SHARED_AS_KEY, minted_scope, status_json
from gateway.services import Services
from mappings.accounts import account_from_friendica
from mappings.entities import Status
from mappings.friendica import parse_status
from mappings.statuses import reblog_wrapper


async def original_of_share(shared: Services, viewer: UserViewer, minted_id: int) -> int:
    """Return the upstream id of the original behind a minted share id.

    Where each person has ids of their own, an id minted for another person
    names an item of theirs, so it is not found.
    """
    found = await shared.store.resolve_minted_id(minted_id)
    if found is not None and found[0] == MintedKind.MAIL:
        raise Unprocessable(
            "This is a private message; the upstream server cannot favourite, share or bookmark it"
        )
    if found is None or found[0] not in (MintedKind.SHARE, MintedKind.SHARED_ORIGINAL):
        raise NotFound()
    if (
        found[1] not in ("upstream", viewer.store_scope)
        and (await minted_scope(shared, viewer)) != "upstream"
    ):
        raise NotFound()
    return int(found[2])


async def upstream_status_id(shared: Services, viewer: UserViewer, status_id: int) -> int:
    """Return the upstream item a Mastodon status id stands for."""
    return await original_of_share(shared, viewer, status_id) if is_minted(status_id) else status_id


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
    status_id = await upstream_status_id(shared, viewer, status_id)
    if capabilities.reblog_via is None:
        raise Unprocessable("The upstream server cannot share statuses through its API")

    # Like Mastodon, only the author may share a private status: sharing it
    # would show it to the sharer's followers.
    before = await shared.upstream.show_status(viewer.credential, status_id)
    if before.get("friendica_private") and not _is_author(before, viewer):
        raise Forbidden("This action is not allowed")

    if capabilities.reblog_via == "retweet":
        if isinstance(before.get("retweeted_status"), dict):
            # A share post: reblogging it reblogs the original it wraps, as in Mastodon.
            status_id = await _original_of_share_post(shared, viewer, status_id)
        return await _reblog_with_retweet(shared, viewer, status_id)
    await shared.upstream.native_reblog(viewer.credential, status_id)
    original = await shared.upstream.show_status(viewer.credential, status_id)
    await log_share(shared, viewer, original)
    now = datetime.now(UTC)
    minted = await shared.store.mint_id(MintedKind.SHARE, viewer.store_scope, str(status_id), now)
    return await share_wrapper_json(shared, viewer, minted, viewer.user_id, original)


async def _reblog_with_retweet(shared: Services, viewer: UserViewer, status_id: int) -> dict[str, Any]:
    """Share with ``statuses/retweet`` and return the viewer's share post as the reblog.

    Like Mastodon, a second reblog returns the first share instead of making
    another, as long as that share post still exists.
    """
    earlier = await _earlier_share(shared, viewer, status_id)
    if earlier is not None:
        return await status_json(shared, viewer, earlier)

    share = await shared.upstream.share(viewer.credential, status_id, viewer_id=viewer.user_id)
    await shared.store.set_sync_value(
        viewer.store_scope, SHARE_ORIGINAL_KEY.format(share_id=int(share["id"])), str(status_id)
    )
    await shared.store.set_sync_value(
        viewer.store_scope, SHARED_AS_KEY.format(status_id=status_id), str(share["id"])
    )
    await log_share(shared, viewer, share["retweeted_status"])
    return await status_json(shared, viewer, share)


async def _original_of_share_post(shared: Services, viewer: UserViewer, share_id: int) -> int:
    """Return the original a share post wraps, where the gateway noted it; raises 422 elsewhere.

    A share post made outside the gateway names no original the viewer can
    share, and sharing the share post itself would wrap it a second time.
    """
    noted = await shared.store.sync_value(viewer.store_scope, SHARE_ORIGINAL_KEY.format(share_id=share_id))
    if not noted:
        raise Unprocessable("The upstream server cannot share a share: share the original post instead")
    return int(noted)


async def _earlier_share(shared: Services, viewer: UserViewer, status_id: int) -> dict[str, Any] | None:
    """Return the viewer's share post of a status made through the gateway, if it still exists."""
    noted = await shared.store.sync_value(viewer.store_scope, SHARED_AS_KEY.format(status_id=status_id))
    if not noted:
        return None
    try:
        share = await shared.upstream.show_status(viewer.credential, int(noted))
    except NotFound:
        await forget_share(shared, viewer, int(noted))
        return None
    return share if isinstance(share.get("retweeted_status"), dict) else None


async def forget_share(shared: Services, viewer: UserViewer, share_id: int) -> None:
    """Forget that a deleted post was the viewer's share, so its original no longer shows as reblogged."""
    original = await shared.store.sync_value(viewer.store_scope, SHARE_ORIGINAL_KEY.format(share_id=share_id))
    if original:
        await shared.store.set_sync_value(viewer.store_scope, SHARED_AS_KEY.format(status_id=original), "")


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
    status_id = await upstream_status_id(shared, viewer, status_id)
    if capabilities.unreblog_via is None:
        raise Unprocessable("The upstream server cannot undo a share through its API")

    if capabilities.unreblog_via == "delete":
        original = await shared.upstream.unshare(viewer.credential, status_id, viewer_id=viewer.user_id)
    else:
        await shared.upstream.native_unreblog(viewer.credential, status_id)
        original = await shared.upstream.show_status(viewer.credential, status_id)
    await withdraw_share(shared, viewer, original)
    return await status_json(shared, viewer, original)

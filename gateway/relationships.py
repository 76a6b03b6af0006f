"""The viewer's relationships with other accounts, and following, blocking and muting them.

Where the upstream serves Friendica's own Mastodon API, its Relationship
gives in one call what the Twitter-compatible lists leave out (mutes, the
viewer's pending requests), and the actions the Twitter-compatible API
lacks (follow, block, mute) go through it. Elsewhere relationships come from
the viewer's contact lists and these actions answer 422, except where GNU
social routes them (``friendships/create``, ``blocks/create|destroy``).
Unfollowing uses ``friendships/destroy``, which every Friendica since
2019.01 has.

Friendica's Relationship sets ``requested`` whichever side asked, so a
pending row is told apart with the upstream's user object: its
``following`` is true when the person has a relation towards the viewer,
and their request waits when their contact id is among
``friendships/incoming``.
"""

from __future__ import annotations

from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import NotFound, Unprocessable
from gateway.lookups import user_by_id, users_by_ids
from gateway.notifications import log_follow
from gateway.services import Services
from gateway.upstream_calls import UpstreamUnverified
from mappings.entities import Relationship
from mappings.friendica import parse_user
from mappings.relationships import ContactSets, relationship_from_contacts, relationship_from_native


async def relationships(shared: Services, viewer: UserViewer, account_ids: list[int]) -> list[Relationship]:
    """Return the viewer's relationship with each known account, in the order asked."""
    account_ids = list(dict.fromkeys(account_ids))
    if not account_ids:
        return []
    if (await shared.capabilities.get()).relations_via == "native":
        return await _native_relationships(shared, viewer, account_ids)
    return await _contact_relationships(shared, viewer, account_ids)


async def _native_relationships(
    shared: Services, viewer: UserViewer, account_ids: list[int]
) -> list[Relationship]:
    try:
        rows = await shared.upstream.native_relationships(viewer.credential, account_ids)
    except NotFound:
        # One unknown id fails the whole call, so ask again for the known ones only.
        known = [int(user["id"]) for user in await users_by_ids(shared, viewer, account_ids)]
        rows = await shared.upstream.native_relationships(viewer.credential, known) if known else []
    return await relationships_from_rows(shared, viewer, rows)


async def relationships_from_rows(
    shared: Services, viewer: UserViewer, rows: list[dict[str, Any]]
) -> list[Relationship]:
    """Map the upstream's own Relationships, telling whose request a pending row is."""
    waiting: set[int] | None = None
    mapped = []
    for row in rows:
        requested = requested_by = False
        if row.get("requested") is True:
            if waiting is None:
                waiting = set(await shared.upstream.contact_ids(viewer.credential, "incoming"))
            requested, requested_by = await _pending_side(shared, viewer, int(row["id"]), waiting)
        mapped.append(relationship_from_native(row, requested=requested, requested_by=requested_by))
    return mapped


async def _pending_side(
    shared: Services, viewer: UserViewer, account_id: int, waiting: set[int]
) -> tuple[bool, bool]:
    """Return (requested, requested_by) for a pending row of the viewer's address book."""
    # A fresh user object: the request may be seconds old.
    user = await shared.upstream.show_user(viewer.credential, account_id)
    shared.users.put(viewer.credential, user)
    parsed = parse_user(user)
    if parsed.cid is not None and parsed.cid in waiting:
        return False, True
    # A row of theirs that no longer waits is a request the viewer rejected, not one the viewer sent.
    return not parsed.following, False


async def _contact_relationships(
    shared: Services, viewer: UserViewer, account_ids: list[int]
) -> list[Relationship]:
    credential = viewer.credential
    capabilities = await shared.capabilities.get()
    known = await users_by_ids(shared, viewer, account_ids)
    # Where the upstream cannot list blocks or requests, nobody shows as blocked or requesting.
    waiting: set[int] = set()
    if capabilities.has("follow_requests"):
        waiting = set(await shared.upstream.contact_ids(credential, "incoming"))
    blocked: frozenset[int] = frozenset()
    if capabilities.has("blocks_list"):
        blocked = frozenset(await shared.upstream.contact_ids(credential, "blocks"))
    elif capabilities.block_via == "blocks":
        # GNU social lists no blocks, but its user objects say whether the viewer blocks them.
        blocked = frozenset(int(user["id"]) for user in known if user.get("statusnet_blocking") is True)
    contacts = ContactSets(
        following=frozenset(await shared.upstream.contact_ids(credential, "friends")),
        followers=frozenset(await shared.upstream.contact_ids(credential, "followers")),
        blocked=blocked,
        requesting=frozenset(int(user["id"]) for user in known if parse_user(user).cid in waiting),
    )
    return [relationship_from_contacts(int(user["id"]), contacts) for user in known]


# Actions


async def require_relations(shared: Services, action: str) -> None:
    """Raise 422 where the upstream has no way to ``action`` (follow, block, mute, ...)."""
    if (await shared.capabilities.get()).relations_via is None:
        raise Unprocessable(f"The upstream server does not support this: it cannot {action} through its API")


async def _other_account(shared: Services, viewer: UserViewer, account_id: int, action: str) -> None:
    """Check that the account exists and is not the viewer's own, before anything is sent upstream."""
    if account_id == viewer.user_id:
        raise Unprocessable(f"Validation failed: you cannot {action} yourself")
    await user_by_id(shared, viewer, account_id)


async def follow(shared: Services, viewer: UserViewer, account_id: int, *, notify: bool) -> Relationship:
    """Follow an account, or ask to where it approves its followers."""
    follow_via = (await shared.capabilities.get()).follow_via
    if follow_via is None:
        raise Unprocessable(
            "The upstream server does not support this: it cannot follow accounts through its API"
        )
    await _other_account(shared, viewer, account_id, "follow")
    if follow_via == "friendships":
        return await _follow_with_friendships(shared, viewer, account_id)

    row = await shared.upstream.native_follow(viewer.credential, account_id, notify=notify)
    shared.users.forget(viewer.credential, account_id)
    requested = row["requested"] and not row["following"]
    return relationship_from_native(row, requested=requested, requested_by=False)


async def _follow_with_friendships(shared: Services, viewer: UserViewer, account_id: int) -> Relationship:
    """Follow with ``friendships/create`` (GNU social), where a follow takes effect at once, and check it.

    GNU social refuses to follow an account twice, so the friendship is read first.
    """
    friendship = await shared.upstream.friendship(viewer.credential, account_id)
    if friendship.get("following") is not True:
        await shared.upstream.create_friendship(viewer.credential, account_id)
        await log_follow(shared, viewer, account_id)
    shared.users.forget(viewer.credential, account_id)

    relationship = (await relationships(shared, viewer, [account_id]))[0]
    if not relationship.following:
        # TODO: a GNU social account that approves its subscribers queues the request instead.
        # No endpoint of its API lists queued requests, so such a follow is reported as failed.
        raise UpstreamUnverified(detail=f"user {viewer.user_id} does not follow {account_id} after following")
    return relationship


async def unfollow(shared: Services, viewer: UserViewer, account_id: int) -> Relationship:
    """Stop following an account, or withdraw the viewer's request that waits for approval."""
    capabilities = await shared.capabilities.get()
    capabilities.require("unfollow")
    await _other_account(shared, viewer, account_id, "unfollow")

    followed = True
    if capabilities.follow_via == "friendships":
        # GNU social fails friendships/destroy with a 500 where there is no follow, so it is looked up first.
        followed = (await shared.upstream.friendship(viewer.credential, account_id)).get("following") is True
    if followed:
        await shared.upstream.destroy_friendship(viewer.credential, account_id)
    shared.users.forget(viewer.credential, account_id)
    relationship = (await relationships(shared, viewer, [account_id]))[0]
    if relationship.requested or await _request_waits(shared, viewer, relationship):
        # friendships/destroy cannot withdraw a request that still waits.
        await require_relations(shared, "withdraw a follow request")
        row = await shared.upstream.native_unfollow(viewer.credential, account_id)
        relationship = relationship_from_native(row, requested=False, requested_by=False)
    if relationship.following:
        raise UpstreamUnverified(detail=f"user {viewer.user_id} still follows {account_id} after unfollowing")
    return relationship


async def _request_waits(shared: Services, viewer: UserViewer, relationship: Relationship) -> bool:
    """Tell whether the viewer's own follow request waits, where the relationship cannot show it.

    Only the upstream's own Relationship reports the viewer's pending requests.
    Without it, ``friendships/show`` counts a waiting request as following.
    """
    capabilities = await shared.capabilities.get()
    if relationship.following or capabilities.relations_via == "native":
        return False
    if not capabilities.has("friendship"):
        # NOTE: before Friendica 2022.02 nothing shows a request the person made in Friendica's
        # web interface, so it stays in place after an unfollow.
        return False
    friendship = await shared.upstream.friendship(viewer.credential, int(relationship.id))
    return friendship.get("following") is True


# Each flag action, with the words the 422 uses for what the upstream cannot do.
FLAG_ACTIONS = {
    "block": "block accounts",
    "unblock": "unblock accounts",
    "mute": "mute accounts",
    "unmute": "unmute accounts",
}


async def set_flag(shared: Services, viewer: UserViewer, account_id: int, action: str) -> Relationship:
    """Block, unblock, mute or unmute an account."""
    capabilities = await shared.capabilities.get()
    if action in ("block", "unblock") and capabilities.block_via == "blocks":
        return await _block_with_blocks(shared, viewer, account_id, blocked=action == "block")
    await require_relations(shared, FLAG_ACTIONS[action])
    await _other_account(shared, viewer, account_id, action)

    row = await shared.upstream.native_flag(viewer.credential, account_id, action)
    shared.users.forget(viewer.credential, account_id)
    return (await relationships_from_rows(shared, viewer, [row]))[0]


async def _block_with_blocks(
    shared: Services, viewer: UserViewer, account_id: int, *, blocked: bool
) -> Relationship:
    """Block or unblock with ``blocks/create|destroy`` (GNU social) and check it in a fresh user object.

    A GNU social block also ends the follows in both directions.
    """
    action = "block" if blocked else "unblock"
    await _other_account(shared, viewer, account_id, action)
    await shared.upstream.block(viewer.credential, account_id, create=blocked)
    shared.users.forget(viewer.credential, account_id)

    relationship = (await relationships(shared, viewer, [account_id]))[0]
    if relationship.blocking is not blocked:
        raise UpstreamUnverified(detail=f"{action} of {account_id} left blocking={relationship.blocking}")
    return relationship

"""Follow requests waiting for the viewer: listing them, and authorizing or rejecting one.

``friendships/incoming`` lists the requests as the viewer's own contact ids
(``cid``), not as the public ids accounts have, so the people behind them
are looked up by those contact ids and checked by the ``cid`` they carry.
Pages run over contact ids. The Twitter-compatible API cannot answer a
request; that goes through the upstream's own Mastodon API.
"""

from __future__ import annotations

import logging
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import NotFound
from gateway.pagination import PageRequest
from gateway.relationships import require_relations
from gateway.services import Services
from gateway.upstream_calls import UpstreamUnverified
from mappings.entities import Relationship
from mappings.friendica import parse_user
from mappings.relationships import relationship_from_native

log = logging.getLogger("mastogate.follow_requests")

ACTIONS = {"authorize": "accept follow requests", "reject": "reject follow requests"}


async def waiting_page(
    shared: Services, viewer: UserViewer, page: PageRequest
) -> tuple[list[dict[str, Any]], list[int]]:
    """Return the users of one page of waiting requests, newest first, and the page's contact ids."""
    contact_ids = await shared.upstream.contact_id_page(
        viewer.credential,
        "incoming",
        count=page.limit,
        max_id=page.max_id,
        since_id=page.since_id,
        min_id=page.min_id,
    )
    users = await _users_of_contacts(shared, viewer, contact_ids)
    return users, contact_ids


async def _users_of_contacts(
    shared: Services, viewer: UserViewer, contact_ids: list[int]
) -> list[dict[str, Any]]:
    if not contact_ids:
        return []
    try:
        users = await shared.upstream.users_by_contact_ids(viewer.credential, contact_ids)
    except NotFound:
        # A request was withdrawn since the list was read; ask for each contact alone.
        users = []
        for contact_id in contact_ids:
            try:
                users += await shared.upstream.users_by_contact_ids(viewer.credential, [contact_id])
            except NotFound:
                log.info("follow request of contact %d is gone", contact_id)
    shared.users.put_many(viewer.credential, users)
    order = {contact_id: position for position, contact_id in enumerate(contact_ids)}
    return sorted(users, key=lambda user: order[int(user["cid"])])


async def answer(shared: Services, viewer: UserViewer, account_id: int, action: str) -> Relationship:
    """Authorize or reject the waiting follow request of an account; 404 when none waits."""
    await require_relations(shared, ACTIONS[action])
    user = await shared.upstream.show_user(viewer.credential, account_id)
    contact_id = parse_user(user).cid
    if contact_id is None or contact_id not in await _waiting(shared, viewer):
        raise NotFound("No follow request from this account is waiting")

    row = await shared.upstream.native_answer_follow_request(viewer.credential, account_id, action)
    if contact_id in await _waiting(shared, viewer):
        raise UpstreamUnverified(detail=f"the follow request of {account_id} still waits after {action}")
    shared.users.forget(viewer.credential, account_id)
    return relationship_from_native(row, requested=False, requested_by=False)


async def _waiting(shared: Services, viewer: UserViewer) -> set[int]:
    return set(await shared.upstream.contact_ids(viewer.credential, "incoming"))

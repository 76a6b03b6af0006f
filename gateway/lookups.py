"""Upstream look-ups that many routes share, behind the per-credential user cache."""

from __future__ import annotations

from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import NotFound
from gateway.services import Services
from mappings.accounts import split_acct
from mappings.friendica import parse_user


async def own_account(shared: Services, viewer: UserViewer, *, fresh: bool = False) -> dict[str, Any]:
    """Return the person's own upstream account, from the short-lived cache unless ``fresh``."""
    cached = None if fresh else shared.own_accounts.get(viewer.credential)
    if cached is not None:
        return cached
    user = await shared.upstream.verify_credentials(viewer.credential)
    shared.own_accounts.put(viewer.credential, user)
    return user


async def user_by_id(shared: Services, viewer: UserViewer, user_id: int) -> dict[str, Any]:
    """Return an upstream user by public contact id; raises NotFound for an unknown id."""
    cached = shared.users.get(viewer.credential, user_id)
    if cached is not None:
        return cached
    user = await shared.upstream.show_user(viewer.credential, user_id)
    shared.users.put(viewer.credential, user)
    return user


async def users_by_ids(shared: Services, viewer: UserViewer, user_ids: list[int]) -> list[dict[str, Any]]:
    """Return the users of several public ids in the order asked, leaving out unknown ids.

    Cached users cost nothing and the others one ``users/lookup``. That call
    fails as a whole when one id is unknown, and then each id is asked alone,
    as it is where the upstream has no ``users/lookup``.
    """
    found: dict[int, dict[str, Any]] = {}
    for user_id in dict.fromkeys(user_ids):
        cached = shared.users.get(viewer.credential, user_id)
        if cached is not None:
            found[user_id] = cached

    missing = [user_id for user_id in dict.fromkeys(user_ids) if user_id not in found]
    if missing:
        try:
            if not (await shared.capabilities.get()).has("users_lookup"):
                raise NotFound(detail="the upstream has no users/lookup")
            fetched = await shared.upstream.lookup_users(viewer.credential, missing)
        except NotFound:
            fetched = [user for user_id in missing if (user := await _user_or_none(shared, viewer, user_id))]
        shared.users.put_many(viewer.credential, fetched)
        found.update((int(user["id"]), user) for user in fetched)
    return [found[user_id] for user_id in dict.fromkeys(user_ids) if user_id in found]


async def _user_or_none(shared: Services, viewer: UserViewer, user_id: int) -> dict[str, Any] | None:
    try:
        return await shared.upstream.show_user(viewer.credential, user_id)
    except NotFound:
        return None


async def user_by_acct(shared: Services, viewer: UserViewer, acct: str) -> dict[str, Any]:
    """Return the user an address names: ``name`` on this server, or ``name@domain``.

    ``users/search`` matches nicknames, display names and addresses exactly,
    so only a result whose own address is the one asked for counts. The
    upstream only finds remote accounts it has stored before.
    """
    ctx = await shared.mapping_context(viewer.user_id)
    username, domain = split_acct(acct, ctx)
    if not username:
        raise NotFound("Record not found")
    wanted = username if domain is None else f"{username}@{domain}"

    cached = shared.users.find_acct(viewer.credential, wanted)
    if cached is not None:
        return cached
    # Friendica keeps nicknames in lower case and compares addresses without regard to case.
    for user in await shared.upstream.search_users(viewer.credential, wanted.lower()):
        parsed = parse_user(user)
        if ctx.acct_for(parsed.screen_name, parsed.profile_url).lower() == wanted.lower():
            shared.users.put_acct(viewer.credential, wanted, user)
            return user
    if domain is None:
        # GNU social has no users/search, but users/show finds its own accounts by nickname.
        user = await shared.upstream.user_by_screen_name(viewer.credential, username)
        shared.users.put_acct(viewer.credential, wanted, user)
        return user
    raise NotFound(f"No account {wanted} is known to this server")

"""The viewer's lists (Friendica circles): reading, creating, renaming, deleting, members, timeline.

Lists are read and changed through ``lists/*`` where the upstream has it
(Friendica 2018.05 and later), and their members through the circle
endpoints, which need the full member list on every change (see
``gateway.upstream_lists``). Without ``lists/*``, the circle endpoints
also list, create and delete them, and nothing can rename them. Every change is checked before and after:
unknown accounts, accounts the viewer does not follow and another person's
list are refused before anything is written, and the member list is read
back afterwards. Which replies a list shows (Mastodon's ``replies_policy``)
is kept by the gateway and applied to the list's timeline.
"""

from __future__ import annotations

from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import NotFound, Unprocessable
from gateway.filters import is_reply
from gateway.lookups import users_by_ids
from gateway.pagination import PageRequest
from gateway.services import Services
from gateway.timelines import Fetch, Keep
from gateway.upstream import UpstreamPage
from gateway.upstream_calls import UpstreamUnverified, int_or_none

MAX_TITLE = 255
REPLIES_POLICIES = ("list", "followed", "none")
DEFAULT_REPLIES_POLICY = "list"


async def _circle_prefix(shared: Services) -> str:
    prefix = (await shared.capabilities.get()).circle_prefix
    if prefix is None:
        raise Unprocessable("The upstream server does not support lists")
    return prefix


async def own_lists(shared: Services, viewer: UserViewer) -> list[dict[str, Any]]:
    """Return the viewer's lists as upstream objects with ``id`` and ``name``; none where it has no lists."""
    capabilities = await shared.capabilities.get()
    if capabilities.lists_api:
        return await shared.upstream.owned_lists(viewer.credential)
    if capabilities.circle_prefix is None:
        return []
    circles = await shared.upstream.circles(viewer.credential, await _circle_prefix(shared))
    return [{"id": circle["gid"], "name": circle.get("name")} for circle in circles]


async def own_list(shared: Services, viewer: UserViewer, list_id: int) -> dict[str, Any]:
    """Return one of the viewer's lists; another person's list and an unknown id are 404."""
    for found in await own_lists(shared, viewer):
        if int(found["id"]) == list_id:
            return found
    raise NotFound()


def check_title(title: str | None) -> str:
    if title is None or not title.strip():
        raise Unprocessable("Validation failed: Title can't be blank", field="title")
    if len(title) > MAX_TITLE:
        raise Unprocessable(f"Validation failed: Title is longer than {MAX_TITLE} characters", field="title")
    return title.strip()


def _check_unused(title: str, lists: list[dict[str, Any]], list_id: int | None = None) -> None:
    # Friendica finds circles by name when it changes members, so two lists must not share a title.
    for other in lists:
        if int(other["id"]) != list_id and str(other.get("name", "")).casefold() == title.casefold():
            raise Unprocessable(
                f"Validation failed: another list is already called {title!r}; choose another title",
                field="title",
            )


def check_replies_policy(policy: str | None) -> str | None:
    if policy in (None, ""):
        return None
    if policy not in REPLIES_POLICIES:
        raise Unprocessable(
            f"Validation failed: replies_policy must be one of {', '.join(REPLIES_POLICIES)}",
            field="replies_policy",
        )
    return policy


async def replies_policies(shared: Services, viewer: UserViewer) -> dict[int, str]:
    """Return the replies policy of each of the viewer's lists that the gateway has stored."""
    return await shared.store.list_replies_policies(viewer.store_scope)


async def create_list(
    shared: Services, viewer: UserViewer, title: str, replies_policy: str | None
) -> dict[str, Any]:
    _check_unused(title, await own_lists(shared, viewer))
    if (await shared.capabilities.get()).lists_api:
        created = await shared.upstream.create_list(viewer.credential, title)
    else:
        created = await shared.upstream.create_circle(viewer.credential, await _circle_prefix(shared), title)
    await shared.store.set_list_replies_policy(
        viewer.store_scope, int(created["id"]), replies_policy or DEFAULT_REPLIES_POLICY
    )
    return created


async def update_list(
    shared: Services, viewer: UserViewer, list_id: int, title: str | None, replies_policy: str | None
) -> dict[str, Any]:
    """Rename a list and change which replies it shows; either may be None for "unchanged"."""
    lists = await own_lists(shared, viewer)
    current = next((found for found in lists if int(found["id"]) == list_id), None)
    if current is None:
        raise NotFound()
    if title is not None and current.get("name") != title:
        (await shared.capabilities.get()).require("lists")
        _check_unused(title, lists, list_id)
        current = await shared.upstream.rename_list(viewer.credential, list_id, title)
    if replies_policy is not None:
        await shared.store.set_list_replies_policy(viewer.store_scope, list_id, replies_policy)
    return current


async def delete_list(shared: Services, viewer: UserViewer, list_id: int) -> None:
    found = await own_list(shared, viewer, list_id)
    if (await shared.capabilities.get()).lists_api:
        await shared.upstream.delete_list(viewer.credential, list_id)
    else:
        prefix = await _circle_prefix(shared)
        await shared.upstream.delete_circle(viewer.credential, prefix, list_id, str(found.get("name") or ""))
    await shared.store.forget_list(viewer.store_scope, list_id)


# Members


async def members(shared: Services, viewer: UserViewer, list_id: int) -> list[dict[str, Any]]:
    """Return the users in one of the viewer's lists."""
    circle = (await shared.upstream.circles(viewer.credential, await _circle_prefix(shared), list_id))[0]
    shared.users.put_many(viewer.credential, circle["user"])
    return list(circle["user"])


async def members_page(
    shared: Services, viewer: UserViewer, list_id: int, page: PageRequest | None
) -> list[dict[str, Any]]:
    """Return one page of a list's members by descending public id, or all of them without ``page``."""
    found = sorted(await members(shared, viewer, list_id), key=lambda user: -int(user["id"]))
    if page is None:
        return found
    upper = page.max_id
    lower = page.min_id if page.min_id is not None else page.since_id
    selected = [
        user
        for user in found
        if (upper is None or int(user["id"]) < upper) and (lower is None or int(user["id"]) > lower)
    ]
    return selected[-page.limit :] if page.min_id is not None else selected[: page.limit]


async def lists_with_member(shared: Services, viewer: UserViewer, account_id: int) -> list[dict[str, Any]]:
    """Return the viewer's lists (circles) that have the account among their members."""
    if (await shared.capabilities.get()).circle_prefix is None:
        return []
    circles = await shared.upstream.circles(viewer.credential, await _circle_prefix(shared))
    return [
        {"id": circle["gid"], "name": circle.get("name")}
        for circle in circles
        if any(int(user["id"]) == account_id for user in circle["user"])
    ]


async def add_members(shared: Services, viewer: UserViewer, list_id: int, account_ids: list[int]) -> None:
    """Add accounts the viewer follows to a list; any other account fails the whole request."""
    prefix = await _circle_prefix(shared)
    circle = await _editable_circle(shared, viewer, prefix, list_id)
    current = _member_contacts(circle)
    new_ids = [account_id for account_id in dict.fromkeys(account_ids) if account_id not in current]
    if not new_ids:
        return

    users = {int(user["id"]): user for user in await users_by_ids(shared, viewer, new_ids)}
    unknown = [account_id for account_id in new_ids if account_id not in users]
    if unknown:
        raise NotFound(f"No account with id {unknown[0]} is known to this server")
    followed = await _followed_contact_ids(shared, viewer)
    # Friendica 3.5 looks users up without a login, so their ``cid`` can be another person's contact.
    contact_of = {
        account_id: followed.get(account_id) or users[account_id].get("cid") for account_id in new_ids
    }
    strangers = [
        account_id for account_id in new_ids if account_id not in followed or not contact_of[account_id]
    ]
    if strangers:
        names = ", ".join(str(users[account_id].get("screen_name")) for account_id in strangers)
        raise Unprocessable(f"Validation failed: you can only add accounts you follow to a list, not {names}")

    contact_ids = [*current.values(), *(int(contact_of[account_id] or 0) for account_id in new_ids)]
    await shared.upstream.set_circle_members(viewer.credential, prefix, list_id, circle["name"], contact_ids)
    await _check_members(shared, viewer, prefix, list_id, {*current, *new_ids})


async def _followed_contact_ids(shared: Services, viewer: UserViewer) -> dict[int, int | None]:
    """Map each account the viewer follows to the viewer's contact id for it, where the list tells it.

    Where users are looked up anonymously (Friendica 3.5), only the list of
    followed accounts carries the viewer's contact ids.
    """
    credential = viewer.credential
    if (await shared.capabilities.get()).dialect.contact_source == "statuses":
        users = await shared.upstream.related_users(credential, "friends")
        return {int(user["id"]): int_or_none(user.get("cid")) for user in users}
    return dict.fromkeys(await shared.upstream.contact_ids(credential, "friends"))


async def remove_members(shared: Services, viewer: UserViewer, list_id: int, account_ids: list[int]) -> None:
    """Take accounts out of a list; accounts that are not in it are left alone."""
    prefix = await _circle_prefix(shared)
    circle = await _editable_circle(shared, viewer, prefix, list_id)
    current = _member_contacts(circle)
    leaving = set(account_ids) & set(current)
    if not leaving:
        return

    staying = {account_id: current[account_id] for account_id in current if account_id not in leaving}
    await shared.upstream.set_circle_members(
        viewer.credential, prefix, list_id, circle["name"], list(staying.values())
    )
    await _check_members(shared, viewer, prefix, list_id, set(staying))


async def _editable_circle(shared: Services, viewer: UserViewer, prefix: str, list_id: int) -> dict[str, Any]:
    """Return the viewer's circle ``list_id``, making sure Friendica will find it by its name."""
    circles = await shared.upstream.circles(viewer.credential, prefix)
    circle = next((found for found in circles if int(found["gid"]) == list_id), None)
    if circle is None:
        raise NotFound()
    name = str(circle.get("name", ""))
    twins = [other for other in circles if str(other.get("name", "")).casefold() == name.casefold()]
    if len(twins) > 1:
        raise Unprocessable(
            f"Two lists are called {name!r}, and the upstream server would change the wrong one; "
            "rename one of them first"
        )
    return circle


def _member_contacts(circle: dict[str, Any]) -> dict[int, int]:
    """Map each member's public id to the viewer's contact id (``cid``) for them."""
    return {int(user["id"]): int(user["cid"]) for user in circle["user"] if user.get("cid")}


async def _check_members(
    shared: Services, viewer: UserViewer, prefix: str, list_id: int, expected: set[int]
) -> None:
    circle = (await shared.upstream.circles(viewer.credential, prefix, list_id))[0]
    found = {int(user["id"]) for user in circle["user"]}
    if found != expected:
        raise UpstreamUnverified(detail=f"list {list_id} has members {sorted(found)}, not {sorted(expected)}")


# Timeline


async def timeline_source(shared: Services, viewer: UserViewer, list_id: int) -> tuple[Fetch, Keep]:
    """Return how to read a list's timeline, and which of its statuses to show.

    The upstream's own list timeline is read where it has one, otherwise the
    home timeline by the list's members. Reading the members first also
    raises NotFound for another person's list, for which ``lists/statuses``
    would return ``[]``.
    """
    credential = viewer.credential
    member_ids = {int(user["id"]) for user in await members(shared, viewer, list_id)}
    policy = (await replies_policies(shared, viewer)).get(list_id, DEFAULT_REPLIES_POLICY)
    shown_replies = await _replied_accounts(shared, viewer, policy, member_ids)

    def shown(status: dict[str, Any]) -> bool:
        if not is_reply(status):
            return True
        # NOTE: Friendica sets in_reply_to_user_id to the thread's first author, not the parent's.
        return int(status.get("in_reply_to_user_id") or 0) in shown_replies

    if (await shared.capabilities.get()).lists_api:

        async def from_list(page: UpstreamPage) -> list[dict[str, Any]]:
            return await shared.upstream.list_statuses(credential, list_id, page)

        return from_list, shown

    async def from_home(page: UpstreamPage) -> list[dict[str, Any]]:
        # A list without members has no statuses; the home timeline need not be read.
        return await shared.upstream.home_timeline(credential, page) if member_ids else []

    def by_member(status: dict[str, Any]) -> bool:
        author = status.get("friendica_author") or status.get("user") or {}
        return int(author.get("id") or 0) in member_ids and shown(status)

    return from_home, by_member


async def _replied_accounts(
    shared: Services, viewer: UserViewer, policy: str, member_ids: set[int]
) -> set[int]:
    """Return the accounts a reply must be addressed to for the list to show it under ``policy``."""
    if policy == "none":
        return set()
    if policy == "followed":
        return {viewer.user_id, *await shared.upstream.contact_ids(viewer.credential, "friends")}
    return {viewer.user_id, *member_ids}

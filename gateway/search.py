"""Searching accounts, statuses and hashtags, and reading hashtag timelines.

Friendica's ``users/search`` finds only exact names, nicknames, addresses
and profile URLs. Apps search while a name is being typed, so account
search adds the people the viewer follows whose nickname, address or a
word of whose name starts with the query. ``search/tweets`` finds statuses
that contain a text, or carry a hashtag when the query starts with ``#``.
The upstream cannot search hashtags, so hashtag results are the tags of
statuses that contain the query.
"""

from __future__ import annotations

import re
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import NotFound, Unprocessable
from gateway.filters import has_media, has_tag, is_local
from gateway.pagination import PageRequest
from gateway.services import Services
from gateway.timelines import Fetch, Keep, merged, read_page
from gateway.upstream import MAX_COUNT, UpstreamPage
from mappings.context import MappingContext
from mappings.entities import SearchTag
from mappings.friendica import parse_user
from mappings.tags import tags_from_statuses

# Pages of followed people (200 each) searched for names that start with the query.
FOLLOWED_PAGES = 5
HASHTAG = re.compile(r"^\w+$")
NICKNAME = re.compile(r"^[\w.\-]+$")


async def search_accounts(
    shared: Services,
    viewer: UserViewer,
    query: str,
    *,
    limit: int,
    offset: int = 0,
    following: bool = False,
    resolve: bool = False,
) -> list[dict[str, Any]]:
    """Return upstream users for an account search: exact matches first, then followed people by prefix."""
    term = query.strip().lstrip("@")
    if not term:
        return []
    credential = viewer.credential
    ctx = await shared.mapping_context(viewer.user_id)

    found: dict[int, dict[str, Any]] = {}
    if resolve and term.startswith(("https://", "http://")):
        try:
            user = await shared.upstream.external_profile(credential, term)
            found[int(user["id"])] = user
        except NotFound:
            pass
    for user in await shared.upstream.search_users(credential, term):
        found.setdefault(int(user["id"]), user)
    if not found and NICKNAME.match(term):
        # GNU social has no users/search, but users/show finds its own accounts by nickname.
        try:
            user = await shared.upstream.user_by_screen_name(credential, term)
            found[int(user["id"])] = user
        except NotFound:
            pass
    followed = await _followed(shared, viewer)
    for user in followed:
        if _name_starts_with(user, term, ctx):
            found.setdefault(int(user["id"]), user)

    users = list(found.values())
    if following:
        followed_ids = {int(user["id"]) for user in followed}
        users = [user for user in users if int(user["id"]) in followed_ids]
    shared.users.put_many(credential, users)
    return users[offset : offset + limit]


async def _followed(shared: Services, viewer: UserViewer) -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = []
    max_id: int | None = None
    for _ in range(FOLLOWED_PAGES):
        page = await shared.upstream.contacts_page(
            viewer.credential, "friends", viewer.user_id, count=200, max_id=max_id
        )
        users.extend(page)
        if len(page) < 200:
            return users
        max_id = min(int(user["id"]) for user in page)
    # NOTE: people beyond the first FOLLOWED_PAGES pages are only found by their exact name.
    return users


def _name_starts_with(raw: dict[str, Any], term: str, ctx: MappingContext) -> bool:
    user = parse_user(raw)
    wanted = term.casefold()
    acct = ctx.acct_for(user.screen_name, user.profile_url)
    words = [user.screen_name, acct, *user.name.split()]
    return any(word.casefold().startswith(wanted) for word in words)


async def search_statuses(
    shared: Services,
    viewer: UserViewer,
    query: str,
    page: PageRequest,
    *,
    offset: int = 0,
    account_id: int | None = None,
) -> list[dict[str, Any]]:
    """Return upstream statuses for a status search, newest first.

    Pages go by ``max_id``/``min_id`` or by ``offset``. An offset that is a
    multiple of ``limit`` costs one call; any other costs a page of
    ``offset + limit`` statuses, which the upstream caps at 100.
    """
    term = query.strip()
    if not term:
        return []

    async def fetch(upstream_page: UpstreamPage) -> list[dict[str, Any]]:
        return await shared.upstream.search_statuses(viewer.credential, term, upstream_page)

    keep: Keep | None = None
    if account_id is not None:
        keep = lambda status: _author_id(status) == account_id  # noqa: E731
    if offset == 0:
        return await read_page(fetch, page, keep)
    if keep is None and offset % page.limit == 0:
        upper = page.max_id - 1 if page.max_id is not None else None
        return await fetch(UpstreamPage(count=page.limit, max_id=upper, page=offset // page.limit + 1))
    if offset + page.limit > MAX_COUNT:
        raise Unprocessable(
            f"Validation failed: offset must be a multiple of limit, or offset + limit at most {MAX_COUNT}",
            field="offset",
        )
    wider = PageRequest(limit=offset + page.limit, max_id=page.max_id, min_id=page.min_id)
    return (await read_page(fetch, wider, keep))[offset:]


def _author_id(status: dict[str, Any]) -> int:
    author = status.get("friendica_author") or status.get("user") or {}
    return int(author.get("id") or 0)


async def search_hashtags(
    shared: Services, viewer: UserViewer, query: str, *, limit: int, offset: int = 0
) -> list[SearchTag]:
    """Return hashtags that start with the query, taken from the newest statuses that contain it."""
    name = query.strip().lstrip("#")
    if not HASHTAG.match(name):
        return []
    raws = await shared.upstream.search_statuses(viewer.credential, name, UpstreamPage(count=MAX_COUNT))
    ctx = await shared.mapping_context(viewer.user_id)
    return tags_from_statuses(raws, name, ctx)[offset : offset + limit]


def hashtag_source(shared: Services, viewer: UserViewer, tags: list[str]) -> Fetch:
    """Return how to read the statuses that carry any of ``tags``: one search a tag, merged.

    NOTE: ``min_id`` pages over several tags can skip statuses, because each
    search is paged by its own page numbers.
    """

    def search_for(tag: str) -> Fetch:
        async def fetch(page: UpstreamPage) -> list[dict[str, Any]]:
            return await shared.upstream.search_statuses(viewer.credential, f"#{tag}", page)

        return fetch

    return merged([search_for(tag) for tag in dict.fromkeys(tags)])


def hashtag_filter(
    tags: list[str],
    *,
    required: list[str],
    excluded: list[str],
    local: bool,
    remote: bool,
    only_media: bool,
    upstream_url: str,
) -> Keep:
    """Return the check a hashtag timeline applies to each status the searches found."""
    wanted, needed, unwanted = list(tags), list(required), list(excluded)

    def tagged(status: dict[str, Any]) -> bool:
        return (
            any(has_tag(status, tag) for tag in wanted)
            and all(has_tag(status, tag) for tag in needed)
            and not any(has_tag(status, tag) for tag in unwanted)
        )

    checks: list[Keep] = [tagged]
    if local:
        checks.append(lambda status: is_local(status, upstream_url))
    elif remote:
        checks.append(lambda status: not is_local(status, upstream_url))
    if only_media:
        checks.append(has_media)
    return lambda status: all(check(status) for check in checks)


def tag_names(values: list[str]) -> list[str]:
    """Return the valid hashtag names among ``values``, without ``#``."""
    names = [value.strip().lstrip("#") for value in values]
    return [name for name in names if HASHTAG.match(name)]

"""Read one Mastodon page from an upstream timeline with a bounded number of calls.

The upstream pages newest first with an inclusive ``max_id``, an exclusive
``since_id``, offset ``page`` numbers and at most 100 items a call; it has no
``min_id``. Two things need more than one call:

- A filter the upstream cannot apply (only_media, remote only): the page is
  refilled from older items until it holds ``limit`` statuses or the timeline
  ends, so a page is only short at the real end.
- ``min_id``: the wanted items are the oldest ones above ``min_id``. One call
  finds them when fewer than 100 items are newer; otherwise the last page
  number is found by doubling and bisection over ``page``, which costs about
  2·log2(n/100) calls for n newer items instead of n/100.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.pagination import PageRequest
from gateway.upstream import MAX_COUNT, UpstreamPage

log = logging.getLogger("mastogate.timelines")

Fetch = Callable[[UpstreamPage], Awaitable[list[dict[str, Any]]]]
Keep = Callable[[dict[str, Any]], bool]

# Upper bounds on upstream calls for one Mastodon page.
MAX_REFILL_CALLS = 4
MAX_MIN_ID_CALLS = 16


def _keep_all(status: dict[str, Any]) -> bool:
    return True


def _in_range(status: dict[str, Any], page: PageRequest) -> bool:
    status_id = int(status["id"])
    lower = page.min_id if page.min_id is not None else page.since_id
    if lower is not None and status_id <= lower:
        return False
    return page.max_id is None or status_id < page.max_id


async def read_page(fetch: Fetch, page: PageRequest, keep: Keep | None = None) -> list[dict[str, Any]]:
    """Return up to ``page.limit`` upstream statuses for a Mastodon page, newest first."""
    if page.max_id is not None and page.max_id <= 1:
        return []
    keep = keep or _keep_all
    if page.min_id is not None:
        return await _oldest_above(fetch, page, keep)
    return await _newest_below(fetch, page, keep)


async def _newest_below(fetch: Fetch, page: PageRequest, keep: Keep) -> list[dict[str, Any]]:
    filtered = keep is not _keep_all
    count = MAX_COUNT if filtered else page.limit
    upper = page.max_id - 1 if page.max_id is not None else None
    found: list[dict[str, Any]] = []
    seen: set[int] = set()

    for _ in range(MAX_REFILL_CALLS):
        batch = await fetch(UpstreamPage(count=count, max_id=upper, since_id=page.since_id))
        for status in batch:
            status_id = int(status["id"])
            if status_id in seen or not _in_range(status, page) or not keep(status):
                continue
            seen.add(status_id)
            found.append(status)
            if len(found) == page.limit:
                return found
        if len(batch) < count:
            return found
        upper = min(int(status["id"]) for status in batch) - 1

    # NOTE: a sparse filter can leave this page short although older matches exist.
    log.info(
        "page stopped after %d upstream calls with %d of %d statuses",
        MAX_REFILL_CALLS,
        len(found),
        page.limit,
    )
    return found


async def _oldest_above(fetch: Fetch, page: PageRequest, keep: Keep) -> list[dict[str, Any]]:
    assert page.min_id is not None
    upper = page.max_id - 1 if page.max_id is not None else None
    calls = 0
    pages: dict[int, list[dict[str, Any]]] = {}

    async def load(number: int) -> list[dict[str, Any]]:
        nonlocal calls
        if number not in pages:
            calls += 1
            pages[number] = await fetch(
                UpstreamPage(count=MAX_COUNT, max_id=upper, since_id=page.min_id, page=number)
            )
        return pages[number]

    # Find the last page: double until a page is short, then bisect.
    full, short = 0, 1
    while len(await load(short)) == MAX_COUNT:
        full, short = short, short * 2
        if calls >= MAX_MIN_ID_CALLS // 2:
            break
    while short - full > 1 and calls < MAX_MIN_ID_CALLS:
        middle = (full + short) // 2
        if len(await load(middle)) == MAX_COUNT:
            full = middle
        else:
            short = middle
    last = short if pages.get(short) else max(full, 1)
    if calls >= MAX_MIN_ID_CALLS:
        log.info("min_id walk stopped after %d upstream calls at page %d", calls, last)

    # Walk from the oldest page towards the newest until enough statuses are kept.
    kept: list[dict[str, Any]] = []
    seen: set[int] = set()
    for number in range(last, 0, -1):
        batch = [status for status in await load(number) if _in_range(status, page) and keep(status)]
        fresh = [status for status in batch if int(status["id"]) not in seen]
        seen.update(int(status["id"]) for status in fresh)
        kept = fresh + kept
        if len(kept) >= page.limit or calls >= MAX_MIN_ID_CALLS + MAX_REFILL_CALLS:
            break
    return kept[-page.limit :]


def merged(fetches: list[Fetch]) -> Fetch:
    """Read several upstream timelines as one, newest first, without duplicates.

    Items below the oldest item of a full batch may be missing from that
    timeline's batch, so the merged batch stops at the highest such item and
    the next page starts there. The batch is full (``count`` items or more)
    whenever any timeline has more, so ``read_page`` goes on reading.
    """
    if len(fetches) == 1:
        return fetches[0]

    async def fetch(page: UpstreamPage) -> list[dict[str, Any]]:
        batches = [await each(page) for each in fetches]
        count = max(1, min(page.count, MAX_COUNT))
        complete_down_to = max(
            (min(int(status["id"]) for status in batch) for batch in batches if len(batch) >= count),
            default=None,
        )
        statuses: dict[int, dict[str, Any]] = {}
        for batch in batches:
            for status in batch:
                status_id = int(status["id"])
                if complete_down_to is None or status_id >= complete_down_to:
                    statuses.setdefault(status_id, status)
        return [statuses[status_id] for status_id in sorted(statuses, reverse=True)]

    return fetch

"""Reading Mastodon pages from an upstream with inclusive max_id, offset pages and no min_id."""

from __future__ import annotations

import pytest

from gateway.pagination import PageRequest
from gateway.timelines import MAX_MIN_ID_CALLS, MAX_REFILL_CALLS, read_page
from gateway.upstream import UpstreamPage

pytestmark = pytest.mark.anyio


class FakeTimeline:
    """An upstream timeline that pages like Friendica 2024.08 and counts its calls."""

    def __init__(self, ids: list[int], media: set[int] = frozenset()) -> None:
        self.statuses = [
            {"id": status_id, "media": status_id in media} for status_id in sorted(ids, reverse=True)
        ]
        self.calls = 0

    async def fetch(self, page: UpstreamPage) -> list[dict]:
        self.calls += 1
        count = max(1, min(page.count, 100))
        matching = [
            status
            for status in self.statuses
            if (page.max_id is None or status["id"] <= page.max_id)
            and (page.since_id is None or status["id"] > page.since_id)
        ]
        start = ((page.page or 1) - 1) * count
        return matching[start : start + count]


def ids(statuses: list[dict]) -> list[int]:
    return [status["id"] for status in statuses]


async def test_max_id_is_exclusive():
    timeline = FakeTimeline([1, 2, 3, 4, 5, 6])

    assert ids(await read_page(timeline.fetch, PageRequest(limit=2, max_id=3))) == [2, 1]


async def test_since_id_gives_newest():
    timeline = FakeTimeline([1, 2, 3, 4, 5, 6])

    assert ids(await read_page(timeline.fetch, PageRequest(limit=2, since_id=3))) == [6, 5]


async def test_min_id_gives_immediately_newer_newest_first():
    timeline = FakeTimeline([1, 2, 3, 4, 5, 6])

    assert ids(await read_page(timeline.fetch, PageRequest(limit=2, min_id=3))) == [5, 4]
    assert timeline.calls == 1


async def test_min_id_with_max_id():
    timeline = FakeTimeline(list(range(1, 11)))

    assert ids(await read_page(timeline.fetch, PageRequest(limit=3, min_id=2, max_id=7))) == [5, 4, 3]


async def test_min_id_far_back_uses_few_calls():
    timeline = FakeTimeline(list(range(1, 5001)))

    page = await read_page(timeline.fetch, PageRequest(limit=20, min_id=100))

    assert ids(page) == list(range(120, 100, -1))
    # 4,900 newer statuses are 49 upstream pages; a page-by-page walk would need 49 calls.
    assert timeline.calls <= 14


async def test_min_id_at_exact_page_boundary():
    timeline = FakeTimeline(list(range(1, 201)))  # 100 statuses newer than min_id 100

    assert ids(await read_page(timeline.fetch, PageRequest(limit=5, min_id=100))) == [105, 104, 103, 102, 101]


async def test_filter_refills_page_from_older_statuses():
    media = {10, 150, 290, 299}
    timeline = FakeTimeline(list(range(1, 301)), media=media)

    page = await read_page(timeline.fetch, PageRequest(limit=3), keep=lambda status: status["media"])

    assert ids(page) == [299, 290, 150]
    assert timeline.calls == 2


async def test_filter_stops_at_real_end_with_short_page():
    timeline = FakeTimeline(list(range(1, 51)), media={7})

    page = await read_page(timeline.fetch, PageRequest(limit=20), keep=lambda status: status["media"])

    assert ids(page) == [7]
    assert timeline.calls == 1


async def test_filter_never_exceeds_call_bound():
    timeline = FakeTimeline(list(range(1, 2001)), media={1})

    await read_page(timeline.fetch, PageRequest(limit=20), keep=lambda status: status["media"])

    assert timeline.calls == MAX_REFILL_CALLS


async def test_min_id_walk_never_exceeds_call_bound():
    timeline = FakeTimeline(list(range(1, 1_000_001)))

    await read_page(timeline.fetch, PageRequest(limit=20, min_id=1))

    assert timeline.calls <= MAX_MIN_ID_CALLS + MAX_REFILL_CALLS


async def test_unfiltered_page_asks_for_limit_only():
    timeline = FakeTimeline(list(range(1, 101)))
    asked: list[UpstreamPage] = []

    async def fetch(page: UpstreamPage) -> list[dict]:
        asked.append(page)
        return await timeline.fetch(page)

    page = await read_page(fetch, PageRequest(limit=20, max_id=50))

    assert ids(page) == list(range(49, 29, -1))
    assert asked == [UpstreamPage(count=20, max_id=49, since_id=None)]

"""Count upstream calls for account lists and list timelines, and the user cache's hit rate.

Run: python bench/bench_accounts.py
A gateway in front of the Friendica double with its demo data, in one
process. It counts the upstream calls of:
  1. a page of the viewer's followers and of followed accounts, and a page
     of another person's followers;
  2. a page of a list timeline read through the upstream's own list
     timeline, and built from the home timeline where the upstream has none;
  3. a scripted session of account look-ups a client makes while browsing,
     with the user cache's hits and misses.
"""

from __future__ import annotations

import asyncio
import dataclasses
import platform
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import password_token  # noqa: E402
from friendica_double.app import build_app as build_double  # noqa: E402
from gateway.app import build_app as build_gateway  # noqa: E402
from gateway.settings import Settings  # noqa: E402

ALICE, BOB, CAROL, DAVE, ERIN = 3, 5, 8, 10, 20


class CountingTransport(httpx.AsyncBaseTransport):
    """Pass requests to the double and count them."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.calls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request.url.path)
        return await self.inner.handle_async_request(request)


class Bench:
    def __init__(self, client: httpx.AsyncClient, upstream: CountingTransport, gateway) -> None:
        self.client = client
        self.upstream = upstream
        self.gateway = gateway
        self.headers: dict[str, str] = {}

    async def log_in(self, username: str) -> None:
        self.headers = {"Authorization": f"Bearer {await password_token(self.client, username)}"}

    async def count(self, label: str, path: str, **params: str | int) -> int:
        """Request one page and print how many upstream calls it took."""
        before = len(self.upstream.calls)
        response = await self.client.get(path, params=params, headers=self.headers)
        response.raise_for_status()
        calls = self.upstream.calls[before:]
        # Pictures are fetched and described once, the first time a page shows them.
        pictures = [path for path in calls if path.startswith(("/photo/", "/api/v1/statuses/"))]
        api = [path for path in calls if path not in pictures]
        line = f"{label:<48} {len(response.json()):>3} items  {len(api)} upstream calls: {', '.join(api)}"
        if pictures:
            line += f" (and {len(pictures)} for pictures seen for the first time)"
        print(line)
        return len(api)


async def run() -> None:
    work = Path(tempfile.mkdtemp(prefix="mastogate-bench-"))
    double = build_double(str(work / "double.sqlite3"), "http://double.test", seed=True)
    upstream = CountingTransport(double)
    settings = Settings(
        upstream_url="http://double.test",
        public_url="http://gateway.test",
        data_dir=work / "gw",
        secret_key="bench",
    )
    gateway = build_gateway(settings, http=httpx.AsyncClient(transport=upstream))
    async with (
        double.router.lifespan_context(double),
        gateway.router.lifespan_context(gateway),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gateway), base_url="http://gateway.test"
        ) as client,
    ):
        bench = Bench(client, upstream, gateway)
        await bench.log_in("bob")
        await follower_pages(bench)
        await list_timelines(bench)
        await bench.log_in("alice")
        await cached_session(bench)


async def follower_pages(bench: Bench) -> None:
    print("\n1. account lists (viewer: bob)")
    await bench.count("followers of the viewer, limit 40", f"/api/v1/accounts/{BOB}/followers", limit=40)
    await bench.count("followed by the viewer, limit 40", f"/api/v1/accounts/{BOB}/following", limit=40)
    await bench.count(
        "followers of someone else (first time)", f"/api/v1/accounts/{DAVE}/followers", limit=40
    )
    await bench.count("followers of someone else (again)", f"/api/v1/accounts/{DAVE}/followers", limit=40)


async def list_timelines(bench: Bench) -> None:
    print("\n2. list timeline of 'Friendica regulars' (viewer: bob)")
    lists = (await bench.client.get("/api/v1/lists", headers=bench.headers)).json()
    regulars = next(item["id"] for item in lists if item["title"] == "Friendica regulars")
    path = f"/api/v1/timelines/list/{regulars}"
    await bench.count("upstream list timeline, limit 20", path, limit=20)
    await bench.count("upstream list timeline, limit 40", path, limit=40)

    state = bench.gateway.state.services.capabilities
    real = state._current
    state._current = dataclasses.replace(real, version="2018.03", generation="legacy")
    await bench.count("from the home timeline (no lists/*), limit 20", path, limit=20)
    await bench.count("from the home timeline (no lists/*), limit 40", path, limit=40)
    state._current = real


async def cached_session(bench: Bench) -> None:
    """Browse like an app: own profile, a follower list, profiles, relationships, a search, again."""
    print("\n3. user cache over a scripted session (viewer: alice)")
    cache = bench.gateway.state.services.users
    cache.hits = cache.misses = 0
    before = len(bench.upstream.calls)
    steps = [
        ("/api/v1/accounts/verify_credentials", {}),
        (f"/api/v1/accounts/{ALICE}/following", {"limit": 40}),
        (f"/api/v1/accounts/{DAVE}", {}),
        (f"/api/v1/accounts/{BOB}", {}),
        ("/api/v1/accounts/lookup", {"acct": "bob"}),
        ("/api/v1/accounts/lookup", {"acct": "bob"}),
        ("/api/v1/accounts", {"id[]": [str(BOB), str(DAVE), str(CAROL)]}),
        (f"/api/v1/accounts/{CAROL}", {}),
        (f"/api/v1/accounts/{ERIN}", {}),
        (f"/api/v1/accounts/{ERIN}", {}),
        (f"/api/v1/accounts/{BOB}/lists", {}),
        (f"/api/v1/accounts/{DAVE}", {}),
        ("/api/v1/accounts/verify_credentials", {}),
    ]
    for path, params in steps:
        (await bench.client.get(path, params=params, headers=bench.headers)).raise_for_status()
    looked_up = cache.hits + cache.misses
    print(f"{len(steps)} requests, {len(bench.upstream.calls) - before} upstream calls")
    print(f"user look-ups: {looked_up}, cache hits: {cache.hits} ({cache.hits / looked_up:.0%})")

    # The same session with the cache switched off (MASTOGATE_USER_CACHE_SIZE=0).
    size, cache.size = cache.size, 0
    await bench.log_in("alice")
    before = len(bench.upstream.calls)
    for path, params in steps:
        (await bench.client.get(path, params=params, headers=bench.headers)).raise_for_status()
    print(f"without the cache: {len(bench.upstream.calls) - before} upstream calls")
    cache.size = size


def main() -> None:
    print(f"python {platform.python_version()} on {platform.machine()}")
    asyncio.run(run())


if __name__ == "__main__":
    main()

"""Measure what notifications and conversations pages cost: upstream calls and gateway time.

Run: python bench/bench_notifications.py [--rounds 30]

The gateway and the seeded Friendica double (alice has 66 notification rows
and, for this run, MAIL_THREADS mail threads from bob) run in one process, the gateway's upstream
client talking to the double in memory. Each request is timed from the
client, and the time spent inside upstream calls is subtracted: what is
left is the gateway's own work (token check, sync, store, mapping).

Measured pages, for alice:
1. the first notifications page, which logs everything the upstream has;
2. a notifications page with a sync (new events are checked each time);
3. a notifications page inside the sync interval (store only);
4. the next notifications page (``max_id``), which never syncs;
5. a conversations page.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import password_token  # noqa: E402
from friendica_double.app import build_app as build_double  # noqa: E402
from gateway.app import build_app as build_gateway  # noqa: E402
from gateway.settings import Settings  # noqa: E402

MAIL_THREADS = 24


class TimingTransport(httpx.AsyncBaseTransport):
    """Pass requests to the double; count them by path and add up the time they take."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.calls: Counter[str] = Counter()
        self.seconds = 0.0

    def reset(self) -> None:
        self.calls.clear()
        self.seconds = 0.0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self.calls[request.url.path] += 1
            self.seconds += time.perf_counter() - started


class Measured:
    def __init__(self, label: str) -> None:
        self.label = label
        self.totals: list[float] = []
        self.own: list[float] = []
        self.calls: Counter[str] = Counter()
        self.items = 0

    def report(self) -> None:
        calls = sum(self.calls.values()) / len(self.totals)
        paths = ", ".join(f"{path} {count // len(self.totals)}" for path, count in sorted(self.calls.items()))
        print(
            f"{self.label:<34} {self.items:>3} items  total {statistics.median(self.totals):6.1f} ms  "
            f"gateway {statistics.median(self.own):5.1f} ms  upstream calls {calls:.0f}"
            + (f"  ({paths})" if paths else "")
        )


async def measure(client, transport, label, rounds, path, params, headers) -> Measured:
    result = Measured(label)
    for _ in range(rounds):
        transport.reset()
        started = time.perf_counter()
        response = await client.get(path, params=params, headers=headers)
        total = time.perf_counter() - started
        response.raise_for_status()
        result.items = len(response.json())
        result.totals.append(total * 1000)
        result.own.append((total - transport.seconds) * 1000)
        result.calls.update(transport.calls)
    return result


async def write_mails(double) -> None:
    """Have bob start MAIL_THREADS threads with alice, straight on the double."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=double), base_url="http://double.test"
    ) as upstream:
        for number in range(MAIL_THREADS):
            response = await upstream.post(
                "/api/direct_messages/new.json",
                data={
                    "screen_name": "alice",
                    "text": f"Message {number} for alice",
                    "title": f"Thread {number}",
                },
                auth=("bob", "demo"),
            )
            response.raise_for_status()


async def run(rounds: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="mastogate-bench-"))
    double = build_double(str(work / "double.sqlite3"), "http://double.test", seed=True)
    transport = TimingTransport(double)

    def gateway_with(interval: float, name: str):
        settings = Settings(
            upstream_url="http://double.test",
            public_url="http://gateway.test",
            data_dir=work / name,
            secret_key="bench",
            notification_sync_interval=interval,
        )
        return build_gateway(settings, http=httpx.AsyncClient(transport=transport))

    syncing, resting = gateway_with(0, "syncing"), gateway_with(3600, "resting")
    async with (
        double.router.lifespan_context(double),
        syncing.router.lifespan_context(syncing),
        resting.router.lifespan_context(resting),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=syncing), base_url="http://gateway.test"
        ) as fresh,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=resting), base_url="http://gateway.test"
        ) as cached,
    ):
        await write_mails(double)
        fresh_headers = {"Authorization": f"Bearer {await password_token(fresh, 'alice')}"}
        cached_headers = {"Authorization": f"Bearer {await password_token(cached, 'alice')}"}
        page = {"limit": 40}

        results = [
            await measure(
                fresh, transport, "first page, first sync", 1, "/api/v1/notifications", page, fresh_headers
            )
        ]
        results.append(
            await measure(
                fresh,
                transport,
                "first page, with a sync",
                rounds,
                "/api/v1/notifications",
                page,
                fresh_headers,
            )
        )
        await cached.get("/api/v1/notifications", params=page, headers=cached_headers)
        results.append(
            await measure(
                cached,
                transport,
                "first page, inside the interval",
                rounds,
                "/api/v1/notifications",
                page,
                cached_headers,
            )
        )
        first = (await cached.get("/api/v1/notifications", params=page, headers=cached_headers)).json()
        results.append(
            await measure(
                cached,
                transport,
                "next page (max_id)",
                rounds,
                "/api/v1/notifications",
                {**page, "max_id": first[-1]["id"]},
                cached_headers,
            )
        )
        results.append(
            await measure(
                cached,
                transport,
                "conversations page",
                rounds,
                "/api/v1/conversations",
                {"limit": 20},
                cached_headers,
            )
        )

    print(f"python {platform.python_version()} on {platform.machine()}, {rounds} rounds, medians")
    for result in results:
        result.report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="requests per measured page (default: 30)")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.rounds))


if __name__ == "__main__":
    main()

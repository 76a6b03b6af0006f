"""Measure what pictures cost: inspecting an upload, and describing a timeline's pictures.

Run: python bench/bench_pictures.py [--rounds 50]
1. The cost of checking and measuring one upload (decode, verify,
   dimensions, blurhash) for a 1200x800 JPEG and a 320x214 preview.
2. A home timeline of 40 statuses with one picture each, read twice through
   a gateway whose upstream is the Friendica double, in one process. It
   counts the picture downloads of each read: the first read fetches each
   new picture once, the second fetches none.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import password_token  # noqa: E402
from friendica_double.app import build_app as build_double  # noqa: E402
from gateway.app import build_app as build_gateway  # noqa: E402
from gateway.media import inspect_image  # noqa: E402
from gateway.settings import Settings  # noqa: E402
from tests.pictures import picture  # noqa: E402

STATUSES = 40


def time_inspection(rounds: int) -> None:
    for label, data in (
        ("1200x800 JPEG", picture(1200, 800, "JPEG")),
        ("320x214 JPEG", picture(320, 214, "JPEG")),
    ):
        durations = []
        for _ in range(rounds):
            started = time.perf_counter()
            inspect_image(data, "image/jpeg")
            durations.append((time.perf_counter() - started) * 1000)
        print(f"inspect {label:<14} median {statistics.median(durations):6.2f} ms  ({len(data)} bytes)")


class CountingTransport(httpx.AsyncBaseTransport):
    """Pass requests to the double and count the picture downloads among them."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.picture_fetches = 0
        self.api_calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/photo/"):
            self.picture_fetches += 1
        else:
            self.api_calls += 1
        return await self.inner.handle_async_request(request)


async def timeline_reads() -> None:
    work = Path(tempfile.mkdtemp(prefix="mastogate-bench-"))
    double = build_double(str(work / "double.sqlite3"), "http://double.test", seed=False)
    counting = CountingTransport(double)
    settings = Settings(
        upstream_url="http://double.test",
        public_url="http://gateway.test",
        data_dir=work / "gw",
        secret_key="bench",
    )
    gateway = build_gateway(settings, http=httpx.AsyncClient(transport=counting))
    async with (
        double.router.lifespan_context(double),
        gateway.router.lifespan_context(gateway),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gateway), base_url="http://gateway.test"
        ) as client,
    ):
        await seed_double(double)
        headers = {"Authorization": f"Bearer {await password_token(client, 'alice')}"}

        for label in ("first read", "second read"):
            counting.picture_fetches = counting.api_calls = 0
            started = time.perf_counter()
            page = (
                await client.get("/api/v1/timelines/home", params={"limit": STATUSES}, headers=headers)
            ).json()
            elapsed = (time.perf_counter() - started) * 1000
            pictures = sum(len(status["media_attachments"]) for status in page)
            fetches, calls = counting.picture_fetches, counting.api_calls
            print(
                f"{label}: {len(page)} statuses, {pictures} pictures, {fetches} picture fetches, "
                f"{calls} API calls, {elapsed:.0f} ms"
            )


async def seed_double(double) -> None:
    """Give alice 40 statuses with one picture each, posted straight to the double."""
    from friendica_double.seed import seed_recording_setup  # noqa: PLC0415

    seed_recording_setup(double.state.site)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=double), base_url="http://double.test"
    ) as upstream:
        for number in range(STATUSES):
            photo = await upstream.post(
                "/api/friendica/photo/create.json",
                data={"album": "bench", "desc": f"picture {number}"},
                files={"media": (f"p{number}.png", picture(600 + number, 400), "image/png")},
                auth=("alice", "demo"),
            )
            await upstream.post(
                "/api/statuses/update.json",
                data={"status": f"status {number}", "media_ids": str(photo.json()["media-id"])},
                auth=("alice", "demo"),
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50, help="inspections per picture size (default: 50)")
    arguments = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}")
    time_inspection(arguments.rounds)
    asyncio.run(timeline_reads())


if __name__ == "__main__":
    main()

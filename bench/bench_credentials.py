"""Measure what each client request costs with a password and with a login on the upstream.

Run: python bench/bench_credentials.py [--requests 50] [--password-cost 0.07] [--own-account-cache 30]

The gateway and the Friendica double run in one process, joined in memory.
The double sleeps ``--password-cost`` seconds on every password check, as
Friendica hashes the password on each Basic-auth call (about 70 ms on a
real 2024.08 server); a bearer token costs it one lookup. alice logs in
twice: with her password, and on the upstream through its OAuth 2 pages.
Each client request is then timed, and its upstream calls counted:
  GET /api/v1/accounts/verify_credentials
  GET /api/v1/timelines/home?limit=20
  GET /api/v1/notifications?limit=20 (inside the sync interval)
``--own-account-cache 0`` turns off the cache of the person's own account,
to show what it saves.
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
from urllib.parse import urljoin

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import OOB, password_token  # noqa: E402
from friendica_double.app import build_app as build_double  # noqa: E402
from friendica_double.context import AuthSettings  # noqa: E402
from gateway.app import build_app as build_gateway  # noqa: E402
from gateway.settings import Settings  # noqa: E402
from tests.e2e.conftest import read_page  # noqa: E402

GATEWAY, UPSTREAM = "http://gateway.test", "http://double.test"
REQUESTS = (
    ("verify_credentials", "/api/v1/accounts/verify_credentials", {}),
    ("home timeline, 20", "/api/v1/timelines/home", {"limit": 20}),
    ("notifications, 20", "/api/v1/notifications", {"limit": 20}),
)


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        return await self.inner.handle_async_request(request)


async def upstream_token(browser: httpx.AsyncClient) -> str:
    """Log alice in as a browser would: the gateway's page, the upstream's pages, consent, code."""
    app = (
        await browser.post(
            f"{GATEWAY}/api/v1/apps",
            data={"client_name": "bench", "redirect_uris": OOB, "scopes": "read write follow"},
        )
    ).json()
    query = {"client_id": app["client_id"], "redirect_uri": OOB, "response_type": "code", "scope": "read"}
    page = await browser.get(f"{GATEWAY}/oauth/authorize", params=query)
    form = next(form for form in read_page(page).forms if form["action"].endswith("/oauth/upstream"))
    page = await browser.post(urljoin(str(page.url), form["action"]), data=form["fields"])

    login = next(form for form in read_page(page).forms if "auth-params" in form["fields"])
    fields = {**login["fields"], "username": "alice", "password": "demo", "remember": "0"}
    page = await browser.post(urljoin(str(page.url), login["action"]), data=fields)
    page = await browser.post(str(page.url), data={"oauth_yes": "Yes"})

    consent = read_page(page).forms[0]
    page = await browser.post(
        urljoin(str(page.url), consent["action"]), data={**consent["fields"], "decision": "approve"}
    )
    token = await browser.post(
        f"{GATEWAY}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": read_page(page).code,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "redirect_uri": OOB,
        },
    )
    return str(token.json()["access_token"])


async def run(requests: int, password_cost: float, own_account_cache: float) -> None:
    work = Path(tempfile.mkdtemp(prefix="mastogate-bench-"))
    double = build_double(
        str(work / "double.sqlite3"),
        UPSTREAM,
        seed=True,
        auth=AuthSettings(password_check_seconds=password_cost),
    )
    upstream = CountingTransport(double)
    settings = Settings(
        upstream_url=UPSTREAM,
        public_url=GATEWAY,
        data_dir=work / "gw",
        secret_key="bench",
        own_account_cache_ttl=own_account_cache,
    )
    gateway = build_gateway(settings, http=httpx.AsyncClient(transport=upstream))
    mounts = {UPSTREAM: httpx.ASGITransport(app=double), GATEWAY: httpx.ASGITransport(app=gateway)}
    async with (
        double.router.lifespan_context(double),
        gateway.router.lifespan_context(gateway),
        httpx.AsyncClient(mounts=mounts, follow_redirects=True) as browser,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url=GATEWAY) as client,
    ):
        tokens = {
            "password": await password_token(client, "alice"),
            "login on the upstream": await upstream_token(browser),
        }
        print(
            f"python {platform.python_version()}, password check {password_cost * 1000:.0f} ms,"
            f" own account cached {own_account_cache:.0f} s, medians"
        )
        for label, path, params in REQUESTS:
            for credential, token in tokens.items():
                headers = {"Authorization": f"Bearer {token}"}
                await client.get(path, params=params, headers=headers)  # warm the caches
                durations, calls = [], 0
                for _ in range(requests):
                    upstream.calls = 0
                    started = time.perf_counter()
                    (await client.get(path, params=params, headers=headers)).raise_for_status()
                    durations.append((time.perf_counter() - started) * 1000)
                    calls += upstream.calls
                print(
                    f"{label:<20} {credential:<22} {statistics.median(durations):7.1f} ms"
                    f"  {calls / requests:.1f} upstream calls"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="requests per measurement (default: 50)")
    parser.add_argument(
        "--password-cost",
        type=float,
        default=0.07,
        help="seconds per upstream password check (default: 0.07)",
    )
    parser.add_argument(
        "--own-account-cache",
        type=float,
        default=30.0,
        help="seconds the own account stays cached (default: 30)",
    )
    arguments = parser.parse_args()
    asyncio.run(run(arguments.requests, arguments.password_cost, arguments.own_account_cache))


if __name__ == "__main__":
    main()

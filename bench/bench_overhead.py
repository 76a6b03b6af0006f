"""Measure the gateway's latency overhead over calling the Friendica double directly.

Run: python bench/bench_overhead.py [--requests 200]
Starts the double and the gateway as separate processes on free 127.0.0.1
ports, logs alice in through the gateway, then times, one request at a
time over keep-alive connections:
  direct:  GET /api/statuses/home_timeline.json?count=40&include_entities=true on the double
  gateway: GET /api/v1/timelines/home?limit=40 on the gateway (one upstream call and the mapping)
Both processes stop when the script ends.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"a server exited early with status {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    sys.exit(f"{url} did not come up")


def timed(call: Callable[[], httpx.Response], count: int) -> list[float]:
    for _ in range(10):
        call().raise_for_status()  # warm up connections and caches
    durations = []
    for _ in range(count):
        started = time.perf_counter()
        call().raise_for_status()
        durations.append((time.perf_counter() - started) * 1000)
    return sorted(durations)


def summary(name: str, durations: list[float]) -> str:
    p95 = durations[int(len(durations) * 0.95) - 1]
    return f"{name:<8} median {statistics.median(durations):6.2f} ms   p95 {p95:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per target (default: 200)")
    arguments = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mastogate-bench-"))
    double_port, gateway_port = free_port(), free_port()
    double_url, gateway_url = f"http://127.0.0.1:{double_port}", f"http://127.0.0.1:{gateway_port}"
    environment = {
        **os.environ,
        "MASTOGATE_UPSTREAM_URL": double_url,
        "MASTOGATE_PUBLIC_URL": gateway_url,
        "MASTOGATE_DATA_DIR": str(work / "gateway"),
        "MASTOGATE_LOG_LEVEL": "warning",
    }
    double = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "friendica_double",
            "--port",
            str(double_port),
            "--database",
            str(work / "double.sqlite3"),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    gateway = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve", "--port", str(gateway_port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"{double_url}/api/help/test.json", double)
        wait_until_up(f"{gateway_url}/api/v1/instance", gateway)
        with httpx.Client(timeout=30) as http:
            app = http.post(
                f"{gateway_url}/api/v1/apps",
                data={"client_name": "bench", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"},
            ).json()
            token = http.post(
                f"{gateway_url}/oauth/token",
                data={
                    "grant_type": "password",
                    "client_id": app["client_id"],
                    "client_secret": app["client_secret"],
                    "username": "alice",
                    "password": "demo",
                    "scope": "read",
                },
            ).json()["access_token"]

            direct = timed(
                lambda: http.get(
                    f"{double_url}/api/statuses/home_timeline.json",
                    params={"count": 40, "include_entities": "true"},
                    auth=("alice", "demo"),
                ),
                arguments.requests,
            )
            through_gateway = timed(
                lambda: http.get(
                    f"{gateway_url}/api/v1/timelines/home",
                    params={"limit": 40},
                    headers={"Authorization": f"Bearer {token}"},
                ),
                arguments.requests,
            )
            statuses = len(
                http.get(
                    f"{gateway_url}/api/v1/timelines/home",
                    params={"limit": 40},
                    headers={"Authorization": f"Bearer {token}"},
                ).json()
            )
    finally:
        for process in (gateway, double):
            process.terminate()
            process.wait(timeout=15)

    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{arguments.requests} requests each, {statuses} statuses a page"
    )
    print(summary("direct", direct))
    print(summary("gateway", through_gateway))
    print(f"overhead median {statistics.median(through_gateway) - statistics.median(direct):6.2f} ms")


if __name__ == "__main__":
    main()

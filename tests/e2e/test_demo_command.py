"""The README's demo command: a gateway and a seeded double that a Mastodon client can use."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from mastodon import Mastodon

from tests.e2e.conftest import OOB, PASSWORD, SCOPES
from tests.servers import free_port

START_TIMEOUT = 40


@contextmanager
def running_demo(tmp_path: Path, *options: str) -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    """Start `mastogate demo` with ``options``; yield the process, the gateway's URL and what it printed."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gateway",
            "demo",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "demo"),
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            lines.append(line)
            if "Uvicorn running on" in line:
                break
        output = "".join(lines)
        assert "Uvicorn running on" in output, output
        yield process, f"http://127.0.0.1:{port}", output
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.fixture
def demo(tmp_path):
    with running_demo(tmp_path) as running:
        yield running


def test_demo_prints_a_working_token(demo):
    process, url, output = demo
    token = re.search(r"alice's token:\s+(\S+)", output).group(1)
    double_url = re.search(r"upstream:\s+(\S+)", output).group(1)

    api = Mastodon(access_token=token, api_base_url=url)
    home = api.timeline_home(limit=20)

    assert api.me().username == "alice"
    assert len(home) == 20
    assert double_url.startswith("http://127.0.0.1:")
    assert "alice, bob, carol, dave, erin" in output


def test_demo_logs_in_a_new_app_and_stops_cleanly(demo):
    process, url, output = demo
    double_url = re.search(r"upstream:\s+(\S+)", output).group(1)

    client_id, client_secret = Mastodon.create_app(
        "demo check", scopes=SCOPES, redirect_uris=OOB, api_base_url=url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=url)
    api.log_in(username="bob", password=PASSWORD, scopes=SCOPES, allow_http=True)
    posted = api.status_post("Hello from the demo test")

    assert api.status(posted.id).account.username == "bob"

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{double_url}/api/help/test.json", timeout=2)


def test_demo_stops_the_double_on_sigterm(demo):
    process, url, output = demo
    double_url = re.search(r"upstream:\s+(\S+)", output).group(1)

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)

    with pytest.raises(httpx.TransportError):
        httpx.get(f"{double_url}/api/help/test.json", timeout=2)


def test_demo_of_gnu_social(tmp_path):
    with running_demo(tmp_path, "--profile", "gnusocial") as (process, url, output):
        token = re.search(r"alice's token:\s+(\S+)", output).group(1)
        api = Mastodon(access_token=token, api_base_url=url)
        me = api.me()
        home = api.timeline_home(limit=20)
        description = api.instance_v2().description

    assert me.username == "alice"
    assert len(home) == 20
    assert "GNU social" in description
    assert "the double as GNU social 1.2" in output

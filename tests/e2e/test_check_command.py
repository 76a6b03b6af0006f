"""`mastogate check`: plain-words report about an upstream, read-only, with a useful exit code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from starlette.applications import Starlette

from friendica_double.app import build_app as build_double
from tests.servers import ServerThread, free_port


class MethodRecorder:
    """Wrap an ASGI app and remember the HTTP method of every request it receives."""

    def __init__(self, app) -> None:
        self.app = app
        self.methods: list[str] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            self.methods.append(scope["method"])
        await self.app(scope, receive, send)


def report(stdout: str) -> dict[str, str]:
    """Read the report of `mastogate check` as label and value, whatever the column widths."""
    lines = (line.strip().split(":", 1) for line in stdout.splitlines() if line.startswith("  "))
    return {label: value.strip() for label, value in lines}


@pytest.fixture(scope="module")
def recorded_double(tmp_path_factory):
    server = ServerThread("double for check")
    recorder = MethodRecorder(
        build_double(str(tmp_path_factory.mktemp("check") / "double.sqlite3"), server.url)
    )
    server.start(recorder)
    yield server, recorder
    server.stop()


def run_check(upstream_url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MASTOGATE_UPSTREAM_URL": upstream_url}
    environment.pop("MASTOGATE_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "gateway", "check", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_check_reports_modern_friendica(recorded_double):
    server, recorder = recorded_double
    recorder.methods.clear()

    result = run_check(server.url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert report(result.stdout)["reachable"].startswith("yes")
    assert "Friendica 2024.08" in result.stdout
    assert report(result.stdout)["API generation"].startswith("modern")
    assert report(result.stdout)["reblog"].startswith("yes, through the upstream's own Mastodon API")
    assert report(result.stdout)["upstream OAuth 2"] == "yes"
    assert report(result.stdout)["login page offers"] == "log in on the upstream, password"
    assert recorder.methods and set(recorder.methods) == {"GET"}


def test_check_with_login(recorded_double):
    server, _ = recorded_double

    good = run_check(server.url, "--user", "alice", "--password", "demo")
    bad = run_check(server.url, "--user", "alice", "--password", "wrong")

    assert good.returncode == 0
    assert report(good.stdout)["login as alice"].startswith("yes (@alice, id 3)")
    assert bad.returncode == 1
    assert "rejected (wrong username or password)" in bad.stdout


def test_check_fails_for_unreachable_upstream():
    result = run_check(f"http://127.0.0.1:{free_port()}")

    assert result.returncode == 1
    assert report(result.stdout)["reachable"].startswith("no (The upstream server cannot be reached")


def test_check_without_password_asks_for_one(recorded_double):
    server, _ = recorded_double

    result = run_check(server.url, "--user", "alice")

    assert result.returncode != 0
    assert "--user needs a password" in result.stderr


def test_check_of_a_server_that_is_not_friendica():
    gateway_like = ServerThread("not friendica")
    gateway_like.start(Starlette())  # an app without routes: 404 everywhere
    try:
        result = run_check(gateway_like.url)
    finally:
        gateway_like.stop()

    assert result.returncode == 1
    assert report(result.stdout)["reachable"].startswith("yes")
    assert report(result.stdout)["usable"].startswith("no, it does not serve the Friendica or GNU Social API")


def test_check_fails_without_upstream_setting():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MASTOGATE_")}

    result = subprocess.run(
        [sys.executable, "-m", "gateway", "check"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )

    assert result.returncode != 0
    assert "MASTOGATE_UPSTREAM_URL is not set" in result.stderr

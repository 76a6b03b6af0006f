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
    assert report(result.stdout)["login page offers"] == "log in on the upstream (OAuth 2), password"
    assert recorder.methods and set(recorder.methods) == {"GET"}


@pytest.fixture(scope="module")
def legacy_double(tmp_path_factory):
    server = ServerThread("legacy double for check")
    recorder = MethodRecorder(
        build_double(str(tmp_path_factory.mktemp("check") / "legacy.sqlite3"), server.url, profile="legacy")
    )
    server.start(recorder)
    yield server, recorder
    server.stop()


def test_check_reports_legacy_friendica(legacy_double):
    server, recorder = legacy_double
    recorder.methods.clear()

    result = run_check(server.url, "--user", "alice", "--password", "demo")

    found = report(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert found["software"] == "Friendica 3.5.4"
    assert found["API generation"] == "legacy"
    assert found["status ids"] == "one per person"
    assert found["own Mastodon API"] == "no"
    assert found["favourite"] == "yes (like activity)"
    assert found["bookmarks"] == "the upstream's star"
    assert found["reblog"] == "yes, with statuses/retweet"
    assert found["undo reblog"] == "no"
    assert found["unfollow"] == "no"
    assert found["lists"] == "yes, with group_* (no renaming)"
    assert found["search statuses"] == "no"
    assert found["profile name and text"] == "no"
    assert found["login as alice"].startswith("yes (@alice, id 3)")
    assert recorder.methods and set(recorder.methods) == {"GET"}


def test_check_with_login(recorded_double):
    server, _ = recorded_double

    good = run_check(server.url, "--user", "alice", "--password", "demo")
    bad = run_check(server.url, "--user", "alice", "--password", "wrong")

    assert good.returncode == 0
    assert report(good.stdout)["login as alice"].startswith("yes (@alice, id 3)")
    assert bad.returncode == 1
    assert "rejected (wrong username or password)" in bad.stdout


@pytest.fixture(scope="module")
def gnusocial_double(tmp_path_factory):
    server = ServerThread("gnusocial double for check")
    recorder = MethodRecorder(
        build_double(
            str(tmp_path_factory.mktemp("check") / "gnusocial.sqlite3"), server.url, profile="gnusocial"
        )
    )
    server.start(recorder)
    yield server, recorder
    server.stop()


def test_check_reports_gnu_social(gnusocial_double):
    server, recorder = gnusocial_double
    recorder.methods.clear()

    result = run_check(server.url, "--user", "alice", "--password", "demo")

    found = report(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert found["software"] == "GNU social 1.2.0-beta4"
    assert found["API generation"] == "gnusocial"
    assert found["status ids"] == "the same for everybody"
    assert found["own Mastodon API"] == "no"
    assert found["upstream OAuth 2"] == "no"
    assert found["reblog"] == "yes, with statuses/retweet"
    assert found["undo reblog"] == "yes, by deleting the share"
    assert found["follow"] == "yes, with friendships/create"
    assert found["block, mute"] == "block only, with blocks/create|destroy"
    assert found["favourite"] == "yes (fave)"
    assert found["unfollow"] == "yes"
    assert found["lists"] == "no"
    assert found["search statuses"] == "yes"
    assert found["profile name and text"] == "yes"
    assert found["avatar"] == "yes"
    assert found["federated timeline"] == "yes"
    assert found["photo albums"] == "no"
    assert found["notifications"] == "from mentions, followers and shares"
    assert found["post to followers only"] == "no"
    assert found["content warnings"] == "no"
    assert found["login page offers"] == "no login on the upstream (it has no OAuth provider), password"
    assert found["login as alice"].startswith("yes (@alice, id 3)")
    assert recorder.methods and set(recorder.methods) == {"GET"}


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

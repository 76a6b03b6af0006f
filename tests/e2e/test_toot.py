"""The toot command line client against the live gateway: whois, follow, unfollow, search and lists.

toot runs as a subprocess with its own configuration in a temporary
directory: it reads ``$XDG_CONFIG_HOME/toot/config.json``. It logs in with
the password grant (``toot login_cli``), as scripts do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from mastodon import Mastodon

from tests.e2e.conftest import PASSWORD, password_login, unique

Toot = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def toot(gateway, tmp_path_factory) -> Toot:
    environment = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path_factory.mktemp("toot-config"))}
    # toot refuses to read its configuration while this is set (it marks toot's own test runs).
    environment.pop("TOOT_TESTING", None)

    def run(*arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "toot", *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    run("login_cli", "--instance", gateway.url, "--email", "alice", "--password", PASSWORD)
    return run


@pytest.fixture(scope="module")
def erin(gateway, session, app_credentials) -> Mastodon:
    return password_login(gateway, session, app_credentials, "erin")


def test_whois_shows_the_account(toot):
    shown = toot("whois", "bob", "--json")

    account = json.loads(shown.stdout)
    assert account["acct"] == "bob"
    assert account["id"].isdigit()


def test_follow_and_unfollow(toot, alice, erin, upstream):
    erin_id = erin.me().id
    if not upstream.has("follow"):
        refused = toot("follow", "erin", check=False)

        assert refused.returncode != 0
        assert "cannot follow accounts" in refused.stderr
        assert alice.account_relationships([erin_id])[0].requested is False
        return

    followed = toot("follow", "erin")
    requested = alice.account_relationships([erin_id])[0]
    unfollowed = toot("unfollow", "erin")

    assert "following erin" in followed.stdout
    if upstream.has("follow_requests"):
        assert requested.requested is True
    else:
        # GNU social has no follow requests: the follow takes effect at once.
        assert requested.following is True
    assert "no longer following erin" in unfollowed.stdout
    assert alice.account_relationships([erin_id])[0].requested is False
    assert alice.account_relationships([erin_id])[0].following is False
    if upstream.has("follow_requests"):
        assert erin.follow_requests() == []


def test_follow_of_unknown_address_fails(toot):
    result = toot("follow", "nobody@nowhere.example", check=False)

    assert result.returncode != 0
    assert "Account not found" in result.stderr


def test_search(toot, upstream):
    found = json.loads(toot("search", "trains", "--json").stdout)
    people = json.loads(toot("search", "dav", "--type", "accounts", "--json").stdout)

    if upstream.has("search"):
        assert found["statuses"]
        assert "trains" in [tag["name"] for tag in found["hashtags"]]
    else:
        # Without status search a search for everything finds accounts only.
        assert found["statuses"] == []
        assert found["hashtags"] == []
    assert [account["acct"] for account in people["accounts"]] == ["dave"]


def test_list_lifecycle(toot, alice, upstream):
    title = unique("toot list")
    if not upstream.has("lists"):
        refused = toot("lists", "create", title, check=False)

        assert refused.returncode != 0
        assert "does not support lists" in refused.stderr
        assert alice.lists() == []
        return

    toot("lists", "create", title)
    try:
        toot("lists", "add", title, "dave")
        members = json.loads(toot("lists", "accounts", title, "--json").stdout)
        refused = toot("lists", "add", title, "erin", check=False)
        toot("lists", "remove", title, "dave")
        after_removal = json.loads(toot("lists", "accounts", title, "--json").stdout)
    finally:
        toot("lists", "delete", title)
    remaining = json.loads(toot("lists", "list", "--json").stdout)

    assert [account["acct"] for account in members] == ["dave"]
    assert refused.returncode != 0
    assert "You must follow @erin" in refused.stderr
    assert after_removal == []
    assert title not in [item["title"] for item in remaining]

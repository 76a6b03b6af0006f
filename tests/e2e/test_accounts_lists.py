"""Accounts, relationships, lists and search through Mastodon.py against the live gateway.

The double is shared with the other end-to-end tests, so each test undoes
what it changes: follows it made are ended, lists it made are deleted.
"""

from __future__ import annotations

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.e2e.conftest import password_login, unique


@pytest.fixture(scope="module")
def erin(gateway, session, app_credentials) -> Mastodon:
    return password_login(gateway, session, app_credentials, "erin")


@pytest.fixture(scope="module")
def dave(gateway, session, app_credentials) -> Mastodon:
    return password_login(gateway, session, app_credentials, "dave")


def test_look_up_accounts(alice):
    bob = alice.account_lookup("bob")
    by_address = alice.account_lookup("@bob")
    several = alice.accounts([bob.id, "999999"])
    found = alice.account_search("da", limit=5)

    assert bob.acct == "bob"
    assert by_address.id == bob.id
    assert [account.id for account in several] == [bob.id]
    assert "dave" in [account.acct for account in found]


def test_own_account_shows_profile_fields(alice):
    me = alice.account_verify_credentials()

    assert [field.name for field in me.fields] == ["Pronouns", "Blog", "Home town"]
    assert me.source.fields[0].value == "she/her"
    assert me.following_count >= 1


def test_follow_request_accept_and_unfollow(alice, erin):
    erin_id = erin.me().id
    alice_id = alice.me().id

    requested = alice.account_follow(erin_id)
    waiting = erin.follow_requests()
    accepted = erin.follow_request_authorize(alice_id)
    following = alice.account_relationships([erin_id])[0]
    listed = [account.id for account in alice.account_following(alice_id, limit=80)]
    ended = alice.account_unfollow(erin_id)

    assert requested.requested is True
    assert requested.following is False
    assert [account.acct for account in waiting] == ["alice"]
    assert accepted.followed_by is True
    assert following.following is True
    assert erin_id in listed
    assert ended.following is False
    assert alice.account_relationships([erin_id])[0].following is False


def test_block_and_mute_show_in_relationships(alice, erin):
    erin_id = erin.me().id

    blocked = alice.account_block(erin_id)
    in_blocks = [account.id for account in alice.blocks()]
    unblocked = alice.account_unblock(erin_id)
    muted = alice.account_mute(erin_id)
    unmuted = alice.account_unmute(erin_id)

    assert blocked.blocking is True
    assert erin_id in in_blocks
    assert unblocked.blocking is False
    assert muted.muting is True
    assert unmuted.muting is False


def test_list_lifecycle(alice, dave):
    dave_id = dave.me().id
    title = unique("e2e list")

    created = alice.list_create(title)
    try:
        alice.list_accounts_add(created.id, [dave_id])
        members = alice.list_accounts(created.id)
        in_lists = alice.account_lists(dave_id)
        timeline = alice.timeline_list(created.id, limit=5)
        alice.list_accounts_delete(created.id, [dave_id])
        after_removal = alice.list_accounts(created.id)
        renamed = alice.list_update(created.id, title + " renamed")
    finally:
        alice.list_delete(created.id)

    assert [account.id for account in members] == [dave_id]
    assert created.id in [found.id for found in in_lists]
    assert timeline
    assert {status.account.id for status in timeline} == {dave_id}
    assert after_removal == []
    assert renamed.title == title + " renamed"
    assert created.id not in [found.id for found in alice.lists()]


def test_search_accounts_statuses_and_hashtags(alice):
    found = alice.search_v2("trains")
    tagged = alice.timeline_hashtag("trains", limit=5)

    assert found.statuses
    assert "trains" in [tag.name for tag in found.hashtags]
    assert tagged
    assert all("trains" in [tag.name.lower() for tag in status.tags] for status in tagged)


def test_bad_input_is_refused(alice, bob, erin):
    bobs_list = bob.list_create(unique("bob's own"))
    mine = alice.list_create(unique("e2e refusals"))
    try:
        with pytest.raises(MastodonNotFoundError):
            alice.account_follow("999999")
        with pytest.raises(MastodonNotFoundError):
            alice.account_lookup("nobody@nowhere.example")
        with pytest.raises(MastodonNotFoundError):
            alice.list(bobs_list.id)
        with pytest.raises(MastodonNotFoundError):
            alice.list_accounts_add(bobs_list.id, [alice.me().id])
        with pytest.raises(MastodonAPIError) as stranger:
            alice.list_accounts_add(mine.id, [erin.me().id])
        assert stranger.value.args[1] == 422
        assert alice.list_accounts(mine.id) == []
    finally:
        alice.list_delete(mine.id)
        bob.list_delete(bobs_list.id)


def test_profile_update_and_source(alice):
    before = alice.account_verify_credentials()

    changed = alice.account_update_credentials(note="Testing the gateway end to end")
    try:
        with pytest.raises(MastodonAPIError) as refused:
            alice.account_update_credentials(fields=[("Pronouns", "they/them")])
    finally:
        alice.account_update_credentials(note=before.source.note)

    assert changed.source.note == "Testing the gateway end to end"
    assert refused.value.args[1] == 422
    assert alice.account_verify_credentials().source.note == before.source.note


# Keep this test last: it checks what the tests above received.

CHECKED_ENDPOINTS = {
    ("GET", "/api/v1/accounts/lookup"),
    ("GET", "/api/v1/accounts"),
    ("GET", "/api/v1/accounts/search"),
    ("GET", "/api/v1/accounts/relationships"),
    ("GET", "/api/v1/accounts/{id}/following"),
    ("GET", "/api/v1/accounts/{id}/lists"),
    ("POST", "/api/v1/accounts/{id}/follow"),
    ("POST", "/api/v1/accounts/{id}/unfollow"),
    ("POST", "/api/v1/accounts/{id}/block"),
    ("POST", "/api/v1/accounts/{id}/unblock"),
    ("POST", "/api/v1/accounts/{id}/mute"),
    ("POST", "/api/v1/accounts/{id}/unmute"),
    ("GET", "/api/v1/blocks"),
    ("GET", "/api/v1/follow_requests"),
    ("POST", "/api/v1/follow_requests/{account_id}/authorize"),
    ("GET", "/api/v1/lists"),
    ("POST", "/api/v1/lists"),
    ("PUT", "/api/v1/lists/{id}"),
    ("GET", "/api/v1/lists/{id}/accounts"),
    ("GET", "/api/v1/timelines/list/{list_id}"),
    ("GET", "/api/v1/timelines/tag/{hashtag}"),
    ("GET", "/api/v2/search"),
    ("PATCH", "/api/v1/accounts/update_credentials"),
}


def test_responses_were_checked_against_openapi(openapi):
    missing = sorted(endpoint for endpoint in CHECKED_ENDPOINTS if openapi.checked[endpoint] == 0)

    assert missing == [], "run the whole module: these endpoints were never checked"

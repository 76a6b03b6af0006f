"""Accounts, relationships, lists and search through Mastodon.py against the live gateway.

The double is shared with the other end-to-end tests, so each test undoes
what it changes: follows it made are ended, lists it made are deleted.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.e2e.conftest import password_login, unique
from tests.pictures import picture


def raw_get(api: Mastodon, path: str) -> requests.Response:
    """GET a path with an app's token, for errors of list endpoints, whose message Mastodon.py drops."""
    return api.session.get(
        api.api_base_url + path, headers={"Authorization": f"Bearer {api.access_token}"}, timeout=30
    )


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


def test_own_account_shows_profile_fields(alice, upstream):
    me = alice.account_verify_credentials()

    if upstream.has("profile_fields"):
        assert [field.name for field in me.fields] == ["Pronouns", "Blog", "Home town"]
        assert me.source.fields[0].value == "she/her"
    else:
        # Friendica 3.5 profiles have no fields of the person's own choosing.
        assert me.fields == []
        assert me.source.fields == []
    assert me.following_count >= 1


def test_follow_request_accept_and_unfollow(alice, erin, upstream):
    erin_id = erin.me().id
    alice_id = alice.me().id
    if not upstream.has("follow"):
        refusals_of_follows(alice, erin, alice_id, erin_id)
        return
    if not upstream.has("follow_requests"):
        follows_at_once(alice, erin, alice_id, erin_id)
        return

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


def refusals_of_follows(alice: Mastodon, erin: Mastodon, alice_id: str, erin_id: str) -> None:
    """Check that an upstream without follows refuses each step with a 422 and changes nothing."""
    with pytest.raises(MastodonAPIError) as follow:
        alice.account_follow(erin_id)
    waiting = raw_get(erin, "/api/v1/follow_requests")
    with pytest.raises(MastodonAPIError) as accept:
        erin.follow_request_authorize(alice_id)
    with pytest.raises(MastodonAPIError) as unfollow:
        alice.account_unfollow(erin_id)
    relationship = alice.account_relationships([erin_id])[0]

    assert follow.value.args[1] == 422
    assert "cannot follow accounts" in follow.value.args[3]
    assert waiting.status_code == 422
    assert "cannot list follow requests" in waiting.json()["error"]
    assert accept.value.args[1] == 422
    assert unfollow.value.args[1] == 422
    assert "cannot unfollow accounts" in unfollow.value.args[3]
    assert relationship.following is False
    assert relationship.requested is False


def follows_at_once(alice: Mastodon, erin: Mastodon, alice_id: str, erin_id: str) -> None:
    """Check an upstream where a follow takes effect at once (GNU social): no requests to answer."""
    followed = alice.account_follow(erin_id)
    again = alice.account_follow(erin_id)
    listed = [account.id for account in alice.account_following(alice_id, limit=80)]
    seen_by_erin = erin.account_relationships([alice_id])[0]
    waiting = raw_get(erin, "/api/v1/follow_requests")
    ended = alice.account_unfollow(erin_id)
    ended_again = alice.account_unfollow(erin_id)

    assert followed.following is True
    assert followed.requested is False
    assert again.following is True
    assert erin_id in listed
    assert seen_by_erin.followed_by is True
    assert waiting.status_code == 422
    assert "cannot list follow requests" in waiting.json()["error"]
    assert ended.following is False
    assert ended_again.following is False
    assert alice.account_relationships([erin_id])[0].following is False


def test_block_and_mute_show_in_relationships(alice, erin, upstream):
    erin_id = erin.me().id
    if not upstream.has("block"):
        refusals_of_blocks(alice, erin_id)
        return

    blocked = alice.account_block(erin_id)
    seen_blocked = alice.account_relationships([erin_id])[0]
    if upstream.has("blocks_list"):
        assert erin_id in [account.id for account in alice.blocks()]
    else:
        listing = raw_get(alice, "/api/v1/blocks")
        assert listing.status_code == 422
        assert "cannot list blocked accounts" in listing.json()["error"]
    unblocked = alice.account_unblock(erin_id)
    seen_unblocked = alice.account_relationships([erin_id])[0]

    assert blocked.blocking is True
    assert blocked.following is False
    assert seen_blocked.blocking is True
    assert unblocked.blocking is False
    assert seen_unblocked.blocking is False
    if not upstream.has("mute"):
        refusals_of_mutes(alice, erin_id)
        return

    muted = alice.account_mute(erin_id)
    unmuted = alice.account_unmute(erin_id)

    assert muted.muting is True
    assert unmuted.muting is False


def refusals_of_mutes(alice: Mastodon, erin_id: str) -> None:
    """Check that an upstream that blocks but does not mute through its API refuses mutes with a 422."""
    for action in (alice.account_mute, alice.account_unmute):
        with pytest.raises(MastodonAPIError) as error:
            action(erin_id)
        assert error.value.args[1] == 422
        assert "mute accounts through its API" in error.value.args[3]
    assert alice.account_relationships([erin_id])[0].muting is False


def refusals_of_blocks(alice: Mastodon, erin_id: str) -> None:
    """Check that an upstream without blocks and mutes through its API refuses each with a 422."""
    refused = {}
    for name, action in (
        ("block", alice.account_block),
        ("unblock", alice.account_unblock),
        ("mute", alice.account_mute),
        ("unmute", alice.account_unmute),
    ):
        with pytest.raises(MastodonAPIError) as error:
            action(erin_id)
        refused[name] = error.value.args[1]
    listing = raw_get(alice, "/api/v1/blocks")
    relationship = alice.account_relationships([erin_id])[0]

    assert refused == {"block": 422, "unblock": 422, "mute": 422, "unmute": 422}
    assert listing.status_code == 422
    assert "cannot list blocked accounts" in listing.json()["error"]
    assert relationship.blocking is False
    assert relationship.muting is False


def test_list_lifecycle(alice, dave, upstream):
    dave_id = dave.me().id
    title = unique("e2e list")
    if not upstream.has("lists"):
        refusals_of_lists(alice, dave_id, title)
        return

    created = alice.list_create(title)
    try:
        alice.list_accounts_add(created.id, [dave_id])
        members = alice.list_accounts(created.id)
        in_lists = alice.account_lists(dave_id)
        timeline = alice.timeline_list(created.id, limit=5)
        alice.list_accounts_delete(created.id, [dave_id])
        after_removal = alice.list_accounts(created.id)
        if upstream.has("rename_lists"):
            renamed = alice.list_update(created.id, title + " renamed")
        else:
            with pytest.raises(MastodonAPIError) as refused:
                alice.list_update(created.id, title + " renamed")
            renamed = alice.list(created.id)
    finally:
        alice.list_delete(created.id)

    assert [account.id for account in members] == [dave_id]
    assert created.id in [found.id for found in in_lists]
    assert timeline
    assert {status.account.id for status in timeline} == {dave_id}
    assert after_removal == []
    if upstream.has("rename_lists"):
        assert renamed.title == title + " renamed"
    else:
        # Friendica 3.5's group_update finds a circle by its name and cannot change it.
        assert refused.value.args[1] == 422
        assert renamed.title == title
    assert created.id not in [found.id for found in alice.lists()]


def refusals_of_lists(alice: Mastodon, dave_id: str, title: str) -> None:
    """Check an upstream without lists: there are none, and creating one is a 422."""
    with pytest.raises(MastodonAPIError) as created:
        alice.list_create(title)
    unknown = raw_get(alice, "/api/v1/lists/1")

    assert created.value.args[1] == 422
    assert "does not support lists" in created.value.args[3]
    assert alice.lists() == []
    assert alice.account_lists(dave_id) == []
    assert unknown.status_code == 404


def test_status_search_keeps_private_posts_private(bob, gateway, session, app_credentials, upstream):
    if not upstream.has("search"):
        pytest.skip("the upstream cannot search statuses")
    carol = password_login(gateway, session, app_credentials, "carol")

    # alice's seeded private post is addressed to bob, not to carol.
    for_bob = bob.search_v2("surprise party", result_type="statuses").statuses
    for_carol = carol.search_v2("surprise party", result_type="statuses").statuses

    assert any("surprise party" in status.content for status in for_bob)
    assert all("surprise party" not in status.content for status in for_carol)


def test_search_accounts_statuses_and_hashtags(alice, upstream):
    found = alice.search_v2("trains")
    if not upstream.has("search"):
        refusals_of_searches(alice, found)
        return
    tagged = alice.timeline_hashtag("trains", limit=5)

    assert found.statuses
    assert "trains" in [tag.name for tag in found.hashtags]
    assert tagged
    assert all("trains" in [tag.name.lower() for tag in status.tags] for status in tagged)


def refusals_of_searches(alice: Mastodon, found: Any) -> None:
    """Check an upstream without status search: a search for everything finds accounts only."""
    with pytest.raises(MastodonAPIError) as statuses:
        alice.search_v2("trains", result_type="statuses")
    with pytest.raises(MastodonAPIError) as tagged:
        alice.timeline_hashtag("trains", limit=5)
    people = alice.search_v2("dav", result_type="accounts")

    assert found.statuses == []
    assert found.hashtags == []
    assert statuses.value.args[1] == 422
    assert "cannot search statuses" in statuses.value.args[3]
    assert tagged.value.args[1] == 422
    assert [account.acct for account in people.accounts] == ["dave"]


def test_bad_input_is_refused(alice, bob, erin, upstream):
    if not upstream.has("lists"):
        # Without lists only the account checks apply.
        with pytest.raises(MastodonNotFoundError):
            alice.account_follow("999999")
        with pytest.raises(MastodonNotFoundError):
            alice.account_lookup("nobody@nowhere.example")
        return

    bobs_list = bob.list_create(unique("bob's own"))
    mine = alice.list_create(unique("e2e refusals"))
    try:
        with pytest.raises(MastodonAPIError) as unknown:
            alice.account_follow("999999")
        # Where nobody can be followed, the gateway refuses before it looks the account up.
        assert unknown.value.args[1] == (404 if upstream.has("follow") else 422)
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


def test_profile_update_and_source(alice, upstream):
    before = alice.account_verify_credentials()
    if not upstream.has("profile_text"):
        refusals_of_profile_changes(alice, before)
        return

    changed = alice.account_update_credentials(note="Testing the gateway end to end")
    try:
        with pytest.raises(MastodonAPIError) as refused:
            alice.account_update_credentials(fields=[("Pronouns", "they/them")])
    finally:
        alice.account_update_credentials(note=before.source.note)

    assert changed.source.note == "Testing the gateway end to end"
    assert refused.value.args[1] == 422
    assert alice.account_verify_credentials().source.note == before.source.note


def test_avatar_change(gateway, session, app_credentials, upstream):
    erin = password_login(gateway, session, app_credentials, "erin")
    before = erin.account_verify_credentials()
    old_picture = requests.get(before.avatar, timeout=30).content
    image = picture(160, 160, "PNG", colour=(20, 160, 90))

    if not upstream.has("profile_image"):
        with pytest.raises(MastodonAPIError) as refused:
            erin.account_update_credentials(avatar=image, avatar_mime_type="image/png")
        assert refused.value.args[1] == 422
        assert "cannot change the avatar" in refused.value.args[3]
        assert requests.get(erin.account_verify_credentials().avatar, timeout=30).content == old_picture
        return

    changed = erin.account_update_credentials(avatar=image, avatar_mime_type="image/png")
    new_picture = requests.get(changed.avatar, timeout=30)

    assert new_picture.status_code == 200
    assert new_picture.headers["content-type"].startswith("image/")
    assert new_picture.content != old_picture


def refusals_of_profile_changes(alice: Mastodon, before: Any) -> None:
    """Check an upstream without account/update_profile: a new note is a 422, the current one is accepted."""
    with pytest.raises(MastodonAPIError) as note:
        alice.account_update_credentials(note="Testing the gateway end to end")
    with pytest.raises(MastodonAPIError) as fields:
        alice.account_update_credentials(fields=[("Pronouns", "they/them")])
    unchanged = alice.account_update_credentials(note=before.source.note)

    assert note.value.args[1] == 422
    assert "cannot change the display name or profile text" in note.value.args[3]
    assert fields.value.args[1] == 422
    assert unchanged.source.note == before.source.note
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

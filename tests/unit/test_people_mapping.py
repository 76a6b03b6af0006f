"""Mapping of accounts, profile fields, relationships, lists and hashtags; the per-credential user cache."""

from __future__ import annotations

from gateway.services import UserCache
from gateway.upstream import BasicCredential
from mappings.accounts import (
    OwnProfile,
    account_from_friendica,
    credential_account_from_friendica,
    profile_fields_from_friendica,
    split_acct,
)
from mappings.context import MappingContext
from mappings.lists import list_from_friendica
from mappings.relationships import ContactSets, relationship_from_contacts, relationship_from_native
from mappings.tags import tag_id, tags_from_statuses
from tests.recordings import body

CTX = MappingContext(public_url="https://social.example", upstream_url="http://127.0.0.1:8088", viewer_id=3)
ALICE = BasicCredential("alice", "one")
BOB = BasicCredential("bob", "two")

NATIVE_ROW = {
    "id": "8",
    "following": False,
    "requested": True,
    "endorsed": False,
    "followed_by": False,
    "muting": True,
    "muting_notifications": False,
    "showing_reblogs": True,
    "notifying": False,
    "blocking": False,
    "domain_blocking": False,
    "blocked_by": False,
    "note": None,
}


def test_profile_fields_are_sanitised_and_kept_as_typed():
    profile = {
        "profiles": [
            {
                "custom_fields": [
                    {
                        "label": "Blog",
                        "value": '<a href="https://blog.example" onclick="steal()">blog.example</a>',
                    },
                    {"label": "Pronouns", "value": "they/them"},
                    {"label": "", "value": "a field without a label"},
                ]
            }
        ]
    }

    shown, typed = profile_fields_from_friendica(profile)

    assert [field.name for field in shown] == ["Blog", "Pronouns"]
    assert "onclick" not in shown[0].value
    assert 'href="https://blog.example"' in shown[0].value
    assert [(field.name, field.value) for field in typed] == [
        ("Blog", "https://blog.example"),
        ("Pronouns", "they/them"),
    ]


def test_recorded_profile_without_fields():
    shown, typed = profile_fields_from_friendica(body("079"))

    assert shown == []
    assert typed == []


def test_own_profile_replaces_zero_counts():
    user = body("079")["friendica_owner"]
    own = OwnProfile(followers_count=4, following_count=7, follow_requests_count=2, privacy="private")

    account = credential_account_from_friendica(user, CTX, own, locked=True)

    assert (account.followers_count, account.following_count) == (4, 7)
    assert account.source.follow_requests_count == 2
    assert account.source.privacy == "private"
    assert account.locked is True


def test_other_accounts_keep_upstream_counts():
    bob = body("175")[0]

    account = account_from_friendica(bob, CTX)

    assert (account.followers_count, account.following_count) == (0, 0)
    assert account.fields == []


def test_last_status_at_is_the_embedded_status_day():
    bob = body("175")[0]

    assert account_from_friendica(bob, CTX).last_status_at == "2026-12-04"
    assert account_from_friendica(body("079")["friendica_owner"], CTX).last_status_at is None


def test_acct_of_remote_and_local_accounts():
    assert split_acct("@bob", CTX) == ("bob", None)
    assert split_acct("bob@127.0.0.1", CTX) == ("bob", None)
    assert split_acct("bob@SOCIAL.example", CTX) == ("bob", None)
    assert split_acct("@eve@mastodon.example", CTX) == ("eve", "mastodon.example")


def test_native_relationship_takes_the_callers_request_sides():
    relationship = relationship_from_native(NATIVE_ROW, requested=False, requested_by=True)

    assert relationship.requested is False
    assert relationship.requested_by is True
    assert relationship.muting is True
    assert relationship.note == ""


def test_relationship_from_contact_lists():
    contacts = ContactSets(
        following=frozenset({5, 10}),
        followers=frozenset({5}),
        blocked=frozenset({9}),
        requesting=frozenset({8}),
    )

    bob, carol, blocked = (relationship_from_contacts(account_id, contacts) for account_id in (5, 8, 9))

    assert (bob.following, bob.followed_by, bob.showing_reblogs) == (True, True, True)
    assert (carol.following, carol.requested_by) == (False, True)
    assert blocked.blocking is True
    assert blocked.following is False


def test_lists_from_list_objects_and_circles():
    created = list_from_friendica(body("085")["lists"])
    circle = list_from_friendica({"name": "Friends", "gid": 1, "user": []})

    assert created.to_json() == {"id": "14", "title": "Reading", "replies_policy": "list", "exclusive": False}
    assert circle.id == "1"
    assert circle.title == "Friends"


def test_hashtags_start_with_the_query_exact_one_first():
    status = body("018")
    other = {
        **body("018"),
        "id": 23,
        "entities": {"hashtags": [{"text": "friendica_dev"}, {"text": "FRIENDICA"}]},
    }

    tags = tags_from_statuses([other, status], "#friendica", CTX)

    assert [tag.name for tag in tags] == ["FRIENDICA", "friendica_dev"]
    assert tags[0].url == "https://social.example/tags/friendica"
    assert tags_from_statuses([status], "gate", CTX)[0].name == "gateways"
    assert tags_from_statuses([status], "", CTX) == []


def test_tag_ids_are_stable_numbers():
    assert tag_id("Trains") == tag_id("trains")
    assert tag_id("trains").isdigit()
    assert tag_id("trains") != tag_id("photography")


def test_user_cache_is_per_credential():
    cache = UserCache(ttl=60, size=100)
    cache.put(ALICE, {"id": 5, "screen_name": "bob", "cid": 11})

    assert cache.get(ALICE, 5) == {"id": 5, "screen_name": "bob", "cid": 11}
    assert cache.get(BOB, 5) is None
    assert cache.get(BasicCredential("alice", "changed password"), 5) is None
    assert (cache.hits, cache.misses) == (1, 2)


def test_user_cache_forgets_and_finds_addresses():
    cache = UserCache(ttl=60, size=100)
    cache.put_acct(ALICE, "Bob", {"id": 5, "screen_name": "bob"})
    cache.put_own_profile(ALICE, OwnProfile(followers_count=1))

    found = cache.find_acct(ALICE, "bob")
    cache.forget(ALICE, 5)

    assert found is not None and found["id"] == 5
    assert cache.get(ALICE, 5) is None
    assert cache.own_profile(ALICE) is None


def test_user_cache_of_size_zero_keeps_nothing():
    cache = UserCache(ttl=60, size=0)
    cache.put(ALICE, {"id": 5, "screen_name": "bob"})

    assert cache.get(ALICE, 5) is None

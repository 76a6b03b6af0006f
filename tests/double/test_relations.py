"""Friendica's Mastodon account endpoints: follow, follow requests, blocks, mutes and relationships."""

from __future__ import annotations

from typing import Any

import httpx

from .support import BASE_URL, Double, exception_message, html_kind

# Public contact ids (= account ids) of the seeded users.
ALICE, BOB, CAROL, DAVE, ERIN = 3, 5, 8, 10, 20
ALICE_CONTACT_FOR_BOB = 11


def act(double: Double, user: str, account_id: int, action: str, **form: Any) -> httpx.Response:
    return double.client.post(f"/api/v1/accounts/{account_id}/{action}", user, **form)


def relation(double: Double, user: str, account_id: int) -> dict[str, Any]:
    response = double.client.request(
        "GET", "/api/v1/accounts/relationships", user=user, params={"id[]": [str(account_id)]}
    )
    assert response.status_code == 200, response.text[:300]
    (found,) = response.json()
    result: dict[str, Any] = found
    return result


def flags(relationship: dict[str, Any]) -> dict[str, Any]:
    """Return a Relationship without ``note``, which depends on whether an address-book row exists."""
    return {key: value for key, value in relationship.items() if key != "note"}


def request_ids(double: Double, user: str) -> list[str]:
    response = double.client.get("/api/v1/follow_requests", user)
    assert response.status_code == 200, response.text[:300]
    return [account["id"] for account in response.json()]


def follower_ids(double: Double, user: str) -> list[int]:
    ids: list[int] = double.client.get("/api/followers/ids.json", user).json()["ids"]
    return ids


def unlock(double: Double, user: str) -> None:
    response = double.client.request(
        "PATCH", "/api/v1/accounts/update_credentials", user=user, data={"locked": "false"}
    )
    assert response.status_code == 200, response.text[:300]
    assert response.json()["locked"] is False


def post(double: Double, user: str, text: str) -> int:
    response = double.client.post("/api/statuses/update.json", user, status=text)
    assert response.status_code == 200, response.text[:300]
    uri_id: int = response.json()["id"]
    return uri_id


# Relationship reads


def test_relationships_show_seeded_relations(double: Double) -> None:
    with_bob = relation(double, "alice", BOB)
    with_dave = relation(double, "alice", DAVE)
    with_carol = relation(double, "alice", CAROL)

    assert (with_bob["following"], with_bob["followed_by"]) == (True, True)
    assert (with_dave["following"], with_dave["followed_by"]) == (True, False)
    # Friendica fills "requested" from the row's pending flag, whichever side asked.
    assert (with_carol["following"], with_carol["followed_by"], with_carol["requested"]) == (
        False,
        False,
        True,
    )
    assert with_bob["id"] == str(BOB)


def test_relationship_accepts_own_contact_id(double: Double) -> None:
    assert relation(double, "alice", ALICE_CONTACT_FOR_BOB)["id"] == str(BOB)


def test_relationships_errors(double: Double) -> None:
    missing = double.client.get("/api/v1/accounts/relationships", "alice")
    unknown = double.client.request(
        "GET", "/api/v1/accounts/relationships", user="alice", params={"id[]": ["99999"]}
    )
    garbage = double.client.get("/api/v1/accounts/relationships", "alice", id="abc")

    assert (missing.status_code, missing.json()) == (403, {"error": "Unprocessable Entity"})
    assert (unknown.status_code, exception_message(unknown.text)) == (404, "Contact not found.")
    assert (garbage.status_code, garbage.content) == (500, b"")


def test_native_endpoints_need_login(double: Double) -> None:
    response = double.client.post(f"/api/v1/accounts/{BOB}/follow")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Friendica"'


# Follow and unfollow


def test_follow_locked_account_leaves_request(double: Double) -> None:
    response = act(double, "alice", ERIN, "follow")

    assert response.status_code == 200
    assert (response.json()["following"], response.json()["requested"]) == (False, True)
    assert request_ids(double, "erin") == [str(ALICE)]
    assert ALICE not in follower_ids(double, "erin")
    assert double.client.get("/api/friendships/incoming.json", "erin").json()["total_count"] == 1


def test_follow_then_unfollow_restores_relation(double: Double) -> None:
    before = flags(relation(double, "alice", ERIN))

    act(double, "alice", ERIN, "follow")
    response = act(double, "alice", ERIN, "unfollow")

    assert response.status_code == 200
    assert flags(response.json()) == before
    assert flags(relation(double, "alice", ERIN)) == before
    assert request_ids(double, "erin") == []
    assert relation(double, "erin", ALICE)["followed_by"] is False
    # alice keeps an address-book row without relation, and its private note is null.
    assert response.json()["note"] is None


def test_unfollow_then_follow_again_restores_mutual(double: Double) -> None:
    act(double, "alice", BOB, "unfollow")
    assert relation(double, "alice", BOB)["following"] is False
    assert relation(double, "bob", ALICE)["followed_by"] is False

    # bob still follows alice, so he accepts her new follow at once.
    response = act(double, "alice", BOB, "follow")

    assert (response.json()["following"], response.json()["followed_by"]) == (True, True)
    assert ALICE in follower_ids(double, "bob")


def test_follow_unlocked_account_is_accepted(double: Double) -> None:
    unlock(double, "erin")

    response = act(double, "alice", ERIN, "follow")

    assert (response.json()["following"], response.json()["requested"]) == (True, False)
    assert ALICE in follower_ids(double, "erin")
    assert request_ids(double, "erin") == []


def test_follow_accepts_their_waiting_request(double: Double) -> None:
    response = act(double, "alice", CAROL, "follow")

    assert (response.json()["following"], response.json()["followed_by"]) == (True, True)
    assert CAROL in follower_ids(double, "alice")
    assert relation(double, "carol", ALICE)["following"] is True


def test_follow_joins_default_circle(double: Double) -> None:
    unlock(double, "erin")
    act(double, "alice", ERIN, "follow")

    (friends,) = double.client.get("/api/friendica/group_show.json", "alice", gid=1).json()

    assert ERIN in [member["id"] for member in friends["user"]]


def test_follow_with_notify(double: Double) -> None:
    assert act(double, "alice", ERIN, "follow", notify="true").json()["notifying"] is True


def test_unfollow_without_relation_is_403(double: Double) -> None:
    response = act(double, "alice", ERIN, "unfollow")

    assert response.status_code == 403
    assert response.json() == {"error": "Record not found"}


def test_follow_unknown_id_is_empty_500(double: Double) -> None:
    response = act(double, "alice", 99999, "follow")

    assert response.status_code == 500
    assert response.content == b""


# Follow requests


def test_authorize_turns_request_into_follower(double: Double) -> None:
    response = double.client.post(f"/api/v1/follow_requests/{CAROL}/authorize", "alice")

    assert response.status_code == 200
    assert (response.json()["followed_by"], response.json()["requested"]) == (True, False)
    assert CAROL in follower_ids(double, "alice")
    assert request_ids(double, "alice") == []
    assert relation(double, "carol", ALICE)["following"] is True


def test_reject_removes_request(double: Double) -> None:
    response = double.client.post(f"/api/v1/follow_requests/{CAROL}/reject", "alice")

    assert response.status_code == 200
    assert response.json()["followed_by"] is False
    assert request_ids(double, "alice") == []
    assert relation(double, "carol", ALICE)["requested"] is False
    assert CAROL not in follower_ids(double, "alice")


def test_ignore_hides_request(double: Double) -> None:
    response = double.client.post(f"/api/v1/follow_requests/{CAROL}/ignore", "alice")

    assert response.status_code == 200
    assert request_ids(double, "alice") == []
    # Ignoring sends no reply to carol, so she still waits.
    assert relation(double, "carol", ALICE)["requested"] is True


def test_follow_request_errors(double: Double) -> None:
    stranger = double.client.post(f"/api/v1/follow_requests/{ERIN}/authorize", "alice")
    no_request = double.client.post(f"/api/v1/follow_requests/{BOB}/authorize", "alice")
    bad_action = double.client.post(f"/api/v1/follow_requests/{CAROL}/approve", "alice")

    assert (stranger.status_code, exception_message(stranger.text)) == (404, "Contact not found")
    assert (no_request.status_code, no_request.content) == (500, b"")
    assert bad_action.status_code == 400
    assert "authorize" in exception_message(bad_action.text)
    assert request_ids(double, "alice") == [str(CAROL)]


def test_follow_requests_link_header(double: Double) -> None:
    response = double.client.get("/api/v1/follow_requests", "alice", limit="5")

    # The request ids are alice's contact ids, and carol's is 18.
    command = f"{BASE_URL}/api/v1/follow_requests"
    assert response.headers["link"] == (
        f'<{command}?limit=5&max_id=18>; rel="next", <{command}?limit=5&min_id=18>; rel="prev"'
    )


# Blocks


def test_blocked_person_gets_400_on_blockers_post(double: Double) -> None:
    status_id = post(double, "alice", "bob should not read this after the block")
    assert double.client.get("/api/statuses/show.json", "bob", id=status_id).status_code == 200

    act(double, "alice", BOB, "block")
    response = double.client.get("/api/statuses/show.json", "bob", id=status_id)

    assert response.status_code == 400
    assert exception_message(response.text) == f"There is no status or conversation with the id {status_id}."


def test_block_hides_blocked_posts_from_blocker(double: Double) -> None:
    status_id = post(double, "bob", "alice blocks me next")

    act(double, "alice", BOB, "block")
    home = [status["id"] for status in double.client.get("/api/statuses/home_timeline.json", "alice").json()]

    assert status_id not in home
    assert double.client.get("/api/statuses/show.json", "alice", id=status_id).status_code == 400


def test_block_severs_relations_and_circles(double: Double) -> None:
    response = act(double, "alice", BOB, "block")

    assert response.json()["blocking"] is True
    assert (response.json()["following"], response.json()["followed_by"]) == (False, False)
    assert BOB not in follower_ids(double, "alice")
    assert ALICE not in follower_ids(double, "bob")
    (friends,) = double.client.get("/api/friendica/group_show.json", "alice", gid=1).json()
    assert BOB not in [member["id"] for member in friends["user"]]


def test_unblock_keeps_relations_severed(double: Double) -> None:
    status_id = post(double, "alice", "visible again after the unblock")
    act(double, "alice", BOB, "block")

    response = act(double, "alice", BOB, "unblock")

    assert response.json()["blocking"] is False
    assert response.json()["following"] is False
    assert double.client.get("/api/statuses/show.json", "bob", id=status_id).status_code == 200


def test_blocks_lists_blocked_people(double: Double) -> None:
    act(double, "alice", BOB, "block")
    act(double, "alice", ERIN, "block")

    ids = double.client.get("/api/blocks/ids.json", "alice").json()
    strings = double.client.get("/api/blocks/ids.json", "alice", stringify_ids="true").json()
    users = double.client.get("/api/blocks/list.json", "alice").json()["users"]

    assert ids["ids"] == [ERIN, BOB]
    assert strings["ids"] == [str(ERIN), str(BOB)]
    assert [user["id"] for user in users] == [ERIN, BOB]
    # Recorded quirk: the blocked users still show statusnet_blocking false.
    assert {user["statusnet_blocking"] for user in users} == {False}
    assert all("entities" not in user for user in users)


def test_blocks_create_and_destroy_are_not_routed(double: Double) -> None:
    for path in ("/api/blocks/create.json", "/api/blocks/destroy.json"):
        response = double.client.post(path, "alice", user_id=str(BOB))
        assert (response.status_code, html_kind(response.text)) == (200, "site page"), path

    assert double.client.get("/api/blocks/ids.json", "alice").json()["ids"] == []


def test_block_deletes_mails_with_person(double: Double) -> None:
    sent = double.client.post("/api/direct_messages/new.json", "alice", screen_name="bob", text="before")
    assert sent.status_code == 200

    act(double, "alice", BOB, "block")
    response = double.client.get("/api/direct_messages/all.json", "alice")

    # Friendica's contact clean-up deletes the mails kept with the removed address-book row.
    assert response.status_code == 200
    assert response.json() == []


def test_block_of_unknown_id_is_404(double: Double) -> None:
    response = act(double, "alice", 99999, "block")

    assert response.status_code == 404
    assert exception_message(response.text) == "Contact not found."


# Mutes


def test_mute_hides_posts_from_home_timeline(double: Double) -> None:
    status_id = post(double, "bob", "muted soon")
    home_before = [
        status["id"] for status in double.client.get("/api/statuses/home_timeline.json", "alice").json()
    ]

    muted = act(double, "alice", BOB, "mute")
    home = [status["id"] for status in double.client.get("/api/statuses/home_timeline.json", "alice").json()]

    assert status_id in home_before
    assert muted.json()["muting"] is True
    assert muted.json()["following"] is True
    assert status_id not in home


def test_unmute_shows_posts_again(double: Double) -> None:
    status_id = post(double, "bob", "muted, then not")
    act(double, "alice", BOB, "mute")

    unmuted = act(double, "alice", BOB, "unmute")
    home = [status["id"] for status in double.client.get("/api/statuses/home_timeline.json", "alice").json()]

    assert unmuted.json()["muting"] is False
    assert status_id in home


def test_mutes_endpoints_are_not_routed(double: Double) -> None:
    response = double.client.get("/api/mutes/users/ids.json", "alice")

    assert (response.status_code, html_kind(response.text)) == (404, "site page")


def test_demo_erin_blocks_dave(demo: Double) -> None:
    assert demo.client.get("/api/blocks/ids.json", "erin").json()["ids"] == [DAVE]
    assert relation(demo, "alice", CAROL)["requested"] is True

"""Circles (``friendica/group_*``, ``circle_*``) and lists (``lists/*``) with Friendica 2024.08's quirks."""

from __future__ import annotations

import json
from typing import Any

import httpx

from .pictures import raw_post
from .support import Double, exception_message, html_kind

# Alice's address-book ids of bob and dave, and carol's pending request to alice.
ALICE_CONTACT_FOR_BOB = 11
ALICE_CONTACT_FOR_DAVE = 15
ALICE_CONTACT_FOR_CAROL = 18
BOB_PUBLIC_ID = 5
DAVE_PUBLIC_ID = 10


def members_json(*contact_ids: Any) -> str:
    return json.dumps({"user": [{"cid": contact_id} for contact_id in contact_ids]})


def create_circle(double: Double, name: str, *contact_ids: Any, user: str = "alice") -> dict[str, Any]:
    response = double.client.post(
        "/api/friendica/circle_create.json", user, name=name, json=members_json(*contact_ids)
    )
    assert response.status_code == 200, response.text[:300]
    result: dict[str, Any] = response.json()
    return result


def shown_circles(double: Double, user: str = "alice", **params: Any) -> list[dict[str, Any]]:
    response = double.client.get("/api/friendica/group_show.json", user, **params)
    assert response.status_code == 200, response.text[:300]
    result: list[dict[str, Any]] = response.json()
    return result


def member_ids(double: Double, gid: int) -> list[int]:
    (circle,) = shown_circles(double, gid=gid)
    return [member["id"] for member in circle["user"]]


def message(response: httpx.Response) -> str:
    return exception_message(response.text)


# Circles


def test_new_account_has_friends_and_groups(double: Double) -> None:
    names = [circle["name"] for circle in shown_circles(double, "erin")]

    assert names == ["Friends", "Groups"]
    assert all(circle["user"] == [] for circle in shown_circles(double, "erin"))


def test_json_body_keeps_name_drops_members(double: Double) -> None:
    body = json.dumps({"name": "Body circle", "user": [{"cid": ALICE_CONTACT_FOR_BOB}]}).encode()

    response = raw_post(double, "/api/friendica/group_create.json", body)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert member_ids(double, response.json()["gid"]) == []


def test_json_form_field_adds_members(double: Double) -> None:
    created = create_circle(double, "Hikers", ALICE_CONTACT_FOR_DAVE, ALICE_CONTACT_FOR_BOB)

    assert created["status"] == "ok"
    # Members are listed by name: "Bob Test" before "Dave Test".
    assert member_ids(double, created["gid"]) == [BOB_PUBLIC_ID, DAVE_PUBLIC_ID]


def test_unknown_member_is_missing_user(double: Double) -> None:
    created = create_circle(double, "Work", ALICE_CONTACT_FOR_BOB, 999999, "12abc")

    assert created["success"] is True
    assert created["status"] == "missing user"
    assert created["wrong users"] == [999999, "12abc"]
    assert member_ids(double, created["gid"]) == [BOB_PUBLIC_ID]


def test_other_users_contact_is_wrong_user(double: Double) -> None:
    bob_contact_for_alice = 12

    created = create_circle(double, "Borrowed", bob_contact_for_alice)

    assert created["wrong users"] == [bob_contact_for_alice]


def test_pending_member_is_kept_but_hidden(double: Double) -> None:
    created = create_circle(double, "Maybe", ALICE_CONTACT_FOR_CAROL)

    assert created["status"] == "ok"
    assert member_ids(double, created["gid"]) == []


def test_duplicate_name_any_case_is_400(double: Double) -> None:
    create_circle(double, "Close friends")

    response = double.client.post("/api/friendica/group_create.json", "alice", name="CLOSE FRIENDS")

    assert response.status_code == 400
    assert message(response) == "circle name already exists"


def test_create_without_name_is_400(double: Double) -> None:
    response = double.client.post("/api/friendica/circle_create.json", "alice", json=members_json())

    assert response.status_code == 400
    assert message(response) == "circle name not specified"


def test_deleted_name_is_reactivated(double: Double) -> None:
    first = create_circle(double, "Book club", ALICE_CONTACT_FOR_BOB)
    double.client.post("/api/friendica/group_delete.json", "alice", gid=first["gid"], name="Book club")

    again = create_circle(double, "Book club")

    assert again["status"] == "reactivated"
    assert again["gid"] == first["gid"]
    assert member_ids(double, again["gid"]) == []


def test_update_replaces_member_list(double: Double) -> None:
    created = create_circle(double, "Team", ALICE_CONTACT_FOR_BOB, ALICE_CONTACT_FOR_DAVE)

    response = double.client.post(
        "/api/friendica/group_update.json",
        "alice",
        gid=created["gid"],
        name="Team",
        json=members_json(ALICE_CONTACT_FOR_DAVE),
    )

    assert response.json()["status"] == "ok"
    assert member_ids(double, created["gid"]) == [DAVE_PUBLIC_ID]


def test_update_never_renames(double: Double) -> None:
    created = create_circle(double, "Team")

    double.client.post(
        "/api/friendica/circle_update.json", "alice", gid=created["gid"], name="Team", json=members_json()
    )
    response = double.client.post(
        "/api/friendica/circle_update.json", "alice", gid=created["gid"], name="Renamed", json=members_json()
    )

    assert response.status_code == 200
    assert [circle["name"] for circle in shown_circles(double, gid=created["gid"])] == ["Team"]


def test_update_with_unknown_name_answers_gid_false(double: Double) -> None:
    created = create_circle(double, "Team", ALICE_CONTACT_FOR_BOB, ALICE_CONTACT_FOR_DAVE)

    response = double.client.post(
        "/api/friendica/group_update.json",
        "alice",
        gid=created["gid"],
        name="No such circle",
        json=members_json(ALICE_CONTACT_FOR_BOB),
    )

    assert response.json()["gid"] is False
    assert member_ids(double, created["gid"]) == [BOB_PUBLIC_ID, DAVE_PUBLIC_ID]


def test_update_with_other_name_changes_that_circle(double: Double) -> None:
    team = create_circle(double, "Team", ALICE_CONTACT_FOR_BOB, ALICE_CONTACT_FOR_DAVE)
    other = create_circle(double, "Other", ALICE_CONTACT_FOR_BOB, ALICE_CONTACT_FOR_DAVE)

    response = double.client.post(
        "/api/friendica/group_update.json",
        "alice",
        gid=team["gid"],
        name="Other",
        json=members_json(ALICE_CONTACT_FOR_BOB),
    )

    assert response.json()["gid"] == other["gid"]
    assert member_ids(double, other["gid"]) == [BOB_PUBLIC_ID]
    assert member_ids(double, team["gid"]) == [BOB_PUBLIC_ID, DAVE_PUBLIC_ID]


def test_update_needs_name_and_gid(double: Double) -> None:
    no_name = double.client.post("/api/friendica/group_update.json", "alice", gid="1")
    no_gid = double.client.post("/api/friendica/group_update.json", "alice", name="Friends")

    assert (no_name.status_code, message(no_name)) == (400, "circle name not specified")
    assert (no_gid.status_code, message(no_gid)) == (400, "gid not specified")


def test_update_of_unknown_circle_is_404(double: Double) -> None:
    response = double.client.post(
        "/api/friendica/group_update.json",
        "alice",
        gid="9999",
        name="Ghost",
        json=members_json(ALICE_CONTACT_FOR_BOB),
    )

    assert response.status_code == 404
    assert message(response) == "Circle not found."


def test_json_field_as_array_is_empty_500(double: Double) -> None:
    response = double.client.post(
        "/api/friendica/group_create.json", "alice", **{"name": "Arrays", "json[user]": "11"}
    )

    assert response.status_code == 500
    assert response.content == b""


def test_delete_needs_gid_and_matching_name(double: Double) -> None:
    created = create_circle(double, "Temporary")

    missing = double.client.post("/api/friendica/group_delete.json", "alice", gid=created["gid"])
    wrong = double.client.post("/api/friendica/group_delete.json", "alice", gid=created["gid"], name="Nope")
    foreign = double.client.post("/api/friendica/group_delete.json", "alice", gid="3", name="Friends")

    assert (missing.status_code, message(missing)) == (400, "gid or name not specified")
    assert (wrong.status_code, message(wrong)) == (400, "wrong circle name")
    assert (foreign.status_code, message(foreign)) == (400, "gid not available")
    assert "Temporary" in [circle["name"] for circle in shown_circles(double)]


def test_delete_answers_deleted(double: Double) -> None:
    created = create_circle(double, "Temporary")

    response = double.client.post(
        "/api/friendica/circle_delete.json", "alice", gid=created["gid"], name="temporary"
    )

    assert response.json() == {
        "success": True,
        "gid": created["gid"],
        "name": "temporary",
        "status": "deleted",
        "wrong users": [],
    }
    assert "Temporary" not in [circle["name"] for circle in shown_circles(double)]


def test_show_of_foreign_gid_is_400(double: Double) -> None:
    bobs_friends_circle = 3

    response = double.client.get("/api/friendica/circle_show.json", "alice", gid=bobs_friends_circle)

    assert response.status_code == 400
    assert message(response) == "gid not available"


# Lists


def test_list_and_subscriptions_are_empty(double: Double) -> None:
    create_circle(double, "Not a list for these stubs")

    for path in ("/api/lists/list.json", "/api/lists/subscriptions.json"):
        response = double.client.get(path, "alice")
        assert response.status_code == 200, path
        assert response.json() == [], path


def test_ownerships_are_the_circles(double: Double) -> None:
    create_circle(double, "Team")

    lists = double.client.get("/api/lists/ownerships.json", "alice").json()["lists"]

    assert [entry["name"] for entry in lists] == ["Friends", "Groups", "Team"]
    assert {entry["mode"] for entry in lists} == {"private"}
    assert {entry["user"]["screen_name"] for entry in lists} == {"alice"}


def test_lists_create_update_destroy(double: Double) -> None:
    created = double.client.post("/api/lists/create.json", "alice", name="Reading").json()["lists"]
    renamed = double.client.post(
        "/api/lists/update.json", "alice", list_id=created["id"], name="Friends"
    ).json()["lists"]
    destroyed = double.client.post("/api/lists/destroy.json", "alice", list_id=created["id"]).json()

    assert created["id_str"] == str(created["id"])
    # lists/update checks no duplicates: two circles are now called "Friends".
    assert renamed["name"] == "Friends"
    assert destroyed == {"lists": renamed}
    assert [circle["name"] for circle in shown_circles(double)] == ["Friends", "Groups"]


def test_lists_on_deleted_circle_answer_empty_list(double: Double) -> None:
    created = double.client.post("/api/lists/create.json", "alice", name="Gone").json()["lists"]
    double.client.post("/api/lists/destroy.json", "alice", list_id=created["id"])

    renamed = double.client.post("/api/lists/update.json", "alice", list_id=created["id"], name="Back")
    destroyed = double.client.post("/api/lists/destroy.json", "alice", list_id=created["id"])

    assert renamed.json() == {"lists": []}
    assert destroyed.json() == {"lists": []}


def test_lists_errors(double: Double) -> None:
    no_name = double.client.post("/api/lists/create.json", "alice")
    no_id = double.client.post("/api/lists/update.json", "alice", name="x")
    foreign = double.client.post("/api/lists/destroy.json", "alice", list_id="3")
    no_list = double.client.get("/api/lists/statuses.json", "alice")

    assert (no_name.status_code, message(no_name)) == (400, "circle name not specified")
    assert (no_id.status_code, message(no_id)) == (400, "gid not specified")
    assert (foreign.status_code, message(foreign)) == (400, "gid not available")
    assert (no_list.status_code, message(no_list)) == (400, "list_id not specified")


def test_list_statuses_are_members_posts(double: Double) -> None:
    from_bob = double.client.post("/api/statuses/update.json", "bob", status="bob for the list").json()
    from_alice = double.client.post("/api/statuses/update.json", "alice", status="alice, no member").json()
    created = create_circle(double, "Just bob", ALICE_CONTACT_FOR_BOB)

    statuses = double.client.get("/api/lists/statuses.json", "alice", list_id=created["gid"]).json()
    ids = [status["id"] for status in statuses]

    assert from_bob["id"] in ids
    assert from_alice["id"] not in ids
    assert {status["user"]["screen_name"] for status in statuses} == {"bob"}
    assert ids == sorted(ids, reverse=True)


def test_list_statuses_page_like_timelines(double: Double) -> None:
    posted = [
        double.client.post("/api/statuses/update.json", "bob", status=f"bob {number}").json()["id"]
        for number in range(4)
    ]
    created = create_circle(double, "Just bob", ALICE_CONTACT_FOR_BOB)

    def page(**params: Any) -> list[int]:
        response = double.client.get("/api/lists/statuses.json", "alice", list_id=created["gid"], **params)
        return [status["id"] for status in response.json()]

    assert page(max_id=posted[2], count=2) == [posted[2], posted[1]]
    assert page(since_id=posted[1]) == [posted[3], posted[2]]
    assert page(count=1, page=2) == [posted[2]]


def test_list_statuses_of_foreign_circle_is_empty(double: Double) -> None:
    bobs_friends_circle = 3

    response = double.client.get("/api/lists/statuses.json", "alice", list_id=bobs_friends_circle)

    assert response.status_code == 200
    assert response.json() == []


def test_lists_members_is_not_routed(double: Double) -> None:
    get = double.client.get("/api/lists/members.json", "alice", list_id="1")
    post = double.client.post("/api/lists/members/create.json", "alice", list_id="1", user_id="5")

    assert (get.status_code, html_kind(get.text)) == (404, "site page")
    assert (post.status_code, html_kind(post.text)) == (200, "site page")


def test_demo_circles_are_seeded(demo: Double) -> None:
    alice = {circle["name"]: circle for circle in shown_circles(demo, "alice")}
    bob_lists = demo.client.get("/api/lists/ownerships.json", "bob").json()["lists"]
    regulars = next(entry for entry in bob_lists if entry["name"] == "Friendica regulars")

    statuses = demo.client.get("/api/lists/statuses.json", "bob", list_id=regulars["id"]).json()

    assert [member["screen_name"] for member in alice["Close friends"]["user"]] == ["bob"]
    assert statuses
    assert {status["user"]["screen_name"] for status in statuses} <= {"alice", "carol"}

"""Friendica's own ``/api/v1/notifications``: which events make rows, their shapes and the paging."""

from __future__ import annotations

from typing import Any

import httpx

from friendica_double import user_contacts

from .support import Double, exception_message, html_kind

PATH = "/api/v1/notifications"
LEGACY_PATH = "/api/friendica/notifications.json"
NOTIFICATION_KEYS = ["id", "type", "created_at", "dismissed", "account", "status"]


def post_status(double: Double, user: str, **form: Any) -> dict[str, Any]:
    response = double.client.post("/api/statuses/update.json", user, **form)
    assert response.status_code == 200, response.text[:300]
    status: dict[str, Any] = response.json()
    return status


def person_id(double: Double, nickname: str) -> str:
    """Return a person's public contact id (the Mastodon account id) as the API reports it."""
    response = double.client.get("/api/users/show.json", "alice", screen_name=nickname)
    assert response.status_code == 200
    return str(response.json()["id"])


def fetch(double: Double, user: str, params: list[tuple[str, str]] | None = None) -> httpx.Response:
    response = double.client.request("GET", PATH, user=user, params=params)
    assert response.status_code == 200, response.text[:300]
    return response


def native(double: Double, user: str, **params: Any) -> list[dict[str, Any]]:
    pairs = [(key, str(value)) for key, value in params.items()]
    listed: list[dict[str, Any]] = fetch(double, user, pairs).json()
    return listed


def about(notes: list[dict[str, Any]], status_id: int) -> list[tuple[str, str]]:
    """Return (type, actor id) of the notifications whose status is ``status_id``, oldest first."""
    return [
        (note["type"], note["account"]["id"])
        for note in reversed(notes)
        if note.get("status", {}).get("id") == str(status_id)
    ]


def legacy_item_rows(double: Double, user: str) -> list[dict[str, Any]]:
    body = double.client.get(LEGACY_PATH, user).json()
    return [row for row in (body or []) if row["otype"] == "item"]


def react(double: Double, user: str, verb: str, status_id: int) -> None:
    response = double.client.post(f"/api/friendica/activity/{verb}.json", user, id=status_id)
    assert response.status_code == 200, response.text[:300]


def reblog(double: Double, user: str, status_id: int) -> None:
    response = double.client.post(f"/api/v1/statuses/{status_id}/reblog", user)
    assert response.status_code == 200, response.text[:300]


# Likes and shares: native rows, but none in the notify table


def test_like_is_favourite_not_notify_row(double: Double) -> None:
    post = post_status(double, "alice", status="Like me")
    before = native(double, "alice")

    liked = double.client.post("/api/favorites/create.json", "bob", id=post["id"])

    assert liked.status_code == 200
    after = native(double, "alice")
    assert len(after) == len(before) + 1
    assert about(after, post["id"]) == [("favourite", person_id(double, "bob"))]
    assert after[0]["status"]["favourited"] is False
    assert after[0]["status"]["favourites_count"] == 1
    assert legacy_item_rows(double, "alice") == []


def test_share_is_reblog_not_notify_row(double: Double) -> None:
    # alice does not follow carol, so carol's share reaches her (see test_quirks for the other case).
    post = post_status(double, "alice", status="Share me")

    reblog(double, "carol", post["id"])

    notes = native(double, "alice")
    assert about(notes, post["id"]) == [("reblog", person_id(double, "carol"))]
    assert notes[0]["status"]["reblogs_count"] == 1
    assert legacy_item_rows(double, "alice") == []


def test_share_by_followed_sharer_notifies_nothing(double: Double) -> None:
    # As recorded on 2024.08, the author gets no copy of the share, and the row belongs to the copy.
    post = post_status(double, "alice", status="Share me quietly")

    reblog(double, "bob", post["id"])

    assert about(native(double, "alice"), post["id"]) == []


def test_dislike_reads_as_favourite_and_attendance_as_mention(double: Double) -> None:
    post = post_status(double, "alice", status="Party on Friday")

    react(double, "bob", "dislike", post["id"])
    react(double, "carol", "attendyes", post["id"])

    assert about(native(double, "alice"), post["id"]) == [
        ("favourite", person_id(double, "bob")),
        ("mention", person_id(double, "carol")),
    ]


def test_like_of_a_comment_notifies_its_author_only(double: Double) -> None:
    post = post_status(double, "alice", status="Thread by alice")
    comment = post_status(double, "bob", status="Comment by bob", in_reply_to_status_id=post["id"])
    alice_before = native(double, "alice")

    react(double, "carol", "like", comment["id"])

    assert about(native(double, "bob"), comment["id"])[-1] == ("favourite", person_id(double, "carol"))
    assert [note["id"] for note in native(double, "alice")] == [note["id"] for note in alice_before]


def test_repeated_like_adds_no_row(double: Double) -> None:
    post = post_status(double, "alice", status="Like me twice")
    react(double, "bob", "like", post["id"])
    first = native(double, "alice")[0]

    react(double, "bob", "unlike", post["id"])
    kept = native(double, "alice")[0]
    react(double, "bob", "like", post["id"])

    assert kept["id"] == first["id"]
    assert about(native(double, "alice"), post["id"]) == [("favourite", person_id(double, "bob"))]
    assert native(double, "alice")[0]["created_at"] == first["created_at"]


# Mentions, replies and watched contacts


def test_mention_and_reply_are_mentions(double: Double) -> None:
    post = post_status(double, "alice", status="Hello @bob")
    reply = post_status(double, "bob", status="Hi alice", in_reply_to_status_id=post["id"])

    assert about(native(double, "bob"), post["id"]) == [("mention", person_id(double, "alice"))]
    assert about(native(double, "alice"), reply["id"]) == [("mention", person_id(double, "bob"))]
    assert native(double, "alice")[0]["status"]["in_reply_to_id"] == str(post["id"])


def test_watched_contact_posts_and_shares_are_status(double: Double) -> None:
    store = double.app.state.site.store
    alice_uid, bob_public_id = 2, int(person_id(double, "bob"))
    user_contacts.set_flag(store, alice_uid, bob_public_id, "notify_new_posts", True)
    carol_post = post_status(double, "carol", status="Carol's news")

    bob_post = post_status(double, "bob", status="Fresh from bob, @alice")
    reblog(double, "bob", carol_post["id"])

    notes = native(double, "alice")
    # The watched post wins over the mention in it; the share shows the shared post.
    assert about(notes, bob_post["id"]) == [("status", str(bob_public_id))]
    assert about(notes, carol_post["id"]) == [("status", str(bob_public_id))]


def test_blocked_author_makes_no_row(double: Double) -> None:
    store = double.app.state.site.store
    user_contacts.set_blocked(store, 2, int(person_id(double, "bob")), True)
    post = post_status(double, "alice", status="Who sees this")

    react(double, "bob", "like", post["id"])

    assert about(native(double, "alice"), post["id"]) == []


def test_deleting_a_post_keeps_likes_but_drops_mentions(double: Double) -> None:
    post = post_status(double, "alice", status="Soon gone")
    reply = post_status(double, "bob", status="A reply", in_reply_to_status_id=post["id"])
    react(double, "bob", "like", post["id"])
    assert about(native(double, "alice"), reply["id"]) == [("mention", person_id(double, "bob"))]

    deleted = double.client.post("/api/statuses/destroy.json", "alice", id=post["id"])

    assert deleted.status_code == 200
    notes = native(double, "alice")
    assert about(notes, reply["id"]) == []
    assert about(notes, post["id"]) == [("favourite", person_id(double, "bob"))]


# Follows


def test_follow_request_lifecycle(double: Double) -> None:
    carol = person_id(double, "carol")
    # In the recorded starting state, carol's request to follow alice waits.
    requests = [note for note in native(double, "alice") if note["account"]["id"] == carol]
    assert [note["type"] for note in requests] == ["follow_request"]
    assert "status" not in requests[0]

    authorized = double.client.post(f"/api/v1/follow_requests/{carol}/authorize", "alice")
    after_authorize = [note for note in native(double, "alice") if note["account"]["id"] == carol]
    unfollowed = double.client.post("/api/v1/accounts/3/unfollow", "carol")

    assert authorized.status_code == 200
    assert [(note["id"], note["type"]) for note in after_authorize] == [(requests[0]["id"], "follow")]
    assert unfollowed.status_code == 200
    assert [note for note in native(double, "alice") if note["account"]["id"] == carol] == []


def test_locked_account_gets_follow_request(double: Double) -> None:
    erin = person_id(double, "erin")

    followed = double.client.post("/api/v1/accounts/5/follow", "erin")

    assert followed.status_code == 200
    assert [note["type"] for note in native(double, "bob") if note["account"]["id"] == erin] == [
        "follow_request"
    ]


# Shape, paging and parameters


def test_notification_shape(double: Double) -> None:
    post = post_status(double, "alice", status="Shape check")
    react(double, "bob", "like", post["id"])
    status = double.client.get(f"/api/v1/statuses/{post['id']}", "alice").json()

    notes = native(double, "alice")
    follow = next(note for note in notes if note["type"] == "follow")

    assert list(notes[0]) == NOTIFICATION_KEYS
    assert list(follow) == NOTIFICATION_KEYS[:-1]
    assert isinstance(notes[0]["id"], str)
    assert notes[0]["dismissed"] is False
    assert notes[0]["created_at"].endswith(".000Z")
    assert notes[0]["status"] == status
    assert notes[0]["account"]["acct"] == "bob"


def test_limit_default_and_cap(double: Double) -> None:
    for number in range(35):
        react(double, "bob", "like", post_status(double, "alice", status=f"post {number}")["id"])

    assert len(native(double, "alice")) == 15
    assert len(native(double, "alice", limit=100)) == 30
    assert native(double, "alice", limit=0) == []
    assert native(double, "alice", limit=-1) == []
    assert native(double, "alice", limit="many") == []


def test_paging_bounds_and_link_header(double: Double) -> None:
    for number in range(5):
        react(double, "bob", "like", post_status(double, "alice", status=f"page {number}")["id"])
    everything = [int(note["id"]) for note in native(double, "alice", limit=30)]
    assert everything == sorted(everything, reverse=True)

    below = [int(note["id"]) for note in native(double, "alice", max_id=everything[1], limit=2)]
    since = [int(note["id"]) for note in native(double, "alice", since_id=everything[3])]
    # min_id does not return the rows right after it but the newest ones, like since_id.
    newest = [int(note["id"]) for note in native(double, "alice", min_id=everything[-1], limit=2)]
    response = fetch(double, "alice", [("limit", "2"), ("max_id", str(everything[0]))])

    assert below == everything[2:4]
    assert since == everything[:3]
    assert newest == everything[:2]
    shown = [int(note["id"]) for note in response.json()]
    base = f"http://127.0.0.1:8088{PATH}"
    assert response.headers["link"] == (
        f'<{base}?limit=2&max_id={min(shown)}>; rel="next", <{base}?limit=2&min_id={max(shown)}>; rel="prev"'
    )
    assert "link" not in fetch(double, "erin").headers


def test_exclude_types_work_on_stored_rows(double: Double) -> None:
    post = post_status(double, "alice", status="A post")
    comment = post_status(double, "alice", status="A comment", in_reply_to_status_id=post["id"])
    react(double, "bob", "like", post["id"])
    react(double, "bob", "like", comment["id"])

    def kinds(excluded: str) -> list[str]:
        response = fetch(double, "alice", [("exclude_types[]", excluded), ("limit", "30")])
        return sorted(note["type"] for note in response.json())

    everything = sorted(note["type"] for note in native(double, "alice", limit=30))
    no_likes = fetch(double, "alice", [("exclude_types[]", "favourite"), ("limit", "30")]).json()

    assert "follow" in everything
    assert "follow_request" in everything
    assert about(native(double, "alice", limit=30), comment["id"]) == [
        ("favourite", person_id(double, "bob"))
    ]
    # Only the like of the comment goes; the like of the top-level post stays.
    assert about(no_likes, post["id"]) == [("favourite", person_id(double, "bob"))]
    assert about(no_likes, comment["id"]) == []
    # Excluding follow drops follow requests too, excluding follow_request drops nothing.
    assert "follow" not in kinds("follow")
    assert "follow_request" not in kinds("follow")
    assert kinds("follow_request") == everything


def test_types_is_not_read(double: Double) -> None:
    everything = native(double, "alice")

    only_follows = fetch(double, "alice", [("types[]", "follow")]).json()

    assert {note["type"] for note in everything} != {"follow"}
    assert only_follows == everything


def test_account_id_empties_list(double: Double) -> None:
    assert native(double, "alice") != []

    named = fetch(double, "alice", [("account_id", person_id(double, "bob"))])
    unknown = native(double, "alice", account_id=999999)

    assert named.json() == []
    assert "link" not in named.headers
    assert unknown == native(double, "alice")


def test_summary_counts_the_listed_rows(double: Double) -> None:
    for number in range(3):
        react(double, "bob", "like", post_status(double, "alice", status=f"count {number}")["id"])

    counted = native(double, "alice", summary="true")

    assert counted == {"count": len(native(double, "alice", limit=30))}


def test_dismiss_clear_and_include_all(double: Double) -> None:
    listed = native(double, "alice")
    first = listed[0]["id"]

    dismissed = double.client.post(f"{PATH}/{first}/dismiss", "alice")

    assert dismissed.status_code == 200
    assert dismissed.json() == []
    assert [note["id"] for note in native(double, "alice")] == [note["id"] for note in listed[1:]]
    with_dismissed = native(double, "alice", include_all="true")
    assert [note["id"] for note in with_dismissed] == [note["id"] for note in listed]
    assert with_dismissed[0]["dismissed"] is True
    assert double.client.get(f"{PATH}/{first}", "alice").json()["dismissed"] is True

    cleared = double.client.post(f"{PATH}/clear", "alice")

    assert cleared.status_code == 200
    assert cleared.json() == []
    assert native(double, "alice") == []
    assert len(native(double, "alice", include_all="true")) == len(listed)


def test_single_notification_and_errors(double: Double) -> None:
    first = native(double, "alice")[0]

    own = double.client.get(f"{PATH}/{first['id']}", "alice")
    foreign = double.client.get(f"{PATH}/{first['id']}", "bob")
    foreign_dismiss = double.client.post(f"{PATH}/{first['id']}/dismiss", "bob")
    zero = double.client.get(f"{PATH}/0", "alice")
    anonymous = double.client.get(PATH)

    assert own.json() == first
    assert foreign.status_code == 403
    assert foreign.json() == {"error": "Record not found"}
    assert foreign_dismiss.status_code == 404
    assert html_kind(foreign_dismiss.text) == "exception page"
    assert zero.json() == native(double, "alice")
    assert anonymous.status_code == 401
    assert exception_message(anonymous.text) == "This API requires login"
    assert native(double, "alice")[0]["dismissed"] is False


def test_demo_data_has_native_notifications(demo: Double) -> None:
    kinds: set[str] = set()
    page = native(demo, "alice", limit=30)
    while page:
        kinds |= {note["type"] for note in page}
        page = native(demo, "alice", limit=30, max_id=page[-1]["id"])

    assert {"favourite", "follow", "follow_request", "mention"} <= kinds

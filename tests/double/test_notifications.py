"""Notifications of the double: which events create rows, and the recorded 2024.08 quirks."""

from __future__ import annotations

from typing import Any

from friendica_double import dates, people, user_contacts

from .support import Double, exception_message, html_kind

LIST_PATH = "/api/friendica/notifications.json"
SEEN_PATH = "/api/friendica/notification/seen.json"


def notes(double: Double, user: str) -> list[dict[str, Any]]:
    response = double.client.get(LIST_PATH, user)
    assert response.status_code == 200
    body = response.json()
    return body if body is not False else []


def post_status(double: Double, user: str, **form: Any) -> dict[str, Any]:
    response = double.client.post("/api/statuses/update.json", user, **form)
    assert response.status_code == 200, response.text[:300]
    status: dict[str, Any] = response.json()
    return status


def react(double: Double, user: str, verb: str, status_id: int) -> None:
    response = double.client.post(f"/api/friendica/activity/{verb}.json", user, id=status_id)
    assert response.status_code == 200, response.text[:300]


def mark_seen(double: Double, user: str, notify_id: int) -> Any:
    response = double.client.post(SEEN_PATH, user, id=notify_id)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def item_notes(double: Double, user: str) -> list[dict[str, Any]]:
    return [note for note in notes(double, user) if note["otype"] == "item"]


# The list


def test_empty_list_is_false(double: Double) -> None:
    response = double.client.get(LIST_PATH, "erin")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.text == "false"


def test_singular_path_lists_the_same(double: Double) -> None:
    plural = double.client.get(LIST_PATH, "alice").json()
    singular = double.client.get("/api/friendica/notification.json", "alice").json()

    assert [note["id"] for note in singular] == [note["id"] for note in plural]


def test_list_caps_at_50(demo: Double) -> None:
    store = demo.app.state.site.store
    total = store.count("SELECT COUNT(*) FROM notify WHERE uid = 2")

    assert total >= 60
    assert len(notes(demo, "alice")) == 50


def test_unseen_rows_come_first(double: Double) -> None:
    older = post_status(double, "bob", status="@alice first mention")
    newer = post_status(double, "bob", status="@alice second mention")
    newest_note = next(note for note in notes(double, "alice") if note["link"] == newer["external_url"])

    mark_seen(double, "alice", newest_note["id"])
    listed = notes(double, "alice")

    assert [note["seen"] for note in listed] == sorted(note["seen"] for note in listed)
    assert listed[-1]["id"] == newest_note["id"]
    assert any(note["link"] == older["external_url"] for note in listed[:-1])


def test_dates_and_timestamp_agree(double: Double) -> None:
    for note in notes(double, "alice"):
        stamp = dates.epoch(note["date"])

        assert note["timestamp"] == str(stamp)
        assert note["date_rel"].endswith("ago")


# What creates a row


def test_follow_requests_notify_new_followers_only(double: Double) -> None:
    alice = notes(double, "alice")
    bob = notes(double, "bob")

    # carol's pending request: the only intro alice has; bob only followed her back.
    assert [(note["type"], note["otype"], note["name"]) for note in alice] == [(1, "intro", "Carol Test")]
    assert alice[0]["iid"] == 0
    assert alice[0]["parent"] == 0
    assert alice[0]["link"].endswith("/notifications/intros")
    assert [note["name"] for note in bob] == ["Alice Test"]


def test_follow_again_after_unfollow_notifies(double: Double) -> None:
    store = double.app.state.site.store
    alice_uid, dave_uid, dave_public_id = 2, 5, 10

    # alice already follows dave, so following again changes nothing.
    people.follow(store, alice_uid, dave_uid)
    repeated = notes(double, "dave")
    people.unfollow(store, alice_uid, dave_public_id)
    people.follow(store, alice_uid, dave_uid)
    renewed = notes(double, "dave")

    assert len(repeated) == 1
    assert [(note["type"], note["name"]) for note in renewed] == [(1, "Alice Test"), (1, "Alice Test")]


def test_mention_is_type_128(double: Double) -> None:
    status = post_status(double, "bob", status="@alice have a look")

    [note] = item_notes(double, "alice")

    assert note["type"] == 128
    assert note["link"] == status["external_url"]
    assert note["msg_plain"] == 'Bob Test tagged you on "@Alice Test have a look"'
    assert note["verb"] == "http://activitystrea.ms/schema/1.0/post"


def test_reply_without_mention_is_type_8(double: Double) -> None:
    post = post_status(double, "alice", status="Lunch at noon?")
    reply = post_status(double, "bob", status="Yes please", in_reply_to_status_id=post["id"])

    [note] = item_notes(double, "alice")

    assert note["type"] == 8
    assert note["link"] == reply["external_url"]
    assert note["msg_plain"] == 'Bob Test replied to you on "Lunch at noon?"'


def test_comment_in_thread_notifies_participant(double: Double) -> None:
    post = post_status(double, "alice", status="Who brings the cake?")
    post_status(double, "bob", status="I can", in_reply_to_status_id=post["id"])
    carol_reply = post_status(double, "carol", status="Me too", in_reply_to_status_id=post["id"])

    bob_notes = item_notes(double, "bob")

    assert [note["link"] for note in bob_notes] == [carol_reply["external_url"]]
    assert bob_notes[0]["type"] == 8
    assert (
        bob_notes[0]["msg_plain"]
        == 'Carol Test commented in the thread "Who brings the cake?" from Alice Test'
    )


def test_likes_dislikes_shares_create_no_row(double: Double) -> None:
    post = post_status(double, "alice", status="Like me")

    react(double, "bob", "like", post["id"])
    react(double, "carol", "like", post["id"])
    react(double, "bob", "dislike", post["id"])
    share = double.client.post(f"/api/v1/statuses/{post['id']}/reblog", "bob")
    quiet = item_notes(double, "alice")
    react(double, "bob", "attendyes", post["id"])

    assert share.status_code == 200
    assert quiet == []
    assert [note["verb"] for note in item_notes(double, "alice")] == [
        "http://purl.org/zot/activity/attendyes"
    ]


def test_watched_contact_posts_are_type_1024(double: Double) -> None:
    store = double.app.state.site.store
    alice_uid, bob_public_id = 2, 5
    user_contacts.set_flag(store, alice_uid, bob_public_id, "notify_new_posts", True)
    carol_post = post_status(double, "carol", status="Carol's news")

    bob_post = post_status(double, "bob", status="Fresh from bob")
    share = double.client.post(f"/api/v1/statuses/{carol_post['id']}/reblog", "bob")
    # Both rows may carry the same second, so order them by creation.
    watched = sorted(item_notes(double, "alice"), key=lambda note: note["id"])

    assert share.status_code == 200
    assert [(note["type"], note["link"]) for note in watched] == [
        (1024, bob_post["external_url"]),
        (1024, carol_post["external_url"]),
    ]
    assert watched[0]["msg_plain"] == 'Bob Test shared the post "Fresh from bob"'
    assert watched[1]["msg_plain"] == 'Bob Test shared the post "Carol\'s news" from Carol Test'
    assert watched[1]["verb"] == "http://activitystrea.ms/schema/1.0/share"


def test_blocked_or_muted_author_creates_no_row(double: Double) -> None:
    store = double.app.state.site.store
    alice_uid, bob_public_id, dave_public_id = 2, 5, 10
    user_contacts.set_blocked(store, alice_uid, bob_public_id, True)
    user_contacts.set_flag(store, alice_uid, dave_public_id, "ignored", True)

    post_status(double, "bob", status="@alice are you there?")
    post_status(double, "dave", status="@alice hello?")
    post_status(double, "carol", status="@alice hi from carol")

    assert [note["name"] for note in item_notes(double, "alice")] == ["Carol Test"]


def test_attendance_notifies_once(double: Double) -> None:
    post = post_status(double, "alice", status="Party on Friday")

    react(double, "bob", "attendyes", post["id"])
    react(double, "bob", "unattendyes", post["id"])
    react(double, "bob", "attendyes", post["id"])
    [note] = item_notes(double, "alice")

    assert note["type"] == 8
    assert note["msg_plain"] == 'Bob Test wants to attend your event "Party on Friday"'
    assert note["link"] == post["external_url"]


def test_mails_create_no_row(double: Double) -> None:
    before = notes(double, "bob")

    response = double.client.post("/api/direct_messages/new.json", "alice", screen_name="bob", text="Hi!")

    assert response.status_code == 200
    assert "id" in response.json()
    assert notes(double, "bob") == before


def test_deleting_a_post_removes_its_rows(double: Double) -> None:
    status = post_status(double, "bob", status="@alice soon gone")
    assert len(item_notes(double, "alice")) == 1

    response = double.client.post("/api/statuses/destroy.json", "bob", id=status["id"])

    assert response.status_code == 200
    assert item_notes(double, "alice") == []


def test_quote_is_shortened_to_70_characters(double: Double) -> None:
    long_text = "@alice " + "word " * 30
    post_status(double, "bob", status=long_text)

    [note] = item_notes(double, "alice")
    quoted = note["msg_plain"].split(" tagged you on ", 1)[1]

    assert quoted.startswith('"@Alice Test word word')
    assert quoted.endswith('…"')
    assert len(quoted) == 2 + 67 + 1


# notification/seen


def test_seen_for_item_returns_status_list(double: Double) -> None:
    status = post_status(double, "bob", status="@alice read this")
    [note] = item_notes(double, "alice")

    answer = mark_seen(double, "alice", note["id"])

    assert isinstance(answer, list)
    assert [entry["id"] for entry in answer] == [status["id"]]
    assert item_notes(double, "alice")[0]["seen"] is True


def test_seen_for_intro_returns_success(double: Double) -> None:
    [intro] = notes(double, "alice")

    answer = mark_seen(double, "alice", intro["id"])

    assert answer == "success"
    assert notes(double, "alice")[0]["seen"] is True


def test_seen_unknown_or_foreign_id_is_400(double: Double) -> None:
    [bob_intro] = notes(double, "bob")

    for notify_id in (999999, bob_intro["id"]):
        response = double.client.post(SEEN_PATH, "alice", id=notify_id)

        assert response.status_code == 400
        assert exception_message(response.text) == "Invalid argument"
    assert notes(double, "bob")[0]["seen"] is False


def test_seen_under_api_1_1_fails_argument_count(double: Double) -> None:
    [intro] = notes(double, "alice")

    response = double.client.post("/api/1.1/friendica/notification/seen.json", "alice", id=intro["id"])

    assert response.status_code == 400
    assert exception_message(response.text) == "Invalid argument count"
    assert notes(double, "alice")[0]["seen"] is False


def test_plural_seen_is_not_routed(double: Double) -> None:
    [intro] = notes(double, "alice")

    response = double.client.post("/api/friendica/notifications/seen.json", "alice", id=intro["id"])

    assert response.status_code == 200
    assert html_kind(response.text) == "site page"
    assert notes(double, "alice")[0]["seen"] is False


# Demo data


def test_demo_shows_intro_mention_and_no_like(demo: Double) -> None:
    store = demo.app.state.site.store
    rows = store.query("SELECT type, otype, name, verb FROM notify WHERE uid = 2 AND name != 'Dave Example'")
    kinds = {(row["type"], row["otype"], row["name"]) for row in rows}

    assert (1, "intro", "Carol Tanaka") in kinds
    assert (128, "item", "Bob Müller") in kinds
    assert not any(row["verb"].endswith("/like") for row in rows)

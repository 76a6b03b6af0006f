"""Direct messages of the double: mailboxes, threads and the recorded 2024.08 quirks."""

from __future__ import annotations

from typing import Any

import httpx

from .support import Double, exception_message, html_kind

NEW_PATH = "/api/direct_messages/new.json"


def send(double: Double, user: str, **form: Any) -> dict[str, Any]:
    response = double.client.post(NEW_PATH, user, **form)
    assert response.status_code == 200, response.text[:300]
    sent: dict[str, Any] = response.json()
    assert "id" in sent, sent
    return sent


def mailbox(double: Double, user: str, path: str = "/api/direct_messages/all.json", **params: Any) -> Any:
    response = double.client.get(path, user, **params)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def ids(messages: list[dict[str, Any]]) -> list[int]:
    return [message["id"] for message in messages]


def assert_error(response: httpx.Response, message: str) -> None:
    assert response.status_code == 200
    assert response.json() == {"result": "error", "message": message}


# Mailboxes and threads


def test_each_mailbox_has_its_own_id(double: Double) -> None:
    sent = send(double, "alice", screen_name="bob", text="Hello Bob", title="Hi")

    [received] = mailbox(double, "bob", "/api/direct_messages.json")
    [own] = mailbox(double, "alice", "/api/direct_messages/sent.json")

    assert received["id"] != sent["id"]
    assert own["id"] == sent["id"]
    assert received["friendica_parent_uri"] == sent["friendica_parent_uri"]
    assert (sent["friendica_seen"], received["friendica_seen"]) == (True, False)
    assert (received["sender_id"], received["recipient_id"]) == (3, 5)


def test_thread_key_names_the_recipient(double: Double) -> None:
    sent = send(double, "alice", user_id=5, text="Hello")

    nick, host_and_port, _ = sent["friendica_parent_uri"].split(":", 2)

    assert nick.startswith("bob@")
    assert f"{nick.split('@')[1]}:{host_and_port}" == "127.0.0.1:8088"


def test_replyto_own_copy_keeps_thread_and_subject(double: Double) -> None:
    first = send(double, "alice", screen_name="bob", text="Can I ask something?", title="Question")
    [copy] = mailbox(double, "bob", "/api/direct_messages.json")

    answer = send(double, "bob", user_id=3, text="Sure.", replyto=copy["id"], title="Ignored title")

    assert answer["friendica_parent_uri"] == first["friendica_parent_uri"]
    assert answer["text"] == "Question\nSure."
    thread = mailbox(
        double, "alice", "/api/direct_messages/conversation.json", uri=first["friendica_parent_uri"]
    )
    assert [message["text"] for message in thread] == ["Question\nSure.", "Question\nCan I ask something?"]


def test_new_thread_without_replyto(double: Double) -> None:
    first = send(double, "alice", screen_name="bob", text="One", title="A")
    second = send(double, "alice", screen_name="bob", text="Two", title="A")

    assert second["friendica_parent_uri"] != first["friendica_parent_uri"]


def test_subject_is_first_ten_bytes_without_title(double: Double) -> None:
    long_text = send(double, "alice", screen_name="bob", text="Another thread without a title.")
    short_text = send(double, "alice", screen_name="bob", text="Short one")

    assert long_text["text"] == "Another th...\nAnother thread without a title."
    assert short_text["text"] == "Short one\nShort one"
    assert long_text["title"] == ""


def test_get_text_html_and_plain(double: Double) -> None:
    send(double, "alice", screen_name="bob", text="A [b]bold[/b] word", title="Formatting")

    [default] = mailbox(double, "bob")
    [html] = mailbox(double, "bob", getText="html")
    [plain] = mailbox(double, "bob", getText="plain")

    assert default["text"] == "Formatting\nA bold word"
    assert html["text"] == "A <b>bold</b> word"
    assert plain["text"] == "A bold word"
    assert (default["title"], html["title"], plain["title"]) == ("", "Formatting", "Formatting")


def test_paging_on_mail_ids(double: Double) -> None:
    sent = [send(double, "alice", screen_name="bob", text=f"Message {number}")["id"] for number in range(5)]

    assert ids(mailbox(double, "alice", count=2)) == [sent[4], sent[3]]
    assert ids(mailbox(double, "alice", count=2, page=2)) == [sent[2], sent[1]]
    assert ids(mailbox(double, "alice", since_id=sent[2])) == [sent[4], sent[3]]
    # max_id is exclusive for mails, unlike status timelines.
    assert ids(mailbox(double, "alice", max_id=sent[2])) == [sent[1], sent[0]]
    assert ids(mailbox(double, "alice", min_id=sent[0], count=2)) == [sent[2], sent[1]]


def test_user_filter_keeps_one_correspondent(double: Double) -> None:
    to_bob = send(double, "alice", screen_name="bob", text="For bob")
    to_dave = send(double, "alice", screen_name="dave", text="For dave")

    assert ids(mailbox(double, "alice", screen_name="dave")) == [to_dave["id"]]
    assert ids(mailbox(double, "alice", user_id=5)) == [to_bob["id"]]


def test_search_finds_body_text(double: Double) -> None:
    sent = send(double, "alice", screen_name="bob", text="About the Gateway", title="Unrelated")

    hit = mailbox(double, "alice", "/api/friendica/direct_messages_search.json", searchstring="gateway")
    title_only = mailbox(
        double, "alice", "/api/friendica/direct_messages_search.json", searchstring="Unrelated"
    )

    assert hit["success"] is True
    assert ids(hit["search_results"]) == [sent["id"]]
    assert title_only == {"success": False, "search_results": "nothing found"}


def test_setseen_marks_own_copy(double: Double) -> None:
    send(double, "alice", screen_name="bob", text="Read me")
    [copy] = mailbox(double, "bob")

    response = double.client.post("/api/friendica/direct_messages_setseen.json", "bob", id=copy["id"])

    assert response.json() == {"result": "ok", "message": "message set to seen"}
    assert mailbox(double, "bob")[0]["friendica_seen"] is True


# Errors


def test_errors_are_200_result_error(double: Double) -> None:
    sent = send(double, "alice", screen_name="bob", text="Mine")
    client = double.client

    assert_error(
        client.post("/api/friendica/direct_messages_setseen.json", "bob"), "message id not specified"
    )
    assert_error(
        client.post("/api/friendica/direct_messages_setseen.json", "bob", id=sent["id"]),
        "message id not in database",
    )
    assert_error(
        client.get("/api/friendica/direct_messages_search.json", "alice"), "searchstring not specified"
    )
    assert_error(
        client.post("/api/direct_messages/destroy.json", "alice", friendica_verbose="true"),
        "message id or parenturi not specified",
    )
    assert_error(
        client.post("/api/direct_messages/destroy.json", "bob", id=sent["id"], friendica_verbose="true"),
        "message id not in database",
    )
    assert_error(
        client.get("/api/direct_messages.json", "erin", friendica_verbose="true"), "no mails available"
    )


def test_empty_mailbox_is_empty_list(double: Double) -> None:
    assert mailbox(double, "erin") == []
    assert mailbox(double, "alice", "/api/direct_messages/conversation.json") == []


def test_unknown_recipient_is_404(double: Double) -> None:
    for recipient in ({"screen_name": "nobody-here"}, {"screen_name": "bob@elsewhere.example"}):
        response = double.client.post(NEW_PATH, "alice", text="Hello?", **recipient)

        assert response.status_code == 404
        assert exception_message(response.text) == "Recipient not found"


def test_missing_text_is_site_page_and_sends_nothing(double: Double) -> None:
    for form in ({"screen_name": "bob"}, {"text": "No recipient"}):
        response = double.client.post(NEW_PATH, "alice", **form)

        assert response.status_code == 200
        assert html_kind(response.text) == "site page"
    assert mailbox(double, "bob") == []


def test_recipient_outside_contacts_gives_error_code(double: Double) -> None:
    # erin is not in alice's address book (-1); carol is, but her follow request still waits (-2).
    cases = (({"screen_name": "erin"}, -1), ({"screen_name": "carol"}, -2), ({"user_id": 999999}, -1))
    for recipient, code in cases:
        response = double.client.post(NEW_PATH, "alice", text="Hello", **recipient)

        assert response.status_code == 200
        assert response.json() == {"error": code}
    assert mailbox(double, "erin") == []


# Deleting


def test_destroy_without_verbose_deletes_and_answers_html(double: Double) -> None:
    sent = send(double, "alice", screen_name="bob", text="Delete me")

    response = double.client.post("/api/direct_messages/destroy.json", "alice", id=sent["id"])

    assert response.status_code == 200
    assert html_kind(response.text) == "site page"
    assert mailbox(double, "alice") == []
    assert len(mailbox(double, "bob")) == 1


def test_destroy_verbose_reports_ok(double: Double) -> None:
    sent = send(double, "alice", screen_name="bob", text="Delete me")

    response = double.client.post(
        "/api/direct_messages/destroy.json", "alice", id=sent["id"], friendica_verbose="true"
    )

    assert response.json() == {"result": "ok", "message": "message deleted"}
    assert mailbox(double, "alice") == []


def test_destroy_unknown_without_verbose_is_400(double: Double) -> None:
    response = double.client.post("/api/direct_messages/destroy.json", "alice", id=999999)

    assert response.status_code == 400
    assert exception_message(response.text) == "message id not in database"


# Demo data


def test_demo_thread_of_three_mails(demo: Double) -> None:
    alice = mailbox(demo, "alice")
    bob = mailbox(demo, "bob")

    assert len(alice) == 3
    assert len({message["friendica_parent_uri"] for message in alice + bob}) == 1
    assert all(message["text"].startswith("Gateway review\n") for message in alice + bob)
    assert [message["sender_screen_name"] for message in alice] == ["alice", "bob", "alice"]
    assert set(ids(alice)).isdisjoint(ids(bob))

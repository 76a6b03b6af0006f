"""Notifications from the gateway's log, direct messages as conversations."""

from __future__ import annotations

import pytest

from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio


async def post(client, token: str, **form) -> dict:
    response = await client.post("/api/v1/statuses", data=form, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


async def test_mention_and_like_become_notifications(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    mine = await post(client, alice, status="something to like")
    mention = await post(client, bob, status="hello @alice, a mention")
    liked = await client.post(f"/api/v1/statuses/{mine['id']}/favourite", headers=bearer(bob))
    assert liked.status_code == 200

    notifications = (
        await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    ).json()

    by_type = {(n["type"], (n["status"] or {}).get("id")): n for n in notifications}
    assert ("mention", mention["id"]) in by_type
    assert by_type[("mention", mention["id"])]["account"]["username"] == "bob"
    assert ("favourite", mine["id"]) in by_type
    assert by_type[("favourite", mine["id"])]["account"]["username"] == "bob"
    assert all(n["id"].isdigit() and int(n["id"]) > 2**40 for n in notifications)
    ids = [int(n["id"]) for n in notifications]
    assert ids == sorted(ids, reverse=True)


async def test_types_and_exclude_types(client, token_for):
    alice = await token_for("alice")

    only_mentions = (
        await client.get("/api/v1/notifications", params={"types[]": "mention"}, headers=bearer(alice))
    ).json()
    no_mentions = (
        await client.get(
            "/api/v1/notifications",
            params={"exclude_types[]": ["mention"], "limit": 80},
            headers=bearer(alice),
        )
    ).json()
    # Mastodon leaves out type names it does not know, so asking only for those finds nothing.
    unknown = await client.get(
        "/api/v1/notifications", params={"types[]": "poke", "exclude_types[]": "quote"}, headers=bearer(alice)
    )

    assert only_mentions
    assert {n["type"] for n in only_mentions} == {"mention"}
    assert "mention" not in {n["type"] for n in no_mentions}
    assert unknown.status_code == 200
    assert unknown.json() == []


async def test_follow_request_notification(client, token_for):
    alice = await token_for("alice")

    notifications = (
        await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    ).json()

    requests = [n for n in notifications if n["type"] == "follow_request"]
    assert [n["account"]["username"] for n in requests] == ["carol"]  # carol's request is pending in the seed


async def test_paging_past_the_upstream_limit_of_50(client, token_for):
    alice = await token_for("alice")

    first = await client.get("/api/v1/notifications", params={"limit": 30}, headers=bearer(alice))
    second = await client.get(
        "/api/v1/notifications", params={"limit": 30, "max_id": first.json()[-1]["id"]}, headers=bearer(alice)
    )
    newer = await client.get(
        "/api/v1/notifications", params={"limit": 5, "min_id": second.json()[0]["id"]}, headers=bearer(alice)
    )

    first_ids = [n["id"] for n in first.json()]
    second_ids = [n["id"] for n in second.json()]
    assert len(first_ids) == 30
    assert len(second_ids) >= 20  # the seed gives alice more than 50 notifications in all
    assert not set(first_ids) & set(second_ids)
    assert [n["id"] for n in newer.json()] == first_ids[-5:]
    assert 'rel="next"' in first.headers["link"]


async def test_dismiss_clear_and_unread_count(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    notifications = (
        await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    ).json()
    target = notifications[0]["id"]

    by_bob = await client.post(f"/api/v1/notifications/{target}/dismiss", headers=bearer(bob))
    dismissed = await client.post(f"/api/v1/notifications/{target}/dismiss", headers=bearer(alice))
    gone = await client.get(f"/api/v1/notifications/{target}", headers=bearer(alice))
    await client.post(
        "/api/v1/markers", data={"notifications[last_read_id]": notifications[3]["id"]}, headers=bearer(alice)
    )
    unread = (await client.get("/api/v1/notifications/unread_count", headers=bearer(alice))).json()
    cleared = await client.post("/api/v1/notifications/clear", headers=bearer(alice))
    after = (await client.get("/api/v1/notifications", headers=bearer(alice))).json()

    assert by_bob.status_code == 404
    assert dismissed.status_code == 200
    assert gone.status_code == 404
    assert unread == {"count": 2}  # the two newer than the marker; the newest one was dismissed
    assert cleared.status_code == 200
    assert after == []


async def test_share_notifies_the_author_until_undone(client, token_for):
    # The share is logged when bob makes it, and dismissed when he undoes it.
    alice, bob = await token_for("alice"), await token_for("bob")
    mine = await post(client, alice, status="worth sharing")

    shared = await client.post(f"/api/v1/statuses/{mine['id']}/reblog", headers=bearer(bob))
    after_share = (
        await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    ).json()
    await client.post(f"/api/v1/statuses/{mine['id']}/unreblog", headers=bearer(bob))
    after_undo = (
        await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    ).json()

    assert shared.status_code == 200
    reblogs = [n for n in after_share if n["type"] == "reblog" and n["status"]["id"] == mine["id"]]
    assert [n["account"]["username"] for n in reblogs] == ["bob"]
    assert reblogs[0]["status"]["reblogged"] is False
    assert not [n for n in after_undo if n["type"] == "reblog" and n["status"]["id"] == mine["id"]]


async def test_dislike_is_not_a_favourite(client, token_for, double_client):
    # Friendica's own notifications list a dislike as a favourite.
    alice = await token_for("alice")
    mine = await post(client, alice, status="not everyone likes this")
    disliked = await double_client.post(
        "/api/friendica/activity/dislike.json", data={"id": mine["id"]}, auth=("bob", "demo")
    )

    notifications = (
        await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    ).json()

    assert disliked.status_code == 200
    assert not [n for n in notifications if (n["status"] or {}).get("id") == mine["id"]]


async def test_grouped_notifications(client, token_for):
    alice, bob, carol = await token_for("alice"), await token_for("bob"), await token_for("carol")
    mine = await post(client, alice, status="like me twice")
    for token in (bob, carol):
        await client.post(f"/api/v1/statuses/{mine['id']}/favourite", headers=bearer(token))

    grouped = (await client.get("/api/v2/notifications", params={"limit": 80}, headers=bearer(alice))).json()

    group = next(g for g in grouped["notification_groups"] if g["group_key"] == f"favourite-{mine['id']}")
    assert group["notifications_count"] == 2
    assert set(group["sample_account_ids"]) == {
        account["id"] for account in grouped["accounts"] if account["username"] in ("bob", "carol")
    }
    assert mine["id"] in {status["id"] for status in grouped["statuses"]}


async def test_one_group_its_accounts_and_dismissal(client, token_for):
    alice, bob, carol = await token_for("alice"), await token_for("bob"), await token_for("carol")
    mine = await post(client, alice, status="a group of likes")
    for token in (bob, carol):
        await client.post(f"/api/v1/statuses/{mine['id']}/favourite", headers=bearer(token))
    key = f"favourite-{mine['id']}"

    group = await client.get(f"/api/v2/notifications/{key}", headers=bearer(alice))
    accounts = await client.get(f"/api/v2/notifications/{key}/accounts", headers=bearer(alice))
    unread = await client.get("/api/v2/notifications/unread_count", headers=bearer(alice))
    dismissed = await client.post(f"/api/v2/notifications/{key}/dismiss", headers=bearer(alice))
    gone = await client.get(f"/api/v2/notifications/{key}", headers=bearer(alice))
    unknown = await client.get("/api/v2/notifications/favourite-abc", headers=bearer(alice))

    assert group.status_code == 200
    assert [g["notifications_count"] for g in group.json()["notification_groups"]] == [2]
    assert sorted(account["username"] for account in accounts.json()) == ["bob", "carol"]
    assert unread.json()["count"] >= 1
    assert dismissed.status_code == 200
    assert gone.status_code == 404
    assert unknown.status_code == 404


async def test_grouped_types_limit_what_is_grouped(client, token_for):
    alice, bob, carol = await token_for("alice"), await token_for("bob"), await token_for("carol")
    mine = await post(client, alice, status="liked, but not grouped")
    for token in (bob, carol):
        await client.post(f"/api/v1/statuses/{mine['id']}/favourite", headers=bearer(token))

    grouped = (
        await client.get(
            "/api/v2/notifications",
            params={"limit": 80, "grouped_types[]": "reblog"},
            headers=bearer(alice),
        )
    ).json()

    likes = [g for g in grouped["notification_groups"] if g["status_id"] == mine["id"]]
    assert len(likes) == 2
    assert all(g["group_key"].startswith("ungrouped-") for g in likes)


async def test_clear_on_a_first_visit_stays_cleared(client, token_for):
    dave = await token_for("dave")

    cleared = await client.post("/api/v1/notifications/clear", headers=bearer(dave))
    after = await client.get("/api/v1/notifications", headers=bearer(dave))

    assert cleared.status_code == 200
    assert after.json() == []


async def test_mention_in_a_muted_thread_stays_away_after_unmute(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    root = await post(client, alice, status="a thread to mute")
    await client.get("/api/v1/notifications", headers=bearer(alice))
    await client.post(f"/api/v1/statuses/{root['id']}/mute", headers=bearer(alice))
    reply = await post(client, bob, status="@alice while muted", in_reply_to_id=root["id"])

    muted = await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    await client.post(f"/api/v1/statuses/{root['id']}/unmute", headers=bearer(alice))
    unmuted = await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))

    assert reply["id"] not in {(n["status"] or {}).get("id") for n in muted.json()}
    assert reply["id"] not in {(n["status"] or {}).get("id") for n in unmuted.json()}


async def test_notification_requests_and_policy_say_nothing_is_held_back(client, token_for):
    alice = await token_for("alice")

    requests = await client.get("/api/v1/notifications/requests", headers=bearer(alice))
    policy = await client.get("/api/v2/notifications/policy", headers=bearer(alice))

    assert requests.json() == []
    assert policy.json()["for_not_following"] == "accept"
    assert policy.json()["summary"]["pending_requests_count"] == 0


async def test_filter_hides_notifications(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    await post(client, bob, status="@alice talking about turnips")
    await client.post(
        "/api/v2/filters",
        data={
            "title": "roots",
            "context[]": "notifications",
            "filter_action": "hide",
            "keywords_attributes[][keyword]": "turnips",
        },
        headers=bearer(alice),
    )

    notifications = (
        await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    ).json()

    assert not any("turnips" in ((n["status"] or {}).get("content") or "") for n in notifications)


async def test_direct_message_round_trip(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")

    sent = await post(client, alice, status="@bob a secret, *as typed*", visibility="direct")
    bobs = (await client.get("/api/v1/conversations", headers=bearer(bob))).json()
    conversation = next(c for c in bobs if "a secret" in c["last_status"]["content"])
    reply = await post(client, bob, status="got it", in_reply_to_id=conversation["last_status"]["id"])
    alices = (await client.get("/api/v1/conversations", headers=bearer(alice))).json()
    thread = next(c for c in alices if "got it" in c["last_status"]["content"])
    context = (
        await client.get(f"/api/v1/statuses/{thread['last_status']['id']}/context", headers=bearer(alice))
    ).json()

    assert sent["visibility"] == "direct"
    assert "*as typed*" in sent["content"]
    assert [mention["username"] for mention in sent["mentions"]] == ["bob"]
    assert conversation["unread"] is True
    assert [account["username"] for account in conversation["accounts"]] == ["alice"]
    assert reply["visibility"] == "direct"  # a reply to a mail defaults to direct
    assert [account["username"] for account in thread["accounts"]] == ["bob"]
    assert sent["id"] in [status["id"] for status in context["ancestors"]]
    notifications = (
        await client.get("/api/v1/notifications", params={"limit": 80}, headers=bearer(alice))
    ).json()
    assert any(
        n["type"] == "mention" and (n["status"] or {}).get("visibility") == "direct" for n in notifications
    )


async def test_conversation_read_and_remove(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    await post(client, alice, status="@bob please read this", visibility="direct")
    conversation = next(
        c
        for c in (await client.get("/api/v1/conversations", headers=bearer(bob))).json()
        if "please read this" in c["last_status"]["content"]
    )

    read = await client.post(f"/api/v1/conversations/{conversation['id']}/read", headers=bearer(bob))
    by_alice = await client.post(f"/api/v1/conversations/{conversation['id']}/read", headers=bearer(alice))
    removed = await client.delete(f"/api/v1/conversations/{conversation['id']}", headers=bearer(bob))
    listed = (await client.get("/api/v1/conversations", headers=bearer(bob))).json()

    assert read.json()["unread"] is False
    assert by_alice.status_code == 404
    assert removed.status_code == 200
    assert conversation["id"] not in [c["id"] for c in listed]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("nobody mentioned here", "at least one mentioned account"),
        ("@nosuchperson hi", "@nosuchperson was not found"),
    ],
)
async def test_direct_without_valid_recipient_is_422(client, token_for, double_client, status, message):
    alice = await token_for("alice")
    before = await double_client.get("/api/direct_messages/sent.json", auth=("alice", "demo"))

    response = await client.post(
        "/api/v1/statuses", data={"status": status, "visibility": "direct"}, headers=bearer(alice)
    )

    after = await double_client.get("/api/direct_messages/sent.json", auth=("alice", "demo"))
    assert response.status_code == 422
    assert message in response.json()["error"]
    assert len(after.json()) == len(before.json())


async def test_mail_ids_are_private_to_the_mailbox(client, token_for):
    alice, carol = await token_for("alice"), await token_for("carol")
    sent = await post(client, alice, status="@bob only us", visibility="direct")

    as_carol = await client.get(f"/api/v1/statuses/{sent['id']}", headers=bearer(carol))
    favourite = await client.post(f"/api/v1/statuses/{sent['id']}/favourite", headers=bearer(alice))

    assert as_carol.status_code == 404
    assert favourite.status_code == 422

"""Two people on one upstream, through Mastodon.py: notifications, direct messages, kept state.

The gateway runs as ``mastogate serve`` in its own process so that one test
can restart it and find what it stored.
"""

from __future__ import annotations

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.e2e.conftest import SCOPES, password_login, unique
from tests.servers import GatewayProcess


@pytest.fixture(scope="module")
def served(double, tmp_path_factory):
    gateway = GatewayProcess(
        {
            "MASTOGATE_UPSTREAM_URL": double.url,
            "MASTOGATE_DATA_DIR": str(tmp_path_factory.mktemp("served")),
            "MASTOGATE_SECRET_KEY": "restart test secret key",
            # Every notifications request syncs with the upstream, so a test reads what just happened.
            "MASTOGATE_NOTIFICATION_SYNC_INTERVAL": "0",
            "MASTOGATE_LOG_LEVEL": "warning",
        }
    )
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture(scope="module")
def credentials(served, session) -> tuple[str, str]:
    return Mastodon.create_app(
        "mastogate social",
        scopes=SCOPES,
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        api_base_url=served.url,
        session=session,
    )


@pytest.fixture(scope="module")
def alice(served, session, credentials) -> Mastodon:
    return password_login(served, session, credentials, "alice")


@pytest.fixture(scope="module")
def bob(served, session, credentials) -> Mastodon:
    return password_login(served, session, credentials, "bob")


# Notifications


def test_notification_types_of_reactions(alice, bob, upstream):
    liked = alice.status_post(unique("a post bob likes and shares"))
    mention = bob.status_post(unique("@alice have a look"))
    bobs_copy = upstream.seen_by(bob, liked)
    bob.status_favourite(bobs_copy.id)
    bob.status_reblog(bobs_copy.id)
    if upstream.has("follow"):
        bob.account_unfollow(alice.me().id)
        bob.account_follow(alice.me().id)

    everything = alice.notifications(limit=80)
    by_kind = {
        (n.type, n.status.id if n.status else None): n for n in everything if n.account.username == "bob"
    }

    assert ("mention", upstream.seen_by(alice, mention).id) in by_kind
    assert ("favourite", liked.id) in by_kind
    assert ("reblog", liked.id) in by_kind
    if upstream.has("follow"):
        assert ("follow", None) in by_kind
    assert by_kind[("reblog", liked.id)].status.account.username == "alice"
    ids = [int(n.id) for n in everything]
    assert ids == sorted(ids, reverse=True)


def test_types_and_exclude_types_select_notifications(alice, bob, upstream):
    mine = alice.status_post(unique("select me"))
    bob.status_favourite(upstream.seen_by(bob, mine).id)
    bob.status_post(unique("@alice only mentions please"))

    mentions = alice.notifications(types=["mention"], limit=80)
    without_likes = alice.notifications(exclude_types=["favourite", "reblog"], limit=80)

    assert mentions and {n.type for n in mentions} == {"mention"}
    assert without_likes and not {n.type for n in without_likes} & {"favourite", "reblog"}
    assert "mention" in {n.type for n in without_likes}


def test_dismissing_someone_elses_notification_is_404(alice, bob):
    bob.status_post(unique("@alice notice this"))
    target = alice.notifications(limit=1)[0]

    with pytest.raises(MastodonNotFoundError):
        bob.notifications_dismiss(target.id)

    assert alice.notifications(id=target.id).id == target.id


# Direct messages


def test_direct_reply_keeps_the_thread(alice, bob, upstream):
    secret, answer = unique("just between us"), unique("agreed")
    sent = alice.status_post(f"@bob {secret}", visibility="direct")

    conversation = next(c for c in bob.conversations() if secret in c.last_status.content)
    reply = bob.status_post(f"@alice {answer}", in_reply_to_id=conversation.last_status.id)
    bob_public = bob.timeline_public(local=True, limit=40)
    # Each person has their own copy of a mail upstream, so alice's copy of the reply has its own id.
    alice_side = next(c for c in alice.conversations() if answer in c.last_status.content)
    context = alice.status_context(alice_side.last_status.id)
    notified = alice.notifications(types=["mention"], limit=80)

    assert sent.visibility == "direct"
    assert [account.username for account in conversation.accounts] == ["alice"]
    assert conversation.unread is True
    assert reply.visibility == "direct"
    assert reply.in_reply_to_id == conversation.last_status.id
    assert [account.username for account in alice_side.accounts] == ["bob"]
    assert alice_side.last_status.in_reply_to_id == sent.id
    if upstream.has("mail_threads"):
        assert [status.id for status in context.ancestors] == [sent.id]
    else:
        # GNU social's messages have no threads: all messages between two people are one conversation.
        assert context.ancestors[-1].id == sent.id
    assert all(secret not in status.content for status in bob_public)
    assert alice_side.last_status.id in {n.status.id for n in notified}
    assert all(n.status.visibility == "direct" for n in notified if n.status.id == alice_side.last_status.id)


def test_reading_and_deleting_a_direct_message(alice, bob, upstream):
    secret = unique("read me then delete me")
    alice.status_post(f"@bob {secret}", visibility="direct")
    unread = next(c for c in bob.conversations() if secret in c.last_status.content)

    read = bob.conversations_read(unread.id)
    listed = next(c for c in bob.conversations() if c.id == unread.id)

    assert unread.unread is True
    assert read.unread is False
    assert listed.unread is False
    if upstream.has("mail_delete"):
        deleted = bob.status_delete(unread.last_status.id)
        assert secret in deleted.text
        assert all(secret not in c.last_status.content for c in bob.conversations())
    else:
        # GNU social 1.2 routes no way to delete a direct message.
        with pytest.raises(MastodonAPIError) as refused:
            bob.status_delete(unread.last_status.id)
        assert refused.value.args[1] == 422
        assert "cannot delete private messages" in str(refused.value)
        assert bob.status(unread.last_status.id).visibility == "direct"


def test_direct_status_to_nobody_is_422(alice):
    with pytest.raises(MastodonAPIError) as error:
        alice.status_post(unique("nobody will read this"), visibility="direct")

    assert error.value.args[1] == 422


# Filters


def test_filter_hides_a_keyword_in_home_and_notifications(alice, bob, upstream):
    word = unique("pineapple").replace(" ", "")
    created = alice.create_filter_v2(
        "no fruit",
        context=["home", "notifications"],
        filter_action="hide",
        keywords_attributes=[{"keyword": word, "whole_word": True}],
    )
    try:
        hidden = bob.status_post(f"@alice {word} on pizza")
        visible = bob.status_post(unique("@alice something else"))

        home = alice.timeline_home(limit=40)
        notified = alice.notifications(types=["mention"], limit=80)
    finally:
        alice.delete_filter_v2(created.id)
    # Read once the filter is gone, which lets alice's home timeline show the hidden status again.
    visible_id = upstream.seen_by(alice, visible).id
    hidden_id = upstream.seen_by(alice, hidden).id

    assert visible_id in {status.id for status in home}
    assert hidden_id not in {status.id for status in home}
    assert visible_id in {n.status.id for n in notified}
    assert hidden_id not in {n.status.id for n in notified}
    assert hidden_id in {status.id for status in alice.timeline_home(limit=40)}


def test_filter_without_keywords_is_422(alice):
    with pytest.raises(MastodonAPIError) as error:
        alice.create_filter_v2("empty", context=["home"], filter_action="warn", keywords_attributes=[])

    assert error.value.args[1] == 422


def test_marker_for_an_unknown_timeline_is_422(alice):
    with pytest.raises(MastodonAPIError) as error:
        alice.markers_set(["elsewhere"], ["1"])

    assert error.value.args[1] == 422


# State the gateway keeps


def test_markers_bookmarks_and_filters_survive_a_restart(alice, bob, served, upstream):
    home = alice.timeline_home(limit=5)
    notification = alice.notifications(limit=1)[0]
    saved = upstream.seen_by(alice, bob.status_post(unique("worth keeping")))
    alice.markers_set(["home", "notifications"], [home[2].id, notification.id])
    alice.status_bookmark(saved.id)
    created = alice.create_filter_v2(
        "kept filter",
        context=["public"],
        filter_action="warn",
        keywords_attributes=[{"keyword": "durian", "whole_word": False}],
    )

    served.restart()
    markers = alice.markers_get(["home", "notifications"])
    bookmarks = alice.bookmarks()
    filters = alice.filters_v2()
    alice.delete_filter_v2(created.id)

    assert markers["home"].last_read_id == home[2].id
    assert markers["notifications"].last_read_id == notification.id
    assert saved.id in {status.id for status in bookmarks}
    assert alice.status(saved.id).bookmarked is True
    assert [(f.title, [k.keyword for k in f.keywords]) for f in filters if f.id == created.id] == [
        ("kept filter", ["durian"])
    ]


CHECKED_ENDPOINTS = {
    ("GET", "/api/v1/notifications"),
    ("GET", "/api/v1/notifications/{id}"),
    ("GET", "/api/v1/conversations"),
    ("GET", "/api/v1/markers"),
    ("POST", "/api/v1/markers"),
    ("GET", "/api/v1/bookmarks"),
    ("POST", "/api/v1/statuses/{id}/bookmark"),
    ("POST", "/api/v2/filters"),
    ("GET", "/api/v2/filters"),
}


def test_responses_were_checked_against_openapi(openapi):
    missing = sorted(endpoint for endpoint in CHECKED_ENDPOINTS if openapi.checked[endpoint] == 0)

    assert missing == [], "run the whole module: these endpoints were never checked"

"""Mastodon.py against a live gateway in front of a live Friendica double."""

from __future__ import annotations

import base64
import hashlib
import secrets
import sqlite3
from urllib.parse import parse_qs, urlencode, urlsplit

import blurhash
import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError, MastodonUnauthorizedError

from tests.e2e.conftest import OOB, PASSWORD, SCOPES, password_login, read_page, unique
from tests.pictures import picture


def upstream_statuses(double, username: str) -> list[dict]:
    """Read a user's own posts straight from the double, bypassing the gateway."""
    response = httpx.get(
        f"{double.url}/api/statuses/user_timeline.json",
        params={"count": 100},
        auth=(username, PASSWORD),
    )
    response.raise_for_status()
    return response.json()


# Registration and login


def test_app_registration_and_verify(gateway, session, app_credentials):
    client_id, client_secret = app_credentials
    api = Mastodon(
        client_id=client_id, client_secret=client_secret, api_base_url=gateway.url, session=session
    )
    api.log_in(username="carol", password=PASSWORD, scopes=SCOPES, allow_http=True)

    app = api.app_verify_credentials()

    assert app.name == "mastogate e2e"
    assert "client_secret" not in app


def test_password_login_gives_credential_account(alice):
    me = alice.account_verify_credentials()

    assert me.username == "alice"
    assert me.acct == "alice"
    assert me.id.isdigit()
    assert me.source.privacy == "public"
    assert me.role is not None


def test_authorization_code_flow_fills_login_form(gateway, session, app_credentials, browser):
    client_id, client_secret = app_credentials
    api = Mastodon(
        client_id=client_id, client_secret=client_secret, api_base_url=gateway.url, session=session
    )
    url = api.auth_request_url(scopes=SCOPES, redirect_uris=OOB, allow_http=True)

    code = browser.authorize(url, "bob")
    api.log_in(code=code, scopes=SCOPES, allow_http=True)

    assert api.me().username == "bob"


def test_code_is_single_use(gateway, session, app_credentials, browser):
    client_id, client_secret = app_credentials
    api = Mastodon(
        client_id=client_id, client_secret=client_secret, api_base_url=gateway.url, session=session
    )
    code = browser.authorize(api.auth_request_url(scopes=SCOPES, redirect_uris=OOB, allow_http=True), "bob")
    api.log_in(code=code, scopes=SCOPES, allow_http=True)

    again = Mastodon(
        client_id=client_id, client_secret=client_secret, api_base_url=gateway.url, session=session
    )
    with pytest.raises(Exception, match="invalid"):
        again.log_in(code=code, scopes=SCOPES, allow_http=True)


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def test_pkce_code_flow_with_redirect(gateway, browser):
    redirect = "http://127.0.0.1:9/callback"
    app = httpx.post(
        f"{gateway.url}/api/v1/apps",
        json={"client_name": "pkce app", "redirect_uris": redirect, "scopes": "read write"},
    ).json()
    verifier, challenge = _pkce_pair()
    query = urlencode(
        {
            "client_id": app["client_id"],
            "redirect_uri": redirect,
            "response_type": "code",
            "scope": "read",
            "state": "xyz",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )

    consent = browser.log_in(f"{gateway.url}/oauth/authorize?{query}", "alice", PASSWORD)
    result = browser.decide(consent, "approve")
    assert result.status_code == 302
    location = urlsplit(result.headers["location"])
    returned = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect
    assert returned["state"] == ["xyz"]

    token_form = {
        "grant_type": "authorization_code",
        "client_id": app["client_id"],
        "redirect_uri": redirect,
        "code": returned["code"][0],
    }
    wrong = httpx.post(f"{gateway.url}/oauth/token", data={**token_form, "code_verifier": "wrong" * 10})
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"

    # The failed attempt used the code up, as a stolen code must not be retried.
    consent = browser.log_in(f"{gateway.url}/oauth/authorize?{query}", "alice", PASSWORD)
    code = parse_qs(urlsplit(browser.decide(consent, "approve").headers["location"]).query)["code"][0]
    token = httpx.post(
        f"{gateway.url}/oauth/token", data={**token_form, "code": code, "code_verifier": verifier}
    )
    assert token.status_code == 200
    assert token.json()["scope"] == "read"
    me = httpx.get(
        f"{gateway.url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert me.json()["username"] == "alice"


def test_denied_consent_redirects_with_error(gateway, browser):
    redirect = "http://127.0.0.1:9/denied"
    app = httpx.post(
        f"{gateway.url}/api/v1/apps", data={"client_name": "deny app", "redirect_uris": redirect}
    ).json()
    query = urlencode({"client_id": app["client_id"], "redirect_uri": redirect, "response_type": "code"})

    consent = browser.log_in(f"{gateway.url}/oauth/authorize?{query}", "alice", PASSWORD)
    result = browser.decide(consent, "deny")

    assert result.status_code == 302
    assert parse_qs(urlsplit(result.headers["location"]).query)["error"] == ["access_denied"]


def test_wrong_password_stays_on_login_page(gateway, app_credentials, browser):
    client_id, _ = app_credentials
    query = urlencode({"client_id": client_id, "redirect_uri": OOB, "response_type": "code", "scope": "read"})

    response = browser.log_in(f"{gateway.url}/oauth/authorize?{query}", "alice", "not the password")

    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    forms = read_page(response).forms
    fields = next(form["fields"] for form in forms if form["action"].endswith("/oauth/authorize"))
    assert fields["username"] == "alice"  # kept, so only the password is typed again
    assert fields["password"] == ""


def test_wrong_password_grant_is_rejected(gateway, session, app_credentials):
    client_id, client_secret = app_credentials
    api = Mastodon(
        client_id=client_id, client_secret=client_secret, api_base_url=gateway.url, session=session
    )

    with pytest.raises(Exception, match="(?i)invalid|wrong"):
        api.log_in(username="alice", password="nope", scopes=SCOPES, allow_http=True)


def test_revoked_token_stops_working(gateway, session, app_credentials):
    api = password_login(gateway, session, app_credentials, "dave")
    assert api.me().username == "dave"

    api.revoke_access_token(allow_http=True)

    probe = httpx.get(
        f"{gateway.url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {api.access_token}"},
    )
    assert probe.status_code == 401
    assert probe.json() == {"error": "The access token is invalid"}


# Server information


def test_instance_v1_and_v2(alice, gateway):
    v2 = alice.instance_v2()
    v1 = alice.instance_v1()

    assert v2.domain == urlsplit(gateway.url).netloc
    assert v2.version.startswith("4.3.0 (compatible; mastogate")
    assert v2.configuration.statuses.max_characters == 500
    assert v2.configuration.urls.streaming is None
    assert v1.uri == urlsplit(gateway.url).netloc
    assert v1.urls.streaming_api.startswith("ws://")


def test_nodeinfo_and_host_meta(gateway, session):
    links = session.get(f"{gateway.url}/.well-known/nodeinfo").json()
    nodeinfo = session.get(links["links"][0]["href"]).json()
    host_meta = session.get(f"{gateway.url}/.well-known/host-meta")

    assert nodeinfo["software"]["name"] == "mastogate"
    assert nodeinfo["metadata"]["upstream"]["name"] == "mastodon"
    assert f"{gateway.url}/.well-known/webfinger" in host_meta.text


def test_startup_endpoints_never_answer_404(alice, upstream):
    assert isinstance(alice.notifications(limit=5), list)
    assert isinstance(alice.markers_get(["home", "notifications"]), dict)
    assert isinstance(alice.filters_v2(), list)
    if upstream.has("lists"):
        assert "Friends" in [found.title for found in alice.lists()]
    else:
        # GNU social has no lists, so there are none.
        assert alice.lists() == []
    assert alice.custom_emojis() == []
    assert alice.announcements() == []
    assert alice.preferences()["posting:default:visibility"] in ("public", "unlisted", "private", "direct")


# Timelines


def test_home_timeline_pages_forward_and_back(alice):
    first = alice.timeline_home(limit=10)
    second = alice.fetch_next(first)
    back = alice.fetch_previous(second)

    first_ids = [int(status.id) for status in first]
    second_ids = [int(status.id) for status in second]
    assert len(first) == 10
    assert len(second) == 10
    assert first_ids == sorted(first_ids, reverse=True)
    assert max(second_ids) < min(first_ids)
    assert [int(status.id) for status in back] == first_ids


def test_home_timeline_min_id_gives_immediately_newer(alice):
    page = alice.timeline_home(limit=20)
    ids = [int(status.id) for status in page]

    newer = alice.timeline_home(min_id=ids[10], limit=3)

    assert [int(status.id) for status in newer] == ids[7:10]


def test_public_timelines(alice):
    federated = alice.timeline_public(limit=20)
    local = alice.timeline_local(limit=20)

    assert federated
    assert local
    assert all(status.visibility == "public" for status in federated)


def test_account_statuses_and_filters(alice):
    me = alice.me()

    everything = alice.account_statuses(me.id, limit=40)
    no_replies = alice.account_statuses(me.id, exclude_replies=True, limit=40)
    pinned = alice.account_statuses(me.id, pinned=True)

    assert everything
    assert all(status.account.id == me.id for status in everything)
    assert all(status.in_reply_to_id is None for status in no_replies)
    assert pinned == []


def test_account_lookup_by_id(alice, bob):
    bob_id = bob.me().id

    account = alice.account(bob_id)

    assert account.username == "bob"
    assert account.id == bob_id


# Posting


def test_post_reply_context_and_delete(alice, bob, double, upstream):
    text = unique("Gateway end-to-end post with #e2etest")
    post = alice.status_post(text)
    assert post.content.startswith("<p>Gateway end-to-end post with")
    assert [tag.name for tag in post.tags] == ["e2etest"]

    bobs_post = upstream.seen_by(bob, post)
    reply = bob.status_post(unique("@alice a reply"), in_reply_to_id=bobs_post.id)
    answer = alice.status_post(unique("@bob and an answer"), in_reply_to_id=upstream.seen_by(alice, reply).id)
    context = bob.status_context(reply.id)

    assert reply.in_reply_to_id == bobs_post.id
    assert reply.in_reply_to_account_id == post.account.id
    assert [status.id for status in context.ancestors] == [bobs_post.id]
    assert [status.id for status in context.descendants] == [upstream.seen_by(bob, answer).id]
    assert [mention.username for mention in reply.mentions] == ["alice"]

    deleted = alice.status_delete(answer.id)
    assert deleted.id == answer.id
    assert deleted.text.startswith("@bob and an answer")
    with pytest.raises(MastodonNotFoundError):
        alice.status(answer.id)
    assert all(status["id"] != int(answer.id) for status in upstream_statuses(double, "alice"))


def test_text_arrives_as_typed(alice):
    text = unique(
        "*stars* stay, <b>tags</b> stay, [b]brackets[/b] stay & so do émojis 🎉 https://example.com/a_b"
    )

    post = alice.status_post(text)
    fetched = alice.status(post.id)

    assert "*stars* stay" in fetched.content
    assert "&lt;b&gt;tags&lt;/b&gt;" in fetched.content
    assert "[b]brackets[/b]" in fetched.content
    assert "émojis 🎉" in fetched.content
    assert 'href="https://example.com/a_b"' in fetched.content
    alice.status_delete(post.id)


def test_spoiler_text_round_trips(alice, double, upstream):
    if not upstream.has("content_warnings"):
        before = len(upstream_statuses(double, "alice"))
        with pytest.raises(MastodonAPIError) as refused:
            alice.status_post(unique("behind a warning"), spoiler_text="Spoilers")
        assert refused.value.args[1] == 422
        assert "content warning" in str(refused.value)
        assert len(upstream_statuses(double, "alice")) == before
        return

    post = alice.status_post(unique("behind a warning"), spoiler_text="Spoilers")

    assert post.spoiler_text == "Spoilers"
    assert post.sensitive is True
    assert "Spoilers" not in post.content
    alice.status_delete(post.id)


def ever_stored(double, text: str, table: str = "item") -> bool:
    """Tell whether any item (or mail) with ``text`` ever reached the double, deleted ones included."""
    with sqlite3.connect(double.database) as database:
        query = f"SELECT COUNT(*) FROM {table} WHERE body LIKE ?"
        found = database.execute(query, (f"%{text}%",)).fetchone()
    return found[0] > 0


def test_direct_status_with_content_warning_is_refused(alice, double):
    text = unique("@bob behind a warning, in private")

    with pytest.raises(MastodonAPIError) as refused:
        alice.status_post(text, visibility="direct", spoiler_text="Spoilers")

    # The warning would be lost on the way, so nothing is sent.
    assert refused.value.args[1] == 422
    assert "content warning" in str(refused.value)
    assert not ever_stored(double, text.split(" ", 1)[1], table="mail")


def test_private_reply_to_public_post_is_refused(alice, bob, upstream, double):
    post = alice.status_post(unique("a public question"))
    text = unique("@alice a followers-only answer")

    with pytest.raises(MastodonAPIError) as refused:
        bob.status_post(text, in_reply_to_id=upstream.seen_by(bob, post).id, visibility="private")

    # Friendica gives a reply its thread's audience: refused before posting, never briefly public.
    assert refused.value.args[1] == 422
    assert not ever_stored(double, text)
    alice.status_delete(post.id)


def test_private_post_reaches_followers_only(alice, bob, gateway, session, app_credentials, upstream, double):
    text = unique("for my followers only")
    if not upstream.has("private_posts"):
        before = len(upstream_statuses(double, "alice"))
        with pytest.raises(MastodonAPIError) as refused:
            alice.status_post(text, visibility="private")
        assert refused.value.args[1] == 422
        assert "followers only" in str(refused.value)
        assert len(upstream_statuses(double, "alice")) == before
        return

    post = alice.status_post(text, visibility="private")
    carol = password_login(gateway, session, app_credentials, "carol")

    assert post.visibility == "private"
    assert upstream.seen_by(bob, post).visibility == "private"
    with pytest.raises(MastodonNotFoundError):
        carol.status(post.id)
    assert all(text not in status.content for status in carol.timeline_home(limit=40))
    assert all(text not in status.content for status in carol.timeline_public(limit=40))
    alice.status_delete(post.id)


def test_unlisted_is_posted_public_and_says_so(alice):
    post = alice.status_post(unique("unlisted request"), visibility="unlisted")

    assert post.visibility == "public"
    alice.status_delete(post.id)


def test_direct_visibility_is_refused_and_nothing_posted(alice, double):
    before = len(upstream_statuses(double, "alice"))

    with pytest.raises(MastodonAPIError) as error:
        alice.status_post(unique("direct"), visibility="direct")

    assert error.value.args[1] == 422
    assert len(upstream_statuses(double, "alice")) == before


def test_idempotency_key_posts_once(alice, double):
    before = len(upstream_statuses(double, "alice"))
    text = unique("posted once")

    first = alice.status_post(text, idempotency_key="e2e-key-1")
    second = alice.status_post(text, idempotency_key="e2e-key-1")

    assert first.id == second.id
    assert len(upstream_statuses(double, "alice")) == before + 1
    alice.status_delete(first.id)


# Favourites and reblogs


def test_favourite_and_unfavourite(alice, bob, upstream):
    post = upstream.seen_by(alice, bob.status_post(unique("like me")))

    liked = alice.status_favourite(post.id)
    again = alice.status_favourite(post.id)
    assert liked.favourited is True
    assert liked.favourites_count == 1
    # A second favourite changes nothing, where the upstream's like would toggle.
    assert again.favourited is True
    assert again.favourites_count == 1
    if upstream.has("favourited_by"):
        assert [account.username for account in alice.status_favourited_by(post.id)] == ["alice"]
    else:
        # GNU social counts faves but does not say whose they are.
        with pytest.raises(MastodonAPIError) as refused:
            alice.status_favourited_by(post.id)
        assert refused.value.args[1] == 422
    assert post.id in [status.id for status in alice.favourites(limit=40)]
    assert upstream.seen_by(bob, post).favourites_count == 1

    unliked = alice.status_unfavourite(post.id)
    assert unliked.favourited is False
    assert unliked.favourites_count == 0
    assert alice.status_unfavourite(post.id).favourites_count == 0
    assert post.id not in [status.id for status in alice.favourites(limit=40)]
    bob.status_delete(upstream.seen_by(bob, post).id)


def test_reblog_and_unreblog(alice, bob, upstream):
    post = upstream.seen_by(alice, bob.status_post(unique("share me")))

    share = alice.status_reblog(post.id)
    assert share.reblog.id == post.id
    assert share.reblog.reblogged is True
    assert share.account.username == "alice"
    assert share.id != post.id
    assert alice.status(share.id).reblog.id == post.id
    # A second reblog changes nothing, as in Mastodon, and neither does reblogging the reblog.
    assert alice.status_reblog(post.id).id == share.id
    assert alice.status_reblog(share.id).id == share.id
    assert alice.status(post.id).reblogged is True

    if not upstream.has("unreblog"):
        # Friendica 3.5 lists no shares on the shared post and cannot undo one, but the
        # share is a post of alice's own, which she can delete.
        assert alice.status_reblogged_by(post.id) == []
        with pytest.raises(MastodonAPIError) as refused:
            alice.status_unreblog(post.id)
        assert refused.value.args[1] == 422
        assert alice.status_delete(share.id).id == share.id
        with pytest.raises(MastodonNotFoundError):
            alice.status(share.id)
        assert alice.status(post.id).reblogged is False
        bob.status_delete(upstream.seen_by(bob, post).id)
        return

    # Friendica 2024.08 shows a share to the sharer and third parties, not to the author.
    assert [account.username for account in alice.status_reblogged_by(post.id)] == ["alice"]

    undone = alice.status_unreblog(post.id)
    assert undone.id == post.id
    assert undone.reblogged is False
    assert alice.status_reblogged_by(post.id) == []
    bob.status_delete(post.id)


# Bad input


def test_unknown_status_is_404(alice):
    with pytest.raises(MastodonNotFoundError):
        alice.status(999_999)
    with pytest.raises(MastodonNotFoundError):
        alice.status_context(999_999)
    with pytest.raises(MastodonNotFoundError):
        alice.status_favourite(999_999)


def test_unknown_account_is_404(alice):
    with pytest.raises(MastodonNotFoundError):
        alice.account(999_999)
    with pytest.raises(MastodonNotFoundError):
        alice.account_statuses(999_999)


def test_non_numeric_id_is_404(gateway, alice):
    response = httpx.get(
        f"{gateway.url}/api/v1/statuses/not-a-number",
        headers={"Authorization": f"Bearer {alice.access_token}"},
    )

    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_empty_and_oversized_statuses_are_422_and_not_posted(alice, double):
    before = len(upstream_statuses(double, "alice"))

    with pytest.raises(MastodonAPIError) as empty:
        alice.status_post("   ")
    with pytest.raises(MastodonAPIError) as oversized:
        alice.status_post("x" * 501)

    assert empty.value.args[1] == 422
    assert oversized.value.args[1] == 422
    assert "character limit of 500" in str(oversized.value)
    assert len(upstream_statuses(double, "alice")) == before


def test_reply_to_unknown_status_is_404_and_not_posted(alice, double):
    before = len(upstream_statuses(double, "alice"))

    with pytest.raises(MastodonNotFoundError):
        alice.status_post(unique("reply to nothing"), in_reply_to_id=999_999)

    assert len(upstream_statuses(double, "alice")) == before


def test_deleting_someone_elses_status_is_404_and_keeps_it(alice, bob, upstream):
    post = bob.status_post(unique("not alice's to delete"))
    alices_id = upstream.seen_by(alice, post).id

    with pytest.raises(MastodonNotFoundError):
        alice.status_delete(alices_id)

    assert bob.status(post.id).id == post.id
    assert alice.status(alices_id).id == alices_id
    bob.status_delete(post.id)


def test_wrong_token_is_401(gateway):
    response = httpx.get(
        f"{gateway.url}/api/v1/timelines/home", headers={"Authorization": "Bearer not-a-real-token"}
    )

    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_missing_token_is_401(gateway, session):
    api = Mastodon(api_base_url=gateway.url, session=session)

    with pytest.raises(MastodonUnauthorizedError):
        api.timeline_home()


def test_read_only_token_cannot_post(gateway, session, double):
    client_id, client_secret = Mastodon.create_app(
        "read only", scopes=["read"], redirect_uris=OOB, api_base_url=gateway.url, session=session
    )
    api = Mastodon(
        client_id=client_id, client_secret=client_secret, api_base_url=gateway.url, session=session
    )
    api.log_in(username="alice", password=PASSWORD, scopes=["read"], allow_http=True)
    before = len(upstream_statuses(double, "alice"))

    with pytest.raises(MastodonAPIError) as error:
        api.status_post(unique("should not post"))

    assert error.value.args[1] == 403
    assert len(upstream_statuses(double, "alice")) == before
    assert api.timeline_home(limit=1)


def test_app_registration_without_name_is_422(gateway):
    response = httpx.post(f"{gateway.url}/api/v1/apps", data={"redirect_uris": OOB})

    assert response.status_code == 422
    assert "client_name" in response.json()["error"]


def test_app_token_without_user_cannot_read_home(gateway, app_credentials):
    client_id, client_secret = app_credentials
    token = httpx.post(
        f"{gateway.url}/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": "read",
        },
    ).json()["access_token"]

    home = httpx.get(f"{gateway.url}/api/v1/timelines/home", headers={"Authorization": f"Bearer {token}"})
    app = httpx.get(
        f"{gateway.url}/api/v1/apps/verify_credentials", headers={"Authorization": f"Bearer {token}"}
    )

    assert home.status_code == 422
    assert app.status_code == 200


# Media


def test_upload_describe_post_and_read_back_pictures(alice, bob, upstream):
    png = alice.media_post(
        picture(800, 600, "PNG"), mime_type="image/png", description="A red square", file_name="r.png"
    )
    jpeg = alice.media_post(
        picture(1200, 900, "JPEG", (20, 160, 90)),
        mime_type="image/jpeg",
        description="draft",
        file_name="g.jpg",
    )
    updated = alice.media_update(jpeg.id, description="A green field")

    post = alice.status_post(unique("two pictures from Mastodon.py"), media_ids=[png.id, jpeg.id])
    seen = upstream.seen_by(bob, post)

    assert updated.description == "A green field"
    assert [media.id for media in seen.media_attachments] == [png.id, jpeg.id]
    assert [media.description for media in seen.media_attachments] == ["A red square", "A green field"]
    for media, (width, height) in zip(seen.media_attachments, [(800, 600), (1200, 900)], strict=True):
        assert media.type == "image"
        assert media.meta.original.width == width
        assert media.meta.original.height == height
        assert media.meta.small.width <= 640
        assert media.preview_url != media.url
        assert len(blurhash.decode(media.blurhash, 4, 3)) == 3
        assert httpx.get(media.preview_url).headers["content-type"].startswith("image/")
    alice.status_delete(post.id)


def test_post_of_only_a_picture(alice, upstream, double):
    media = alice.media_post(picture(300, 200, "PNG"), mime_type="image/png", file_name="p.png")

    if not upstream.has("picture_only_posts"):
        before = len(upstream_statuses(double, "alice"))
        with pytest.raises(MastodonAPIError) as refused:
            alice.status_post("", media_ids=[media.id])
        assert refused.value.args[1] == 422
        assert "needs text" in str(refused.value)
        assert len(upstream_statuses(double, "alice")) == before
        return

    post = alice.status_post("", media_ids=[media.id])

    assert [attachment.id for attachment in post.media_attachments] == [media.id]
    assert "<p></p>" not in post.content
    alice.status_delete(post.id)


def test_media_upload_of_non_picture_is_refused(alice):
    with pytest.raises(MastodonAPIError) as error:
        alice.media_post(b"not a picture at all", mime_type="text/plain", file_name="notes.txt")

    assert error.value.args[1] == 422


# Keep this test last: it checks what the tests above received.

CHECKED_ENDPOINTS = {
    ("POST", "/api/v1/apps"),
    ("GET", "/api/v1/apps/verify_credentials"),
    ("POST", "/oauth/token"),
    ("GET", "/.well-known/oauth-authorization-server"),
    ("GET", "/api/v1/instance"),
    ("GET", "/api/v2/instance"),
    ("GET", "/api/v1/accounts/verify_credentials"),
    ("GET", "/api/v1/accounts/{id}"),
    ("GET", "/api/v1/accounts/{id}/statuses"),
    ("GET", "/api/v1/timelines/home"),
    ("GET", "/api/v1/timelines/public"),
    ("POST", "/api/v1/statuses"),
    ("GET", "/api/v1/statuses/{id}"),
    ("DELETE", "/api/v1/statuses/{id}"),
    ("GET", "/api/v1/statuses/{id}/context"),
    ("POST", "/api/v1/statuses/{id}/favourite"),
    ("POST", "/api/v1/statuses/{id}/unfavourite"),
    ("POST", "/api/v1/statuses/{id}/reblog"),
    ("POST", "/api/v1/statuses/{id}/unreblog"),
    ("GET", "/api/v1/statuses/{id}/favourited_by"),
    ("GET", "/api/v1/statuses/{id}/reblogged_by"),
    ("GET", "/api/v1/favourites"),
    ("GET", "/api/v1/notifications"),
    ("GET", "/api/v2/filters"),
    ("GET", "/api/v1/lists"),
    ("POST", "/api/v2/media"),
    ("PUT", "/api/v1/media/{id}"),
}


def test_responses_were_checked_against_openapi(openapi, gateway):
    checked = openapi.checked_at(gateway.url)
    missing = sorted(endpoint for endpoint in CHECKED_ENDPOINTS if checked[endpoint] == 0)

    assert missing == [], "run the whole module: these endpoints were never checked"
    assert openapi.failures == []

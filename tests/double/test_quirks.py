"""One test per recorded Friendica 2024.08 quirk, so that a regression names the quirk."""

from __future__ import annotations

from typing import Any

import httpx

from friendica_double import posts

from .support import Double, exception_message, html_kind

ALICE_CONTACT_FOR_BOB = 11


def post_status(double: Double, user: str, **form: Any) -> dict[str, Any]:
    response = double.client.post("/api/statuses/update.json", user, **form)
    assert response.status_code == 200, response.text[:300]
    status: dict[str, Any] = response.json()
    return status


def home_ids(double: Double, user: str, **params: Any) -> list[int]:
    response = double.client.get("/api/statuses/home_timeline.json", user, **params)
    assert response.status_code == 200
    return [status["id"] for status in response.json()]


def message(response: httpx.Response) -> str:
    return exception_message(response.text)


# Paging


def test_max_id_is_inclusive(double: Double) -> None:
    ids = [post_status(double, "alice", status=f"post {number}")["id"] for number in range(4)]

    page = home_ids(double, "alice", max_id=ids[2], count=2)

    assert page == [ids[2], ids[1]]


def test_since_id_is_exclusive(double: Double) -> None:
    ids = [post_status(double, "alice", status=f"post {number}")["id"] for number in range(3)]

    assert home_ids(double, "alice", since_id=ids[0]) == [ids[2], ids[1]]


def test_count_zero_and_garbage_give_one(double: Double) -> None:
    for _ in range(3):
        post_status(double, "alice", status="filler")

    assert len(home_ids(double, "alice", count=0)) == 1
    assert len(home_ids(double, "alice", count="abc")) == 1


def test_count_is_capped_at_100(double: Double) -> None:
    for number in range(105):
        post_status(double, "alice", status=f"filler {number}")

    assert len(home_ids(double, "alice", count=200)) == 100
    assert len(home_ids(double, "alice")) == 20


def test_page_is_an_offset(double: Double) -> None:
    everything = home_ids(double, "alice", count=100)

    assert home_ids(double, "alice", count=1, page=2) == everything[1:2]


# Routing and errors


def test_unknown_post_path_answers_200_page(double: Double) -> None:
    response = double.client.post("/api/friendships/create.json", "alice", user_id="8")

    assert response.status_code == 200
    assert html_kind(response.text) == "site page"


def test_unknown_get_path_answers_404_page(double: Double) -> None:
    for path in (
        "/api/statuses/nonexistent.json",
        "/api/foo/bar",
        "/api/statuses/home_timeline.yaml",
    ):
        response = double.client.get(path, "alice")
        assert response.status_code == 404, path
        assert html_kind(response.text) == "site page", path


def test_get_on_post_route_answers_405(double: Double) -> None:
    response = double.client.get("/api/statuses/update.json", "alice", status="should not post")

    assert response.status_code == 405
    assert home_ids(double, "alice") == home_ids(double, "alice", count=100)
    assert "should not post" not in double.client.get("/api/statuses/user_timeline.json", "alice").text


def test_delete_on_destroy_answers_200_page(double: Double) -> None:
    target = double.seed.statuses["hello"]

    response = double.client.request(
        "DELETE", "/api/statuses/destroy.json", user="alice", params={"id": target}
    )

    assert response.status_code == 200
    assert html_kind(response.text) == "site page"
    assert double.client.get("/api/statuses/show.json", "alice", id=target).status_code == 200


def test_missing_credentials_answer_401(double: Double) -> None:
    for password in (None, "wrong"):
        if password is None:
            response = double.client.get("/api/statuses/home_timeline.json")
        else:
            response = double.client.request(
                "GET", "/api/statuses/home_timeline.json", user="alice", password=password
            )
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Basic realm="Friendica"'
        assert message(response) == "This API requires login"


def test_login_ignores_host_after_at(double: Double) -> None:
    response = double.client.get("/api/account/verify_credentials.json", "alice@elsewhere.example")

    assert response.status_code == 200
    assert response.json()["screen_name"] == "alice"


def test_site_endpoints_need_no_login(double: Double) -> None:
    assert double.client.get("/api/help/test.json").json() == "ok"
    assert double.client.get("/api/help/test").json() == "ok"
    assert double.client.get("/api/statusnet/version.json").json() == "0.9.7"
    assert double.client.get("/api/gnusocial/config.json").json()["site"]["textlimit"] == "200000"
    assert double.client.get("/api/v1/instance").status_code == 200


def test_api_1_1_prefix_is_routed(double: Double) -> None:
    response = double.client.get("/api/1.1/account/verify_credentials.json", "alice", skip_status="true")

    assert response.status_code == 200
    assert "status" not in response.json()


# Posting


def test_update_without_content_creates_nothing(double: Double) -> None:
    before = home_ids(double, "alice", count=100)

    response = double.client.request("POST", "/api/statuses/update.json", user="alice")

    assert response.status_code == 200
    assert html_kind(response.text) == "site page"
    assert home_ids(double, "alice", count=100) == before


def test_reply_to_unknown_parent_creates_nothing(double: Double) -> None:
    before = home_ids(double, "alice", count=100)

    response = double.client.post(
        "/api/statuses/update.json",
        "alice",
        status="reply to nothing",
        in_reply_to_status_id="999999",
    )

    assert response.status_code == 200
    assert html_kind(response.text) == "site page"
    assert home_ids(double, "alice", count=100) == before


def test_group_allow_is_ignored_and_public(double: Double) -> None:
    status = post_status(double, "alice", **{"status": "meant for a circle", "group_allow[]": "1"})

    assert status["friendica_private"] is False
    assert double.client.get("/api/statuses/show.json", "carol", id=status["id"]).status_code == 200
    public = double.client.get("/api/statuses/public_timeline.json", "carol").json()
    assert status["id"] in [entry["id"] for entry in public]


def test_private_post_invisible_to_carol(double: Double) -> None:
    status = post_status(
        double, "alice", **{"status": "for bob only", "contact_allow[]": str(ALICE_CONTACT_FOR_BOB)}
    )

    hidden = double.client.get("/api/statuses/show.json", "carol", id=status["id"])

    assert status["friendica_private"] is True
    assert hidden.status_code == 400
    assert message(hidden) == f"There is no status with the uri-id {status['id']} for the given user."
    assert double.client.get("/api/statuses/show.json", "bob", id=status["id"]).status_code == 200
    assert status["id"] in home_ids(double, "bob")
    public = double.client.get("/api/statuses/public_timeline.json", "alice").json()
    assert status["id"] not in [entry["id"] for entry in public]


def test_acl_string_and_comma_list_forms(double: Double) -> None:
    as_string = post_status(double, "alice", status="string form", contact_allow="<11>")
    as_list = post_status(double, "alice", status="comma form", contact_allow="11,15")

    assert as_string["friendica_private"] is True
    assert as_list["friendica_private"] is True
    assert double.client.get("/api/statuses/show.json", "dave", id=as_list["id"]).status_code == 200
    assert double.client.get("/api/statuses/show.json", "dave", id=as_string["id"]).status_code == 400


def test_circle_allow_reaches_members(double: Double) -> None:
    # Circle 1 is alice's "Friends" circle with bob and dave.
    status = post_status(double, "alice", **{"status": "friends only", "circle_allow[]": "1"})

    assert status["friendica_private"] is True
    assert double.client.get("/api/statuses/show.json", "dave", id=status["id"]).status_code == 200
    assert double.client.get("/api/statuses/show.json", "carol", id=status["id"]).status_code == 400


def test_geo_stays_null(double: Double) -> None:
    status = post_status(double, "alice", status="from the park", lat="52.52", long="13.405")

    assert status["geo"] is None


def test_reply_names_thread_root_author(double: Double) -> None:
    root = post_status(double, "alice", status="root")
    reply = post_status(double, "bob", status="@alice first", in_reply_to_status_id=str(root["id"]))
    answer = post_status(double, "carol", status="second", in_reply_to_status_id=str(reply["id"]))

    assert answer["in_reply_to_status_id"] == reply["id"]
    # Friendica names the thread root's author, not the author of the direct parent.
    assert answer["in_reply_to_user_id"] == 3
    assert answer["in_reply_to_screen_name"] == "alice"
    assert answer["statusnet_conversation_id"] == root["id"]


# Destroy and retweet


def test_destroy_ignores_id_in_path(double: Double) -> None:
    target = post_status(double, "alice", status="keep me")["id"]

    response = double.client.post(f"/api/statuses/destroy/{target}.json", "alice")

    assert response.status_code == 400
    assert message(response) == "Item id not found"
    assert double.client.get("/api/statuses/show.json", "alice", id=target).status_code == 200


def test_foreign_destroy_hides_only_for_caller(double: Double) -> None:
    target = post_status(double, "alice", status="alice's post")["id"]

    response = double.client.post("/api/statuses/destroy.json", "bob", id=str(target))

    assert response.status_code == 200
    assert response.json()["id"] == target
    assert double.client.get("/api/statuses/show.json", "alice", id=target).status_code == 200
    for_bob = double.client.get("/api/statuses/show.json", "bob", id=target)
    assert for_bob.status_code == 400
    assert message(for_bob) == f"There is no status or conversation with the id {target}."


def test_own_destroy_deletes_for_everyone(double: Double) -> None:
    target = post_status(double, "alice", status="short-lived")["id"]

    response = double.client.post("/api/statuses/destroy.json", "alice", id=str(target))

    assert response.json()["text"] == "short-lived"
    assert double.client.get("/api/statuses/show.json", "bob", id=target).status_code == 400
    assert target not in home_ids(double, "bob")


def test_retweet_fails_with_500_and_shares_nothing(double: Double) -> None:
    target = post_status(double, "alice", status="please share")["id"]

    response = double.client.post("/api/statuses/retweet.json", "bob", id=str(target))

    assert response.status_code == 500
    seen_by_bob = double.client.get("/api/statuses/show.json", "bob", id=target).json()
    assert seen_by_bob["friendica_activities"]["announce"] == []


def test_retweet_of_private_post_is_403(double: Double) -> None:
    target = post_status(double, "alice", status="private", contact_allow="<11>")["id"]

    assert double.client.post("/api/statuses/retweet.json", "bob", id=str(target)).status_code == 403


# Shares through the Mastodon API


def test_share_is_an_announce_not_a_status(double: Double) -> None:
    target = post_status(double, "alice", status="worth sharing")["id"]

    reblog = double.client.post(f"/api/v1/statuses/{target}/reblog", "bob")

    assert reblog.status_code == 200
    assert reblog.json()["id"] == str(target)
    assert reblog.json()["reblogged"] is True
    seen_by_bob = double.client.get("/api/statuses/show.json", "bob", id=target).json()
    assert [user["screen_name"] for user in seen_by_bob["friendica_activities"]["announce"]] == ["bob"]
    assert "retweeted_status" not in seen_by_bob
    assert target in home_ids(double, "carol")
    assert all(
        "retweeted_status" not in status
        for status in double.client.get("/api/statuses/home_timeline.json", "carol").json()
    )


def test_share_activity_id_is_no_status(double: Double) -> None:
    target = post_status(double, "alice", status="worth sharing")["id"]
    double.client.post(f"/api/v1/statuses/{target}/reblog", "bob")
    share = posts.find_activity(double.app.state.site.store, 3, target, ("announce",))
    assert share is not None

    response = double.client.get("/api/statuses/show.json", "bob", id=share["uri_id"])

    assert response.status_code == 400
    assert message(response) == f"There is no status or conversation with the id {share['uri_id']}."
    assert share["uri_id"] not in home_ids(double, "bob", count=100)


def announcers(double: Double, viewer: str, status_id: int) -> list[str]:
    status = double.client.get("/api/statuses/show.json", viewer, id=status_id).json()
    return [user["screen_name"] for user in status["friendica_activities"]["announce"]]


def followed_ids(double: Double, user: str) -> list[int]:
    response = double.client.get("/api/friends/ids.json", user)
    assert response.status_code == 200
    ids: list[int] = response.json()["ids"]
    return ids


def test_share_skips_an_author_who_follows_the_sharer(double: Double) -> None:
    # As recorded on 2024.08: alice and bob follow each other, bob shares alice's post,
    # and only alice's own copy lacks the share.
    bob = double.client.get("/api/users/show.json", "alice", screen_name="bob").json()
    assert bob["id"] in followed_ids(double, "alice")
    target = post_status(double, "alice", status="shared by a friend")["id"]

    double.client.post(f"/api/v1/statuses/{target}/reblog", "bob")

    assert announcers(double, "alice", target) == []
    assert announcers(double, "bob", target) == ["bob"]
    assert announcers(double, "carol", target) == ["bob"]


def test_share_reaches_an_author_who_does_not_follow_the_sharer(double: Double) -> None:
    # The Announce names the author once; only the author who also follows the sharer is named twice.
    carol = double.client.get("/api/users/show.json", "alice", screen_name="carol").json()
    assert carol["id"] not in followed_ids(double, "alice")
    target = post_status(double, "alice", status="shared by a stranger")["id"]

    double.client.post(f"/api/v1/statuses/{target}/reblog", "carol")

    assert announcers(double, "alice", target) == ["carol"]
    assert announcers(double, "bob", target) == ["carol"]


def test_unreblog_removes_announce(double: Double) -> None:
    target = post_status(double, "alice", status="shared briefly")["id"]
    double.client.post(f"/api/v1/statuses/{target}/reblog", "bob")

    response = double.client.post(f"/api/v1/statuses/{target}/unreblog", "bob")

    assert response.json()["reblogged"] is False
    assert response.json()["reblogs_count"] == 0


def test_reblog_of_unknown_id_is_403_json(double: Double) -> None:
    response = double.client.post("/api/v1/statuses/999999/reblog", "bob")

    assert response.status_code == 403
    assert response.json() == {"error": "Record not found"}


# Users


def test_users_show_unknown_user_id_is_empty_500(double: Double) -> None:
    response = double.client.get("/api/users/show.json", "alice", user_id="999999")

    assert response.status_code == 500
    assert response.content == b""


def test_users_show_falls_back_to_caller(double: Double) -> None:
    unknown = double.client.get("/api/users/show.json", "alice", screen_name="nobody-here")
    without = double.client.get("/api/users/show.json", "alice")

    assert unknown.json()["screen_name"] == "alice"
    assert without.json()["screen_name"] == "alice"
    assert "uid" not in without.json()


def test_users_show_reads_id_in_path(double: Double) -> None:
    assert double.client.get("/api/users/show/10.json", "alice").json()["screen_name"] == "dave"


def test_users_lookup_ignores_screen_name(double: Double) -> None:
    by_name = double.client.get("/api/users/lookup.json", "alice", screen_name="bob")
    by_id = double.client.get("/api/users/lookup.json", "alice", user_id="5,8")

    assert by_name.status_code == 404
    assert [user["screen_name"] for user in by_id.json()] == ["bob", "carol"]


def test_users_search_without_hit_is_404(double: Double) -> None:
    response = double.client.get("/api/users/search.json", "alice", q="zzzz-nobody")

    assert response.status_code == 404
    assert message(response) == "User zzzz-nobody not found."


def test_following_means_they_follow_you(double: Double) -> None:
    # carol's follow request to alice is still pending; alice follows dave one-way.
    carol = double.client.get("/api/users/show.json", "alice", screen_name="carol").json()
    dave = double.client.get("/api/users/show.json", "alice", screen_name="dave").json()

    assert carol["following"] is True
    assert dave["following"] is False


def test_pending_requester_is_no_follower(double: Double) -> None:
    followers = double.client.get("/api/followers/ids.json", "alice").json()
    incoming = double.client.get("/api/friendships/incoming.json", "alice").json()

    assert followers["ids"] == [5]
    assert incoming["ids"] == [18]


def test_friend_ids_of_others_are_empty(double: Double) -> None:
    own = double.client.get("/api/friends/ids.json", "alice").json()
    bobs = double.client.get("/api/followers/ids.json", "alice", user_id="5").json()

    assert own["ids"] == [10, 5]
    assert own["next_cursor"] == 0
    assert bobs["ids"] == []
    assert bobs["next_cursor"] == -1


def test_verify_credentials_drops_verified_and_uid(double: Double) -> None:
    alice = double.client.get("/api/account/verify_credentials.json", "alice").json()
    erin = double.client.get("/api/account/verify_credentials.json", "erin").json()

    assert "verified" not in alice
    assert "uid" not in alice
    assert alice["status"]["id"] == double.seed.statuses["hello"]
    assert "status" not in erin


# Reactions


def test_favorited_means_caller_liked(double: Double) -> None:
    target = post_status(double, "alice", status="like me")["id"]

    liked = double.client.post("/api/favorites/create.json", "bob", id=str(target)).json()
    as_alice = double.client.get("/api/statuses/show.json", "alice", id=target).json()

    assert liked["favorited"] is True
    assert as_alice["favorited"] is False
    assert [user["screen_name"] for user in as_alice["friendica_activities"]["like"]] == ["bob"]


def test_like_is_not_a_toggle(double: Double) -> None:
    target = post_status(double, "alice", status="like me twice")["id"]

    double.client.post("/api/friendica/activity/like.json", "bob", id=str(target))
    again = double.client.post("/api/friendica/activity/like.json", "bob", id=str(target)).json()

    assert again["favorited"] is True
    assert len(again["friendica_activities"]["like"]) == 1


def test_attendance_verbs_exclude_each_other(double: Double) -> None:
    target = post_status(double, "alice", status="party on friday")["id"]

    double.client.post("/api/friendica/activity/attendyes.json", "bob", id=str(target))
    status = double.client.post("/api/friendica/activity/attendno.json", "bob", id=str(target)).json()

    assert status["friendica_activities"]["attendyes"] == []
    assert [user["screen_name"] for user in status["friendica_activities"]["attendno"]] == ["bob"]


def test_favorites_lists_starred_not_liked(double: Double) -> None:
    target = post_status(double, "bob", status="star me")["id"]
    double.client.post("/api/favorites/create.json", "alice", id=str(target))

    assert double.client.get("/api/favorites.json", "alice").json() == []

    double.client.post(f"/api/v1/statuses/{target}/bookmark", "alice")
    assert [status["id"] for status in double.client.get("/api/favorites.json", "alice").json()] == [target]


def test_activity_on_unknown_id_is_400(double: Double) -> None:
    response = double.client.post("/api/friendica/activity/like.json", "alice", id="999999")
    missing = double.client.post("/api/favorites/create.json", "alice")

    assert response.status_code == 400
    assert message(response) == "Item id not found"
    assert missing.status_code == 400
    assert message(missing) == "Item id not specified"


def test_followers_see_what_followed_people_liked(double: Double) -> None:
    # carol follows bob only; bob likes a post of alice's.
    target = post_status(double, "alice", status="seen through bob")["id"]
    assert target not in home_ids(double, "carol")

    double.client.post("/api/favorites/create.json", "bob", id=str(target))

    assert target in home_ids(double, "carol")


def test_mentions_include_replies_not_likes(double: Double) -> None:
    root = post_status(double, "alice", status="a thought")
    reply = post_status(double, "bob", status="a reply", in_reply_to_status_id=str(root["id"]))
    double.client.post("/api/favorites/create.json", "bob", id=str(root["id"]))

    mentions = double.client.get("/api/statuses/mentions.json", "alice").json()

    assert [status["id"] for status in mentions] == [reply["id"]]


def test_instance_reports_compatible_version(double: Double) -> None:
    instance = double.client.get("/api/v1/instance").json()

    assert instance["version"] == "2.8.0 (compatible; Friendica 2024.08)"
    assert instance["uri"] == "127.0.0.1"

"""Media: media/upload, media/metadata/create, statuses with pictures and the picture files."""

from __future__ import annotations

from .pictures import (
    ALICE_CONTACT_FOR_BOB,
    create_photo,
    decoded,
    photo_of,
    picture,
    post,
    raw_post,
    upload_media,
    uploaded_id,
)
from .support import BASE_URL, Double, exception_message, html_kind

# media/upload and media/metadata/create


def test_upload_without_file_is_400(double: Double) -> None:
    response = double.client.post("/api/media/upload.json", "alice", status="no file here")

    assert response.status_code == 400
    assert exception_message(response.text) == "No media."


def test_upload_of_non_image_is_500(double: Double) -> None:
    response = upload_media(double, b"this is plain text", "notes.png", "image/png")

    assert response.status_code == 500
    assert html_kind(response.text) == "exception page"


def test_upload_reports_widest_row_and_preview(double: Double) -> None:
    response = upload_media(double, picture((800, 600), "JPEG", "blue"), "blue.jpg", "image/jpeg")
    uploaded = response.json()
    photo = photo_of(double, uploaded["media_id"])

    assert uploaded["media_id"] == photo["scales"][0]["id"]
    assert uploaded["size"] == photo["scales"][0]["size"]
    assert uploaded["image"]["w"] == 800
    assert uploaded["image"]["h"] == 600
    assert uploaded["image"]["image_type"] == "image/jpeg"
    assert uploaded["image"]["friendica_preview_url"] == f"{BASE_URL}/photo/{photo['id']}-1..jpeg"


def test_preview_url_with_double_dot_is_not_found(double: Double) -> None:
    media_id = uploaded_id(double, picture((800, 600)))
    post(double, status="public now", media_ids=str(media_id))
    preview_url = upload_media(double, picture((800, 600))).json()["image"]["friendica_preview_url"]
    photo = photo_of(double, media_id)

    # Friendica reads "<id>-1." as the resource id of "<id>-1..png", so the link from media/upload is dead.
    assert double.client.get(f"/photo/{photo['id']}-1..png").status_code == 404
    assert double.client.get(f"/photo/{photo['id']}-1.png").status_code == 200
    assert preview_url.endswith("-1..png")


def test_uploaded_picture_is_private_until_posted(double: Double) -> None:
    media_id = uploaded_id(double, picture((500, 400)))
    photo = photo_of(double, media_id)
    link = f"/photo/{photo['id']}-0.png"

    assert photo["allow_cid"] == "<2>"
    assert double.client.get(link).status_code == 404

    post(double, status="now public", media_ids=str(media_id))

    assert photo_of(double, media_id)["allow_cid"] == ""
    assert double.client.get(link).status_code == 200


def test_metadata_create_answers_page_but_sets_description(double: Double) -> None:
    media_id = uploaded_id(double, picture((800, 600), "JPEG", "blue"), "blue.jpg", "image/jpeg")

    response = double.client.request(
        "POST",
        "/api/media/metadata/create.json",
        user="alice",
        json={"media_id": str(media_id), "alt_text": {"text": "A blue test image"}},
    )

    assert response.status_code == 200
    assert html_kind(response.text) == "site page"
    assert photo_of(double, media_id)["desc"] == "A blue test image"


def test_metadata_create_errors(double: Double) -> None:
    media_id = uploaded_id(double, picture((64, 48)))
    cases = [
        (b"", "No post data"),
        (b"not json", "Invalid post data"),
        (b"{}", "Invalid post data"),
        (f'{{"media_id": "{media_id}"}}'.encode(), "Missing post data values"),
        (f'{{"media_id": {media_id}, "alt_text": {{"text": ""}}}}'.encode(), "No alt text."),
        (f'{{"media_id": {media_id}, "alt_text": "flat"}}'.encode(), "No alt text."),
        (b'{"media_id": "999999", "alt_text": {"text": "x"}}', "Metadata not found."),
    ]
    for body, expected in cases:
        response = raw_post(double, "/api/media/metadata/create.json", body)
        assert response.status_code == 400, body
        assert exception_message(response.text) == expected, body


def test_metadata_of_another_users_picture_is_not_found(double: Double) -> None:
    media_id = uploaded_id(double, picture((64, 48)))

    response = double.client.request(
        "POST",
        "/api/media/metadata/create.json",
        user="bob",
        json={"media_id": media_id, "alt_text": {"text": "not mine"}},
    )

    assert response.status_code == 400
    assert exception_message(response.text) == "Metadata not found."


# Statuses with pictures


def test_media_ids_order_is_kept(double: Double) -> None:
    first = uploaded_id(double, picture((800, 600), "JPEG", "blue"), "blue.jpg", "image/jpeg")
    second = uploaded_id(double, picture((400, 300), colour="green"))

    forward = post(double, status="forward", media_ids=f"{first},{second}")
    backward = post(double, status="backward", media_ids=f"{second},{first}")

    forward_urls = [attachment["url"] for attachment in forward["attachments"]]
    backward_urls = [attachment["url"] for attachment in backward["attachments"]]
    assert len(forward_urls) == 2
    assert backward_urls == list(reversed(forward_urls))
    assert [attachment["mimetype"] for attachment in forward["attachments"]] == ["image/jpeg", "image/png"]


def test_media_ids_skip_unknown_and_foreign_ids(double: Double) -> None:
    own = uploaded_id(double, picture((64, 48)))
    bobs = double.client.request(
        "POST",
        "/api/media/upload.json",
        user="bob",
        files={"media": ("b.png", picture((64, 48)), "image/png")},
    ).json()["media_id"]

    status = post(double, status="one picture", media_ids=f"abc,{bobs},999999,{own}")

    assert len(status["attachments"]) == 1


def test_picture_urls_go_to_text_only(double: Double) -> None:
    media_id = uploaded_id(double, picture((800, 600), "JPEG"), "p.jpg", "image/jpeg")
    photo = photo_of(double, media_id)

    status = post(double, status="Look", media_ids=str(media_id))

    preview = f"{BASE_URL}/photo/{photo['id']}-1.jpeg"
    original = f"{BASE_URL}/photo/{photo['id']}-0.jpeg"
    assert status["text"] == f"Look\n{preview}\n\n{original}"
    assert status["statusnet_html"] == "Look"
    assert status["attachments"] == [{"url": original, "mimetype": "image/jpeg", "size": photo["datasize"]}]
    assert status["entities"] is None


def test_small_picture_has_no_preview_in_text(double: Double) -> None:
    status = double.client.request(
        "POST",
        "/api/statuses/update.json",
        user="alice",
        data={"status": "Tiny"},
        files={"media": ("tiny.png", picture((64, 48)), "image/png")},
    ).json()

    url = status["attachments"][0]["url"]
    assert url.endswith("-0.png")
    assert status["text"] == f"Tiny\n{url}"


def test_picture_without_text_is_a_post(double: Double) -> None:
    response = double.client.request(
        "POST",
        "/api/statuses/update_with_media.json",
        user="alice",
        files={"media": ("only.png", picture((64, 48)), "image/png")},
    )

    assert response.status_code == 200
    assert len(response.json()["attachments"]) == 1


def test_unreadable_file_posts_text_only(double: Double) -> None:
    response = double.client.request(
        "POST",
        "/api/statuses/update.json",
        user="alice",
        data={"status": "text stays"},
        files={"media": ("broken.png", b"no picture", "image/png")},
    )

    assert response.status_code == 200
    assert response.json()["attachments"] is None


def test_entities_media_replace_attachments(double: Double) -> None:
    first = uploaded_id(double, picture((800, 600), "JPEG"), "p.jpg", "image/jpeg")
    second = uploaded_id(double, picture((400, 300)))
    status_id = post(double, status="Entities", media_ids=f"{first},{second}")["id"]

    status = double.client.get(
        "/api/statuses/show.json", "alice", id=status_id, include_entities="true"
    ).json()
    media = status["entities"]["media"]

    assert status["attachments"] is None
    assert status["extended_entities"] == status["entities"]
    assert [list(entity["sizes"]) for entity in media] == [["medium"], ["small"]]
    assert [entity["url"] for entity in media] == [
        f"{BASE_URL}/photo/media/{entity['id']}" for entity in media
    ]
    for entity in media:
        path = entity["url"].removeprefix(BASE_URL)
        response = double.client.get(path, "alice")
        assert response.status_code == 200
        size = entity["sizes"][next(iter(entity["sizes"]))]
        assert decoded(response.content).size == (size["w"], size["h"])


def test_private_post_makes_picture_private(double: Double) -> None:
    media_id = uploaded_id(double, picture((400, 300)))
    post(double, status="Only for bob", media_ids=str(media_id), contact_allow=f"<{ALICE_CONTACT_FOR_BOB}>")
    photo = photo_of(double, media_id)
    link = f"/photo/{photo['id']}-0.png"

    assert photo["allow_cid"] == f"<{ALICE_CONTACT_FOR_BOB}>"
    assert double.client.get(link).status_code == 404
    assert double.client.get(link, "carol").status_code == 404
    assert double.client.get(link, "bob").status_code == 200
    assert double.client.get(link, "alice").status_code == 200


# Picture files


def test_file_route_serves_nearest_smaller_scale(double: Double) -> None:
    photo = create_photo(double, picture((400, 300)), album="Files")
    small = create_photo(double, picture((64, 48)), album="Files")

    scale_two = double.client.get(f"/photo/{photo['id']}-2.jpg")
    requested_three = double.client.get(f"/photo/{photo['id']}-3.png")
    thumb = double.client.get(f"/photo/thumb_small_{photo['id']}.png")
    small_preview = double.client.get(f"/photo/{small['id']}-1.png")

    assert scale_two.headers["content-type"] == "image/png"
    assert decoded(scale_two.content).size == (320, 240)
    assert decoded(requested_three.content).size == (320, 240)
    assert decoded(thumb.content).size == (320, 240)
    assert decoded(small_preview.content).size == (64, 48)


def test_file_route_caches_only_public_pictures(double: Double) -> None:
    public = create_photo(double, picture((64, 48)), album="Files")
    private = create_photo(double, picture((64, 48)), album="Files", allow_cid=f"<{ALICE_CONTACT_FOR_BOB}>")

    public_response = double.client.get(f"/photo/{public['id']}-0.png")
    private_response = double.client.get(f"/photo/{private['id']}-0.png", "alice")
    unknown = double.client.get("/photo/0123456789abcdef0123456789abcdef-0.png")

    assert public_response.headers["cache-control"] == "max-age=31536000"
    assert private_response.headers["cache-control"].startswith("no-store")
    assert unknown.status_code == 404
    assert "is not available" in exception_message(unknown.text)


def test_file_route_ignores_wrong_password(double: Double) -> None:
    photo = create_photo(double, picture((64, 48)), album="Files", allow_cid=f"<{ALICE_CONTACT_FOR_BOB}>")

    response = double.client.request("GET", f"/photo/{photo['id']}-0.png", user="alice", password="wrong")

    assert response.status_code == 404


def test_if_modified_since_is_always_304(double: Double) -> None:
    response = double.client.request(
        "GET",
        "/photo/0123456789abcdef0123456789abcdef-0.png",
        headers={"If-Modified-Since": "Thu, 01 Jan 2026 00:00:00 GMT"},
    )

    assert response.status_code == 304


def test_media_route_scales_to_custom_size(double: Double) -> None:
    media_id = uploaded_id(double, picture((800, 600)))
    status = post(double, status="sized", media_ids=str(media_id), include_entities="true")
    entity_id = status["entities"]["media"][0]["id"]

    sized = double.client.get(f"/photo/media/100/{entity_id}")
    preview = double.client.get(f"/photo/preview/{entity_id}")

    assert decoded(sized.content).size == (100, 75)
    assert decoded(preview.content).size == (640, 480)
    assert double.client.get("/photo/media/999999").status_code == 404

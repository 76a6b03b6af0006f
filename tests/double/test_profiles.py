"""Profiles, avatars and headers, and the Mastodon status with ``media_attachments``."""

from __future__ import annotations

from typing import Any

import httpx

from friendica_double import profile_data

from .pictures import decoded, picture, post, uploaded_id
from .support import BASE_URL, Double, exception_message

ALICE = 3


def profile(double: Double, user: str = "alice") -> dict[str, Any]:
    response = double.client.get("/api/friendica/profile/show.json", user)
    assert response.status_code == 200, response.text[:300]
    (only,) = response.json()["profiles"]
    result: dict[str, Any] = only
    return result


def alice_seen_by_bob(double: Double) -> dict[str, Any]:
    user: dict[str, Any] = double.client.get("/api/users/show.json", "bob", screen_name="alice").json()
    return user


def upload_avatar(double: Double, data: bytes, field: str = "image") -> httpx.Response:
    return double.client.request(
        "POST",
        "/api/account/update_profile_image.json",
        user="alice",
        files={field: ("avatar.png", data, "image/png")},
    )


def relative(url: str) -> str:
    return url.removeprefix(BASE_URL)


# friendica/profile/show


def test_profile_of_fresh_account(double: Double) -> None:
    shown = profile(double)

    assert shown["description"] is None
    assert shown["custom_fields"] == []
    assert shown["profile_photo"] == f"{BASE_URL}/photo/profile/alice"


def test_profile_lists_public_custom_fields(double: Double) -> None:
    store = double.app.state.site.store
    profile_data.add_field(store, 2, "Website", "[url=https://alice.example.org]my site[/url]")
    profile_data.add_field(store, 2, "Phone", "+49 1234", public=False)

    fields = profile(double)["custom_fields"]

    assert [field["label"] for field in fields] == ["Website"]
    assert 'href="https://alice.example.org"' in fields[0]["value"]


def test_demo_profile_of_alice(demo: Double) -> None:
    shown = profile(demo)
    account = demo.client.get(f"/api/v1/statuses/{demo.seed.statuses['night']}", "bob").json()["account"]

    assert shown["description"].startswith("I test API gateways")
    assert [field["label"] for field in shown["custom_fields"]] == ["Pronouns", "Blog", "Home town"]
    assert [field["name"] for field in account["fields"]] == ["Pronouns", "Blog", "Home town"]
    assert account["fields"][0] == {"name": "Pronouns", "value": "she/her", "verified_at": None}


# account/update_profile


def test_update_profile_changes_name_and_description(double: Double) -> None:
    response = double.client.post(
        "/api/account/update_profile.json", "alice", name="Alice Example", description="I test **APIs**."
    )

    answer = response.json()
    assert (answer["name"], answer["description"]) == ("Alice Example", "I test **APIs**.")
    assert "verified" not in answer
    assert "uid" not in answer
    assert (alice_seen_by_bob(double)["name"], alice_seen_by_bob(double)["description"]) == (
        "Alice Example",
        "I test **APIs**.",
    )
    assert profile(double)["description"] == "I test **APIs**."


def test_update_profile_keeps_name_when_empty(double: Double) -> None:
    double.client.post("/api/account/update_profile.json", "alice", name="", description="")

    assert alice_seen_by_bob(double)["name"] == "Alice Test"
    # A description sent empty is stored: the profile text is "" now, no longer null.
    assert profile(double)["description"] == ""


def test_update_profile_skip_status(double: Double) -> None:
    post(double, status="the latest")

    with_status = double.client.post("/api/account/update_profile.json", "alice", name="A").json()
    without = double.client.post("/api/account/update_profile.json", "alice", skip_status="true").json()

    assert with_status["status"]["text"] == "the latest"
    assert "status" not in without


# account/update_profile_image and the avatar files


def test_update_profile_image_changes_avatar(double: Double) -> None:
    before = alice_seen_by_bob(double)["profile_image_url"]

    response = upload_avatar(double, picture((120, 120), colour="red"))
    after = alice_seen_by_bob(double)["profile_image_url"]

    assert response.status_code == 200
    assert after != before
    served = double.client.get(relative(after))
    assert served.status_code == 200
    image = decoded(served.content)
    assert image.size == (48, 48)
    assert image.convert("RGB").getpixel((24, 24)) == (255, 0, 0)


def test_avatar_scales_and_profile_photo(double: Double) -> None:
    upload_avatar(double, picture((400, 200), colour="blue"))

    shown = profile(double)
    large = double.client.get(relative(shown["profile_photo"]))
    listed = double.client.get("/api/friendica/photos/list.json", "alice").json()
    avatar = next(photo for photo in listed if photo["album"] == "Profile Photos")

    assert shown["profile_photo"].startswith(f"{BASE_URL}/photo/profile/alice.png?ts=")
    assert decoded(large.content).size == (300, 150)
    assert [scale["scale"] for scale in avatar["scales"]] == [4, 5, 6]
    assert [scale["width"] for scale in avatar["scales"]] == [300, 80, 48]


def test_update_profile_image_accepts_media_field(double: Double) -> None:
    assert upload_avatar(double, picture((64, 64)), field="media").status_code == 200


def test_update_profile_image_errors(double: Double) -> None:
    no_file = double.client.post("/api/account/update_profile_image.json", "alice")
    not_a_picture = upload_avatar(double, b"not a picture at all")

    assert (no_file.status_code, exception_message(no_file.text)) == (400, "no media data submitted")
    assert (not_a_picture.status_code, exception_message(not_a_picture.text)) == (500, "image upload failed")


# update_credentials


def test_update_credentials_sets_header_and_profile(double: Double) -> None:
    before = alice_seen_by_bob(double)["profile_banner_url"]

    response = double.client.request(
        "PATCH",
        "/api/v1/accounts/update_credentials",
        user="alice",
        data={"display_name": "Alice Banner", "note": "Header test"},
        files={"header": ("header.jpg", picture((1200, 400), "JPEG", "purple"), "image/jpeg")},
    )
    after = alice_seen_by_bob(double)

    assert response.status_code == 200
    assert (response.json()["display_name"], response.json()["note"]) == ("Alice Banner", "Header test")
    assert after["profile_banner_url"] != before
    header = decoded(double.client.get(relative(after["profile_banner_url"])).content)
    assert header.size == (960, 320)


def test_update_credentials_empty_note_keeps_text(double: Double) -> None:
    double.client.request("PATCH", "/api/v1/accounts/update_credentials", user="alice", data={"note": "Kept"})

    response = double.client.request(
        "PATCH", "/api/v1/accounts/update_credentials", user="alice", data={"note": ""}
    )

    assert response.json()["note"] == "Kept"


def test_update_credentials_is_patch_only(double: Double) -> None:
    response = double.client.get("/api/v1/accounts/update_credentials", "alice")

    assert response.status_code == 405


# GET /api/v1/statuses/{id}


def test_native_status_has_media_attachments(double: Double) -> None:
    media_id = uploaded_id(double, picture((800, 600), "JPEG", "blue"), "blue.jpg", "image/jpeg")
    double.client.request(
        "POST",
        "/api/media/metadata/create.json",
        user="alice",
        json={"media_id": media_id, "alt_text": {"text": "A blue square"}},
    )
    status = post(double, status="with a picture", media_ids=str(media_id))

    response = double.client.get(f"/api/v1/statuses/{status['id']}", "bob")
    (attachment,) = response.json()["media_attachments"]

    assert response.status_code == 200
    assert attachment["type"] == "image"
    assert attachment["description"] == "A blue square"
    assert attachment["url"] == f"{BASE_URL}/photo/preview/{attachment['id']}"
    assert attachment["preview_url"] == f"{BASE_URL}/photo/preview/640/{attachment['id']}"
    assert attachment["remote_url"].endswith("-0.jpeg")
    assert attachment["meta"]["original"] == {
        "width": 800,
        "height": 600,
        "size": "800x600",
        "aspect": 800 / 600,
    }
    assert attachment["meta"]["small"]["width"] == 640
    assert attachment["blurhash"]
    preview = double.client.get(relative(attachment["preview_url"]))
    assert decoded(preview.content).size == (640, 480)


def test_attachment_description_is_copied_at_attach_time(double: Double) -> None:
    media_id = uploaded_id(double, picture((400, 300)), "green.png", "image/png")
    double.client.request(
        "POST",
        "/api/media/metadata/create.json",
        user="alice",
        json={"media_id": media_id, "alt_text": {"text": "first words"}},
    )
    status = post(double, status="described", media_ids=str(media_id))

    double.client.request(
        "POST",
        "/api/media/metadata/create.json",
        user="alice",
        json={"media_id": media_id, "alt_text": {"text": "changed later"}},
    )
    (attachment,) = double.client.get(f"/api/v1/statuses/{status['id']}", "alice").json()["media_attachments"]

    assert attachment["description"] == "first words"


def test_native_status_without_media(double: Double) -> None:
    response = double.client.get(f"/api/v1/statuses/{double.seed.statuses['hello']}")

    assert response.status_code == 200
    assert response.json()["media_attachments"] == []


def test_native_status_errors(double: Double) -> None:
    unknown = double.client.get("/api/v1/statuses/99999", "alice")
    anonymous = double.client.get("/api/v1/statuses/99999")
    zero = double.client.get("/api/v1/statuses/0", "alice")

    assert (unknown.status_code, exception_message(unknown.text)) == (
        404,
        "Item with URI ID 99999 not found for user 2",
    )
    assert exception_message(anonymous.text) == "Item with URI ID 99999 not found."
    assert (zero.status_code, zero.json()) == (403, {"error": "Unprocessable Entity"})


def test_gif_attachment_is_gifv(double: Double) -> None:
    frames = picture((100, 80), "GIF", "yellow")
    media_id = uploaded_id(double, frames, "moving.gif", "image/gif")
    status = post(double, status="a gif", media_ids=str(media_id))

    (attachment,) = double.client.get(f"/api/v1/statuses/{status['id']}", "alice").json()["media_attachments"]

    assert attachment["type"] == "gifv"
    assert attachment["meta"] is None
    assert attachment["url"] == attachment["remote_url"]


def test_stand_in_avatar_without_upload(double: Double) -> None:
    response = double.client.get("/photo/avatar/alice")
    unknown = double.client.get("/photo/avatar/nobody")

    assert response.status_code == 200
    assert decoded(response.content).size == (80, 80)
    assert unknown.status_code == 404

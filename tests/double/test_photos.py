"""Photos: scales, the friendica/photo and album endpoints, seeded pictures (Friendica 2024.08)."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from friendica_double.app import build_app
from friendica_double.context import MediaSettings
from friendica_double.seed import seed_database

from .pictures import ALICE_CONTACT_FOR_BOB, create_photo, decoded, picture, upload_media
from .recorded_media import image_differences
from .support import BASE_URL, Double, DoubleClient, exception_message

# Scales


def test_scales_follow_original_size(double: Double) -> None:
    cases = {
        (800, 600): [(800, 600), (640, 480), (320, 240)],
        # Over 320 px: scale 1 exists and keeps the original size, as recorded.
        (400, 300): [(400, 300), (400, 300), (320, 240)],
        (320, 200): [(320, 200)],
        (64, 48): [(64, 48)],
    }
    for size, expected in cases.items():
        photo = create_photo(double, picture(size), album="Sizes")
        assert [(scale["width"], scale["height"]) for scale in photo["scales"]] == expected, size
        assert [scale["scale"] for scale in photo["scales"]] == list(range(len(expected))), size


def test_very_tall_picture_is_limited_by_width(double: Double) -> None:
    photo = create_photo(double, picture((400, 2000)), album="Tall")

    assert [(scale["width"], scale["height"]) for scale in photo["scales"]] == [
        (400, 2000),
        (400, 2000),
        (320, 1600),
    ]


def test_scale_parameter_adds_data_of_that_scale(double: Double) -> None:
    photo = create_photo(double, picture((800, 600), colour="orange"), album="Data")

    for scale in photo["scales"][1:]:
        response = double.client.get(
            "/api/friendica/photo.json", "alice", photo_id=photo["id"], scale=scale["scale"]
        )
        answer = response.json()
        data = base64.b64decode(answer["data"])
        assert list(answer)[0] == "data"
        assert decoded(data).size == (scale["width"], scale["height"])
        assert answer["datasize"] == len(data) == scale["size"]
        assert answer["media-id"] == scale["id"]
        assert answer["link"] == [scale["link"]]
        assert "scales" not in answer


def test_scale_zero_is_read_as_no_scale(double: Double) -> None:
    photo = create_photo(double, picture((800, 600)), album="Data")

    answer = double.client.get("/api/friendica/photo.json", "alice", photo_id=photo["id"], scale=0).json()

    assert "data" not in answer
    assert len(answer["scales"]) == 3


def test_missing_scale_is_404(double: Double) -> None:
    photo = create_photo(double, picture((64, 48)), album="Small")

    response = double.client.get("/api/friendica/photo.json", "alice", photo_id=photo["id"], scale=1)

    assert response.status_code == 404


def test_large_picture_is_scaled_to_image_size_limit(tmp_path: Path) -> None:
    database = str(tmp_path / "limited.sqlite")
    seed_database(database, BASE_URL, mode="recording")
    app = build_app(database, BASE_URL, seed=False, media=MediaSettings(max_image_bytes=20_000))
    client = DoubleClient(app)
    noisy = Image.effect_noise((1500, 1000), 80).convert("RGB")
    output = io.BytesIO()
    noisy.save(output, "JPEG")

    response = client.request(
        "POST",
        "/api/media/upload.json",
        user="alice",
        files={"media": ("noise.jpg", output.getvalue(), "image/jpeg")},
    )

    # Friendica steps down to 1280, 640 and finally 320 px and keeps the last step even if still too large.
    assert response.status_code == 200
    assert (response.json()["image"]["w"], response.json()["image"]["h"]) == (320, 214)


def test_upload_over_upload_limit_is_dropped(tmp_path: Path) -> None:
    database = str(tmp_path / "limited.sqlite")
    seed_database(database, BASE_URL, mode="recording")
    app = build_app(database, BASE_URL, seed=False, media=MediaSettings(max_upload_bytes=1000))
    client = DoubleClient(app)
    files = {"media": ("big.png", picture((300, 300), colour="white") + b"\0" * 2000, "image/png")}

    upload = client.request("POST", "/api/media/upload.json", user="alice", files=files)
    status = client.request(
        "POST", "/api/statuses/update.json", user="alice", data={"status": "text survives"}, files=files
    )

    assert upload.status_code == 500
    assert status.status_code == 200
    assert status.json()["attachments"] is None


def test_declared_type_decides_stored_type(double: Double) -> None:
    cases = [
        (picture((50, 40), "PNG"), "image/jpeg", "image/jpeg"),
        (picture((50, 40), "GIF"), "image/gif", "image/gif"),
        (picture((50, 40), "WEBP"), "image/webp", "image/webp"),
        (picture((50, 40), "JPEG"), "application/octet-stream", "image/jpeg"),
        (picture((50, 40), "PNG"), "image/tiff", "image/png"),
    ]
    for data, declared, stored in cases:
        response = upload_media(double, data, "picture", declared)
        assert response.status_code == 200, declared
        assert response.json()["image"]["image_type"] == stored, declared


# friendica/photo and albums


def test_photo_create_needs_album_and_file(double: Double) -> None:
    no_album = double.client.request(
        "POST",
        "/api/friendica/photo/create.json",
        user="alice",
        files={"media": ("a.png", picture((8, 8)), "image/png")},
    )
    no_file = double.client.post("/api/friendica/photo/create.json", "alice", album="Holiday")

    assert no_album.status_code == 400
    assert exception_message(no_album.text) == "no album name specified"
    assert no_file.status_code == 400
    assert exception_message(no_file.text) == "no media data submitted"


def test_photo_create_checks_acl_ids(double: Double) -> None:
    foreign = double.client.request(
        "POST",
        "/api/friendica/photo/create.json",
        user="alice",
        data={"album": "Private", "allow_cid": "<13>"},
        files={"media": ("a.png", picture((8, 8)), "image/png")},
    )
    own = create_photo(double, picture((8, 8)), album="Private", allow_cid=f"<{ALICE_CONTACT_FOR_BOB}>")

    assert foreign.status_code == 400
    assert exception_message(foreign.text) == "acl data invalid"
    assert own["allow_cid"] == f"<{ALICE_CONTACT_FOR_BOB}>"


def test_empty_album_means_wall_photos(double: Double) -> None:
    assert create_photo(double, picture((8, 8)), album="")["album"] == "Wall Photos"


def test_private_photo_is_404_to_another_user(double: Double) -> None:
    photo = create_photo(double, picture((400, 300)), album="Holiday", allow_cid=f"<{ALICE_CONTACT_FOR_BOB}>")
    public = create_photo(double, picture((400, 300)), album="Holiday")

    for resource_id in (photo["id"], public["id"]):
        response = double.client.get("/api/friendica/photo.json", "bob", photo_id=resource_id)
        assert response.status_code == 404
    assert double.client.get("/api/friendica/photo.json", "alice", photo_id=photo["id"]).status_code == 200


def test_photo_update_results(double: Double) -> None:
    photo = create_photo(double, picture((64, 48)), album="Holiday", desc="Beach")

    updated = double.client.post(
        "/api/friendica/photo/update.json", "alice", photo_id=photo["id"], album="Holiday", desc="Noon"
    ).json()
    cancelled = double.client.post(
        "/api/friendica/photo/update.json", "alice", photo_id=photo["id"], album="Holiday"
    ).json()
    wrong_album = double.client.post(
        "/api/friendica/photo/update.json", "alice", photo_id=photo["id"], album="Elsewhere", desc="x"
    )

    assert updated["result"] == "updated"
    assert cancelled["result"] == "cancelled"
    assert wrong_album.status_code == 400
    assert exception_message(wrong_album.text) == "photo not available"
    assert (
        double.client.get("/api/friendica/photo.json", "alice", photo_id=photo["id"]).json()["desc"] == "Noon"
    )


def test_photo_update_replaces_file(double: Double) -> None:
    photo = create_photo(double, picture((64, 48)), album="Holiday", desc="small")

    response = double.client.request(
        "POST",
        "/api/friendica/photo/update.json",
        user="alice",
        data={"photo_id": photo["id"], "album": "Holiday", "desc": "bigger", "deny_cid": "", "deny_gid": ""},
        files={"media": ("bigger.png", picture((800, 600)), "image/png")},
    )

    assert response.status_code == 200
    assert response.json()["id"] == photo["id"]
    assert [scale["width"] for scale in response.json()["scales"]] == [800, 640, 320]


def test_photo_update_file_without_desc_fails(double: Double) -> None:
    photo = create_photo(double, picture((64, 48)), album="Holiday")

    response = double.client.request(
        "POST",
        "/api/friendica/photo/update.json",
        user="alice",
        data={"photo_id": photo["id"], "album": "Holiday"},
        files={"media": ("new.png", picture((80, 60)), "image/png")},
    )

    assert response.status_code == 500


def test_photo_delete(double: Double) -> None:
    photo = create_photo(double, picture((400, 300)), album="Holiday")

    deleted = double.client.post("/api/friendica/photo/delete.json", "alice", photo_id=photo["id"])
    again = double.client.post("/api/friendica/photo/delete.json", "alice", photo_id=photo["id"])

    assert deleted.json()["result"] == "deleted"
    assert again.status_code == 400
    assert exception_message(again.text) == "photo not available"
    assert double.client.get(f"/photo/{photo['id']}-0.png").status_code == 404


def test_albums_count_pictures_and_rename(double: Double) -> None:
    create_photo(double, picture((400, 300)), album="Holiday")
    create_photo(double, picture((64, 48)), album="Holiday")

    albums = {
        album["name"]: album["count"]
        for album in double.client.get("/api/friendica/photoalbums.json", "alice").json()
    }
    renamed = double.client.post(
        "/api/friendica/photoalbum/update.json", "alice", album="Holiday", album_new="Vacation"
    ).json()
    after = [album["name"] for album in double.client.get("/api/friendica/photoalbums.json", "alice").json()]

    assert albums == {"Holiday": 2, "test": 1}
    assert renamed["result"] == "updated"
    assert after == ["Vacation", "test"]


def test_album_listing_pages(double: Double) -> None:
    ids = [create_photo(double, picture((64, 48)), album="Paged")["id"] for _ in range(4)]

    def listed(**params: Any) -> list[str]:
        response = double.client.get("/api/friendica/photoalbum.json", "alice", album="Paged", **params)
        return [photo["id"] for photo in response.json()]

    assert listed() == ids
    assert listed(limit=2, offset=1) == ids[1:3]
    assert listed(latest_first="true", limit=1) == ids[-1:]
    assert listed(limit=0) == ids[:1]
    assert double.client.get("/api/friendica/photoalbum.json", "alice").status_code == 400


def test_album_delete(double: Double) -> None:
    create_photo(double, picture((64, 48)), album="Gone")

    deleted = double.client.post("/api/friendica/photoalbum/delete.json", "alice", album="Gone")
    unknown = double.client.post("/api/friendica/photoalbum/delete.json", "alice", album="Gone")

    assert deleted.json()["result"] == "deleted"
    assert unknown.status_code == 400
    assert exception_message(unknown.text) == "album not available"


def test_lists_are_empty_for_erin(double: Double) -> None:
    assert double.client.get("/api/friendica/photos/list.json", "erin").json() == []
    assert double.client.get("/api/friendica/photoalbums.json", "erin").json() == []


# Seeds and test helpers


def test_recording_seed_has_alices_test_picture(double: Double) -> None:
    listed = double.client.get("/api/friendica/photos/list.json", "alice").json()

    assert [(photo["album"], photo["desc"], photo["width"], photo["height"]) for photo in listed] == [
        ("test", "testpic", 40, 30)
    ]
    assert listed[0]["media-id"] == 1


def test_demo_seed_has_picture_posts(demo: Double) -> None:
    labels = demo.seed.statuses
    hike = demo.client.get(
        "/api/statuses/show.json", "alice", id=labels["hike"], include_entities="true"
    ).json()
    viaduct = demo.client.get("/api/statuses/show.json", "alice", id=labels["viaduct"]).json()
    cake_for_bob = demo.client.get("/api/statuses/show.json", "bob", id=labels["private_cake"]).json()
    cake_for_carol = demo.client.get("/api/statuses/show.json", "carol", id=labels["private_cake"])
    daves_albums = [
        album["name"] for album in demo.client.get("/api/friendica/photoalbums.json", "dave").json()
    ]

    assert len(hike["entities"]["media"]) == 2
    assert len(viaduct["attachments"]) == 1
    assert "Trains" in daves_albums
    assert cake_for_bob["friendica_private"] is True
    assert cake_for_carol.status_code == 400
    cake_link = cake_for_bob["attachments"][0]["url"].removeprefix(BASE_URL)
    assert demo.client.get(cake_link).status_code == 404
    assert demo.client.get(cake_link, "bob").status_code == 200


def test_demo_pictures_have_descriptions(demo: Double) -> None:
    listed = demo.client.get("/api/friendica/photos/list.json", "alice").json()
    described = [photo["desc"] for photo in listed if photo["album"] == "Wall Photos"]

    assert len(described) == 3
    assert all(described)


def test_image_comparison_detects_differences() -> None:
    jpeg = picture((100, 80), "JPEG")
    recorded = {"binary": True, "size": len(jpeg), "content_type": "image/jpeg"}

    def answer(content: bytes, content_type: str) -> httpx.Response:
        return httpx.Response(200, content=content, headers={"content-type": content_type})

    assert image_differences("/photo/x-0.jpg", recorded, answer(jpeg, "image/jpeg")) == []
    assert image_differences("/photo/x-0.jpg", recorded, answer(picture((100, 80)), "image/png")) != []
    assert image_differences("/photo/x-0.jpg", recorded, answer(b"broken", "image/jpeg")) != []
    assert (
        image_differences("/photo/x-0.jpg", {**recorded, "size": 100 * len(jpeg)}, answer(jpeg, "image/jpeg"))
        != []
    )
    large = picture((700, 500), "JPEG")
    assert (
        image_differences("/photo/x-2.jpg", {**recorded, "size": len(large)}, answer(large, "image/jpeg"))
        != []
    )

"""Demo seed, web pages, generated images, command line and the shape comparison helper."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from friendica_double.app import build_app
from friendica_double.seed import CREDENTIALS, DEMO_PASSWORD, seed_database

from .support import BASE_URL, Double, DoubleClient, fresh_double, shape_differences


def home(double: Double, user: str, **params: object) -> list[dict[str, Any]]:
    response = double.client.get("/api/statuses/home_timeline.json", user, **params)
    assert response.status_code == 200
    statuses: list[dict[str, Any]] = response.json()
    return statuses


# Demo seed


def test_demo_home_has_two_pages(demo: Double) -> None:
    first = home(demo, "alice")
    second = home(demo, "alice", page=2)
    everything = home(demo, "alice", count=100)

    assert len(everything) >= 30
    assert len(first) == 20
    assert [status["id"] for status in second] == [status["id"] for status in everything[20:40]]


def test_demo_covers_features(demo: Double) -> None:
    statuses = {status["id"]: status for status in home(demo, "alice", count=100, include_entities="true")}
    labels = demo.seed.statuses

    assert statuses[labels["weekend"]]["friendica_title"] == "Weekend plans"
    assert statuses[labels["gateways"]]["entities"]["hashtags"] == [
        {"text": "gateways"},
        {"text": "Friendica"},
    ]
    assert "<strong>bold</strong>" in statuses[labels["markdown"]]["statusnet_html"]
    assert "Grüße aus München" in statuses[labels["german"]]["text"]
    assert "日本語のテストです" in statuses[labels["japanese"]]["text"]
    assert statuses[labels["private_party"]]["friendica_private"] is True
    assert [user["screen_name"] for user in statuses[labels["gateways"]]["friendica_activities"]["like"]] == [
        "bob"
    ]
    assert statuses[labels["weekend_deal"]]["in_reply_to_status_id"] == labels["weekend_alice"]
    assert statuses[labels["weekend_alice"]]["in_reply_to_status_id"] == labels["weekend_bob"]
    assert statuses[labels["carol_release"]]["user"]["screen_name"] == "carol"


def test_demo_share_and_privacy(demo: Double) -> None:
    labels = demo.seed.statuses
    shared = demo.client.get("/api/statuses/show.json", "bob", id=labels["japanese"]).json()
    hidden = demo.client.get("/api/statuses/show.json", "carol", id=labels["private_party"])

    assert [user["screen_name"] for user in shared["friendica_activities"]["announce"]] == ["bob"]
    assert labels["japanese"] in [status["id"] for status in home(demo, "carol", count=100)]
    assert hidden.status_code == 400


def test_demo_erin_has_nothing(demo: Double) -> None:
    assert home(demo, "erin") == []
    assert demo.client.get("/api/friends/ids.json", "erin").json()["ids"] == []


def test_demo_seed_is_deterministic(tmp_path: Path) -> None:
    first = fresh_double(tmp_path / "one", "demo")
    second = fresh_double(tmp_path / "two", "demo")

    first_home = [(status["id"], status["text"]) for status in home(first, "alice", count=100)]
    second_home = [(status["id"], status["text"]) for status in home(second, "alice", count=100)]

    assert first.seed.statuses == second.seed.statuses
    assert first_home == second_home


def test_credentials_log_in(demo: Double) -> None:
    for nickname, password in CREDENTIALS:
        response = demo.client.request(
            "GET", "/api/account/verify_credentials.json", user=nickname, password=password
        )
        assert response.status_code == 200, nickname
        assert response.json()["screen_name"] == nickname
    assert DEMO_PASSWORD == "demo"


def test_seed_users_have_recorded_ids(double: Double) -> None:
    expected = {"alice": 3, "bob": 5, "carol": 8, "dave": 10, "erin": 20}
    for nickname, public_id in expected.items():
        user = double.client.get("/api/users/show.json", "alice", screen_name=nickname).json()
        assert user["id"] == public_id, nickname


# Web pages and images


def read_png(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    start = data.index(b"IDAT") - 4
    idat_length = struct.unpack(">I", data[start : start + 4])[0]
    pixels = zlib.decompress(data[start + 8 : start + 8 + idat_length])
    return width, height, pixels


def test_avatar_is_valid_png(demo: Double) -> None:
    response = demo.client.get("/photo/contact/48/3")

    width, height, pixels = read_png(response.content)

    assert response.headers["content-type"] == "image/png"
    assert (width, height) == (48, 48)
    assert len(pixels) == height * (1 + 3 * width)


def test_avatars_differ_between_people(demo: Double) -> None:
    alice = demo.client.get("/photo/contact/80/3").content
    bob = demo.client.get("/photo/contact/80/5").content

    assert alice != bob


def test_avatar_links_resolve(demo: Double) -> None:
    user = demo.client.get("/api/account/verify_credentials.json", "alice").json()
    path = user["profile_image_url"].removeprefix(BASE_URL)
    banner = user["profile_banner_url"].removeprefix(BASE_URL)

    assert demo.client.get(path).status_code == 200
    assert read_png(demo.client.get(banner).content)[0] > 0


def test_profile_and_display_pages(demo: Double) -> None:
    status = home(demo, "alice")[0]
    profile = demo.client.get("/profile/alice")
    display = demo.client.get(status["external_url"].removeprefix(BASE_URL))

    assert profile.status_code == 200
    assert "Alice Example" in profile.text
    assert display.status_code == 200
    assert status["statusnet_html"].split("<")[0] in display.text


def test_private_post_page_is_hidden(demo: Double) -> None:
    private = demo.client.get(
        "/api/statuses/show.json", "alice", id=demo.seed.statuses["private_party"]
    ).json()

    assert demo.client.get(private["external_url"].removeprefix(BASE_URL)).status_code == 404


def test_links_use_base_url(tmp_path: Path) -> None:
    app_url = "https://social.example.test"
    database = str(tmp_path / "links.sqlite")
    seed_database(database, app_url, mode="recording")

    client = DoubleClient(build_app(database, app_url, seed=False))
    user = client.get("/api/account/verify_credentials.json", "alice").json()

    assert user["url"] == f"{app_url}/profile/alice"
    assert user["profile_image_url"].startswith(f"{app_url}/photo/contact/48/3")
    assert user["status"]["external_url"].startswith(f"{app_url}/display/")


# Entry points


def test_unknown_profile_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown profile 'hubzilla'"):
        build_app(str(tmp_path / "x.sqlite"), BASE_URL, profile="hubzilla")


def test_command_line_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "friendica_double", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    for option in ("--host", "--port", "--database", "--profile", "--no-seed", "--base-url"):
        assert option in result.stdout


# Shape comparison


def test_shapes_detect_type_key_and_order() -> None:
    recorded = {"id": 1, "name": "x", "tags": [{"text": "a"}]}

    assert shape_differences(recorded, {"id": 2, "name": "y", "tags": []}) == []
    assert shape_differences(recorded, {"id": "2", "name": "y", "tags": []}) == [
        "$.id: recorded int, double string"
    ]
    assert shape_differences(recorded, {"name": "y", "id": 2, "tags": []}) != []
    assert shape_differences(recorded, {"id": 2, "name": "y"}) != []
    assert shape_differences(recorded, {"id": 2, "name": "y", "tags": [{"text": 1}]}) != []

"""Media uploads through the gateway: upstream photos, alt text, posting, and bad input."""

from __future__ import annotations

import blurhash
import httpx
import pytest

from gateway.app import build_app
from gateway.settings import Settings
from tests.pictures import picture
from tests.routes.conftest import bearer

pytestmark = pytest.mark.anyio

ALBUM = "Mastodon uploads"


async def album_photos(double_client, username: str = "alice") -> list[dict]:
    response = await double_client.get(
        "/api/friendica/photoalbum.json", params={"album": ALBUM}, auth=(username, "demo")
    )
    return response.json() if response.status_code == 200 else []


async def upload(client, token: str, data: bytes, name: str, mimetype: str, **fields) -> dict:
    response = await client.post(
        "/api/v2/media", files={"file": (name, data, mimetype)}, data=fields, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_upload_becomes_upstream_photo_with_description(client, token_for, double_client):
    token = await token_for()

    attachment = await upload(
        client, token, picture(800, 600, "JPEG"), "beach.jpg", "image/jpeg", description="A beach"
    )

    photos = await album_photos(double_client)
    assert [photo["desc"] for photo in photos] == ["A beach"]
    assert attachment["type"] == "image"
    assert attachment["description"] == "A beach"
    assert attachment["url"].startswith("http://gateway.test/mastogate/pictures/")
    assert attachment["preview_url"] != attachment["url"]
    loaded = await client.get(attachment["url"].removeprefix("http://gateway.test"))
    original = await double_client.get(
        photos[0]["scales"][0]["link"].removeprefix("http://double.test"), auth=("alice", "demo")
    )
    assert loaded.content == original.content
    assert attachment["meta"]["original"] == {
        "width": 800,
        "height": 600,
        "size": "800x600",
        "aspect": 800 / 600,
    }
    assert max(attachment["meta"]["small"]["width"], attachment["meta"]["small"]["height"]) <= 640
    assert len(blurhash.decode(attachment["blurhash"], 4, 3)) == 3
    assert int(attachment["id"]) > 2**40


async def test_unposted_upload_is_private_but_loads_in_the_app(client, token_for, double_client):
    token = await token_for()
    attachment = await upload(client, token, picture(400, 300), "secret.png", "image/png")
    upstream_link = (await album_photos(double_client))[0]["scales"][0]["link"].removeprefix(
        "http://double.test"
    )

    as_owner = await double_client.get(upstream_link, auth=("alice", "demo"))
    as_stranger = await double_client.get(upstream_link)
    in_the_app = await client.get(attachment["preview_url"].removeprefix("http://gateway.test"))

    assert as_owner.status_code == 200
    assert as_stranger.status_code in (403, 404)
    assert in_the_app.status_code == 200
    assert in_the_app.headers["content-type"] == "image/png"


async def test_description_and_focus_update(client, token_for, double_client):
    token = await token_for()
    attachment = await upload(client, token, picture(640, 480), "cat.png", "image/png", description="old")

    updated = await client.put(
        f"/api/v1/media/{attachment['id']}",
        data={"description": "A cat on a mat", "focus": "0.5,-0.25"},
        headers=bearer(token),
    )
    fetched = await client.get(f"/api/v1/media/{attachment['id']}", headers=bearer(token))

    assert updated.status_code == 200
    assert updated.json()["description"] == "A cat on a mat"
    assert updated.json()["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    assert fetched.json() == updated.json()
    assert [photo["desc"] for photo in await album_photos(double_client)] == ["A cat on a mat"]


async def test_post_with_two_pictures_keeps_order_and_alt_text(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    first = await upload(
        client, alice, picture(900, 600, "JPEG"), "one.jpg", "image/jpeg", description="first"
    )
    second = await upload(client, alice, picture(300, 200), "two.png", "image/png", description="second")

    post = await client.post(
        "/api/v1/statuses",
        data={"status": "two pictures", "media_ids[]": [second["id"], first["id"]], "sensitive": "true"},
        headers=bearer(alice),
    )
    seen_by_bob = await client.get(f"/api/v1/statuses/{post.json()['id']}", headers=bearer(bob))

    assert post.status_code == 200, post.text
    attachments = seen_by_bob.json()["media_attachments"]
    assert [attachment["description"] for attachment in attachments] == ["second", "first"]
    assert [attachment["id"] for attachment in attachments] == [second["id"], first["id"]]
    assert attachments[1]["meta"]["original"]["width"] == 900
    assert attachments[0]["blurhash"] == second["blurhash"]
    assert seen_by_bob.json()["sensitive"] is True


async def test_post_with_only_a_picture(client, token_for):
    token = await token_for()
    attachment = await upload(client, token, picture(500, 500), "square.png", "image/png")

    post = await client.post(
        "/api/v1/statuses", json={"media_ids": [attachment["id"]]}, headers=bearer(token)
    )

    assert post.status_code == 200, post.text
    assert [media["id"] for media in post.json()["media_attachments"]] == [attachment["id"]]


async def test_private_post_pictures_use_signed_urls(client, token_for, double_client):
    alice, bob, carol = await token_for("alice"), await token_for("bob"), await token_for("carol")
    attachment = await upload(client, alice, picture(700, 500), "private.png", "image/png")
    post = await client.post(
        "/api/v1/statuses",
        data={"status": "just for followers", "visibility": "private", "media_ids[]": attachment["id"]},
        headers=bearer(alice),
    )

    seen_by_bob = await client.get(f"/api/v1/statuses/{post.json()['id']}", headers=bearer(bob))
    media = seen_by_bob.json()["media_attachments"][0]
    image = await client.get(media["url"].replace("http://gateway.test", ""))
    anonymous_upstream = await double_client.get(attachment["url"].replace("http://double.test", ""))
    as_carol = await client.get(f"/api/v1/statuses/{post.json()['id']}", headers=bearer(carol))

    assert media["url"].startswith("http://gateway.test/mastogate/pictures/")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert anonymous_upstream.status_code in (403, 404)
    assert as_carol.status_code == 404


async def test_someone_elses_media_is_not_found(client, token_for):
    alice, bob = await token_for("alice"), await token_for("bob")
    attachment = await upload(client, alice, picture(100, 100), "mine.png", "image/png")

    shown = await client.get(f"/api/v1/media/{attachment['id']}", headers=bearer(bob))
    deleted = await client.delete(f"/api/v1/media/{attachment['id']}", headers=bearer(bob))
    posted = await client.post(
        "/api/v1/statuses", data={"status": "steal", "media_ids[]": attachment["id"]}, headers=bearer(bob)
    )

    assert shown.status_code == 404
    assert deleted.status_code == 404
    assert posted.status_code == 422


async def test_delete_unattached_upload_removes_the_photo(client, token_for, double_client):
    token = await token_for()
    attachment = await upload(client, token, picture(100, 100), "gone.png", "image/png")

    deleted = await client.delete(f"/api/v1/media/{attachment['id']}", headers=bearer(token))
    again = await client.get(f"/api/v1/media/{attachment['id']}", headers=bearer(token))

    assert deleted.status_code == 200
    assert again.status_code == 404
    assert await album_photos(double_client) == []


async def test_attached_upload_cannot_be_deleted_or_reused(client, token_for):
    token = await token_for()
    attachment = await upload(client, token, picture(100, 100), "used.png", "image/png")
    await client.post(
        "/api/v1/statuses", data={"status": "x", "media_ids[]": attachment["id"]}, headers=bearer(token)
    )

    deleted = await client.delete(f"/api/v1/media/{attachment['id']}", headers=bearer(token))
    reused = await client.post(
        "/api/v1/statuses", data={"status": "y", "media_ids[]": attachment["id"]}, headers=bearer(token)
    )

    assert deleted.status_code == 422
    assert reused.status_code == 422
    assert "already attached" in reused.json()["error"]


@pytest.mark.parametrize(
    ("data", "name", "mimetype", "status", "message"),
    [
        (b"just some text", "notes.txt", "text/plain", 422, "not a picture the server can read"),
        (b"\x00\x00\x00\x18ftypmp42", "clip.mp4", "video/mp4", 422, "pictures only"),
        (b"ID3\x03\x00", "song.mp3", "audio/mpeg", 422, "pictures only"),
        (picture(60, 60)[:40], "broken.png", "image/png", 422, "not a picture the server can read"),
    ],
)
async def test_bad_uploads_are_refused_and_not_stored(
    client, token_for, double_client, data, name, mimetype, status, message
):
    token = await token_for()

    response = await client.post(
        "/api/v2/media", files={"file": (name, data, mimetype)}, headers=bearer(token)
    )

    assert response.status_code == status
    assert message in response.json()["error"]
    assert await album_photos(double_client) == []


async def test_oversized_upload_is_413(client, token_for, double_client):
    token = await token_for()
    huge = b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024 + 10)

    response = await client.post(
        "/api/v2/media", files={"file": ("huge.png", huge, "image/png")}, headers=bearer(token)
    )

    assert response.status_code == 413
    assert await album_photos(double_client) == []


async def test_too_many_pictures_is_422(client, token_for):
    token = await token_for()
    ids = [(await upload(client, token, picture(50, 50), f"p{n}.png", "image/png"))["id"] for n in range(5)]

    response = await client.post(
        "/api/v1/statuses", data={"status": "five", "media_ids[]": ids}, headers=bearer(token)
    )

    assert response.status_code == 422
    assert "at most 4" in response.json()["error"]


async def test_missing_file_and_unknown_media(client, token_for):
    token = await token_for()

    no_file = await client.post("/api/v2/media", data={"description": "nothing"}, headers=bearer(token))
    unknown = await client.get("/api/v1/media/123456", headers=bearer(token))
    bad_focus = await client.post(
        "/api/v2/media",
        files={"file": ("p.png", picture(20, 20), "image/png")},
        data={"focus": "2,0"},
        headers=bearer(token),
    )

    assert no_file.status_code == 422
    assert unknown.status_code == 404
    assert bad_focus.status_code == 422


async def test_albums_extension(client, token_for, double_client):
    token = await token_for()
    await upload(client, token, picture(400, 300), "a.png", "image/png", description="in the album")

    albums = await client.get("/api/v1/friendica/albums", headers=bearer(token))
    photos = await client.get(f"/api/v1/friendica/albums/{ALBUM}/photos", headers=bearer(token))
    renamed = await client.put(
        f"/api/v1/friendica/albums/{ALBUM}", data={"name": "From apps"}, headers=bearer(token)
    )
    gone = await client.get(f"/api/v1/friendica/albums/{ALBUM}/photos", headers=bearer(token))
    deleted = await client.delete("/api/v1/friendica/albums/From apps", headers=bearer(token))

    assert ALBUM in [album["name"] for album in albums.json()]
    assert [photo["description"] for photo in photos.json()] == ["in the album"]
    assert photos.json()[0]["meta"]["original"]["width"] == 400
    assert renamed.json() == {"name": "From apps"}
    assert gone.status_code == 404
    assert deleted.status_code == 200
    upstream_albums = await double_client.get("/api/friendica/photoalbums.json", auth=("alice", "demo"))
    assert "From apps" not in [album["name"] for album in upstream_albums.json()]


async def test_seen_pictures_are_not_fetched_again(double_app, tmp_path):
    """A picture is downloaded once to be described; later pages use what was learned."""
    fetches: list[str] = []
    inner = httpx.ASGITransport(app=double_app)

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.startswith("/photo/"):
                fetches.append(request.url.path)
            return await inner.handle_async_request(request)

    settings = Settings(
        upstream_url="http://double.test",
        public_url="http://gateway.test",
        data_dir=tmp_path / "gw",
        secret_key="k",
    )
    app = build_app(settings, http=httpx.AsyncClient(transport=Counting()))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test") as client,
    ):
        credentials = (
            await client.post(
                "/api/v1/apps", data={"client_name": "c", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
            )
        ).json()
        token = (
            await client.post(
                "/oauth/token",
                data={
                    "grant_type": "password",
                    "client_id": credentials["client_id"],
                    "client_secret": credentials["client_secret"],
                    "username": "bob",
                    "password": "demo",
                },
            )
        ).json()["access_token"]

        first = await client.get("/api/v1/timelines/home", params={"limit": 40}, headers=bearer(token))
        fetched_first = len(fetches)
        second = await client.get("/api/v1/timelines/home", params={"limit": 40}, headers=bearer(token))

    pictures = [media for status in first.json() for media in status["media_attachments"]]
    assert pictures  # the demo seed gives bob's home timeline pictures
    assert fetched_first == len({path for path in fetches})  # each picture fetched once
    assert fetched_first <= len(pictures)
    assert len(fetches) == fetched_first  # the second page fetched nothing
    assert second.json() == first.json()


async def test_picture_with_too_many_pixels_is_refused(client, token_for, double_client):
    token = await token_for()

    response = await client.post(
        "/api/v2/media", files={"file": ("wide.png", picture(5000, 4000), "image/png")}, headers=bearer(token)
    )

    assert response.status_code == 422
    assert "more than the limit of 16,777,216" in response.json()["error"]
    assert await album_photos(double_client) == []


async def test_description_survives_a_stranger_seeing_it_first(client, token_for, double_client):
    """A reader who cannot see a picture's description must not hide it from the owner."""
    erin, bob = await token_for("erin"), await token_for("bob")
    photo = await double_client.post(
        "/api/friendica/photo/create.json",
        data={"album": "Boats", "desc": "Erin's red boat"},
        files={"media": ("boat.png", picture(500, 400), "image/png")},
        auth=("erin", "demo"),
    )
    status = await double_client.post(
        "/api/statuses/update.json",
        data={"status": "My boat", "media_ids": str(photo.json()["media-id"])},
        auth=("erin", "demo"),
    )
    status_id = status.json()["id"]

    first = await client.get(f"/api/v1/statuses/{status_id}", headers=bearer(bob))
    by_owner = await client.get(f"/api/v1/statuses/{status_id}", headers=bearer(erin))

    assert first.status_code == 200
    assert by_owner.json()["media_attachments"][0]["description"] == "Erin's red boat"
    assert (
        by_owner.json()["media_attachments"][0]["blurhash"]
        == first.json()["media_attachments"][0]["blurhash"]
    )


async def test_album_names_with_slashes_and_conflicts(client, token_for, double_client):
    token = await token_for()
    await upload(client, token, picture(200, 200), "a.png", "image/png")

    others = [
        album["name"]
        for album in (await client.get("/api/v1/friendica/albums", headers=bearer(token))).json()
    ]
    existing = next(name for name in others if name != ALBUM)

    renamed = await client.put(
        f"/api/v1/friendica/albums/{ALBUM}", data={"name": "Trips/2026 Äöü"}, headers=bearer(token)
    )
    listed = await client.get(
        "/api/v1/friendica/albums/Trips%2F2026%20%C3%84%C3%B6%C3%BC/photos", headers=bearer(token)
    )
    onto_existing = await client.put(
        "/api/v1/friendica/albums/Trips%2F2026%20%C3%84%C3%B6%C3%BC",
        data={"name": existing},
        headers=bearer(token),
    )
    back = await client.put(
        "/api/v1/friendica/albums/Trips%2F2026%20%C3%84%C3%B6%C3%BC",
        data={"name": ALBUM},
        headers=bearer(token),
    )

    assert renamed.status_code == 200
    assert len(listed.json()) == 1
    assert onto_existing.status_code == 422
    assert back.status_code == 200


async def test_album_photos_page_with_offset(client, token_for):
    token = await token_for()
    for number in range(3):
        await upload(
            client, token, picture(100 + number, 100), f"p{number}.png", "image/png", description=f"n{number}"
        )

    first = await client.get(
        f"/api/v1/friendica/albums/{ALBUM}/photos", params={"limit": 2}, headers=bearer(token)
    )
    second = await client.get(
        f"/api/v1/friendica/albums/{ALBUM}/photos", params={"limit": 2, "offset": 2}, headers=bearer(token)
    )

    assert [photo["description"] for photo in first.json()] == ["n0", "n1"]
    assert "offset=2" in first.headers["link"]
    assert [photo["description"] for photo in second.json()] == ["n2"]
    assert "link" not in second.headers


async def test_deleting_an_album_forgets_its_uploads(client, token_for):
    token = await token_for()
    attachment = await upload(client, token, picture(120, 120), "x.png", "image/png")

    deleted = await client.delete(f"/api/v1/friendica/albums/{ALBUM}", headers=bearer(token))
    fetched = await client.get(f"/api/v1/media/{attachment['id']}", headers=bearer(token))

    assert deleted.status_code == 200
    assert fetched.status_code == 404

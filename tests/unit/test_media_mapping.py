"""Pictures in recorded Friendica statuses, and the MediaAttachment entities built from them."""

from __future__ import annotations

from mappings.friendica import parse_status
from mappings.media import Picture, PictureDetails, attachment_from_picture, pictures_of
from tests.recordings import body

JPEG = "http://127.0.0.1:8088/photo/70716206326b131c2d60ef6264484467-0.jpeg"
PNG = "http://127.0.0.1:8088/photo/32141830936b131c2de2ddd989172389-0.png"


def test_pictures_from_entities_keep_ids_sizes_and_order():
    pictures = pictures_of(parse_status(body("122")))

    assert [picture.url for picture in pictures] == [JPEG, PNG]
    assert [picture.media_id for picture in pictures] == [9, 11]
    assert [(picture.width, picture.height) for picture in pictures] == [(800, 600), (400, 300)]
    assert [picture.resource_id for picture in pictures] == [
        "70716206326b131c2d60ef6264484467",
        "32141830936b131c2de2ddd989172389",
    ]


def test_pictures_from_attachments_without_entities():
    pictures = pictures_of(parse_status(body("121")))

    assert [picture.url for picture in pictures] == [JPEG, PNG]
    assert [picture.mimetype for picture in pictures] == ["image/jpeg", "image/png"]
    assert [picture.size for picture in pictures] == [457053, 2712]
    assert all(picture.media_id is None for picture in pictures)


def test_inline_image_in_html_is_a_picture():
    raw = body("016")
    raw["statusnet_html"] = (
        'Look <img src="http://127.0.0.1:8088/photo/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-0.gif" alt="x">'
    )

    pictures = pictures_of(parse_status(raw))

    assert [picture.mimetype for picture in pictures] == ["image/gif"]
    assert pictures[0].scale_url(2) == "http://127.0.0.1:8088/photo/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-2.gif"


def test_status_without_pictures_has_none():
    assert pictures_of(parse_status(body("016"))) == []


def test_same_picture_in_two_forms_counts_once():
    raw = body("122")
    raw["attachments"] = [{"url": JPEG, "mimetype": "image/jpeg", "size": 1}]

    assert [picture.url for picture in pictures_of(parse_status(raw))] == [JPEG, PNG]


def test_attachment_meta_and_focus():
    picture = Picture(url=JPEG, media_id=9, width=800, height=600)
    details = PictureDetails(description="Beach", blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj", focus=(0.25, -0.5))

    attachment = attachment_from_picture(
        picture, details, attachment_id="9", url=JPEG, preview_url=JPEG.replace("-0.", "-2.")
    ).to_json()

    assert attachment["meta"]["original"] == {
        "width": 800,
        "height": 600,
        "size": "800x600",
        "aspect": 800 / 600,
    }
    assert attachment["meta"]["small"] == {
        "width": 320,
        "height": 240,
        "size": "320x240",
        "aspect": 320 / 240,
    }
    assert attachment["meta"]["focus"] == {"x": 0.25, "y": -0.5}
    assert attachment["description"] == "Beach"
    assert attachment["preview_url"].endswith("-2.jpeg")


def test_attachment_without_known_size_has_no_meta():
    attachment = attachment_from_picture(
        Picture(url="https://remote.example/cat.webp"), None, attachment_id="1", url="u", preview_url="p"
    )

    assert attachment.meta is None
    assert attachment.description is None
    assert attachment.blurhash is None


def test_fallback_ids_are_stable_and_outside_upstream_range():
    picture = Picture(url="https://remote.example/cat.webp")

    assert picture.fallback_id == Picture(url="https://remote.example/cat.webp").fallback_id
    assert int(picture.fallback_id) > 2**40
    assert Picture(url=JPEG, media_id=9).fallback_id == "9"


def test_link_to_a_friendica_photo_is_a_picture():
    raw = body("016")
    raw["statusnet_html"] = (
        f'See <a href="{PNG}">my photo</a> and <a href="https://example.com/x.png">this</a>'
    )

    pictures = pictures_of(parse_status(raw))

    assert [picture.url for picture in pictures] == [PNG]
    assert pictures[0].resource_id == "32141830936b131c2de2ddd989172389"

"""Seeded pictures: drawn with Pillow from fixed shapes, so every seed stores the same bytes.

The recorded server started with one picture, alice's 40x30 "test.png" in
the album "test". The demo adds posts with pictures: alice's public post
with two described pictures, dave's post of a picture from his "Trains"
album, and alice's private post with a picture for bob.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

from . import photos, posts
from .attachments import attachments_for_post
from .context import Site
from .db import Row
from .text import markdown_to_bbcode

# Alice's contact id of bob, as on the recorded server.
ALICE_CONTACT_FOR_BOB = 11


@dataclass(frozen=True)
class SeedPicture:
    """A picture to draw: file name, size, colours of sky and ground, and its description."""

    filename: str
    width: int
    height: int
    sky: tuple[int, int, int]
    ground: tuple[int, int, int]
    description: str = ""

    @property
    def content_type(self) -> str:
        """Return the MIME type implied by the file name."""
        return "image/png" if self.filename.endswith(".png") else "image/jpeg"

    def draw(self) -> bytes:
        """Return the encoded picture: a sky gradient, a sun, a horizon and ground stripes."""
        image = Image.new("RGB", (self.width, self.height), self.sky)
        canvas = ImageDraw.Draw(image)
        horizon = self.height * 3 // 5

        for y in range(horizon):
            shade = y / max(1, horizon - 1)
            colour = tuple(int(channel + (255 - channel) * shade * 0.5) for channel in self.sky)
            canvas.line([(0, y), (self.width, y)], fill=colour)

        radius = self.height // 10
        centre = (self.width * 2 // 3, horizon // 2)
        canvas.ellipse(
            [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
            fill=(255, 236, 170),
        )
        canvas.rectangle([0, horizon, self.width, self.height], fill=self.ground)
        for stripe in range(horizon, self.height, max(4, self.height // 24)):
            canvas.line(
                [(0, stripe), (self.width, stripe + self.height // 40)], fill=(250, 250, 250), width=2
            )

        output = io.BytesIO()
        image.save(output, "PNG" if self.content_type == "image/png" else "JPEG", quality=90)
        return output.getvalue()

    def upload(self) -> photos.Upload:
        """Return the picture as an uploaded file."""
        return photos.Upload(self.filename, self.content_type, self.draw())


TEST_PICTURE = SeedPicture("test.png", 40, 30, (90, 140, 220), (60, 160, 80), "testpic")
HIKE_PICTURES = (
    SeedPicture(
        "lake-sunrise.jpg",
        1200,
        800,
        (240, 150, 80),
        (40, 90, 160),
        "Sunrise over the lake from the east shore",
    ),
    SeedPicture(
        "ridge-path.png",
        900,
        600,
        (120, 180, 240),
        (90, 150, 70),
        "The path up to the ridge, an hour below the top",
    ),
)
VIADUCT_PICTURE = SeedPicture(
    "viaduct.jpg", 1024, 683, (200, 120, 150), (110, 100, 95), "The 06:42 crossing the viaduct at dawn"
)
CAKE_PICTURE = SeedPicture(
    "cake.png", 480, 360, (250, 220, 230), (120, 70, 40), "A chocolate cake with candles"
)


def seed_test_photo(site: Site, created: str) -> None:
    """Store alice's public "test.png" in the album "test", as the recorded server had it."""
    alice = _user(site, "alice")
    photos.upload(
        site,
        alice,
        TEST_PICTURE.upload(),
        album="test",
        acl=posts.Acl(),
        description=TEST_PICTURE.description,
        created=created,
    )


def seed_picture_posts(site: Site, at: Callable[[int], str], day: int) -> dict[str, int]:
    """Create the demo's posts with pictures, ``at(minutes_ago)`` giving their times; return their labels."""
    alice = _user(site, "alice")
    dave = _user(site, "dave")
    statuses = {}

    hike_ids = [
        photos.upload(
            site, alice, picture.upload(), description=picture.description, created=at(2 * day + 710)
        )
        for picture in HIKE_PICTURES
    ]
    statuses["hike"] = _post(
        site,
        alice,
        "Sunday hike: two pictures from the ridge walk. #hiking",
        ",".join(str(uploaded.media_id) for uploaded in hike_ids),
        at(2 * day + 700),
    )

    viaduct = photos.upload(
        site,
        dave,
        VIADUCT_PICTURE.upload(),
        album="Trains",
        acl=posts.Acl(),
        description=VIADUCT_PICTURE.description,
        created=at(2 * day + 660),
    )
    statuses["viaduct"] = _post(
        site,
        dave,
        "From my Trains album: the viaduct at dawn. #trains",
        str(viaduct.media_id),
        at(2 * day + 650),
    )

    cake = photos.upload(
        site, alice, CAKE_PICTURE.upload(), description=CAKE_PICTURE.description, created=at(2 * day + 610)
    )
    statuses["private_cake"] = _post(
        site,
        alice,
        "Psst @bob, this is the cake for Friday 🎂",
        str(cake.media_id),
        at(2 * day + 600),
        posts.Acl(allow_cid=f"<{ALICE_CONTACT_FOR_BOB}>"),
    )
    return statuses


def _post(
    site: Site, author: Row, markdown: str, media_ids: str, created: str, acl: posts.Acl | None = None
) -> int:
    acl = acl if acl is not None else posts.Acl()
    pictures = attachments_for_post(site, author, media_ids, None, acl, created)
    return posts.create_post(
        site,
        author,
        body=markdown_to_bbcode(markdown),
        app="api",
        acl=acl,
        created=created,
        attachments=pictures,
    )


def _user(site: Site, nickname: str) -> Row:
    user = site.store.user_by_nickname(nickname)
    assert user is not None, nickname
    return user

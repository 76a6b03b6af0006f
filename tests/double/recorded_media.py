"""Replaying recorded media calls: stand-in pictures for recorded uploads, photo id translation
and the comparison of image responses.

Recordings keep only the name, content type and size of an uploaded file.
The stand-in is drawn from the name: its colour word and ``WxH`` size (or
the size the recorded photo list shows), with white lines, and a little
noise in JPEG files so that they have a realistic size. Photo resource ids and row
ids differ between the recorded server and the double, so they are learned
from the double's responses and translated in later requests.
"""

from __future__ import annotations

import io
import random
import re
from typing import Any

import httpx
from PIL import Image, ImageDraw, UnidentifiedImageError

COLOURS = {
    "red": (200, 40, 40),
    "green": (40, 160, 60),
    "blue": (40, 80, 200),
    "orange": (240, 140, 30),
}
DEFAULT_COLOUR = (128, 128, 128)
# Sizes of recorded uploads whose file names do not say them, as the recorded photo list shows them.
SIZES_BY_NAME = {"small-red.png": (64, 48)}
DEFAULT_SIZE = (64, 48)
NOISE_WEIGHT = 0.1
# A replayed image may differ this much in byte size from the recorded one: same size class.
SIZE_FACTOR = 4

_SIZE_IN_NAME = re.compile(r"(\d+)x(\d+)")
_PHOTO_PATH = re.compile(r"^/photo/([0-9a-f]{32})(-\d\.\w+)$")
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


def stand_in_picture(filename: str, content_type: str) -> bytes:
    """Draw a picture for a recorded upload: colour and size from the name, white lines on top."""
    match = _SIZE_IN_NAME.search(filename)
    size = (int(match.group(1)), int(match.group(2))) if match else SIZES_BY_NAME.get(filename, DEFAULT_SIZE)
    colour = next((rgb for word, rgb in COLOURS.items() if word in filename), DEFAULT_COLOUR)

    image = Image.new("RGB", size, colour)
    if content_type == "image/jpeg":
        # Photos have grain; seeded noise gives re-encoded JPEG files of the recorded size class.
        noise = Image.frombytes("L", size, random.Random(filename).randbytes(size[0] * size[1]))
        image = Image.blend(image, noise.convert("RGB"), NOISE_WEIGHT)
    canvas = ImageDraw.Draw(image)
    for x in range(0, size[0], 40):
        canvas.line([(x, 0), (size[0] - x, size[1])], fill="white", width=3)

    output = io.BytesIO()
    image.save(output, _PILLOW_FORMATS.get(content_type, "PNG"), quality=85)
    return output.getvalue()


def recorded_files(request: dict[str, Any]) -> dict[str, tuple[str, bytes, str]] | None:
    """Return stand-in files for the multipart parts of a recorded request, or None if it has none."""
    parts = request.get("files")
    if not parts:
        return None
    return {
        field: (
            part["filename"],
            stand_in_picture(part["filename"], part["content_type"]),
            part["content_type"],
        )
        for field, part in parts.items()
    }


class PhotoIds:
    """Recorded photo resource ids and row ids, mapped to the double's."""

    def __init__(self) -> None:
        self.resources: dict[str, str] = {}
        self.rows: dict[int, int] = {}

    def learn(self, path: str, recorded: Any, response: httpx.Response) -> None:
        """Learn ids from the double's response to a call that created or listed photos."""
        if response.status_code != 200 or "json" not in response.headers.get("content-type", ""):
            return
        actual = response.json()
        if "media/upload" in path:
            self.rows[int(recorded["media_id"])] = int(actual["media_id"])
        elif "friendica/photo/create" in path or "friendica/photos/list" in path:
            recorded_photos = recorded if isinstance(recorded, list) else [recorded]
            actual_photos = actual if isinstance(actual, list) else [actual]
            for recorded_photo, actual_photo in zip(recorded_photos, actual_photos, strict=False):
                self._learn_photo(recorded_photo, actual_photo)

    def _learn_photo(self, recorded: dict[str, Any], actual: dict[str, Any]) -> None:
        self.resources[recorded["id"]] = actual["id"]
        self.rows[int(recorded["media-id"])] = int(actual["media-id"])
        for recorded_scale, actual_scale in zip(
            recorded.get("scales", []), actual.get("scales", []), strict=False
        ):
            self.rows[int(recorded_scale["id"])] = int(actual_scale["id"])

    def path(self, path: str) -> str:
        """Translate the resource id in a ``/photo/<resource-id>-<scale>.<ext>`` path."""
        match = _PHOTO_PATH.match(path)
        if match is None:
            return path
        return f"/photo/{self.resources.get(match.group(1), match.group(1))}{match.group(2)}"

    def parameter(self, key: str, value: Any) -> Any:
        """Translate ``photo_id`` and ``media_ids`` values; leave other parameters alone."""
        if key == "photo_id":
            return self.resources.get(str(value), value)
        if key == "media_ids":
            return ",".join(str(self.rows.get(int(part), part)) for part in str(value).split(","))
        return value

    def json_body(self, body: Any) -> Any:
        """Translate ``media_id`` in a raw JSON request body."""
        if isinstance(body, dict) and "media_id" in body:
            return {**body, "media_id": str(self.rows.get(int(body["media_id"]), body["media_id"]))}
        return body


def image_differences(path: str, recorded: dict[str, Any], response: httpx.Response) -> list[str]:
    """Compare an image response with a recorded one: content type, a readable image, a similar size.

    The size class is the recorded byte size within a factor of ``SIZE_FACTOR``,
    because the replayed upload is a stand-in, not the recorded file. A file
    of scale 1 or 2 must also fit 640 or 320 pixels on its long side.
    """
    differences = []
    content_type = response.headers.get("content-type", "")
    if content_type != recorded["content_type"]:
        differences.append(f"content type {content_type!r}, recorded {recorded['content_type']!r}")

    try:
        image = Image.open(io.BytesIO(response.content))
        image.load()
    except (UnidentifiedImageError, OSError) as error:
        return [*differences, f"the body is no readable image: {error}"]
    if image.get_format_mimetype() != recorded["content_type"]:
        differences.append(f"the body is {image.get_format_mimetype()}, recorded {recorded['content_type']}")

    size = len(response.content)
    if not recorded["size"] / SIZE_FACTOR <= size <= recorded["size"] * SIZE_FACTOR:
        differences.append(f"{size} bytes is not in the size class of the recorded {recorded['size']} bytes")

    scale_limits = {"1": 640, "2": 320}
    scale = re.search(r"-(\d)\.\w+$", path)
    limit = scale_limits.get(scale.group(1)) if scale else None
    if limit is not None and max(image.size) > limit:
        differences.append(f"scale {scale.group(1) if scale else '?'} is {image.size}, more than {limit} px")
    return differences

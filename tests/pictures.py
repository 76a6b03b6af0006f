"""Pictures made on the fly for upload tests (no files from elsewhere)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def picture(
    width: int, height: int, image_format: str = "PNG", colour: tuple[int, int, int] = (200, 60, 40)
) -> bytes:
    """Return an image of the given size with a diagonal band, so its blurhash is not flat."""
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, height), (width // 2, 0), (width, 0), (width // 3, height)], fill=(30, 90, 200))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()

"""Reading, scaling and encoding uploaded pictures with Pillow, the way Friendica's Image class does.

Friendica 2024.08 (``src/Object/Image.php``, ``src/Util/Images.php``) decides
the stored format before it looks at the pixels:

- the declared content type wins when it is a supported image type;
- otherwise the type detected from the data, then the one guessed from the
  file name extension;
- an unsupported ``image/*`` type (or none at all) is stored as WebP;
- any other declared type makes the upload invalid.

Data that no decoder can read is invalid whatever its type. Stored pictures
are re-encoded: JPEG and WebP at quality 100 (Friendica's ``jpeg_quality``),
PNG at zlib level 8 (``png_quality``).
"""

from __future__ import annotations

import hashlib
import io
import math
import mimetypes
import warnings
from dataclasses import dataclass

import blurhash
from PIL import Image, ImageOps, UnidentifiedImageError

# Supported MIME types with Pillow's format name and PHP's image_type_to_extension() result.
FORMATS = {
    "image/webp": ("WEBP", ".webp"),
    "image/png": ("PNG", ".png"),
    "image/jpeg": ("JPEG", ".jpeg"),
    "image/gif": ("GIF", ".gif"),
    "image/bmp": ("BMP", ".bmp"),
}
MIME_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/apng": "image/png",
    "image/vnd.mozilla.apng": "image/png",
    "image/x-ms-bmp": "image/bmp",
    "image/x-bmp": "image/bmp",
}
FALLBACK_TYPE = "image/webp"

JPEG_QUALITY = 100
PNG_COMPRESS_LEVEL = 8

# Friendica computes blurhashes on a copy of at most 90 pixels with 9 x 9 components.
BLURHASH_PIXELS = 90
BLURHASH_COMPONENTS = 9
BLURHASH_CACHE_SIZE = 256
_BLURHASHES: dict[str, str] = {}


class InvalidImage(ValueError):
    """Upload data that Friendica would not accept as a picture."""


@dataclass
class Picture:
    """A decoded picture and the MIME type it is stored as."""

    image: Image.Image
    mimetype: str

    @property
    def width(self) -> int:
        """Return the width in pixels."""
        return self.image.width

    @property
    def height(self) -> int:
        """Return the height in pixels."""
        return self.image.height

    @property
    def extension(self) -> str:
        """Return the file extension with its dot, e.g. ``.jpeg``."""
        return FORMATS[self.mimetype][1]

    def encode(self) -> bytes:
        """Encode the picture in its stored format."""
        pillow_format = FORMATS[self.mimetype][0]
        image = self.image
        options: dict[str, object] = {}
        if pillow_format == "JPEG":
            image = image.convert("RGB")
            options["quality"] = JPEG_QUALITY
        elif pillow_format == "WEBP":
            options["quality"] = JPEG_QUALITY
        elif pillow_format == "PNG":
            options["compress_level"] = PNG_COMPRESS_LEVEL
        elif pillow_format == "BMP" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")

        output = io.BytesIO()
        image.save(output, pillow_format, **options)
        return output.getvalue()

    def scaled_down(self, maximum: int) -> Picture:
        """Return a copy scaled like Friendica's Image::scaleDown(), or this picture if it fits."""
        width, height = scaling_dimensions(self.width, self.height, maximum)
        if (width, height) == (self.width, self.height) or not width or not height:
            return self
        return Picture(self.image.resize((width, height), Image.Resampling.LANCZOS), self.mimetype)


def normalise_mimetype(mimetype: str) -> str:
    """Return the MIME type without parameters and with Friendica's aliases resolved."""
    bare = mimetype.split(";", 1)[0].strip().lower()
    return MIME_ALIASES.get(bare, bare)


def is_supported(mimetype: str) -> bool:
    """Return whether pictures of this MIME type are stored in that type."""
    return normalise_mimetype(mimetype) in FORMATS


def extension_for(mimetype: str) -> str:
    """Return the file extension (with its dot) of a stored MIME type, or "" for an unknown one."""
    entry = FORMATS.get(normalise_mimetype(mimetype))
    return entry[1] if entry else ""


def load_picture(data: bytes, declared_type: str, filename: str) -> Picture:
    """Decode upload data and choose its stored type, or raise InvalidImage where Friendica rejects it.

    EXIF orientation is applied. Animated GIF and WebP keep their first frame only.
    """
    mimetype = _stored_type(data, declared_type, filename)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            opened.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise InvalidImage(f"{filename or 'upload'} is not a readable image: {error}") from error
    except Image.DecompressionBombWarning as warning:
        raise InvalidImage(f"{filename or 'upload'} has too many pixels: {warning}") from warning

    # NOTE: Friendica with Imagick keeps animations; the double stores the first frame only.
    image = ImageOps.exif_transpose(opened)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = "A" in image.mode or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    return Picture(image, mimetype)


def _stored_type(data: bytes, declared_type: str, filename: str) -> str:
    declared = normalise_mimetype(declared_type)
    if declared in FORMATS:
        return declared

    detected = _type_from_data(data)
    if detected in FORMATS:
        return detected

    guessed = normalise_mimetype(mimetypes.guess_type(filename)[0] or "") if filename else ""
    if guessed in FORMATS:
        return guessed

    if declared == "" or declared.startswith("image/"):
        return FALLBACK_TYPE
    raise InvalidImage(f"unsupported content type {declared_type!r} for {filename or 'upload'}")


def _type_from_data(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            return normalise_mimetype(probe.get_format_mimetype() or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return ""


def scaling_dimensions(width: int, height: int, maximum: int) -> tuple[int, int]:
    """Return the size that Friendica's Images::getScalingDimensions() gives for ``maximum``.

    The long side becomes ``maximum`` and the other is rounded up. A picture
    taller than 16:9 keeps its height free: only its width is limited, so its
    height can stay above ``maximum``.
    """
    if not width or not height:
        return 0, 0

    very_tall = height * 9 / 16 > width
    if width > maximum and height > maximum:
        if very_tall or width > height:
            return maximum, math.ceil(height * maximum / width)
        return math.ceil(width * maximum / height), maximum

    if width > maximum:
        return maximum, math.ceil(height * maximum / width)
    if height > maximum and not very_tall:
        return math.ceil(width * maximum / height), maximum
    return width, height


def fit_to_file_size(picture: Picture, max_bytes: int) -> Picture:
    """Scale a picture down in Friendica's steps until its encoded size is at most ``max_bytes``.

    Like Photo::resizeToFileSize(), it tries 5120, 2560, 1280, 640 and 320
    pixels on the long side and stops at 320 even if the file is still
    larger. ``max_bytes`` 0 means no limit.
    """
    if not max_bytes:
        return picture

    size = len(picture.encode())
    for pixels in (5120, 2560, 1280, 640, 320):
        if size > max_bytes and max(picture.width, picture.height) > pixels:
            picture = picture.scaled_down(pixels)
            size = len(picture.encode())
    return picture


def blurhash_of(picture: Picture) -> str:
    """Return the blurhash of a picture as Friendica computes it (cached by pixel content)."""
    small = picture.scaled_down(BLURHASH_PIXELS).image.convert("RGB")
    pixels = small.tobytes()
    key = hashlib.sha256(f"{small.width}x{small.height}".encode() + pixels).hexdigest()

    # The pure-Python encoder is slow, and every seeded database stores the same pictures again.
    if key not in _BLURHASHES:
        if len(_BLURHASHES) >= BLURHASH_CACHE_SIZE:
            _BLURHASHES.clear()
        rows = [
            [list(pixels[offset : offset + 3]) for offset in range(start, start + small.width * 3, 3)]
            for start in range(0, len(pixels), small.width * 3)
        ]
        _BLURHASHES[key] = blurhash.encode(rows, BLURHASH_COMPONENTS, BLURHASH_COMPONENTS)
    return _BLURHASHES[key]

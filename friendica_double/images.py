"""Generated PNG images for avatars, profile headers and site logos (no imaging library).

An avatar is a symmetric 5x5 block pattern in a colour derived from a key, so
every person gets a stable, distinct picture.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from functools import lru_cache

MIN_SIZE = 8
MAX_SIZE = 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png(width: int, height: int, pixel_rows: list[bytes]) -> bytes:
    """Encode 8-bit RGB rows (``3 * width`` bytes each) as a PNG file."""
    raw = b"".join(b"\x00" + row for row in pixel_rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


def _colours(key: str) -> tuple[bytes, bytes, list[bool]]:
    digest = hashlib.sha256(key.encode()).digest()
    foreground = bytes((64 + digest[0] % 160, 64 + digest[1] % 160, 64 + digest[2] % 160))
    background = bytes((240, 240, 240))
    cells = [bool(digest[3 + index] & 1) for index in range(15)]
    return foreground, background, cells


@lru_cache(maxsize=128)
def avatar(key: str, size: int) -> bytes:
    """Return a square avatar PNG of ``size`` pixels (clamped to 8..1024) for ``key``."""
    size = max(MIN_SIZE, min(MAX_SIZE, size))
    foreground, background, cells = _colours(key)

    def filled(column: int, row: int) -> bool:
        # Columns 3 and 4 mirror columns 1 and 0.
        mirrored = column if column < 3 else 4 - column
        return cells[mirrored * 5 + row]

    widths = [0] * 5
    for x in range(size):
        widths[min(4, x * 5 // size)] += 1
    grid_rows = [
        b"".join((foreground if filled(column, row) else background) * widths[column] for column in range(5))
        for row in range(5)
    ]
    rows = [grid_rows[min(4, y * 5 // size)] for y in range(size)]
    return png(size, size, rows)


@lru_cache(maxsize=32)
def banner(key: str, width: int = 600, height: int = 200) -> bytes:
    """Return a horizontal gradient PNG in the key's colour (profile headers, site banner)."""
    foreground, _, _ = _colours(key)
    rows = []
    for y in range(height):
        shade = y / max(1, height - 1)
        pixel = bytes(int(channel + (255 - channel) * shade * 0.6) for channel in foreground)
        rows.append(pixel * width)
    return png(width, height, rows)

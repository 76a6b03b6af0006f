"""Pictures in upstream statuses, and the MediaAttachment entities apps show for them.

A Friendica status carries its pictures in up to four forms, depending on
the release and on ``include_entities``: ``entities.media`` (with post-media
ids and the original's size), ``attachments`` (URL, type and byte size),
``<img>`` tags in the HTML (from ``[img]`` BBCode), and links to
``/photo/<resource-id>-<scale>.<ext>``. Each picture is found once, whatever
the form, and described by the details the gateway gathered about it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mappings.entities import MediaAttachment
from mappings.friendica import FriendicaStatus
from mappings.html import Element, parse_fragment

# /photo/91754560416b131c3b32847660022029-0.jpeg: resource id, scale, extension.
_PHOTO_PATH = re.compile(r"/photo/([0-9a-f]{32})-(\d)\.+([A-Za-z0-9]+)$")

IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}

# Friendica's scales: 0 is the original, 1 fits in 640 px, 2 in 320 px.
PREVIEW_SCALE = 2
PREVIEW_SIDE = 320


@dataclass(frozen=True)
class Picture:
    """One picture of a status, as the upstream reports it."""

    url: str
    media_id: int | None = None
    mimetype: str = ""
    width: int | None = None
    height: int | None = None
    size: int | None = None

    @property
    def key(self) -> str:
        """Return what tells this picture apart: its photo resource id, else its URL."""
        return self.resource_id or self.url

    @property
    def fallback_id(self) -> str:
        """Return an id for a picture the caller gave none: the upstream's, else one made from the URL."""
        if self.media_id is not None:
            return str(self.media_id)
        digest = int(hashlib.sha256(self.url.encode()).hexdigest()[:11], 16)
        return str((1 << 44) | digest)

    @property
    def resource_id(self) -> str | None:
        match = _PHOTO_PATH.search(self.url.split("?", 1)[0])
        return match.group(1) if match else None

    def scale_url(self, scale: int) -> str | None:
        """Return the URL of another scale of a Friendica photo, or None for other pictures."""
        path = self.url.split("?", 1)[0]
        match = _PHOTO_PATH.search(path)
        if match is None:
            return None
        return f"{path[: match.start()]}/photo/{match.group(1)}-{scale}.{match.group(3)}"


@dataclass(frozen=True)
class PictureDetails:
    """What the gateway learned about a picture beyond what the status says."""

    description: str | None = None
    width: int | None = None
    height: int | None = None
    preview_width: int | None = None
    preview_height: int | None = None
    preview_url: str | None = None
    blurhash: str | None = None
    focus: tuple[float, float] | None = None


def _largest_size(sizes: Any) -> tuple[int | None, int | None]:
    if not isinstance(sizes, dict):
        return None, None
    measured = [
        (size["w"], size["h"])
        for size in sizes.values()
        if isinstance(size, dict) and isinstance(size.get("w"), int) and isinstance(size.get("h"), int)
    ]
    return max(measured) if measured else (None, None)


def _mimetype_of(url: str) -> str:
    extension = url.split("?", 1)[0].rsplit(".", 1)[-1].lower()
    return IMAGE_TYPES.get(extension, "")


def _image_sources(nodes: Iterable[Any]) -> list[str]:
    """Return the pictures an HTML body shows: ``<img>`` sources and links to Friendica photos."""
    sources: list[str] = []
    for node in nodes:
        if isinstance(node, Element):
            if node.tag == "img" and node.attrs.get("src"):
                sources.append(node.attrs["src"])
            elif node.tag == "a" and _PHOTO_PATH.search(node.attrs.get("href", "").split("?", 1)[0]):
                sources.append(node.attrs["href"])
            sources.extend(_image_sources(node.children))
    return sources


def pictures_of(status: FriendicaStatus) -> list[Picture]:
    """Return the pictures of a status in the upstream's order, each only once."""
    pictures: list[Picture] = []
    seen: set[str] = set()

    def add(picture: Picture) -> None:
        if picture.url and picture.key not in seen:
            seen.add(picture.key)
            pictures.append(picture)

    if status.entities is not None:
        for media in status.entities.media:
            if media.get("type", "photo") != "photo" or not media.get("media_url"):
                continue
            width, height = _largest_size(media.get("sizes"))
            media_id = media.get("id")
            add(
                Picture(
                    url=str(media["media_url"]),
                    media_id=int(media_id)
                    if isinstance(media_id, int | str) and str(media_id).isdigit()
                    else None,
                    mimetype=_mimetype_of(str(media["media_url"])),
                    width=width,
                    height=height,
                )
            )
    for attachment in status.attachments or []:
        if attachment.mimetype.startswith("image/"):
            add(Picture(url=attachment.url, mimetype=attachment.mimetype, size=attachment.size or None))
    for source in _image_sources(parse_fragment(status.statusnet_html)):
        add(Picture(url=source, mimetype=_mimetype_of(source)))
    return pictures


def _dimensions(width: int | None, height: int | None) -> dict[str, Any] | None:
    if not width or not height:
        return None
    return {"width": width, "height": height, "size": f"{width}x{height}", "aspect": width / height}


def _fit(width: int | None, height: int | None, side: int) -> tuple[int | None, int | None]:
    """Return the size of a picture scaled down to fit in a square of ``side`` pixels."""
    if not width or not height or max(width, height) <= side:
        return width, height
    factor = side / max(width, height)
    return max(1, round(width * factor)), max(1, round(height * factor))


def attachment_from_picture(
    picture: Picture,
    details: PictureDetails | None,
    *,
    attachment_id: str,
    url: str,
    preview_url: str,
    remote_url: str | None = None,
) -> MediaAttachment:
    """Build the MediaAttachment for a picture.

    ``url`` and ``preview_url`` are where apps load the picture: the
    upstream's own URLs for public posts, the gateway's signed URLs for
    private ones.
    """
    details = details or PictureDetails()
    width, height = details.width or picture.width, details.height or picture.height
    preview_width: int | None = details.preview_width
    preview_height: int | None = details.preview_height
    if not preview_width or not preview_height:
        preview_width, preview_height = _fit(width, height, PREVIEW_SIDE)

    meta: dict[str, Any] = {}
    original = _dimensions(width, height)
    small = _dimensions(preview_width, preview_height)
    if original:
        meta["original"] = original
    if small:
        meta["small"] = small
    if details.focus is not None:
        meta["focus"] = {"x": details.focus[0], "y": details.focus[1]}

    return MediaAttachment(
        id=attachment_id,
        type="image",
        url=url,
        preview_url=preview_url,
        remote_url=remote_url,
        meta=meta or None,
        description=details.description or None,
        blurhash=details.blurhash,
    )

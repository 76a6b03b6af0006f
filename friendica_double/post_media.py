"""Pictures attached to posts (Friendica's ``post-media`` rows) and how statuses show them.

Friendica 2024.08 keeps attachments out of the stored body. The Twitter API
shows them three ways:

- ``text`` gets one BBCode element per picture appended before it is turned
  into plain text: ``[url=ORIGINAL][img=PREVIEW]description[/img][/url]``, or
  ``[img=ORIGINAL]description[/img]`` for a picture without a preview. The
  plain text therefore lists the preview URLs where the pictures are and the
  original URLs at the end with the other link targets;
- without ``include_entities``: ``attachments`` = ``[{url, mimetype, size}]``;
- with it: ``entities.media`` (and ``extended_entities.media``) with the
  post-media id and a ``/photo/media/<id>`` link, while ``attachments`` is null.

``statusnet_html`` and ``friendica_html`` show the body only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .db import Row, Store

# Post-media type numbers as Friendica defines them (only pictures are stored by the double).
IMAGE = 1

# Sizes of Twitter media entities: the largest class whose limit both sides fit.
SIZE_CLASSES = (("small", 680), ("medium", 1200))
LARGE = "large"

_URL_ELEMENT = re.compile(r"\[url=[^\[\]]*\](.*?)\[/url\]", re.IGNORECASE | re.DOTALL)
_PHOTO_SCALE = re.compile(r"(/photo/.*)-[012]\.", re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    """A picture to attach to a post: the original's link and data, and an optional preview."""

    url: str
    mimetype: str
    size: int
    name: str
    description: str
    width: int
    height: int
    preview: str = ""
    preview_width: int = 0
    preview_height: int = 0
    blurhash: str = ""


def store_attachments(store: Store, uri_id: int, attachments: Sequence[Attachment]) -> None:
    """Store attachments of an item in order, skipping a URL that is already attached to it."""
    for attachment in attachments:
        store.execute(
            "INSERT OR IGNORE INTO post_media (uri_id, type, url, mimetype, size, name, description, "
            "width, height, preview, preview_width, preview_height, blurhash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                uri_id,
                IMAGE,
                attachment.url,
                attachment.mimetype,
                attachment.size,
                attachment.name,
                attachment.description,
                attachment.width,
                attachment.height,
                attachment.preview,
                attachment.preview_width,
                attachment.preview_height,
                attachment.blurhash,
            ],
        )


def media_of(store: Store, uri_id: int) -> list[Row]:
    """Return the post-media rows of an item in the order they were attached."""
    return store.query("SELECT * FROM post_media WHERE uri_id = ? ORDER BY id", [uri_id])


def media_row(store: Store, media_id: int) -> Row | None:
    """Return one post-media row by id."""
    return store.one("SELECT * FROM post_media WHERE id = ?", [media_id])


def body_with_attachments(body: str, media: Sequence[Row]) -> str:
    """Append a BBCode element per picture to a body, like Post\\Media::addAttachmentsToBody().

    A picture whose link the body already contains is not added again.
    """
    for row in media:
        if _contains_link(body, row["preview"] or row["url"]):
            continue
        if row["preview"]:
            body += f"\n[url={row['url']}][img={row['preview']}]{row['description']}[/img][/url]"
        else:
            body += f"\n[img={row['url']}]{row['description']}[/img]"
    return body


def _contains_link(body: str, url: str) -> bool:
    """Tell whether a body shows a link, like Friendica's Item::containsLink() for pictures.

    Link targets of ``[url=…]`` do not count, any scale of the same photo does.
    As in Friendica, a link at the very start of the body is missed.
    """
    parts = urlsplit(url)
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    body = _URL_ELEMENT.sub(r" \1 ", body)
    if body.find(url) > 0:
        return True

    for scale in "012":
        if re.search(rf"/photo/.*-{scale}\.", url, re.IGNORECASE):
            normalised = _PHOTO_SCALE.sub(rf"\g<1>-{scale}.", body)
            if normalised.find(url) > 0:
                return True
    return False


def twitter_attachment(row: Row) -> dict[str, Any]:
    """Return the ``attachments`` element of a picture (mimetype and size only when known)."""
    attachment: dict[str, Any] = {"url": row["url"]}
    if row["mimetype"]:
        attachment["mimetype"] = row["mimetype"]
    if row["size"]:
        attachment["size"] = row["size"]
    return attachment


def twitter_media_entity(row: Row, base_url: str) -> dict[str, Any]:
    """Return the ``entities.media`` element of a picture, keys in Friendica's alphabetical order."""
    entity: dict[str, Any] = {
        "display_url": row["url"],
        "expanded_url": row["url"],
        "id": row["id"],
        "id_str": str(row["id"]),
        "media_url": row["url"],
        "media_url_https": row["url"],
    }
    if row["width"] and row["height"]:
        entity["sizes"] = {
            size_class(row["width"], row["height"]): {
                "h": row["height"],
                "resize": "fit",
                "w": row["width"],
            }
        }
    entity["type"] = "photo"
    entity["url"] = media_url(base_url, row["id"])
    return entity


def size_class(width: int, height: int) -> str:
    """Return Twitter's size name for a picture: small up to 680 px, medium up to 1200 px, else large."""
    for name, limit in SIZE_CLASSES:
        if width <= limit and height <= limit:
            return name
    return LARGE


def media_url(base_url: str, media_id: int) -> str:
    """Return the ``/photo/media/<id>`` link of a post-media row."""
    return f"{base_url}/photo/media/{media_id}"

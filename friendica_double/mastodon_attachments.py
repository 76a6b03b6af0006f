"""The ``media_attachments`` of Mastodon statuses, built from post-media rows like Friendica 2024.08.

Friendica's Attachment factory links a picture through its post-media id:
``url`` is ``/photo/preview/<id>`` (the preview scale when the attachment
has one, else the picture) and ``preview_url`` is ``/photo/preview/640/<id>``.
``remote_url`` and ``text_url`` carry the picture's own ``/photo/...`` link.
``description`` is the text the photo had when it was attached: editing the
photo later does not change it. ``meta`` gives the sizes of the picture
(``original``) and of its preview (``small``). A GIF is typed ``gifv`` and
then, as in Friendica, linked directly and sent without ``meta``.
"""

from __future__ import annotations

from typing import Any

from .db import Row, Store
from .post_media import media_of

PREVIEW_PIXELS = 640


def media_attachments(store: Store, base_url: str, uri_id: int) -> list[dict[str, Any]]:
    """Return the Mastodon attachments of an item in the order they were attached."""
    return [attachment(row, base_url) for row in media_of(store, uri_id)]


def attachment(row: Row, base_url: str) -> dict[str, Any]:
    """Return the Mastodon Attachment of one post-media row (the double stores pictures only)."""
    mimetype = (row["mimetype"] or "").lower()
    kind = "gifv" if mimetype == "image/gif" else "image"
    preview_url = f"{base_url}/photo/preview/{PREVIEW_PIXELS}/{row['id']}"
    if kind == "image":
        url = f"{base_url}/photo/preview/{row['id']}"
    else:
        # Friendica links other kinds directly and gives them a preview only when one is stored.
        url = row["url"]
        preview_url = preview_url if row["preview"] else ""

    return {
        "id": str(row["id"]),
        "type": kind,
        "url": url,
        "preview_url": preview_url,
        "remote_url": row["url"] or None,
        "text_url": row["url"],
        "description": row["description"],
        "blurhash": row["blurhash"] or None,
        "meta": _meta(row) if kind == "image" else None,
    }


def _meta(row: Row) -> dict[str, Any] | None:
    """Return the sizes block, or None when the picture's size is unknown."""
    meta: dict[str, Any] = {}
    if row["width"] > 0 and row["height"] > 0:
        meta["original"] = _size(row["width"], row["height"])
    if row["preview_width"] > 0 and row["preview_height"] > 0:
        meta["small"] = _size(row["preview_width"], row["preview_height"])
    return meta or None


def _size(width: int, height: int) -> dict[str, Any]:
    return {"width": width, "height": height, "size": f"{width}x{height}", "aspect": width / height}

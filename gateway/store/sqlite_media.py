"""The SQLite tables for uploaded media, picture details, signed picture URLs and status flags."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from gateway.store.base import CachedPicture, MediaGrant, MediaRecord
from gateway.store.sqlite_support import mint_in_transaction
from mappings.media import PictureDetails

T = TypeVar("T")

MEDIA_SCHEMA = """
CREATE TABLE IF NOT EXISTS media (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    resource_id TEXT NOT NULL UNIQUE,
    photo_id INTEGER NOT NULL,
    mimetype TEXT NOT NULL,
    url TEXT NOT NULL,
    preview_url TEXT NOT NULL,
    description TEXT,
    focus_x REAL,
    focus_y REAL,
    width INTEGER,
    height INTEGER,
    preview_width INTEGER,
    preview_height INTEGER,
    blurhash TEXT,
    status_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pictures (
    key TEXT PRIMARY KEY,
    description TEXT,
    width INTEGER,
    height INTEGER,
    preview_url TEXT,
    preview_width INTEGER,
    preview_height INTEGER,
    blurhash TEXT,
    description_checked_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS media_grants (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    credential_blob BLOB NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS status_flags (
    status_id INTEGER PRIMARY KEY,
    sensitive INTEGER NOT NULL DEFAULT 0
);
"""

_MEDIA_COLUMNS = (
    "id, scope, resource_id, photo_id, mimetype, url, preview_url, description, focus_x, focus_y,"
    " width, height, preview_width, preview_height, blurhash, status_id, created_at"
)


def _media_from_row(row: sqlite3.Row) -> MediaRecord:
    focus = (row["focus_x"], row["focus_y"]) if row["focus_x"] is not None else None
    return MediaRecord(
        id=row["id"],
        scope=row["scope"],
        resource_id=row["resource_id"],
        photo_id=row["photo_id"],
        mimetype=row["mimetype"],
        url=row["url"],
        preview_url=row["preview_url"],
        description=row["description"],
        focus=focus,
        width=row["width"],
        height=row["height"],
        preview_width=row["preview_width"],
        preview_height=row["preview_height"],
        blurhash=row["blurhash"],
        status_id=row["status_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


def add_missing_columns(connection: sqlite3.Connection) -> None:
    """Bring a database made by an earlier version up to MEDIA_SCHEMA."""
    columns = {row["name"] for row in connection.execute("PRAGMA table_info(pictures)")}
    if "description_checked_at" not in columns:
        connection.execute("ALTER TABLE pictures ADD COLUMN description_checked_at TEXT")


class MediaTables:
    """Store methods for media; mixed into SQLiteStore, which provides ``_run`` and ``_transaction``."""

    _run: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]
    _transaction: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]

    async def create_media(self, record: MediaRecord) -> MediaRecord:
        """Store an upload under a new time-ordered id and return it with that id."""

        def insert(connection: sqlite3.Connection) -> int:
            media_id = mint_in_transaction(
                connection, "media", record.scope, record.resource_id, record.created_at
            )
            connection.execute(
                f"INSERT INTO media ({_MEDIA_COLUMNS}) VALUES ({', '.join('?' * 17)})",
                (
                    media_id,
                    record.scope,
                    record.resource_id,
                    record.photo_id,
                    record.mimetype,
                    record.url,
                    record.preview_url,
                    record.description,
                    record.focus[0] if record.focus else None,
                    record.focus[1] if record.focus else None,
                    record.width,
                    record.height,
                    record.preview_width,
                    record.preview_height,
                    record.blurhash,
                    record.status_id,
                    record.created_at.isoformat(),
                ),
            )
            return media_id

        media_id = await self._transaction(insert)
        return MediaRecord(**{**record.__dict__, "id": media_id})

    async def get_media(self, media_id: int) -> MediaRecord | None:
        row = await self._run(
            lambda c: c.execute(f"SELECT {_MEDIA_COLUMNS} FROM media WHERE id = ?", (media_id,)).fetchone()
        )
        return None if row is None else _media_from_row(row)

    async def media_by_resource(self, resource_ids: list[str]) -> dict[str, MediaRecord]:
        if not resource_ids:
            return {}
        marks = ",".join("?" * len(resource_ids))
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT {_MEDIA_COLUMNS} FROM media WHERE resource_id IN ({marks})", tuple(resource_ids)
            ).fetchall()
        )
        return {row["resource_id"]: _media_from_row(row) for row in rows}

    async def update_media(
        self, media_id: int, *, description: str | None, focus: tuple[float, float] | None
    ) -> None:
        await self._run(
            lambda c: c.execute(
                "UPDATE media SET description = ?, focus_x = ?, focus_y = ? WHERE id = ?",
                (description, focus[0] if focus else None, focus[1] if focus else None, media_id),
            )
        )

    async def attach_media(self, media_ids: list[int], status_id: int) -> None:
        marks = ",".join("?" * len(media_ids))
        await self._run(
            lambda c: c.execute(
                f"UPDATE media SET status_id = ? WHERE id IN ({marks})", (status_id, *media_ids)
            )
        )

    async def relocate_media(
        self,
        media_id: int,
        *,
        resource_id: str,
        url: str,
        preview_url: str,
        preview_width: int | None,
        preview_height: int | None,
    ) -> None:
        await self._run(
            lambda c: c.execute(
                "UPDATE media SET resource_id = ?, url = ?, preview_url = ?, preview_width = ?,"
                " preview_height = ? WHERE id = ?",
                (resource_id, url, preview_url, preview_width, preview_height, media_id),
            )
        )

    async def unattached_media(self, scope: str, *, older_than: datetime) -> list[MediaRecord]:
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT {_MEDIA_COLUMNS} FROM media"
                " WHERE scope = ? AND status_id IS NULL AND created_at < ?",
                (scope, older_than.isoformat()),
            ).fetchall()
        )
        return [_media_from_row(row) for row in rows]

    async def delete_media(self, media_id: int) -> None:
        await self._run(lambda c: c.execute("DELETE FROM media WHERE id = ?", (media_id,)))

    async def picture_details(self, keys: list[str]) -> dict[str, CachedPicture]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = await self._run(
            lambda c: c.execute(f"SELECT * FROM pictures WHERE key IN ({marks})", tuple(keys)).fetchall()
        )
        return {
            row["key"]: CachedPicture(
                details=PictureDetails(
                    description=row["description"],
                    width=row["width"],
                    height=row["height"],
                    preview_url=row["preview_url"],
                    preview_width=row["preview_width"],
                    preview_height=row["preview_height"],
                    blurhash=row["blurhash"],
                ),
                description_checked_at=(
                    datetime.fromisoformat(row["description_checked_at"])
                    if row["description_checked_at"]
                    else None
                ),
            )
            for row in rows
        }

    async def save_picture_details(self, key: str, picture: CachedPicture, now: datetime) -> None:
        details = picture.details
        checked = picture.description_checked_at
        await self._run(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO pictures (key, description, width, height, preview_url,"
                " preview_width, preview_height, blurhash, description_checked_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    details.description,
                    details.width,
                    details.height,
                    details.preview_url,
                    details.preview_width,
                    details.preview_height,
                    details.blurhash,
                    checked.isoformat() if checked else None,
                    now.isoformat(),
                ),
            )
        )

    async def create_media_grant(self, grant: MediaGrant) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT INTO media_grants (id, url, credential_blob, expires_at) VALUES (?, ?, ?, ?)",
                (grant.id, grant.url, grant.credential_blob, grant.expires_at.isoformat()),
            )
        )

    async def get_media_grant(self, grant_id: str, now: datetime) -> MediaGrant | None:
        def read(connection: sqlite3.Connection) -> sqlite3.Row | None:
            connection.execute("DELETE FROM media_grants WHERE expires_at < ?", (now.isoformat(),))
            row: sqlite3.Row | None = connection.execute(
                "SELECT * FROM media_grants WHERE id = ?", (grant_id,)
            ).fetchone()
            return row

        row = await self._transaction(read)
        if row is None:
            return None
        return MediaGrant(
            id=row["id"],
            url=row["url"],
            credential_blob=row["credential_blob"],
            expires_at=datetime.fromisoformat(row["expires_at"]),
        )

    async def mark_sensitive(self, status_id: int) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO status_flags (status_id, sensitive) VALUES (?, 1)", (status_id,)
            )
        )

    async def sensitive_statuses(self, status_ids: list[int]) -> frozenset[int]:
        if not status_ids:
            return frozenset()
        marks = ",".join("?" * len(status_ids))
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT status_id FROM status_flags WHERE sensitive = 1 AND status_id IN ({marks})",
                tuple(status_ids),
            ).fetchall()
        )
        return frozenset(int(row["status_id"]) for row in rows)

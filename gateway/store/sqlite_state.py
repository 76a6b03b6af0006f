"""The SQLite tables for what Mastodon keeps per person and Friendica does not.

Markers (read positions), bookmarks, filters with their keywords and
statuses, and muted threads.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from gateway.store.base import BookmarkRecord, FilterRecord, Marker
from gateway.store.sqlite_support import insert_unique_id

STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS markers (
    scope TEXT NOT NULL,
    timeline TEXT NOT NULL,
    last_read_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, timeline)
);
CREATE TABLE IF NOT EXISTS bookmarks (
    scope TEXT NOT NULL,
    status_id INTEGER NOT NULL,
    bookmark_id INTEGER NOT NULL UNIQUE,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (scope, status_id)
);
CREATE INDEX IF NOT EXISTS bookmarks_by_id ON bookmarks (scope, bookmark_id);
CREATE TABLE IF NOT EXISTS filters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    title TEXT NOT NULL,
    context TEXT NOT NULL,
    action TEXT NOT NULL,
    expires_at TEXT
);
CREATE TABLE IF NOT EXISTS filter_keywords (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    filter_id INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
    keyword TEXT NOT NULL,
    whole_word INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS filter_statuses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    filter_id INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
    status_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS muted_threads (
    scope TEXT NOT NULL,
    thread_id INTEGER NOT NULL,
    PRIMARY KEY (scope, thread_id)
);
"""


class StateTables:
    """Store methods for per-person state, mixed into SQLiteStore (which provides ``_run``)."""

    _run: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]
    _transaction: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]

    # Markers

    async def markers(self, scope: str, timelines: list[str]) -> dict[str, Marker]:
        marks = ",".join("?" * len(timelines))
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT * FROM markers WHERE scope = ? AND timeline IN ({marks})", (scope, *timelines)
            ).fetchall()
        )
        return {
            row["timeline"]: Marker(
                timeline=row["timeline"],
                last_read_id=row["last_read_id"],
                version=row["version"],
                updated_at=datetime.fromisoformat(row["updated_at"]),
            )
            for row in rows
        }

    async def save_marker(self, scope: str, timeline: str, last_read_id: str, now: datetime) -> Marker:
        """Store a read position; the version counts the saves, as Mastodon's does."""

        def save(connection: sqlite3.Connection) -> int:
            row = connection.execute(
                "SELECT version FROM markers WHERE scope = ? AND timeline = ?", (scope, timeline)
            ).fetchone()
            version = (row["version"] + 1) if row else 0
            connection.execute(
                "INSERT OR REPLACE INTO markers (scope, timeline, last_read_id, version, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (scope, timeline, last_read_id, version, now.isoformat()),
            )
            return version

        version = await self._transaction(save)
        return Marker(timeline=timeline, last_read_id=last_read_id, version=version, updated_at=now)

    # Bookmarks

    async def add_bookmark(self, scope: str, status_id: int, snapshot: str, now: datetime) -> None:
        def add(connection: sqlite3.Connection) -> None:
            updated = connection.execute(
                "UPDATE bookmarks SET snapshot = ? WHERE scope = ? AND status_id = ?",
                (snapshot, scope, status_id),
            )
            if updated.rowcount:
                return
            insert_unique_id(
                connection,
                now,
                "bookmarks.bookmark_id",
                "INSERT INTO bookmarks (scope, status_id, bookmark_id, snapshot) VALUES (?, ?, ?, ?)",
                lambda minted: (scope, status_id, minted, snapshot),
            )

        await self._transaction(add)

    async def remove_bookmark(self, scope: str, status_id: int) -> None:
        await self._run(
            lambda c: c.execute("DELETE FROM bookmarks WHERE scope = ? AND status_id = ?", (scope, status_id))
        )

    async def refresh_bookmarks(self, scope: str, snapshots: dict[int, str]) -> None:
        """Replace the stored copies of bookmarked statuses that a page just showed."""

        def refresh(connection: sqlite3.Connection) -> None:
            for status_id, snapshot in snapshots.items():
                connection.execute(
                    "UPDATE bookmarks SET snapshot = ? WHERE scope = ? AND status_id = ?",
                    (snapshot, scope, status_id),
                )

        await self._transaction(refresh)

    async def bookmarked(self, scope: str, status_ids: list[int]) -> frozenset[int]:
        if not status_ids:
            return frozenset()
        marks = ",".join("?" * len(status_ids))
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT status_id FROM bookmarks WHERE scope = ? AND status_id IN ({marks})",
                (scope, *status_ids),
            ).fetchall()
        )
        return frozenset(int(row["status_id"]) for row in rows)

    async def list_bookmarks(
        self, scope: str, *, max_id: int | None, since_id: int | None, min_id: int | None, limit: int
    ) -> list[BookmarkRecord]:
        conditions: list[str] = ["scope = ?"]
        arguments: list[Any] = [scope]
        if max_id is not None:
            conditions.append("bookmark_id < ?")
            arguments.append(max_id)
        lower = min_id if min_id is not None else since_id
        if lower is not None:
            conditions.append("bookmark_id > ?")
            arguments.append(lower)
        order = "ASC" if min_id is not None else "DESC"
        query = (
            f"SELECT * FROM bookmarks WHERE {' AND '.join(conditions)} ORDER BY bookmark_id {order} LIMIT ?"
        )
        rows = await self._run(lambda c: c.execute(query, (*arguments, limit)).fetchall())
        records = [
            BookmarkRecord(int(row["bookmark_id"]), int(row["status_id"]), row["snapshot"]) for row in rows
        ]
        return sorted(records, key=lambda record: record.bookmark_id, reverse=True)

    # Filters

    async def create_filter(self, scope: str, record: FilterRecord) -> FilterRecord:
        def create(connection: sqlite3.Connection) -> int:
            cursor = connection.execute(
                "INSERT INTO filters (scope, title, context, action, expires_at) VALUES (?, ?, ?, ?, ?)",
                (
                    scope,
                    record.title,
                    json.dumps(list(record.context)),
                    record.action,
                    _iso(record.expires_at),
                ),
            )
            filter_id = int(cursor.lastrowid or 0)
            for keyword, whole_word in record.keywords:
                connection.execute(
                    "INSERT INTO filter_keywords (filter_id, keyword, whole_word) VALUES (?, ?, ?)",
                    (filter_id, keyword, int(whole_word)),
                )
            return filter_id

        filter_id = await self._transaction(create)
        return (await self.filters(scope, filter_id=filter_id))[0]

    async def filters(self, scope: str, *, filter_id: int | None = None) -> list[FilterRecord]:
        def read(connection: sqlite3.Connection) -> list[FilterRecord]:
            if filter_id is None:
                rows = connection.execute(
                    "SELECT * FROM filters WHERE scope = ? ORDER BY id", (scope,)
                ).fetchall()
            else:
                rows = connection.execute(
                    "SELECT * FROM filters WHERE scope = ? AND id = ?", (scope, filter_id)
                ).fetchall()
            records = []
            for row in rows:
                keywords = connection.execute(
                    "SELECT id, keyword, whole_word FROM filter_keywords WHERE filter_id = ? ORDER BY id",
                    (row["id"],),
                ).fetchall()
                statuses = connection.execute(
                    "SELECT id, status_id FROM filter_statuses WHERE filter_id = ? ORDER BY id", (row["id"],)
                ).fetchall()
                records.append(
                    FilterRecord(
                        id=int(row["id"]),
                        title=row["title"],
                        context=tuple(json.loads(row["context"])),
                        action=row["action"],
                        expires_at=datetime.fromisoformat(row["expires_at"]) if row["expires_at"] else None,
                        keywords=tuple(
                            (keyword["keyword"], bool(keyword["whole_word"])) for keyword in keywords
                        ),
                        keyword_ids=tuple(int(keyword["id"]) for keyword in keywords),
                        statuses=tuple((int(status["id"]), status["status_id"]) for status in statuses),
                    )
                )
            return records

        result: list[FilterRecord] = await self._run(read)
        return result

    async def update_filter(self, scope: str, record: FilterRecord) -> None:
        await self._run(
            lambda c: c.execute(
                "UPDATE filters SET title = ?, context = ?, action = ?, expires_at = ?"
                " WHERE scope = ? AND id = ?",
                (
                    record.title,
                    json.dumps(list(record.context)),
                    record.action,
                    _iso(record.expires_at),
                    scope,
                    record.id,
                ),
            )
        )

    async def delete_filter(self, scope: str, filter_id: int) -> bool:
        cursor = await self._run(
            lambda c: c.execute("DELETE FROM filters WHERE scope = ? AND id = ?", (scope, filter_id))
        )
        return bool(cursor.rowcount)

    async def add_filter_keyword(self, filter_id: int, keyword: str, whole_word: bool) -> int:
        cursor = await self._run(
            lambda c: c.execute(
                "INSERT INTO filter_keywords (filter_id, keyword, whole_word) VALUES (?, ?, ?)",
                (filter_id, keyword, int(whole_word)),
            )
        )
        return int(cursor.lastrowid or 0)

    async def update_filter_keyword(self, keyword_id: int, keyword: str, whole_word: bool) -> None:
        await self._run(
            lambda c: c.execute(
                "UPDATE filter_keywords SET keyword = ?, whole_word = ? WHERE id = ?",
                (keyword, int(whole_word), keyword_id),
            )
        )

    async def delete_filter_keyword(self, keyword_id: int) -> None:
        await self._run(lambda c: c.execute("DELETE FROM filter_keywords WHERE id = ?", (keyword_id,)))

    async def filter_of_keyword(self, scope: str, keyword_id: int) -> int | None:
        row = await self._run(
            lambda c: c.execute(
                "SELECT filters.id FROM filter_keywords"
                " JOIN filters ON filters.id = filter_keywords.filter_id"
                " WHERE filter_keywords.id = ? AND filters.scope = ?",
                (keyword_id, scope),
            ).fetchone()
        )
        return None if row is None else int(row["id"])

    async def add_filter_status(self, filter_id: int, status_id: str) -> int:
        cursor = await self._run(
            lambda c: c.execute(
                "INSERT INTO filter_statuses (filter_id, status_id) VALUES (?, ?)", (filter_id, status_id)
            )
        )
        return int(cursor.lastrowid or 0)

    async def delete_filter_status(self, entry_id: int) -> None:
        await self._run(lambda c: c.execute("DELETE FROM filter_statuses WHERE id = ?", (entry_id,)))

    async def filter_of_status_entry(self, scope: str, entry_id: int) -> int | None:
        row = await self._run(
            lambda c: c.execute(
                "SELECT filters.id FROM filter_statuses"
                " JOIN filters ON filters.id = filter_statuses.filter_id"
                " WHERE filter_statuses.id = ? AND filters.scope = ?",
                (entry_id, scope),
            ).fetchone()
        )
        return None if row is None else int(row["id"])

    # Muted threads

    async def mute_thread(self, scope: str, thread_id: int) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT OR IGNORE INTO muted_threads (scope, thread_id) VALUES (?, ?)", (scope, thread_id)
            )
        )

    async def unmute_thread(self, scope: str, thread_id: int) -> None:
        await self._run(
            lambda c: c.execute(
                "DELETE FROM muted_threads WHERE scope = ? AND thread_id = ?", (scope, thread_id)
            )
        )

    async def muted_threads(self, scope: str, thread_ids: list[int]) -> frozenset[int]:
        if not thread_ids:
            return frozenset()
        marks = ",".join("?" * len(thread_ids))
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT thread_id FROM muted_threads WHERE scope = ? AND thread_id IN ({marks})",
                (scope, *thread_ids),
            ).fetchall()
        )
        return frozenset(int(row["thread_id"]) for row in rows)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None

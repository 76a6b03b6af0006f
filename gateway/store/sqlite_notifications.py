"""The SQLite tables of the notification log, hidden conversations and per-person sync state."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from gateway.store.base import NotificationRecord
from gateway.store.sqlite_support import mint_in_transaction

NOTIFICATION_SCHEMA = """
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    source TEXT NOT NULL,
    type TEXT NOT NULL,
    account TEXT NOT NULL,
    account_id TEXT NOT NULL,
    status TEXT,
    status_kind TEXT,
    status_id TEXT,
    thread_id INTEGER,
    created_at TEXT NOT NULL,
    dismissed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (scope, source)
);
CREATE INDEX IF NOT EXISTS notifications_by_scope ON notifications (scope, id);
CREATE TABLE IF NOT EXISTS hidden_conversations (
    scope TEXT NOT NULL,
    thread_uri TEXT NOT NULL,
    last_mail_id INTEGER NOT NULL,
    PRIMARY KEY (scope, thread_uri)
);
CREATE TABLE IF NOT EXISTS sync_state (
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (scope, name)
);
"""

_COLUMNS = (
    "id, source, type, account, account_id, status, status_kind, status_id, thread_id, created_at, dismissed"
)


def _record(row: sqlite3.Row) -> NotificationRecord:
    return NotificationRecord(
        id=int(row["id"]),
        source=row["source"],
        type=row["type"],
        account=row["account"],
        account_id=row["account_id"],
        status=row["status"],
        status_kind=row["status_kind"],
        status_id=row["status_id"],
        thread_id=row["thread_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        dismissed=bool(row["dismissed"]),
    )


def _row_values(record: NotificationRecord, scope: str, minted: int) -> tuple[Any, ...]:
    return (
        minted,
        record.source,
        record.type,
        record.account,
        record.account_id,
        record.status,
        record.status_kind,
        record.status_id,
        record.thread_id,
        record.created_at.isoformat(),
        int(record.dismissed),
        scope,
    )


class NotificationTables:
    """Store methods for the notification log, mixed into SQLiteStore (which provides ``_run``)."""

    _run: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]
    _transaction: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]

    async def known_sources(self, scope: str, sources: list[str]) -> set[str]:
        if not sources:
            return set()
        marks = ",".join("?" * len(sources))
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT source FROM notifications WHERE scope = ? AND source IN ({marks})", (scope, *sources)
            ).fetchall()
        )
        return {row["source"] for row in rows}

    async def add_notifications(self, scope: str, records: list[NotificationRecord]) -> int:
        """Log new notifications under ids minted from their event times; returns how many were new."""

        def add(connection: sqlite3.Connection) -> int:
            added = 0
            for record in records:
                exists = connection.execute(
                    "SELECT 1 FROM notifications WHERE scope = ? AND source = ?", (scope, record.source)
                ).fetchone()
                if exists:
                    continue
                minted = mint_in_transaction(
                    connection, "notification", scope, record.source, record.created_at
                )
                connection.execute(
                    f"INSERT INTO notifications ({_COLUMNS}, scope) VALUES ({', '.join('?' * 12)})",
                    _row_values(record, scope, minted),
                )
                added += 1
            return added

        result: int = await self._transaction(add)
        return result

    async def list_notifications(
        self,
        scope: str,
        *,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
        types: set[str] | None = None,
        exclude_types: set[str] | None = None,
        account_id: str | None = None,
    ) -> list[NotificationRecord]:
        conditions: list[str] = ["scope = ?", "dismissed = 0"]
        arguments: list[Any] = [scope]
        if max_id is not None:
            conditions.append("id < ?")
            arguments.append(max_id)
        lower = min_id if min_id is not None else since_id
        if lower is not None:
            conditions.append("id > ?")
            arguments.append(lower)
        if types:
            conditions.append(f"type IN ({','.join('?' * len(types))})")
            arguments.extend(sorted(types))
        if exclude_types:
            conditions.append(f"type NOT IN ({','.join('?' * len(exclude_types))})")
            arguments.extend(sorted(exclude_types))
        if account_id is not None:
            conditions.append("account_id = ?")
            arguments.append(account_id)
        order = "ASC" if min_id is not None else "DESC"
        where = " AND ".join(conditions)
        query = f"SELECT {_COLUMNS} FROM notifications WHERE {where} ORDER BY id {order} LIMIT ?"
        rows = await self._run(lambda c: c.execute(query, (*arguments, limit)).fetchall())
        return sorted((_record(row) for row in rows), key=lambda record: record.id, reverse=True)

    async def get_notification(self, scope: str, notification_id: int) -> NotificationRecord | None:
        row = await self._run(
            lambda c: c.execute(
                f"SELECT {_COLUMNS} FROM notifications WHERE scope = ? AND id = ? AND dismissed = 0",
                (scope, notification_id),
            ).fetchone()
        )
        return None if row is None else _record(row)

    async def dismiss_notification(self, scope: str, notification_id: int) -> bool:
        cursor = await self._run(
            lambda c: c.execute(
                "UPDATE notifications SET dismissed = 1 WHERE scope = ? AND id = ? AND dismissed = 0",
                (scope, notification_id),
            )
        )
        return bool(cursor.rowcount)

    async def notification_group(
        self, scope: str, notification_type: str, status_id: str, limit: int = 80
    ) -> list[NotificationRecord]:
        """Return the entries of one type about one status, newest first: a group of the v2 API."""
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT {_COLUMNS} FROM notifications WHERE scope = ? AND type = ? AND status_id = ?"
                " AND dismissed = 0 ORDER BY id DESC LIMIT ?",
                (scope, notification_type, status_id, limit),
            ).fetchall()
        )
        return [_record(row) for row in rows]

    async def dismiss_notification_source(self, scope: str, source: str) -> None:
        await self._run(
            lambda c: c.execute(
                "UPDATE notifications SET dismissed = 1 WHERE scope = ? AND source = ?", (scope, source)
            )
        )

    async def dismiss_all_notifications(self, scope: str) -> None:
        await self._run(
            lambda c: c.execute("UPDATE notifications SET dismissed = 1 WHERE scope = ?", (scope,))
        )

    async def count_notifications_after(self, scope: str, after_id: int, limit: int) -> int:
        row = await self._run(
            lambda c: c.execute(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM notifications"
                " WHERE scope = ? AND dismissed = 0 AND id > ? LIMIT ?)",
                (scope, after_id, limit),
            ).fetchone()
        )
        return int(row["n"])

    async def sync_value(self, scope: str, name: str) -> str | None:
        row = await self._run(
            lambda c: c.execute(
                "SELECT value FROM sync_state WHERE scope = ? AND name = ?", (scope, name)
            ).fetchone()
        )
        return None if row is None else str(row["value"])

    async def sync_values(self, scope: str, names: Sequence[str]) -> dict[str, str]:
        if not names:
            return {}
        marks = ", ".join("?" for _ in names)
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT name, value FROM sync_state WHERE scope = ? AND name IN ({marks})",
                (scope, *names),
            ).fetchall()
        )
        return {str(row["name"]): str(row["value"]) for row in rows}

    async def set_sync_value(self, scope: str, name: str, value: str) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO sync_state (scope, name, value) VALUES (?, ?, ?)",
                (scope, name, value),
            )
        )

    async def hide_conversation(self, scope: str, thread_uri: str, last_mail_id: int) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO hidden_conversations (scope, thread_uri, last_mail_id)"
                " VALUES (?, ?, ?)",
                (scope, thread_uri, last_mail_id),
            )
        )

    async def hidden_conversations(self, scope: str) -> dict[str, int]:
        rows = await self._run(
            lambda c: c.execute(
                "SELECT thread_uri, last_mail_id FROM hidden_conversations WHERE scope = ?", (scope,)
            ).fetchall()
        )
        return {row["thread_uri"]: int(row["last_mail_id"]) for row in rows}

"""Store tables for logging in on the upstream itself: its app registrations and logins under way."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from gateway.store.base import UpstreamClientRecord, UpstreamLoginRecord

UPSTREAM_SCHEMA = """
CREATE TABLE IF NOT EXISTS upstream_clients (
    app_id INTEGER PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL UNIQUE,
    client_secret_blob BLOB NOT NULL,
    redirect_uri TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS upstream_logins (
    state_hash TEXT PRIMARY KEY,
    app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    state TEXT,
    code_challenge TEXT,
    code_challenge_method TEXT,
    browser_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    request_secret_blob BLOB
);
"""


def add_upstream_columns(connection: sqlite3.Connection) -> None:
    """Give tokens made by an earlier version the column naming their upstream app."""
    columns = {row["name"] for row in connection.execute("PRAGMA table_info(tokens)")}
    if "upstream_client" not in columns:
        connection.execute("ALTER TABLE tokens ADD COLUMN upstream_client TEXT")
    columns = {row["name"] for row in connection.execute("PRAGMA table_info(upstream_logins)")}
    if "request_secret_blob" not in columns:
        connection.execute("ALTER TABLE upstream_logins ADD COLUMN request_secret_blob BLOB")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _client(row: sqlite3.Row) -> UpstreamClientRecord:
    return UpstreamClientRecord(
        app_id=row["app_id"],
        client_id=row["client_id"],
        client_secret_blob=row["client_secret_blob"],
        redirect_uri=row["redirect_uri"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


class UpstreamLoginTables:
    """Store methods for upstream logins, mixed into SQLiteStore, which provides the calls below."""

    _run: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]
    _transaction: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]

    async def upstream_client(self, app_id: int) -> UpstreamClientRecord | None:
        row = await self._run(
            lambda c: c.execute("SELECT * FROM upstream_clients WHERE app_id = ?", (app_id,)).fetchone()
        )
        return None if row is None else _client(row)

    async def upstream_client_by_client_id(self, client_id: str) -> UpstreamClientRecord | None:
        row = await self._run(
            lambda c: c.execute("SELECT * FROM upstream_clients WHERE client_id = ?", (client_id,)).fetchone()
        )
        return None if row is None else _client(row)

    async def save_upstream_client(self, record: UpstreamClientRecord) -> UpstreamClientRecord:
        """Keep the first registration of an app; return whichever is stored."""

        def save(connection: sqlite3.Connection) -> sqlite3.Row:
            connection.execute(
                "INSERT OR IGNORE INTO upstream_clients"
                " (app_id, client_id, client_secret_blob, redirect_uri, created_at) VALUES (?, ?, ?, ?, ?)",
                (
                    record.app_id,
                    record.client_id,
                    record.client_secret_blob,
                    record.redirect_uri,
                    _iso(record.created_at),
                ),
            )
            row: sqlite3.Row = connection.execute(
                "SELECT * FROM upstream_clients WHERE app_id = ?", (record.app_id,)
            ).fetchone()
            return row

        return _client(await self._transaction(save))

    async def forget_upstream_client(self, app_id: int) -> None:
        await self._run(lambda c: c.execute("DELETE FROM upstream_clients WHERE app_id = ?", (app_id,)))

    async def create_upstream_login(self, record: UpstreamLoginRecord) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT INTO upstream_logins (state_hash, app_id, redirect_uri, scopes, state,"
                " code_challenge, code_challenge_method, browser_hash, expires_at, request_secret_blob)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.state_hash,
                    record.app_id,
                    record.redirect_uri,
                    json.dumps(list(record.scopes)),
                    record.state,
                    record.code_challenge,
                    record.code_challenge_method,
                    record.browser_hash,
                    _iso(record.expires_at),
                    record.request_secret_blob,
                ),
            )
        )

    async def take_upstream_login(self, state_hash: str, now: datetime) -> UpstreamLoginRecord | None:
        """Remove and return a login under way; each can be finished once, before it expires."""

        def take(connection: sqlite3.Connection) -> sqlite3.Row | None:
            row: sqlite3.Row | None = connection.execute(
                "SELECT * FROM upstream_logins WHERE state_hash = ?", (state_hash,)
            ).fetchone()
            connection.execute("DELETE FROM upstream_logins WHERE state_hash = ?", (state_hash,))
            connection.execute("DELETE FROM upstream_logins WHERE expires_at < ?", (_iso(now),))
            return row

        row = await self._transaction(take)
        if row is None or datetime.fromisoformat(row["expires_at"]) < now:
            return None
        return UpstreamLoginRecord(
            state_hash=row["state_hash"],
            app_id=row["app_id"],
            redirect_uri=row["redirect_uri"],
            scopes=tuple(json.loads(row["scopes"])),
            state=row["state"],
            code_challenge=row["code_challenge"],
            code_challenge_method=row["code_challenge_method"],
            browser_hash=row["browser_hash"],
            expires_at=datetime.fromisoformat(row["expires_at"]),
            request_secret_blob=row["request_secret_blob"],
        )

    async def tokens_of_upstream_client(self, client_id: str) -> int:
        """Count the gateway's tokens that act through one upstream app."""
        row = await self._run(
            lambda c: c.execute(
                "SELECT COUNT(*) AS count FROM tokens WHERE upstream_client = ?", (client_id,)
            ).fetchone()
        )
        return int(row["count"])

    async def revoke_replaced_tokens(self, client_id: str, user_id: int, keep_hash: str) -> int:
        """Delete a person's other tokens through one upstream app: the upstream replaced theirs."""
        cursor = await self._run(
            lambda c: c.execute(
                "DELETE FROM tokens WHERE upstream_client = ? AND user_id = ? AND token_hash != ?",
                (client_id, user_id, keep_hash),
            )
        )
        return int(cursor.rowcount)

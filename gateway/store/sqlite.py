"""The default store: one SQLite file.

SQLite calls block, so each one runs in a worker thread. One connection and
a lock serialise them, which is enough for the small rows stored here.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread

from gateway.store.base import (
    AppRecord,
    AuthorizationCodeRecord,
    FavouriteRecord,
    PendingLogin,
    TokenRecord,
)
from gateway.store.sqlite_lists import LIST_SCHEMA, ListTables
from gateway.store.sqlite_media import MEDIA_SCHEMA, MediaTables, add_missing_columns
from gateway.store.sqlite_notifications import NOTIFICATION_SCHEMA, NotificationTables
from gateway.store.sqlite_state import STATE_SCHEMA, StateTables
from gateway.store.sqlite_support import insert_unique_id, mint_in_transaction
from gateway.store.sqlite_upstream import UPSTREAM_SCHEMA, UpstreamLoginTables, add_upstream_columns

T = TypeVar("T")

# Mastodon keeps an Idempotency-Key for one hour.
IDEMPOTENCY_WINDOW = timedelta(hours=1)

SCHEMA = """
CREATE TABLE IF NOT EXISTS apps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    client_secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    website TEXT,
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    app_id INTEGER NOT NULL REFERENCES apps(id),
    scopes TEXT NOT NULL,
    user_id INTEGER,
    username TEXT,
    credential_blob BLOB,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS authorization_codes (
    code_hash TEXT PRIMARY KEY,
    app_id INTEGER NOT NULL REFERENCES apps(id),
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT,
    code_challenge_method TEXT,
    user_id INTEGER NOT NULL,
    username TEXT NOT NULL,
    credential_blob BLOB NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_logins (
    id TEXT PRIMARY KEY,
    app_id INTEGER NOT NULL REFERENCES apps(id),
    user_id INTEGER NOT NULL,
    username TEXT NOT NULL,
    credential_blob BLOB NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS minted_ids (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    UNIQUE (kind, scope, key)
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    status_id INTEGER,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS favourites (
    scope TEXT NOT NULL,
    status_id INTEGER NOT NULL,
    favourite_id INTEGER NOT NULL UNIQUE,
    snapshot TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, status_id)
);
CREATE INDEX IF NOT EXISTS favourites_by_id ON favourites (scope, favourite_id);
"""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _split(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


class SQLiteStore(MediaTables, StateTables, NotificationTables, ListTables, UpstreamLoginTables):
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    async def open(self) -> None:
        def connect() -> None:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.executescript(
                SCHEMA + MEDIA_SCHEMA + STATE_SCHEMA + NOTIFICATION_SCHEMA + LIST_SCHEMA + UPSTREAM_SCHEMA
            )
            add_missing_columns(connection)
            add_upstream_columns(connection)
            self._connection = connection

        await anyio.to_thread.run_sync(connect)

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await anyio.to_thread.run_sync(connection.close)

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def locked() -> T:
            if self._connection is None:
                raise RuntimeError("the store is not open")
            with self._lock:
                return work(self._connection)

        return await anyio.to_thread.run_sync(locked)

    async def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def in_transaction(connection: sqlite3.Connection) -> T:
            connection.execute("BEGIN IMMEDIATE")
            try:
                result = work(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return result

        return await self._run(in_transaction)

    # Applications

    async def create_app(
        self,
        *,
        client_id: str,
        client_secret_hash: str,
        name: str,
        website: str | None,
        redirect_uris: tuple[str, ...],
        scopes: tuple[str, ...],
    ) -> AppRecord:
        created_at = datetime.now(UTC)

        def insert(connection: sqlite3.Connection) -> int:
            cursor = connection.execute(
                "INSERT INTO apps (client_id, client_secret_hash, name, website, redirect_uris, scopes,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    client_id,
                    client_secret_hash,
                    name,
                    website,
                    json.dumps(list(redirect_uris)),
                    json.dumps(list(scopes)),
                    _iso(created_at),
                ),
            )
            return int(cursor.lastrowid or 0)

        app_id = await self._run(insert)
        return AppRecord(
            app_id, client_id, client_secret_hash, name, website, redirect_uris, scopes, created_at
        )

    @staticmethod
    def _app_from_row(row: sqlite3.Row | None) -> AppRecord | None:
        if row is None:
            return None
        return AppRecord(
            id=row["id"],
            client_id=row["client_id"],
            client_secret_hash=row["client_secret_hash"],
            name=row["name"],
            website=row["website"],
            redirect_uris=_split(row["redirect_uris"]),
            scopes=_split(row["scopes"]),
            created_at=_from_iso(row["created_at"]),
        )

    async def get_app(self, client_id: str) -> AppRecord | None:
        row = await self._run(
            lambda c: c.execute("SELECT * FROM apps WHERE client_id = ?", (client_id,)).fetchone()
        )
        return self._app_from_row(row)

    async def get_app_by_id(self, app_id: int) -> AppRecord | None:
        row = await self._run(lambda c: c.execute("SELECT * FROM apps WHERE id = ?", (app_id,)).fetchone())
        return self._app_from_row(row)

    # Tokens

    async def create_token(self, token: TokenRecord) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT INTO tokens (token_hash, app_id, scopes, user_id, username, credential_blob,"
                " created_at, upstream_client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    token.token_hash,
                    token.app_id,
                    json.dumps(list(token.scopes)),
                    token.user_id,
                    token.username,
                    token.credential_blob,
                    _iso(token.created_at),
                    token.upstream_client,
                ),
            )
        )

    async def get_token(self, token_hash: str) -> TokenRecord | None:
        row = await self._run(
            lambda c: c.execute("SELECT * FROM tokens WHERE token_hash = ?", (token_hash,)).fetchone()
        )
        if row is None:
            return None
        return TokenRecord(
            token_hash=row["token_hash"],
            app_id=row["app_id"],
            scopes=_split(row["scopes"]),
            created_at=_from_iso(row["created_at"]),
            user_id=row["user_id"],
            username=row["username"],
            credential_blob=row["credential_blob"],
            upstream_client=row["upstream_client"],
        )

    async def revoke_token(self, token_hash: str, app_id: int) -> bool:
        cursor = await self._run(
            lambda c: c.execute(
                "DELETE FROM tokens WHERE token_hash = ? AND app_id = ?", (token_hash, app_id)
            )
        )
        return cursor.rowcount > 0

    # Authorization codes

    async def create_authorization_code(self, code: AuthorizationCodeRecord) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT INTO authorization_codes (code_hash, app_id, redirect_uri, scopes, code_challenge,"
                " code_challenge_method, user_id, username, credential_blob, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code.code_hash,
                    code.app_id,
                    code.redirect_uri,
                    json.dumps(list(code.scopes)),
                    code.code_challenge,
                    code.code_challenge_method,
                    code.user_id,
                    code.username,
                    code.credential_blob,
                    _iso(code.expires_at),
                ),
            )
        )

    async def consume_authorization_code(
        self, code_hash: str, now: datetime
    ) -> AuthorizationCodeRecord | None:
        def consume(connection: sqlite3.Connection) -> sqlite3.Row | None:
            row: sqlite3.Row | None = connection.execute(
                "SELECT * FROM authorization_codes WHERE code_hash = ?", (code_hash,)
            ).fetchone()
            connection.execute("DELETE FROM authorization_codes WHERE code_hash = ?", (code_hash,))
            connection.execute("DELETE FROM authorization_codes WHERE expires_at < ?", (_iso(now),))
            return row

        row = await self._transaction(consume)
        if row is None or _from_iso(row["expires_at"]) < now:
            return None
        return AuthorizationCodeRecord(
            code_hash=row["code_hash"],
            app_id=row["app_id"],
            redirect_uri=row["redirect_uri"],
            scopes=_split(row["scopes"]),
            code_challenge=row["code_challenge"],
            code_challenge_method=row["code_challenge_method"],
            user_id=row["user_id"],
            username=row["username"],
            credential_blob=row["credential_blob"],
            expires_at=_from_iso(row["expires_at"]),
        )

    # Logins waiting for consent

    async def create_pending_login(self, login: PendingLogin) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT INTO pending_logins (id, app_id, user_id, username, credential_blob, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    login.id,
                    login.app_id,
                    login.user_id,
                    login.username,
                    login.credential_blob,
                    _iso(login.expires_at),
                ),
            )
        )

    async def take_pending_login(self, login_id: str, now: datetime) -> PendingLogin | None:
        def take(connection: sqlite3.Connection) -> sqlite3.Row | None:
            row: sqlite3.Row | None = connection.execute(
                "SELECT * FROM pending_logins WHERE id = ?", (login_id,)
            ).fetchone()
            connection.execute("DELETE FROM pending_logins WHERE id = ?", (login_id,))
            connection.execute("DELETE FROM pending_logins WHERE expires_at < ?", (_iso(now),))
            return row

        row = await self._transaction(take)
        if row is None or _from_iso(row["expires_at"]) < now:
            return None
        return PendingLogin(
            id=row["id"],
            app_id=row["app_id"],
            user_id=row["user_id"],
            username=row["username"],
            credential_blob=row["credential_blob"],
            expires_at=_from_iso(row["expires_at"]),
        )

    # Minted ids

    async def mint_id(self, kind: str, scope: str, key: str, at: datetime) -> int:
        return await self._transaction(
            lambda connection: mint_in_transaction(connection, kind, scope, key, at)
        )

    async def resolve_minted_id(self, minted_id: int) -> tuple[str, str, str] | None:
        row = await self._run(
            lambda c: c.execute(
                "SELECT kind, scope, key FROM minted_ids WHERE id = ?", (minted_id,)
            ).fetchone()
        )
        return None if row is None else (row["kind"], row["scope"], row["key"])

    # Idempotency keys

    async def claim_idempotency_key(self, scope: str, key: str, now: datetime) -> tuple[bool, int | None]:
        def claim(connection: sqlite3.Connection) -> tuple[bool, int | None]:
            connection.execute(
                "DELETE FROM idempotency_keys WHERE created_at < ?", (_iso(now - IDEMPOTENCY_WINDOW),)
            )
            cursor = connection.execute(
                "INSERT OR IGNORE INTO idempotency_keys (scope, key, status_id, created_at)"
                " VALUES (?, ?, NULL, ?)",
                (scope, key, _iso(now)),
            )
            if cursor.rowcount == 1:
                return True, None
            row = connection.execute(
                "SELECT status_id FROM idempotency_keys WHERE scope = ? AND key = ?", (scope, key)
            ).fetchone()
            return False, row["status_id"]

        return await self._transaction(claim)

    async def complete_idempotency_key(self, scope: str, key: str, status_id: int) -> None:
        await self._run(
            lambda c: c.execute(
                "UPDATE idempotency_keys SET status_id = ? WHERE scope = ? AND key = ?",
                (status_id, scope, key),
            )
        )

    async def release_idempotency_key(self, scope: str, key: str) -> None:
        await self._run(
            lambda c: c.execute(
                "DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status_id IS NULL", (scope, key)
            )
        )

    # Favourites log

    async def record_favourites(self, scope: str, entries: dict[int, tuple[str, datetime]]) -> None:
        """Add or refresh entries: status id -> (upstream status JSON, when it was seen liked)."""

        def record(connection: sqlite3.Connection) -> None:
            for status_id, (snapshot, seen_at) in entries.items():
                updated = connection.execute(
                    "UPDATE favourites SET snapshot = ?, updated_at = ? WHERE scope = ? AND status_id = ?",
                    (snapshot, _iso(seen_at), scope, status_id),
                )
                if updated.rowcount:
                    continue
                insert_unique_id(
                    connection,
                    seen_at,
                    "favourites.favourite_id",
                    "INSERT INTO favourites (scope, status_id, favourite_id, snapshot, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    partial(_favourite_row, scope, status_id, snapshot, _iso(seen_at)),
                )

        await self._transaction(record)

    async def forget_favourites(self, scope: str, status_ids: list[int]) -> None:
        if not status_ids:
            return
        marks = ",".join("?" * len(status_ids))
        await self._run(
            lambda c: c.execute(
                f"DELETE FROM favourites WHERE scope = ? AND status_id IN ({marks})", (scope, *status_ids)
            )
        )

    async def favourite_status_ids(self, scope: str, status_ids: list[int]) -> set[int]:
        if not status_ids:
            return set()
        marks = ",".join("?" * len(status_ids))
        rows = await self._run(
            lambda c: c.execute(
                f"SELECT status_id FROM favourites WHERE scope = ? AND status_id IN ({marks})",
                (scope, *status_ids),
            ).fetchall()
        )
        return {int(row["status_id"]) for row in rows}

    async def list_favourites(
        self, scope: str, *, max_id: int | None, since_id: int | None, min_id: int | None, limit: int
    ) -> list[FavouriteRecord]:
        conditions = ["scope = ?"]
        arguments: list[Any] = [scope]
        if max_id is not None:
            conditions.append("favourite_id < ?")
            arguments.append(max_id)
        lower = min_id if min_id is not None else since_id
        if lower is not None:
            conditions.append("favourite_id > ?")
            arguments.append(lower)
        # min_id requests the entries just above it, so read upwards and reverse.
        order = "ASC" if min_id is not None else "DESC"
        query = (
            f"SELECT * FROM favourites WHERE {' AND '.join(conditions)} ORDER BY favourite_id {order} LIMIT ?"
        )
        rows = await self._run(lambda c: c.execute(query, (*arguments, limit)).fetchall())
        records = [
            FavouriteRecord(
                favourite_id=int(row["favourite_id"]),
                status_id=int(row["status_id"]),
                snapshot=row["snapshot"],
                updated_at=_from_iso(row["updated_at"]),
            )
            for row in rows
        ]
        return sorted(records, key=lambda record: record.favourite_id, reverse=True)


def _favourite_row(scope: str, status_id: int, snapshot: str, seen_at: str, minted: int) -> tuple[Any, ...]:
    return (scope, status_id, minted, snapshot, seen_at)

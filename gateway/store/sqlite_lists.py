"""The SQLite table for list settings Friendica does not keep: which replies a list shows."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

LIST_SCHEMA = """
CREATE TABLE IF NOT EXISTS list_settings (
    scope TEXT NOT NULL,
    list_id INTEGER NOT NULL,
    replies_policy TEXT NOT NULL,
    PRIMARY KEY (scope, list_id)
);
"""


class ListTables:
    """Store methods for list settings, mixed into SQLiteStore (which provides ``_run``)."""

    _run: Callable[[Callable[[sqlite3.Connection], Any]], Awaitable[Any]]

    async def list_replies_policies(self, scope: str) -> dict[int, str]:
        rows = await self._run(
            lambda c: c.execute(
                "SELECT list_id, replies_policy FROM list_settings WHERE scope = ?", (scope,)
            ).fetchall()
        )
        return {int(row["list_id"]): str(row["replies_policy"]) for row in rows}

    async def set_list_replies_policy(self, scope: str, list_id: int, policy: str) -> None:
        await self._run(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO list_settings (scope, list_id, replies_policy) VALUES (?, ?, ?)",
                (scope, list_id, policy),
            )
        )

    async def forget_list(self, scope: str, list_id: int) -> None:
        await self._run(
            lambda c: c.execute("DELETE FROM list_settings WHERE scope = ? AND list_id = ?", (scope, list_id))
        )

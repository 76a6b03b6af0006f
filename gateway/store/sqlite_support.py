"""Helpers the SQLite store modules share."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from gateway.ids import snowflake_id


def insert_unique_id(
    connection: sqlite3.Connection,
    at: datetime,
    id_column: str,
    statement: str,
    values: Callable[[int], tuple[Any, ...]],
) -> int:
    """Insert a row under a new time-ordered id, stepping the sequence past ids already taken."""
    for sequence in range(1 << 16):
        minted = snowflake_id(at, sequence)
        try:
            connection.execute(statement, values(minted))
        except sqlite3.IntegrityError as error:
            # SQLite names the column: "UNIQUE constraint failed: minted_ids.id".
            if str(error).endswith(id_column):
                continue
            raise
        return minted
    raise RuntimeError(f"no free id left in the millisecond of {at.isoformat()}")


def mint_in_transaction(connection: sqlite3.Connection, kind: str, scope: str, key: str, at: datetime) -> int:
    """Return the minted id of (kind, scope, key), minting one from ``at`` if there is none yet.

    Every id a client can fetch by (statuses, media, notifications) comes
    from the one ``minted_ids`` table, so no two of them are ever equal.
    """
    row = connection.execute(
        "SELECT id FROM minted_ids WHERE kind = ? AND scope = ? AND key = ?", (kind, scope, key)
    ).fetchone()
    if row is not None:
        return int(row[0])
    return insert_unique_id(
        connection,
        at,
        "minted_ids.id",
        "INSERT INTO minted_ids (id, kind, scope, key) VALUES (?, ?, ?, ?)",
        lambda minted: (minted, kind, scope, key),
    )

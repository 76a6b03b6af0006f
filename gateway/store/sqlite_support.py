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

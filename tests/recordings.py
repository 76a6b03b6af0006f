"""Access to the responses recorded from a real Friendica 2024.08 server."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from tests.reference import RECORDINGS, require


@cache
def recording(number: str) -> dict[str, Any]:
    """Return the whole recording whose file name starts with ``number`` (e.g. "018")."""
    matches = sorted(require(RECORDINGS).glob(f"{number}-*.json"))
    if len(matches) != 1:
        raise LookupError(f"expected one recording {number}-*.json in {RECORDINGS}, found {len(matches)}")
    return json.loads(matches[0].read_text())


def body(number: str) -> Any:
    """Return the recorded response body, a fresh copy each time."""
    return json.loads(json.dumps(recording(number)["response"]["body"]))

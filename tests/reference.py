"""Where the reference material lives: recorded upstream responses and the Mastodon OpenAPI file.

It sits beside the clone at ``../shared/reference``; ``MASTOGATE_REFERENCE``
names another directory with the same layout.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
REFERENCE = Path(os.environ.get("MASTOGATE_REFERENCE") or DEFAULT_REFERENCE)
RECORDINGS = REFERENCE / "recorded"
OPENAPI = REFERENCE / "mastodon-openapi.json"


def require(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; set MASTOGATE_REFERENCE to the reference directory")
    return path

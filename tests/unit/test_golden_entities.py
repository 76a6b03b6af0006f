"""Whole Mastodon entities mapped from recorded upstream JSON, compared with reviewed expected JSON.

The files in golden/ were written once from the mappers' output and checked
by hand against the Mastodon API documentation; a change to any field of
these entities shows up here as a diff to review.
"""

from __future__ import annotations

import json
from pathlib import Path

from mappings.accounts import credential_account_from_friendica
from mappings.context import MappingContext
from mappings.statuses import status_from_friendica
from tests.recordings import body

GOLDEN = Path(__file__).parent / "golden"
CONTEXT = MappingContext(
    public_url="https://gateway.example", upstream_url="http://127.0.0.1:8088", viewer_id=3
)


def golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text())


def test_status_with_mention_tags_and_link():
    assert status_from_friendica(body("018"), CONTEXT).to_json() == golden("status-018.json")


def test_credential_account():
    assert credential_account_from_friendica(body("002"), CONTEXT).to_json() == golden(
        "credential-account-002.json"
    )

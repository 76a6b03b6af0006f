"""masto.js (the library under Elk and Phanpy) against the live gateway, on Node 22 from npm."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.pictures import picture

JS = Path(__file__).resolve().parents[1] / "js"
NODE = JS / "node_modules" / ".bin" / "node"


@pytest.fixture(scope="module")
def node() -> Path:
    """Return the Node 22 that tests/js installs; bin/test runs npm ci there first."""
    if not NODE.exists():
        pytest.fail(f"{NODE} is missing: run `npm ci --prefix {JS}` (bin/test does it)")
    return NODE


def test_masto_js_uploads_through_v2_and_polls(node, alice, tmp_path):
    path = tmp_path / "upload.png"
    path.write_bytes(picture(640, 480))

    result = subprocess.run(
        [str(node), str(JS / "media_upload.mjs"), alice.api_base_url, alice.access_token, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    attachment, status = output["attachment"], output["status"]
    assert attachment["url"]
    assert attachment["description"] == "Uploaded with masto.js"
    assert attachment["meta"]["original"]["width"] == 640
    assert [media["id"] for media in status["mediaAttachments"]] == [attachment["id"]]
    assert status["mediaAttachments"][0]["blurhash"]

"""Helpers for the double's tests: an in-process client, fresh doubles and shape comparison."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from friendica_double.app import build_app
from friendica_double.context import AuthSettings
from friendica_double.seed import DEMO_PASSWORD, SeedResult, seed_database
from tests.reference import RECORDINGS

BASE_URL = "http://127.0.0.1:8088"


class DoubleClient:
    """Sends requests to the double in-process through httpx's ASGI transport."""

    def __init__(self, app: Starlette):
        self.app = app

    def request(
        self,
        method: str,
        path: str,
        *,
        user: str | None = None,
        password: str = DEMO_PASSWORD,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send one request, with HTTP Basic credentials when ``user`` is given.

        ``files`` maps form fields to (file name, content, content type) and
        makes the request multipart; ``json`` is sent as a raw JSON body.
        """
        auth = (user, password) if user is not None else None

        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
                return await client.request(
                    method,
                    path,
                    params=params,
                    data=data,
                    auth=auth,
                    headers=headers,
                    files=files,
                    json=json,
                )

        return asyncio.run(send())

    def get(self, path: str, user: str | None = None, **params: Any) -> httpx.Response:
        """GET with query parameters."""
        return self.request("GET", path, user=user, params=params or None)

    def post(self, path: str, user: str | None = None, **form: Any) -> httpx.Response:
        """POST a form."""
        return self.request("POST", path, user=user, data=form or None)


@dataclass
class Double:
    """A running double with its client and what its seed created."""

    client: DoubleClient
    seed: SeedResult
    app: Starlette


def fresh_double(
    directory: Path, mode: str, auth: AuthSettings | None = None, profile: str = "modern"
) -> Double:
    """Create a double of ``profile`` on a new database in ``directory``.

    ``mode`` is the seed: ``demo`` or ``recording``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    database = str(directory / f"double-{profile}-{mode}.sqlite")
    seed = seed_database(database, BASE_URL, mode=mode, profile=profile)
    app = build_app(database, BASE_URL, profile=profile, seed=False, auth=auth)
    return Double(DoubleClient(app), seed, app)


def recordings_directory() -> Path:
    """Return the directory of recorded Friendica responses (see ``tests.reference``)."""
    return RECORDINGS


@dataclass(frozen=True)
class Recording:
    """One recorded request and response."""

    number: str
    name: str
    request: dict[str, Any]
    response: dict[str, Any]


def load_recordings(directory: Path) -> list[Recording]:
    """Load ``NNN-*.json`` recordings in order."""
    recordings = []
    for path in sorted(directory.glob("[0-9][0-9][0-9]-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        recordings.append(Recording(path.name[:3], path.stem, data["request"], data["response"]))
    return recordings


def content_family(content_type: str, body: str | bytes) -> str:
    """Return json, html, empty, xml or image for a response."""
    content_type = content_type.lower()
    if "json" in content_type:
        return "json"
    if not body:
        return "empty"
    if "html" in content_type:
        return "html"
    if "xml" in content_type:
        return "xml"
    if content_type.startswith("image/"):
        return "image"
    return content_type


def html_kind(body: str) -> str:
    """Tell Friendica's small exception page from the themed site page."""
    return "site page" if body.lstrip().lower().startswith("<!doctype") else "exception page"


def exception_message(body: str) -> str:
    """Return the ``<p>`` message of an exception page."""
    match = re.search(r"<p>(.*?)</p>", body, re.DOTALL)
    return match.group(1) if match else ""


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"


def shape_differences(recorded: Any, actual: Any, path: str = "$") -> list[str]:
    """Compare JSON structure: value types, object keys and key order, recursively.

    Lists are compared only when both are non-empty: each element of the
    double's list must match the shape of some recorded element.
    """
    if _kind(recorded) != _kind(actual):
        return [f"{path}: recorded {_kind(recorded)}, double {_kind(actual)}"]

    if isinstance(recorded, dict):
        differences = []
        missing = [key for key in recorded if key not in actual]
        extra = [key for key in actual if key not in recorded]
        if missing:
            differences.append(f"{path}: keys missing in the double: {missing}")
        if extra:
            differences.append(f"{path}: keys only in the double: {extra}")
        common_recorded = [key for key in recorded if key in actual]
        common_actual = [key for key in actual if key in recorded]
        if common_recorded != common_actual:
            differences.append(
                f"{path}: key order differs: recorded {common_recorded}, double {common_actual}"
            )
        for key in common_recorded:
            differences += shape_differences(recorded[key], actual[key], f"{path}.{key}")
        return differences

    if isinstance(recorded, list) and recorded and actual:
        differences = []
        for index, element in enumerate(actual):
            best: list[str] | None = None
            for candidate in recorded:
                found = shape_differences(candidate, element, f"{path}[{index}]")
                if best is None or len(found) < len(best):
                    best = found
                if not found:
                    break
            differences += best or []
        return differences
    return []

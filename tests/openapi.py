"""Check gateway responses against the Mastodon OpenAPI description.

Every JSON response an end-to-end test receives is validated against the
response schema the description gives for its path, method and status, and
the pairs that were checked are counted so a test can prove coverage.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import referencing
import referencing.jsonschema

from tests.reference import OPENAPI, require

DOCUMENT_URI = "urn:mastodon-openapi"


def _pointer_escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class OpenAPIChecker:
    def __init__(self, path: Path = OPENAPI) -> None:
        self.document = json.loads(require(path).read_text())
        self.checked: Counter[tuple[str, str]] = Counter()
        # The same counts for each server that answered (scheme, host and port), to tell upstreams apart.
        self.checked_by_origin: dict[str, Counter[tuple[str, str]]] = {}
        self.failures: list[str] = []

    def checked_at(self, base_url: str) -> Counter[tuple[str, str]]:
        """Return how often each (method, path template) was checked in responses of one server."""
        return self.checked_by_origin.get(_origin(base_url), Counter())

    @cached_property
    def _templates(self) -> list[tuple[re.Pattern[str], str]]:
        templates = []
        for template in self.document["paths"]:
            pattern = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template))
            templates.append((re.compile(f"^{pattern}$"), template))
        # Literal segments win over parameters: /accounts/verify_credentials before /accounts/{id}.
        templates.sort(key=lambda item: item[1].count("{"))
        return templates

    @cached_property
    def _registry(self) -> referencing.Registry:
        resource = referencing.Resource.from_contents(
            self.document, default_specification=referencing.jsonschema.DRAFT202012
        )
        return referencing.Registry().with_resource(DOCUMENT_URI, resource)

    def template_for(self, path: str) -> str | None:
        for pattern, template in self._templates:
            if pattern.match(path):
                return template
        return None

    def check(self, method: str, url: str, status: int, body: Any) -> None:
        """Validate one response; remember failures instead of raising inside a client library."""
        path = urlsplit(url).path
        template = self.template_for(path)
        if template is None:
            return
        operation = self.document["paths"][template].get(method.lower())
        if operation is None:
            return
        responses = operation.get("responses", {})
        response = responses.get(str(status)) or responses.get("default")
        content = (response or {}).get("content", {}).get("application/json")
        if content is None or "schema" not in content:
            return

        pointer = "/".join(
            _pointer_escape(part)
            for part in (
                "paths",
                template,
                method.lower(),
                "responses",
                str(status),
                "content",
                "application/json",
                "schema",
            )
        )
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"{DOCUMENT_URI}#/{pointer}"}, registry=self._registry
        )
        errors = sorted(validator.iter_errors(body), key=lambda error: list(error.path))
        self.checked[(method.upper(), template)] += 1
        self.checked_by_origin.setdefault(_origin(url), Counter())[(method.upper(), template)] += 1
        for error in errors[:5]:
            location = "/".join(str(part) for part in error.absolute_path)
            self.failures.append(
                f"{method.upper()} {template} {status} at {location or '(root)'}: {error.message[:300]}"
            )

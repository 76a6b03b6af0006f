"""Request parameters read alike from the query string, form, multipart and JSON bodies.

Clients disagree on where they put parameters: some send POST parameters in
the query string, some an empty body with a JSON content type, and array
parameters arrive as ``ids[]=1&ids[]=2``, ``ids=1`` or a JSON list. Every
handler reads them through ``Params`` so all of these work.
"""

from __future__ import annotations

import io
import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from gateway.errors import BadRequest, PayloadTooLarge, Unprocessable

TRUE_WORDS = frozenset({"1", "true", "t", "on", "yes", "y"})
FALSE_WORDS = frozenset({"0", "false", "f", "off", "no", "n", ""})


class Params:
    def __init__(self, values: dict[str, list[Any]]) -> None:
        self._values = values

    def names(self) -> list[str]:
        return list(self._values)

    def __contains__(self, name: str) -> bool:
        return name in self._values or f"{name}[]" in self._values

    def _given(self, name: str) -> list[Any]:
        """Return the values of a field as they arrived: a JSON array stays one list."""
        return self._values.get(name, []) + self._values.get(f"{name}[]", [])

    def values(self, name: str) -> list[Any]:
        flat: list[Any] = []
        for value in self._given(name):
            flat.extend(value if isinstance(value, list) else [value])
        return flat

    def get(self, name: str) -> Any:
        found = self.values(name)
        return found[-1] if found else None

    def string(self, name: str, default: str | None = None) -> str | None:
        given = self._given(name)
        if not given:
            return default
        value = given[-1]
        # Numbers pass as their text, as Mastodon casts them; a JSON list, object or boolean does not.
        if isinstance(value, dict | list | bool | UploadFile):
            raise Unprocessable(f"Validation failed: {name} must be text", field=name)
        return str(value)

    def required_string(self, name: str) -> str:
        value = self.string(name)
        if value is None or not value.strip():
            raise Unprocessable(f"Validation failed: {name} is missing")
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise Unprocessable(f"Validation failed: {name} must be true or false, not {str(value)[:40]!r}")

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise Unprocessable(
                f"Validation failed: {name} must be a number, not {str(value)[:40]!r}"
            ) from None

    def strings(self, name: str) -> list[str]:
        values = self.values(name)
        if any(value is None or isinstance(value, dict | list | bool | UploadFile) for value in values):
            raise Unprocessable(f"Validation failed: {name} must be a list of text or numbers", field=name)
        return [str(value) for value in values if str(value) != ""]


# An upload larger than this is refused before it is read into memory.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


async def _in_memory(upload: UploadFile) -> UploadFile:
    """Copy an upload into memory, so the form's temporary file can be closed at once."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB")
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB")
    return UploadFile(io.BytesIO(data), size=len(data), filename=upload.filename, headers=upload.headers)


async def read_params(request: Request) -> Params:
    """Collect the parameters of a request; the body wins over the query string."""
    values: dict[str, list[Any]] = {}
    for name, value in request.query_params.multi_items():
        values.setdefault(name, []).append(value)

    if request.method in ("GET", "HEAD", "OPTIONS"):
        return Params(values)

    body_values = await _body_values(request)
    for name, found in body_values.items():
        values[name] = found
    return Params(values)


async def _body_values(request: Request) -> dict[str, list[Any]]:
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    body_values: dict[str, list[Any]] = {}

    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form()
        except (ValueError, KeyError, AssertionError) as error:
            raise BadRequest(f"The request body is not a valid form: {error}") from error
        try:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    value = await _in_memory(value)
                body_values.setdefault(name, []).append(value)
        finally:
            # Starlette spools uploads to temporary files that stay open until closed.
            await form.close()
        return body_values

    body = await request.body()
    if not body.strip():
        return body_values
    if content_type.endswith("json") or body.lstrip()[:1] in (b"{", b"["):
        try:
            document = json.loads(body)
        except ValueError as error:
            raise BadRequest(f"The request body is not valid JSON: {error.args[0]}") from error
        if not isinstance(document, dict):
            raise BadRequest("The request body must be a JSON object")
        for name, value in document.items():
            # A JSON null means the field was left out.
            if value is not None:
                body_values[name] = [value]
    return body_values

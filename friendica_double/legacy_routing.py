"""API routing of Friendica 3.5.4 (``api_call()`` in ``include/api.php``).

3.5.4 registers each endpoint as a path such as ``api/statuses/show``, and
again under ``api/1.1/``. It serves a request with the first registered
path that is a *prefix* of the request's path. So
``api/statuses/show.json``, ``api/statuses/show/12`` and even
``api/statuses/showing`` reach ``statuses/show``. A request that matches
no path gets 501 "Not Implemented", including ``/api/v1/...``.

The output format is picked by searching the request for ``.xml``,
``.json``, ``.rss`` or ``.atom`` (JSON without any). The double writes JSON
only and answers the other formats with 501 before running the handler.

A method outside the route's list gives 405. Errors are JSON wrapped in
``status``: ``{"status": {"error": ..., "code": "400 Bad Request",
"request": "api/statuses/show.json?id=5"}}``. JSON is encoded like PHP's
``json_encode()``: ``/`` escaped as ``\\/`` and non-ASCII as ``\\uXXXX``.
Handlers return the JSON payload (``None`` and ``False`` included, which
3.5.4 sends as ``null`` and ``false``), or ``empty_body()`` where 3.5.4
prints nothing. A ``callback`` query parameter wraps the JSON in a JSONP
call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from . import credentials, oauth1
from .context import Site, logger
from .db import Row, Store
from .params import Params
from .routing import _in_memory

JSON_TYPE = "application/json"
# PHP's default content type, which 3.5.4 sends with its OAuth and plain-text responses.
PHP_TEXT_TYPE = "text/html; charset=UTF-8"
# Formats in the order 3.5.4 checks them; a later match wins.
FORMATS = ("xml", "json", "rss", "atom")
ANY = "*"
GET = "GET"
POST = "POST,PUT"
DELETE = "POST,DELETE"


class LegacyError(Exception):
    """An HTTPException of 3.5.4: ``status`` and a message (the reason phrase when empty)."""

    def __init__(self, status: int, message: str = "", headers: dict[str, str] | None = None):
        self.status = status
        self.phrase = HTTPStatus(status).phrase
        self.message = message or self.phrase
        self.headers = headers or {}
        super().__init__(self.message)


class LoginRequired(LegacyError):
    """401 "This API requires login", with the Basic challenge."""

    def __init__(self) -> None:
        super().__init__(401, "This API requires login", {"WWW-Authenticate": 'Basic realm="Friendica"'})


class PlainFailure(Exception):
    """A failure that 3.5.4 prints as plain text with ``die()`` (PHP's default content type)."""

    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status = status
        self.text = text


@dataclass
class LegacyCall:
    """One API request as 3.5.4's handlers see it.

    ``query`` is PHP's ``$_GET``, ``form`` its ``$_POST`` and ``params`` its
    ``$_REQUEST`` (form over query). ``argv`` are the path segments
    (``api``, ``statuses``, ``show``, ``12.json``) and ``called_api`` the
    segments of the matched route. ``user`` is the logged-in caller (3.5.4's
    ``api_user()``). ``credentials_user`` is the user the request's
    credentials name, who is logged in only when a route needs a login or a
    handler falls back to the caller.
    """

    site: Site
    request: Request
    query: Params
    form: Params
    params: Params
    files: dict[str, UploadFile]
    argv: list[str]
    called_api: list[str]
    query_string: str
    user: Row | None
    credentials_user: Row | None = None
    login_failure: PlainFailure | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def store(self) -> Store:
        """Return the site's store."""
        return self.site.store

    @property
    def uid(self) -> int:
        """Return the caller's uid, 0 when anonymous."""
        return int(self.user["uid"]) if self.user is not None else 0

    def require_user(self) -> Row:
        """Log the caller in and return them, or raise what 3.5.4's api_login() sends without a login."""
        if self.user is not None:
            return self.user
        if self.credentials_user is not None:
            self.user = self.credentials_user
            return self.user
        if self.login_failure is not None:
            raise self.login_failure
        raise LoginRequired()

    def arg(self, index: int) -> str:
        """Return path segment ``index`` (``$a->argv[index]``), or "" when the path is shorter."""
        return self.argv[index] if index < len(self.argv) else ""

    def path_or_param_id(self) -> int:
        """Return the item id as 3.5.4 reads it: ``argv[3]``, then ``id``, then ``argv[4]`` (Hotot)."""
        return php_intval(self.arg(3)) or php_intval(self.params.string("id")) or php_intval(self.arg(4))


LegacyHandler = Callable[[LegacyCall], Any]


@dataclass(frozen=True)
class LegacyRoute:
    """A registered path without ``api/``, its methods (``*`` or a comma list) and its handler."""

    path: str
    methods: str
    handler: LegacyHandler
    auth: bool = True


_LEADING_INT = re.compile(r"^\s*([+-]?\d+)")


def php_intval(value: str | None) -> int:
    """Return PHP's ``intval()`` of a string: its leading integer, 0 when there is none."""
    match = _LEADING_INT.match(value or "")
    return int(match.group(1)) if match else 0


def php_json(value: Any) -> str:
    """Encode like PHP's ``json_encode()`` without flags."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


def wrapped_error(error: LegacyError, query_string: str) -> Response:
    """Render 3.5.4's error body ``{"status": {"error", "code", "request"}}``."""
    body = {
        "status": {"error": error.message, "code": f"{error.status} {error.phrase}", "request": query_string}
    }
    headers = {**error.headers, "Content-Type": JSON_TYPE}
    return Response(php_json(body), status_code=error.status, headers=headers)


def plain_text(status: int, text: str) -> Response:
    """Render a response that 3.5.4 prints with ``echo`` or ``die()``."""
    return Response(text, status_code=status, headers={"Content-Type": PHP_TEXT_TYPE})


class LegacyRouter:
    """Serves ``/api/...`` like 3.5.4's ``api_call()``."""

    def __init__(self, site: Site, routes: list[LegacyRoute]):
        self.site = site
        # api_register_func() adds every path twice, the second time under api/1.1/.
        self.routes: list[tuple[str, LegacyRoute]] = []
        for route in routes:
            self.routes.append((f"api/{route.path}", route))
            self.routes.append((f"api/1.1/{route.path}", route))

    async def __call__(self, request: Request) -> Response:
        path = request.url.path.lstrip("/")
        query_string = path + (f"?{request.url.query}" if request.url.query else "")
        try:
            return await self._dispatch(request, path, query_string)
        except LegacyError as error:
            logger.info("%s %s responded %d: %s", request.method, path, error.status, error.message)
            return wrapped_error(error, query_string)
        except PlainFailure as failure:
            logger.info("%s %s responded %d: %s", request.method, path, failure.status, failure.text)
            return plain_text(failure.status, failure.text)

    async def _dispatch(self, request: Request, path: str, query_string: str) -> Response:
        output = "json"
        for candidate in FORMATS:
            if query_string.find(f".{candidate}") > 0:
                output = candidate

        found = next(((prefix, route) for prefix, route in self.routes if path.startswith(prefix)), None)
        if found is None:
            raise LegacyError(501)
        prefix, route = found
        # 3.5.4 tests whether the method name occurs in the list ("POST,PUT").
        if route.methods != ANY and request.method not in route.methods:
            raise LegacyError(405)
        if output != "json":
            raise LegacyError(501, f"The double does not implement .{output} output; use .json or no suffix.")

        query, form, files = await read_legacy_params(request)
        params = Params({**query.values, **form.values})
        user, failure = await identify(self.site, request, query, form)
        call = LegacyCall(
            site=self.site,
            request=request,
            query=query,
            form=form,
            params=params,
            files=files,
            argv=path.split("/"),
            called_api=prefix.split("/"),
            query_string=query_string,
            user=None,
            credentials_user=user,
            login_failure=failure,
        )
        if route.auth:
            call.require_user()
        try:
            result = route.handler(call)
        finally:
            for upload in files.values():
                await upload.close()
        return render_result(result, query)


def empty_body() -> Response:
    """Return the empty 200 response of a 3.5.4 handler that prints nothing."""
    return Response(b"", headers={"Content-Type": JSON_TYPE})


def render_result(result: Any, query: Params) -> Response:
    """Turn a handler's result into 3.5.4's response: JSON, or JSONP with ``callback``."""
    if isinstance(result, Response):
        return result
    body = php_json(result)
    if query.non_empty("callback"):
        body = f"{query.string('callback')}({body})"
    return Response(body, headers={"Content-Type": JSON_TYPE})


async def read_legacy_params(request: Request) -> tuple[Params, Params, dict[str, UploadFile]]:
    """Return PHP's ``$_GET``, ``$_POST`` and ``$_FILES`` of a request (no JSON bodies, as in 3.5.4)."""
    query = Params.from_pairs(request.query_params.multi_items())
    form_pairs: list[tuple[str, str]] = []
    files: dict[str, UploadFile] = {}
    content_type = request.headers.get("content-type", "")
    if request.method in ("POST", "PUT", "DELETE", "PATCH") and (
        content_type.startswith("application/x-www-form-urlencoded")
        or content_type.startswith("multipart/form-data")
    ):
        form = await request.form()
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = await _in_memory(value)
            else:
                form_pairs.append((key, value))
        await form.close()
    return query, Params.from_pairs(form_pairs), files


async def identify(
    site: Site, request: Request, query: Params, form: Params
) -> tuple[Row | None, PlainFailure | None]:
    """Return the caller like 3.5.4's api_login(): a valid OAuth 1 signature first, then HTTP Basic.

    A valid signature whose access token names no user (a token issued
    without a verifier) is the plain-text 401 that 3.5.4's
    ``FKOAuth1::loginUser()`` dies with.
    """
    try:
        token = oauth1.verify_api_request(site, request, query, form)
    except oauth1.OAuthFailure as failure:
        logger.debug("OAuth 1 login not used: %s", failure.message)
    else:
        user = site.store.user(int(token["uid"])) if token["uid"] else None
        if user is None:
            return None, PlainFailure(401, "This api requires login")
        return user, None

    pair = credentials.basic_credentials(request.headers.get("authorization", ""))
    if pair is None:
        return None, None
    login, password = pair
    user = await credentials.check_password(site, login, password)
    if user is None:
        logger.info("rejected basic credentials for %r", login)
    return user, None

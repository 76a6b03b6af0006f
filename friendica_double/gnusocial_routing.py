"""API routing of GNU social 1.2 (``lib/router.php``, ``lib/apiauthaction.php``, ``Action::clientError()``).

Routes need a format suffix (``statuses/home_timeline.json``); without
one even ``account/verify_credentials``, which has a route for it, ends in
the 404 page. Ids may be path
segments (``statuses/show/12.json``), and a request parameter of the same
name wins over the path. A path no route matches gets the HTML error page
with 404 "Page not found", so does a format the route does not offer. The
double writes JSON only and rejects ``.xml``, ``.rss``, ``.atom`` and
``.as`` with a 501 JSON error.

Errors are ``{"error": message, "request": "/api/...?query"}`` with the
status code, or with 200 when the request carries a JSONP ``callback``.
JSON is encoded like PHP's ``json_encode()`` (``\\/`` and ``\\uXXXX``) and
sent as ``application/json; charset=utf-8``.

Logins use HTTP Basic; the realm is the site name and " API". Endpoints
differ in what they need: ``required`` always needs a login, ``optional``
none (wrong credentials then count as none), ``bare`` needs one only when
the request names no user (``id``, ``user_id`` or ``screen_name``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from . import credentials
from .context import Site, logger
from .db import Row, Store
from .legacy_routing import php_json, read_legacy_params
from .params import Params

JSON_TYPE = "application/json; charset=utf-8"
REQUIRED = "required"
OPTIONAL = "optional"
BARE = "bare"
ALL_FORMATS = ("xml", "json", "rss", "atom", "as")
XML_JSON = ("xml", "json")
_SEGMENT = re.compile(r"\\\{(\w+)\\\}")


class GsError(Exception):
    """A client or server error of GNU social: ``status`` and its message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class GsPage(Exception):
    """An error GNU social shows as an HTML page (no route for the path)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class GsCall:
    """One API request: merged parameters (path, then query and form), files and the caller."""

    site: Site
    request: Request
    params: Params
    files: dict[str, UploadFile]
    output: str
    user: Row | None

    @property
    def store(self) -> Store:
        """Return the site's store."""
        return self.site.store

    @property
    def uid(self) -> int:
        """Return the caller's uid, 0 when anonymous."""
        return int(self.user["uid"]) if self.user is not None else 0

    @property
    def profile_id(self) -> int:
        """Return the caller's profile id (public contact id), 0 when anonymous."""
        return int(self.user["public_contact"]) if self.user is not None else 0

    def require_user(self) -> Row:
        """Return the caller; a handler of an authenticated route always has one."""
        if self.user is None:
            raise GsError(404, "No such user.")
        return self.user


GsHandler = Callable[[GsCall], Any]


@dataclass(frozen=True)
class GsRoute:
    """A path after ``api/``, its formats and its login rule.

    ``{id}`` in the path matches digits, ``{nick}`` a nickname or an id;
    both become the parameter ``id``.

    ``post_only`` is GNU social's ``needPost``: any other method gets 405.
    """

    path: str
    handler: GsHandler
    auth: str = REQUIRED
    post_only: bool = False
    formats: tuple[str, ...] = XML_JSON

    def compile(self) -> re.Pattern[str]:
        """Return the expression that matches this route's URL paths."""
        path = _SEGMENT.sub(_segment_pattern, re.escape(self.path))
        formats = "|".join(self.formats)
        return re.compile(rf"^/api/{path}\.(?P<format>{formats})$")


def _segment_pattern(match: re.Match[str]) -> str:
    return r"(?P<id>[0-9]+)" if match.group(1) == "id" else r"(?P<id>[A-Za-z0-9_.@-]+?)"


def request_uri(request: Request) -> str:
    """Return PHP's ``REQUEST_URI``: the path with its query."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def json_response(
    body: Any, status: int = 200, callback: str = "", headers: dict[str, str] | None = None
) -> Response:
    """Render JSON like GNU social's ``initDocument('json')``, wrapped in a JSONP call when asked."""
    text = php_json(body)
    if callback:
        text = f"{callback}({text})"
    return Response(text, status_code=status, headers={**(headers or {}), "Content-Type": JSON_TYPE})


def error_page(site: Site, status: int, message: str) -> HTMLResponse:
    """Render GNU social's HTML error page (``ClientErrorAction``) with the double's wording."""
    phrase = HTTPStatus(status).phrase
    document = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(phrase)} - {html.escape(site.profile.site_name)}</title>\n</head>\n<body>\n"
        f'<h1>{html.escape(phrase)}</h1>\n<div class="error">{html.escape(message)}</div>\n</body>\n</html>\n'
    )
    return HTMLResponse(document, status_code=status)


class GsRouter:
    """Serves ``/api/...`` like GNU social's router and API actions."""

    def __init__(self, site: Site, routes: list[GsRoute]):
        self.site = site
        self.routes = [(route, route.compile()) for route in routes]

    async def __call__(self, request: Request) -> Response:
        callback = request.query_params.get("callback", "")
        try:
            return await self._dispatch(request)
        except GsError as error:
            logger.info(
                "%s %s responded %d: %s", request.method, request.url.path, error.status, error.message
            )
            status = 200 if callback else error.status
            body = {"error": error.message, "request": request_uri(request)}
            return json_response(body, status, callback, error.headers)
        except GsPage as page:
            logger.info("%s %s responded with the %d page", request.method, request.url.path, page.status)
            return error_page(self.site, page.status, page.message)

    async def _dispatch(self, request: Request) -> Response:
        found = next(
            ((route, match) for route, pattern in self.routes if (match := pattern.match(request.url.path))),
            None,
        )
        if found is None:
            raise GsPage(404, "No page was found at this address.")
        route, match = found
        output = match.group("format")
        if output != "json":
            raise GsError(501, f"The double does not implement .{output} output; use .json.")

        query, form, files = await read_legacy_params(request)
        path_values = {key: value for key, value in match.groupdict().items() if key != "format" and value}
        params = Params({**path_values, **query.values, **form.values})
        # GNU social's Action::prepare() checks the method before the API login.
        if route.post_only and request.method != "POST":
            raise GsError(405, "This method requires a POST.")
        user = await self._caller(request, route, params)
        call = GsCall(self.site, request, params, files, output, user)
        try:
            result = route.handler(call)
        finally:
            for upload in files.values():
                await upload.close()
        if isinstance(result, Response):
            return result
        return json_response(result, callback=query.string("callback"))

    async def _caller(self, request: Request, route: GsRoute, params: Params) -> Row | None:
        required = route.auth == REQUIRED or (
            route.auth == BARE
            and not (params.non_empty("id") or params.non_empty("user_id") or params.non_empty("screen_name"))
        )
        realm = f"{self.site.profile.site_name} API"
        challenge = {"WWW-Authenticate": f'Basic realm="{realm}"'}
        pair = credentials.basic_credentials(request.headers.get("authorization", ""))
        if pair is None:
            if required:
                raise GsError(401, "Could not authenticate you.", challenge)
            return None
        user = await credentials.check_password(self.site, *pair)
        if user is None and required:
            logger.info("rejected basic credentials for %r", pair[0])
            raise GsError(401, "Could not authenticate you.", challenge)
        return user

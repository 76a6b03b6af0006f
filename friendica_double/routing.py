"""API routing with Friendica 2024.08's quirks.

Routes are declared per module as ``ApiRoute`` entries. Twitter-style routes
are served under ``/api/`` and ``/api/1.1/``, with an optional ``.json``,
``.xml``, ``.rss`` or ``.atom`` suffix. No suffix means JSON, and any other
suffix does not match. When no route matches, a GET gets the site page with 404, and any other
method gets the site page with status 200. When the path matches but the
method does not, a GET gets 405 and other methods again 200.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import credentials, errors
from .context import Site, logger
from .db import Row, Store
from .params import Params
from .render import TwitterRenderer
from .render_mastodon import MastodonRenderer

TWITTER_PREFIXES = ("/api", "/api/1.1")
NATIVE_PREFIXES = ("/api",)
EXTENSIONS = ("json", "xml", "rss", "atom")


@dataclass
class Call:
    """One API request as handlers see it."""

    site: Site
    request: Request
    params: Params
    path_params: dict[str, str]
    extension: str | None
    user: Row | None
    files: dict[str, UploadFile] = field(default_factory=dict)
    # The OAuth 2 token row of a bearer-token call (None for Basic auth and anonymous calls).
    token: Row | None = None
    # The raw request body (PHP's php://input), which is empty for multipart requests as in PHP.
    body: bytes = b""
    _twitter: TwitterRenderer | None = None
    _mastodon: MastodonRenderer | None = None

    @property
    def store(self) -> Store:
        """Return the site's store."""
        return self.site.store

    @property
    def uid(self) -> int:
        """Return the caller's user id (0 when anonymous)."""
        return int(self.user["uid"]) if self.user is not None else 0

    def require_user(self) -> Row:
        """Return the caller or raise the 401 error."""
        if self.user is None:
            raise errors.Unauthorized()
        return self.user

    @property
    def twitter(self) -> TwitterRenderer:
        """Return the request's Twitter object renderer."""
        if self._twitter is None:
            self._twitter = TwitterRenderer(self.site)
        return self._twitter

    @property
    def mastodon(self) -> MastodonRenderer:
        """Return the request's Mastodon object renderer."""
        if self._mastodon is None:
            self._mastodon = MastodonRenderer(self.site)
        return self._mastodon


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class ApiRoute:
    """A path (``{id}`` marks a numeric segment, another ``{name}`` any segment), its methods and handler."""

    path: str
    methods: tuple[str, ...]
    handler: Handler
    auth: bool = True
    prefixes: tuple[str, ...] = TWITTER_PREFIXES
    extensions: bool = True

    def compile(self) -> re.Pattern[str]:
        """Return the regular expression that matches this route's URL paths."""
        prefixes = "|".join(re.escape(prefix) for prefix in sorted(self.prefixes, key=len, reverse=True))
        path = _SEGMENT.sub(_segment_pattern, re.escape(self.path))
        suffix = rf"(?:\.(?P<extension>{'|'.join(EXTENSIONS)}))?" if self.extensions else ""
        return re.compile(rf"^(?:{prefixes})/{path}{suffix}$")


# A ``{name}`` segment in an escaped route path. ``{id}`` takes digits, any other name one segment.
_SEGMENT = re.compile(r"\\\{(\w+)\\\}")


def _segment_pattern(match: re.Match[str]) -> str:
    name = match.group(1)
    return rf"(?P<{name}>\d+)" if name == "id" else rf"(?P<{name}>[^/.]+)"


class Router:
    """Matches API requests to routes and turns results and errors into responses."""

    def __init__(self, site: Site, routes: Iterable[ApiRoute]):
        self.site = site
        self.routes = [(route, route.compile()) for route in routes]

    async def __call__(self, request: Request) -> Response:
        call = f"{request.method} {request.url.path}"
        try:
            return await self._dispatch(request)
        except errors.ApiError as error:
            logger.info("%s responded %d: %s", call, error.status, error.message)
            return errors.exception_page(error)
        except errors.SitePage as page:
            logger.info("%s responded with the site page and status %d (no route)", call, page.status)
            return errors.site_page(page.status, self.site.profile.site_name, self.site.base_url)
        except errors.EmptyError as error:
            logger.info("%s responded %d with an empty body", call, error.status)
            return errors.empty_error(error)
        except errors.JsonError as error:
            logger.info("%s responded %d: %s", call, error.status, error.message)
            return errors.json_error(error)

    async def _dispatch(self, request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        matches = [
            (route, match) for route, pattern in self.routes if (match := pattern.match(request.url.path))
        ]
        if not matches:
            raise errors.SitePage(404 if method == "GET" else 200)

        chosen = next(((route, match) for route, match in matches if method in route.methods), None)
        if chosen is None:
            raise errors.SitePage(405 if method == "GET" else 200)
        route, match = chosen

        body = b""
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            # Reading the body first keeps it for read_params(): Starlette replays a read body.
            body = await request.body()
        params, files = await read_params(request)
        caller = await credentials.identify(self.site, request)
        if route.auth:
            credentials.check_access(caller, route.path, method)
        user = caller.user
        if route.auth and user is None:
            raise errors.Unauthorized()

        groups = match.groupdict()
        call = Call(
            site=self.site,
            request=request,
            params=params,
            path_params={key: value for key, value in groups.items() if key != "extension" and value},
            extension=groups.get("extension"),
            user=user,
            files=files,
            token=caller.token,
            body=body,
        )
        try:
            result = route.handler(call)
        finally:
            for upload in files.values():
                await upload.close()
        if call.extension in ("xml", "rss", "atom"):
            # NOTE: the handler has already run, so a write call with such a suffix takes effect.
            raise errors.ApiError(
                501,
                f"The double does not implement .{call.extension} output; use .json or no suffix.",
            )
        if isinstance(result, Response):
            return result
        return JSONResponse(result)


async def _in_memory(upload: UploadFile) -> UploadFile:
    """Copy an upload into memory, so the form's temporary files can be closed at once."""
    data = await upload.read()
    return UploadFile(io.BytesIO(data), size=len(data), filename=upload.filename, headers=upload.headers)


async def read_params(request: Request) -> tuple[Params, dict[str, UploadFile]]:
    """Return the merged request parameters and uploaded files, as Friendica's modules get them.

    That is PHP's ``$_REQUEST`` (query and form, the form winning) over the
    members of a JSON object body, which Friendica's HTTPInputData decodes
    for any request that is not multipart.
    """
    pairs_from_form: list[tuple[str, str]] = []
    pairs_from_json: list[tuple[str, str]] = []
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
                pairs_from_form.append((key, value))
        # Starlette spools uploads to temporary files that stay open until closed.
        await form.close()
    elif not content_type.startswith("multipart/form-data"):
        pairs_from_json = _json_object_pairs(await request.body())

    params = Params.from_pairs(pairs_from_json, request.query_params.multi_items(), pairs_from_form)
    return params, files


def _json_object_pairs(body: bytes) -> list[tuple[str, str]]:
    """Return the members of a JSON object body as form pairs (``name[]`` for lists); [] otherwise."""
    try:
        decoded = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(decoded, dict):
        return []

    pairs = []
    for key, value in decoded.items():
        if isinstance(value, list):
            pairs += [(f"{key}[]", _php_string(item)) for item in value]
        elif isinstance(value, dict):
            pairs += [(f"{key}[{name}]", _php_string(item)) for name, item in value.items()]
        elif value is not None:
            pairs.append((str(key), _php_string(value)))
    return pairs


def _php_string(value: object) -> str:
    """Return a decoded JSON value as PHP's string conversion shows it (arrays become "Array")."""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, list | dict):
        return "Array"
    return str(value)

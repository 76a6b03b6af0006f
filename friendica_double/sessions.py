"""Browser sessions behind a ``PHPSESSID`` cookie, and the routes of pages that use them.

Friendica 2024.08 keeps PHP sessions in its ``session`` table (the default
``session_handler`` is ``database``) and never names the session, so the
cookie is PHP's default ``PHPSESSID`` with ``path=/`` and ``HttpOnly``
(``Secure`` on an https site). PHP accepts any well-formed session id a
browser sends, because ``session.use_strict_mode`` is off by default, and
sends the cookie only when the request had none. A session whose data is
empty is not stored. The double never expires sessions.

Friendica starts a session for every request outside its backend modules
(``/api``, ``/photo`` and others), so the OAuth and login pages all get one.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import errors
from .context import Site
from .params import Params
from .routing import read_params

COOKIE_NAME = "PHPSESSID"
# PHP's session id characters: 26 characters of 5 bits each (php.ini-production).
_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuv"
_ID_LENGTH = 26
# Ids PHP accepts from a browser; any other cookie value gets a new session.
_VALID_ID = re.compile(r"^[A-Za-z0-9,-]{1,256}$")
# Headers that PHP's default session.cache_limiter ("nocache") adds to every response with a session.
NO_CACHE_HEADERS = {
    "Expires": "Thu, 19 Nov 1981 08:52:00 GMT",
    "Cache-Control": "no-store, no-cache, must-revalidate",
    "Pragma": "no-cache",
}


class BrowserSession:
    """The session data of one request, written back by ``finish()``."""

    def __init__(self, site: Site, session_id: str, data: dict[str, Any], is_new: bool):
        self.site = site
        self.session_id = session_id
        self.data = data
        self.is_new = is_new

    @classmethod
    def load(cls, site: Site, request: Request) -> BrowserSession:
        """Return the session named by the request's cookie, or a new one."""
        session_id = request.cookies.get(COOKIE_NAME, "")
        if not _VALID_ID.match(session_id):
            new_id = "".join(secrets.choice(_ID_ALPHABET) for _ in range(_ID_LENGTH))
            return cls(site, new_id, {}, is_new=True)
        stored = site.store.scalar("SELECT data FROM session WHERE sid = ?", [session_id])
        return cls(site, session_id, json.loads(stored) if stored else {}, is_new=False)

    def get(self, name: str, default: Any = None) -> Any:
        """Return one session value."""
        return self.data.get(name, default)

    def set(self, name: str, value: Any) -> None:
        """Set one session value."""
        self.data[name] = value

    def remove(self, name: str) -> None:
        """Delete one session value if present."""
        self.data.pop(name, None)

    def pop(self, name: str, default: Any = None) -> Any:
        """Return one session value and delete it."""
        return self.data.pop(name, default)

    def clear(self) -> None:
        """Delete all session values (logging out), keeping the session id like PHP."""
        self.data = {}

    def local_user_id(self) -> int:
        """Return the logged-in user's uid, or 0."""
        if self.data.get("authenticated") and self.data.get("uid"):
            return int(self.data["uid"])
        return 0

    def finish(self, response: Response) -> Response:
        """Store the session data and add the cookie and PHP's no-cache headers to ``response``."""
        store = self.site.store
        if self.data:
            store.execute(
                "INSERT OR REPLACE INTO session (sid, data) VALUES (?, ?)",
                [self.session_id, json.dumps(self.data)],
            )
        else:
            store.execute("DELETE FROM session WHERE sid = ?", [self.session_id])

        if self.is_new:
            response.set_cookie(
                COOKIE_NAME,
                self.session_id,
                path="/",
                httponly=True,
                secure=self.site.base_url.startswith("https:"),
                samesite=None,
            )
        for name, value in NO_CACHE_HEADERS.items():
            response.headers[name] = value
        return response


@dataclass
class PageRequest:
    """One request to a page with a session, as its handler gets it."""

    site: Site
    request: Request
    params: Params
    session: BrowserSession


PageHandler = Callable[[PageRequest], Awaitable[Response]]
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


def session_route(site: Site, path: str, handlers: Mapping[str, PageHandler]) -> Route:
    """Return a route that serves ``handlers`` by method, each with the request's session.

    A method without a handler gets the site page like the API router does:
    405 for GET and 200 for other methods. An ``ApiError`` becomes the
    exception page.
    """

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        session = BrowserSession.load(site, request)
        handler = handlers.get(method)
        if handler is None:
            response = errors.site_page(
                405 if method == "GET" else 200, site.profile.site_name, site.base_url
            )
            return session.finish(response)

        params, files = await read_params(request)
        for upload in files.values():
            await upload.close()
        try:
            response = await handler(PageRequest(site, request, params, session))
        except errors.ApiError as error:
            response = errors.exception_page(error)
        return session.finish(response)

    return Route(path, endpoint, methods=ALL_METHODS)

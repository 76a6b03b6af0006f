"""Error responses in the shapes Friendica 2024.08 sends them.

Friendica sends API errors in three ways, and clients meet all of them:

- an exception page: a small HTML document with the reason phrase in ``<h1>``
  and the message in ``<p>``, sent with the error's status code
  (``text/html; charset=UTF-8``);
- the themed site page that Friendica's router shows for unknown paths and
  wrong methods (``text/html; charset=utf-8``). For GET it carries 404 or
  405, for any other method it is sent with status 200 because the router's
  fallback modules only render errors for GET;
- JSON bodies ``{"error": ...}`` from the Mastodon-style endpoints.
"""

from __future__ import annotations

import html
import secrets
from http import HTTPStatus

from starlette.responses import JSONResponse, Response

# Standard descriptions of the status codes, used when a handler gives no
# message of its own (Friendica shows the same generic sentences).
DEFAULT_MESSAGES = {
    400: "The server cannot or will not process the request due to an apparent client error.",
    401: "This API requires login",
    403: (
        "The request was valid, but the server is refusing action. The user might not "
        "have the necessary permissions for a resource, or may need an account."
    ),
    404: "The requested resource could not be found but may be available in the future.",
    405: "A request method is not supported for the requested resource.",
    500: "An unexpected condition was encountered and no more specific message is suitable.",
    501: "The server either does not recognize the request method, or it lacks the ability "
    "to fulfil the request.",
}

EXCEPTION_PAGE_TYPE = "text/html; charset=UTF-8"
SITE_PAGE_TYPE = "text/html; charset=utf-8"


class ApiError(Exception):
    """An error that becomes an exception page with ``status`` and ``message``."""

    def __init__(self, status: int, message: str = "", headers: dict[str, str] | None = None):
        super().__init__(message or DEFAULT_MESSAGES.get(status, HTTPStatus(status).phrase))
        self.status = status
        self.message = str(self)
        self.headers = headers or {}


class Unauthorized(ApiError):
    """Missing or wrong credentials on an endpoint that needs a login."""

    def __init__(self) -> None:
        super().__init__(401, "This API requires login", {"WWW-Authenticate": 'Basic realm="Friendica"'})


class SitePage(Exception):
    """The themed site page, sent with ``status`` (200 for the non-GET fallbacks)."""

    def __init__(self, status: int):
        super().__init__(f"site page with status {status}")
        self.status = status


class EmptyError(Exception):
    """A failure that Friendica sends as an empty HTML body with ``status``."""

    def __init__(self, status: int):
        super().__init__(f"empty body with status {status}")
        self.status = status


class JsonError(Exception):
    """A Mastodon-style error: JSON ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def exception_page(error: ApiError) -> Response:
    """Render ``error`` as Friendica's exception page."""
    phrase = HTTPStatus(error.status).phrase
    body = (
        f"<html>\n\t<head>\n\t\t<title>{html.escape(phrase)}</title>\n\t</head>\n\t<body>\n"
        f"\t\t<h1>{html.escape(phrase)}</h1>\n\t\t<p>{html.escape(error.message)}</p>\n"
        f"\t\t\t\t<pre>Request: {secrets.token_hex(7)[:13]}</pre>\n\t\t</body>\n</html>\n"
    )
    headers = {**error.headers, "Content-Type": EXCEPTION_PAGE_TYPE}
    return Response(body, status_code=error.status, headers=headers)


def site_page(status: int, site_name: str, base_url: str) -> Response:
    """Render the generic themed page that the router shows for unrouted requests."""
    body = (
        "<!DOCTYPE html>\n<html>\n\t<head>\n"
        f"\t\t<title>{html.escape(site_name)} | Api</title>\n"
        f'\t\t<base href="{html.escape(base_url)}/" />\n'
        '\t\t<meta name="generator" content="Friendica double" />\n'
        "\t</head>\n\t<body>\n"
        f"\t\t<h1>{html.escape(site_name)}</h1>\n"
        "\t\t<p>This page is the site page of the Friendica double. Friendica shows it "
        "when no API route matches the request.</p>\n"
        "\t</body>\n</html>\n"
    )
    return Response(body, status_code=status, headers={"Content-Type": SITE_PAGE_TYPE})


def empty_error(error: EmptyError) -> Response:
    """Render an empty-bodied failure."""
    return Response(b"", status_code=error.status, headers={"Content-Type": EXCEPTION_PAGE_TYPE})


def json_error(error: JsonError) -> Response:
    """Render a Mastodon-style JSON error."""
    return JSONResponse({"error": error.message}, status_code=error.status)

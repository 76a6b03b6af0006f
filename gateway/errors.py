"""The errors a client can see, and the one handler that renders them.

Every failure that reaches a client is one of these classes, rendered as
Mastodon renders errors: ``{"error": "..."}`` with the status code Mastodon
would use. The tree::

    GatewayError                      any error with a client-safe message
    ├── ClientError                   the request cannot be served (4xx)
    │   ├── BadRequest                400 malformed request
    │   ├── Unauthorized              401 missing, invalid or revoked token
    │   ├── Forbidden                 403 the token lacks the scope
    │   ├── NotFound                  404 unknown id, or not visible to the viewer
    │   ├── Conflict                  409 the same request is still being processed
    │   ├── PayloadTooLarge           413
    │   ├── Unprocessable             422 invalid input, or a feature the upstream lacks
    │   └── RateLimited               429
    └── UpstreamError                 the upstream failed us (5xx)
        ├── UpstreamUnreachable       502 connection refused, DNS, TLS
        ├── UpstreamBadResponse       502 HTML page, empty or malformed body,
        │                                 a write the upstream did not perform
        ├── UpstreamHTTPError         502 (or 503) an error status we did not expect
        └── UpstreamTimeout           504

Each error carries the text a client may see and, separately, the internal
detail that only goes to the log. Upstream status codes become these
exceptions only inside ``gateway.upstream``.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)


class GatewayError(Exception):
    """An error with an HTTP status and a message that is safe to show a client."""

    status_code = 500
    default_message = "Internal server error"

    def __init__(self, message: str | None = None, *, detail: str | None = None) -> None:
        self.message = message or self.default_message
        self.detail = detail
        super().__init__(self.message if detail is None else f"{self.message} ({detail})")


class ClientError(GatewayError):
    status_code = 400
    default_message = "Bad request"


class BadRequest(ClientError):
    status_code = 400


class Unauthorized(ClientError):
    status_code = 401
    default_message = "The access token is invalid"


class Forbidden(ClientError):
    status_code = 403
    default_message = "This action is outside the authorized scopes"


class NotFound(ClientError):
    status_code = 404
    default_message = "Record not found"


class Conflict(ClientError):
    status_code = 409
    default_message = "A request with the same Idempotency-Key is still being processed"


class PayloadTooLarge(ClientError):
    status_code = 413
    default_message = "Request entity too large"


class Unprocessable(ClientError):
    """Invalid input. Rendered with Mastodon's ``details``, naming the field at fault where one is known."""

    status_code = 422
    default_message = "Validation failed"

    def __init__(
        self,
        message: str | None = None,
        *,
        detail: str | None = None,
        field: str | None = None,
        code: str = "ERR_INVALID",
    ) -> None:
        super().__init__(message, detail=detail)
        self.field = field
        self.code = code

    def details(self) -> dict[str, list[dict[str, str]]]:
        if self.field is None:
            return {}
        return {self.field: [{"error": self.code, "description": self.message}]}


class RateLimited(ClientError):
    status_code = 429
    default_message = "Too many requests"

    def __init__(
        self, message: str | None = None, *, detail: str | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message, detail=detail)
        self.retry_after = retry_after


class UpstreamError(GatewayError):
    status_code = 502
    default_message = "The upstream server failed to respond correctly"


class UpstreamUnreachable(UpstreamError):
    status_code = 502
    default_message = "The upstream server cannot be reached"


class UpstreamBadResponse(UpstreamError):
    status_code = 502
    default_message = "The upstream server sent an unexpected response"


class UpstreamHTTPError(UpstreamError):
    """An upstream error status that the endpoint's method did not turn into a meaning."""

    def __init__(self, upstream_status: int, upstream_message: str | None, path: str) -> None:
        self.upstream_status = upstream_status
        self.upstream_message = upstream_message
        self.path = path
        if upstream_status == 503:
            self.status_code = 503
            message = "The upstream server is temporarily unavailable"
        else:
            message = f"The upstream server responded with an error (HTTP {upstream_status})"
        super().__init__(message, detail=f"{path}: {upstream_message or 'no message'}")


class UpstreamTimeout(UpstreamError):
    status_code = 504
    default_message = "The upstream server did not respond in time"


def error_response(
    status_code: int,
    message: str,
    headers: dict[str, str] | None = None,
    details: dict[str, list[dict[str, str]]] | None = None,
) -> JSONResponse:
    body: dict[str, object] = {"error": message}
    if details is not None:
        body["details"] = details
    return JSONResponse(body, status_code=status_code, headers=headers)


async def handle_gateway_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GatewayError)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited) and exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)

    if isinstance(exc, UpstreamError):
        log.warning("upstream failure on %s %s: %s", request.method, request.url.path, exc)
    elif exc.detail:
        log.info("%s %s -> %d: %s", request.method, request.url.path, exc.status_code, exc)
    details = exc.details() if isinstance(exc, Unprocessable) else None
    return error_response(exc.status_code, exc.message, headers, details)


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    """Render Starlette's own errors (unknown path, wrong method) in Mastodon's shape."""
    assert isinstance(exc, HTTPException)
    message = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, str(exc.detail))
    return error_response(exc.status_code, message, dict(exc.headers or {}))


async def handle_upstream_data_error(request: Request, exc: Exception) -> JSONResponse:
    """Return 502 when upstream data fails even the lenient upstream models."""
    log.warning("unexpected upstream data on %s %s: %s", request.method, request.url.path, exc)
    return error_response(502, UpstreamBadResponse.default_message)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Log a bug with its traceback and give the client a bare 500, never the traceback."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "Internal server error")


EXCEPTION_HANDLERS = {
    GatewayError: handle_gateway_error,
    HTTPException: handle_http_exception,
    ValidationError: handle_upstream_data_error,
    Exception: handle_unexpected,
}

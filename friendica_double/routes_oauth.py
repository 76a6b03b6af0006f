"""Friendica's OAuth 2 endpoints for client programs: registration, tokens and revocation.

Served as in Friendica 2024.08: ``POST /api/v1/apps``,
``GET /api/v1/apps/verify_credentials``, ``POST /oauth/token`` and
``POST /oauth/revoke``. ``oauth`` implements the rules behind them, and
``web_login`` serves the browser pages of the flow.

Every JSON error here has status 403, whatever status Friendica's code
names, because ``BaseApi::logAndJsonError()`` ignores it. Token errors
carry ``error_description`` when Friendica gives one.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import errors, oauth
from .context import Site, logger
from .routing import NATIVE_PREFIXES, ApiRoute, Call
from .sessions import PageRequest, session_route

APP_FIELDS = ("client_name", "redirect_uris", "scopes", "website")
# Friendica's BaseModule::run() adds these to every /oauth/token response, errors included.
TOKEN_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Allow-Methods": "POST",
    "Access-Control-Allow-Credentials": "false",
}
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")


# /api/v1/apps


def register_app(call: Call) -> dict[str, Any]:
    """POST /api/v1/apps: register a client and return it with its credentials (no login needed).

    ``redirect_uris`` may be a list, of which Friendica keeps the first
    entry. A space-separated string is stored whole, and ``/oauth/authorize``
    then accepts each part, but see ``oauth.token_for_code``.
    """
    values: dict[str, Any] = {}
    for name in APP_FIELDS:
        raw = call.params.raw(name)
        if raw is None:
            continue
        if name == "redirect_uris" and isinstance(raw, list) and raw:
            raw = raw[0]
        # Friendica's getRequest() casts to string, so other arrays become "Array".
        values[name] = call.params.string(name) if isinstance(raw, list | dict) else raw
    # Friendica merges a JSON body over the parameters once more (for AndStatus), raw values included.
    values.update({name: value for name, value in _json_object(call.body).items() if name in APP_FIELDS})

    redirect_uris = values.get("redirect_uris", "")
    if isinstance(redirect_uris, list) and redirect_uris:
        redirect_uris = redirect_uris[0]
    scopes = values.get("scopes", "read")
    if isinstance(scopes, list | dict):
        # PHP 8 raises a TypeError for stripos() of an array.
        raise errors.ApiError(500)
    client_name = values.get("client_name", "")
    if _php_empty(client_name) or _php_empty(redirect_uris):
        raise errors.JsonError(403, "Missing parameters")

    application_id = oauth.register_application(
        call.store,
        _php_string(client_name),
        _php_string(redirect_uris),
        _php_string(scopes),
        _php_string(values.get("website", "")),
    )
    row = oauth.application(call.store, application_id)
    assert row is not None
    return oauth.application_entity(call.site, row)


def verify_app_credentials(call: Call) -> dict[str, Any]:
    """GET /api/v1/apps/verify_credentials: the client of the bearer token, secret included.

    Basic credentials carry no client (Friendica's stand-in token has client
    id 0), which gives the "Unauthorized" error.
    """
    if call.token is None:
        raise errors.JsonError(403, "Unauthorized")
    row = oauth.application(call.store, call.token["application_id"])
    if row is None:
        raise errors.JsonError(403, "Unauthorized")
    return oauth.application_entity(call.site, row)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        decoded = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _php_empty(value: Any) -> bool:
    """Return PHP's ``empty()`` of a decoded value."""
    if isinstance(value, str):
        return oauth.php_empty(value)
    return not value


def _php_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


# /oauth/token and /oauth/revoke


async def issue_token(page: PageRequest) -> Response:
    """POST /oauth/token: the authorization_code and client_credentials grants.

    Client credentials come from the form, or from HTTP Basic when the form
    lacks one of them. ``redirect_uri`` is needed for both grants.
    """
    site, params = page.site, page.params
    client_id = params.string("client_id")
    client_secret = params.string("client_secret")
    header = page.request.headers.get("authorization", "")
    if (oauth.php_empty(client_id) or oauth.php_empty(client_secret)) and header.startswith("Basic "):
        pair = _basic_pair(header[6:].strip())
        if pair is not None:
            client_id, client_secret = pair
    if oauth.php_empty(client_id) or oauth.php_empty(client_secret):
        return _token_error("invalid_client", "Incomplete request data")

    redirect_uri = params.string("redirect_uri")
    client = oauth.find_application(site.store, client_id, client_secret, redirect_uri)
    if client is None:
        return _token_error("invalid_client", "Invalid data or unknown client")

    grant_type = params.string("grant_type")
    me = None
    if grant_type == "client_credentials":
        token = oauth.grant(site.store, client, 0, "")
    elif grant_type == "authorization_code":
        found = oauth.token_for_code(
            site.store, client, params.string("code"), redirect_uri, site.auth.code_lifetime_seconds
        )
        if found is None:
            return _token_error("Unauthorized")
        token = found
        owner = site.store.user(token["uid"]) if token["uid"] else None
        me = site.profile_url(owner["nickname"]) if owner is not None else None
    else:
        return _token_error("Unsupported or missing grant type")

    if client["scopes"] is None:
        # A client registered with empty scopes: PHP 8 raises a TypeError for the null scope.
        raise errors.ApiError(500)
    entity = oauth.token_entity(token["access_token"], client["scopes"], token["created_at"], me)
    return JSONResponse(entity, headers=TOKEN_CORS_HEADERS)


async def revoke_token(page: PageRequest) -> Response:
    """POST /oauth/revoke: delete every token of the client that issued ``token``; returns ``[]``."""
    params = page.params
    revoked = oauth.revoke(
        page.site.store,
        params.string("client_id"),
        params.string("client_secret"),
        params.string("token"),
    )
    if not revoked:
        logger.info(
            "POST /oauth/revoke responded 403: no such token for client %r", params.string("client_id")
        )
        return JSONResponse({"error": "Unauthorized"}, status_code=403)
    return JSONResponse([])


def _basic_pair(encoded: str) -> tuple[str, str] | None:
    """Return the user and password of Basic credentials as PHP's lenient base64_decode() reads them."""
    cleaned = _NOT_BASE64.sub("", encoded)
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        decoded = base64.b64decode(cleaned).decode("utf-8", errors="replace")
    except binascii.Error:
        return None
    if ":" not in decoded:
        return None
    user, password = decoded.split(":", 1)
    return user, password


def _token_error(error: str, description: str = "") -> Response:
    logger.info("POST /oauth/token responded 403: %s %s", error, description)
    body = {"error": error}
    if description:
        body["error_description"] = description
    return JSONResponse(body, status_code=403, headers=TOKEN_CORS_HEADERS)


def build_routes(site: Site) -> list[Route]:
    """Return the routes of ``/oauth/token`` and ``/oauth/revoke`` (POST only, as in Friendica)."""
    return [
        session_route(site, "/oauth/token", {"POST": issue_token}),
        session_route(site, "/oauth/revoke", {"POST": revoke_token}),
    ]


ROUTES = [
    ApiRoute("v1/apps", ("POST",), register_app, auth=False, prefixes=NATIVE_PREFIXES, extensions=False),
    ApiRoute(
        "v1/apps/verify_credentials",
        ("GET",),
        verify_app_credentials,
        prefixes=NATIVE_PREFIXES,
        extensions=False,
    ),
]

"""The caller of a request: an OAuth 2 bearer token or HTTP Basic credentials.

Friendica 2024.08 (``BaseApi::getCurrentUserID()``) looks for a bearer
token first and reads Basic credentials only when no token matched. An
unknown or revoked token is therefore anonymous, and an endpoint that needs
a login returns the same 401 page as for a missing login.

Scopes follow ``BaseApi::checkAllowedScope()``. Every call that needs a
login checks a scope: ``read`` for GET, ``write`` for other methods (in
``BaseApi::run()``), and some modules check one more. Basic credentials
count as a token with ``read``, ``write`` and ``follow``.
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass

import anyio.to_thread
from starlette.requests import Request

from . import errors, oauth, people
from .context import Site, logger
from .db import Row

BEARER_PREFIX = "Bearer "
MISSING_SCOPE_MESSAGE = "Token is not authorized with a valid user or is missing a required scope"

# Non-GET routes whose Friendica module also checks ``follow``
# (Api/Mastodon/Accounts/{Follow,Unfollow,Block,Unblock,Mute,Unmute}, FollowRequests).
FOLLOW_ROUTES = frozenset(
    {
        "v1/accounts/{id}/follow",
        "v1/accounts/{id}/unfollow",
        "v1/accounts/{id}/block",
        "v1/accounts/{id}/unblock",
        "v1/accounts/{id}/mute",
        "v1/accounts/{id}/unmute",
        "v1/follow_requests/{id}/{action}",
    }
)
# Non-GET routes whose module also checks ``read`` (Api/Twitter/Statuses/Destroy).
READ_ON_WRITE_ROUTES = frozenset({"statuses/destroy", "statuses/destroy/{id}"})


@dataclass(frozen=True)
class Caller:
    """The user behind a request and the bearer token it used (None for Basic auth)."""

    user: Row | None
    token: Row | None = None


async def identify(site: Site, request: Request) -> Caller:
    """Return the caller named by a bearer token or, without one, by HTTP Basic credentials."""
    header = request.headers.get("authorization", "")
    if header.startswith(BEARER_PREFIX):
        token = oauth.token_by_bearer(site.store, header[len(BEARER_PREFIX) :].strip())
        if token is None:
            logger.info("rejected an unknown or revoked bearer token")
            return Caller(None)
        user = site.store.user(token["uid"]) if token["uid"] else None
        return Caller(user, token)

    credentials = basic_credentials(header)
    if credentials is None:
        return Caller(None)
    login, password = credentials
    user = await check_password(site, login, password)
    if user is None:
        logger.info("rejected basic credentials for %r", login)
    return Caller(user)


def basic_credentials(header: str) -> tuple[str, str] | None:
    """Return the login and password of a Basic ``Authorization`` header, or None.

    Like Friendica, the part of the login after ``@`` is dropped, so
    ``alice@any.host`` logs in as ``alice``.
    """
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        logger.info("rejected malformed basic credentials")
        return None
    login, _, password = decoded.partition(":")
    if "@" in login and not login.startswith("@"):
        login = login.split("@", 1)[0]
    return login.strip(), password.strip()


async def check_password(site: Site, login: str, password: str) -> Row | None:
    """Return the user whose nickname or email is ``login`` if ``password`` is theirs.

    When the user exists, the check takes ``site.auth.password_check_seconds``
    longer (a sleep in a worker thread), like the password hash Friendica
    computes for it. An unknown login costs nothing, as in Friendica.
    """
    user = site.store.user_by_login(login)
    if user is None:
        return None
    matches = people.check_password(password, user["password_hash"])
    if site.auth.password_check_seconds > 0:
        await anyio.to_thread.run_sync(time.sleep, site.auth.password_check_seconds)
    return user if matches else None


def required_scopes(path: str, method: str) -> tuple[str, ...]:
    """Return the scopes Friendica checks, in its order, for a route that needs a login."""
    if method == "GET":
        return ("read",)
    scopes = ["write"]
    if path in READ_ON_WRITE_ROUTES:
        scopes.append("read")
    if path in FOLLOW_ROUTES:
        scopes.append("follow")
    return tuple(scopes)


def check_access(caller: Caller, path: str, method: str) -> None:
    """Raise the error Friendica sends when the caller may not use a route that needs a login.

    No credentials give the 401 page. A token without a needed scope gives
    403 JSON. A token without a user (client_credentials) on a non-GET call
    gives the 403 page "Permission denied.", but Friendica never gives such a
    token the ``write`` scope that is checked first.
    """
    if caller.token is None:
        if caller.user is None:
            raise errors.Unauthorized()
        return

    for scope in required_scopes(path, method):
        if not caller.token[scope]:
            raise errors.JsonError(403, MISSING_SCOPE_MESSAGE)
        if scope == "write" and caller.user is None:
            raise errors.ApiError(403, "Permission denied.")

"""The pages of the login: the authorization request they carry, sign-in, consent and errors.

Both ways of logging in, with the upstream password and on the upstream
itself, end on the same consent page.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from gateway.auth.scopes import InvalidScope, is_subset, parse_scopes
from gateway.auth.vault import new_token
from gateway.errors import GatewayError
from gateway.params import Params
from gateway.services import Services, services
from gateway.store.base import AppRecord, AuthorizationCodeRecord, PendingLogin
from gateway.upstream import Credential

log = logging.getLogger("mastogate.oauth")

CSRF_COOKIE = "mastogate_csrf"
LOGIN_LIFETIME = timedelta(minutes=15)
CODE_LIFETIME = timedelta(minutes=10)
OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
DENIED = {"error": "access_denied", "error_description": "The person denied access."}

# What each scope lets an app do, as the consent page shows it.
SCOPE_DESCRIPTIONS = {
    "read": "read your timelines, posts, profile and other account data",
    "write": "post, favourite, reblog and delete in your name, and change your account data",
    "follow": "follow, block and mute accounts for you",
    "push": "receive push notifications for you",
    "profile": "see your profile",
}

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))


@dataclass(frozen=True)
class AuthorizationRequest:
    app: AppRecord
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None
    code_challenge_method: str | None

    def hidden_fields(self) -> dict[str, str]:
        fields = {
            "client_id": self.app.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": " ".join(self.scopes),
            "response_type": "code",
        }
        if self.state is not None:
            fields["state"] = self.state
        if self.code_challenge:
            fields["code_challenge"] = self.code_challenge
            fields["code_challenge_method"] = self.code_challenge_method or "S256"
        return fields


class AuthorizationPageError(Exception):
    """A request the authorization page cannot redirect back to the app, shown as a page."""


async def authorization_request(shared: Services, params: Params) -> AuthorizationRequest:
    """Validate the query of an authorization request (RFC 6749 section 4.1.1)."""
    client_id = params.string("client_id")
    app = await shared.store.get_app(client_id) if client_id else None
    if app is None:
        raise AuthorizationPageError(
            "This app is not registered with this server. Ask the app to register again."
        )

    redirect_uri = params.string("redirect_uri") or (
        app.redirect_uris[0] if len(app.redirect_uris) == 1 else None
    )
    if redirect_uri not in app.redirect_uris:
        raise AuthorizationPageError("The app asked to return to an address it did not register.")

    if params.string("response_type") != "code":
        raise AuthorizationPageError(
            "The app asked for an unsupported response type; only 'code' is supported."
        )
    try:
        scopes = parse_scopes(params.string("scope"), default=app.scopes)
    except InvalidScope as error:
        raise AuthorizationPageError(f"The app asked for an unknown permission: {error.args[0]}.") from None
    if not is_subset(scopes, app.scopes):
        raise AuthorizationPageError("The app asked for more permissions than it registered.")

    challenge = params.string("code_challenge") or None
    method = params.string("code_challenge_method") or None
    if challenge is not None and (method or "plain") != "S256":
        raise AuthorizationPageError(
            "The app asked for a PKCE method other than S256, which is not supported."
        )
    return AuthorizationRequest(app, redirect_uri, scopes, params.string("state"), challenge, method)


async def posted_authorization(request: Request, shared: Services, params: Params) -> AuthorizationRequest:
    """Validate the authorization request a login form posted, and that the form came from our page."""
    authorization = await authorization_request(shared, params)
    csrf = request.cookies.get(CSRF_COOKIE)
    if not csrf or not hmac.compare_digest(csrf, params.string("csrf") or ""):
        raise AuthorizationPageError(
            "This form expired or came from another page. Start the login again from the app."
        )
    return authorization


def page(request: Request, name: str, context: dict[str, object], status_code: int = 200) -> Response:
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    shared = services(request)
    known = shared.capabilities.known
    # The name /api/v1/instance gives, so the app and the page agree.
    server = (
        shared.settings.instance_title
        or (known.site_name if known else "")
        or urlsplit(shared.settings.upstream_url).netloc
    )
    response = templates.TemplateResponse(
        request,
        name,
        {"server": server, **context, "csrf": csrf},
        status_code=status_code,
        headers=PAGE_HEADERS,
    )
    response.set_cookie(
        CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


# The pages hold a password field: never cache them, never frame them.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    # No form-action: browsers apply it to the redirect to the app's own URI scheme.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def error_page(request: Request, message: str, status_code: int = 400) -> Response:
    return page(request, "error.html", {"message": message}, status_code)


def login_context(
    authorization: AuthorizationRequest, error: str | None = None, username: str = ""
) -> dict[str, object]:
    return {
        "app_name": authorization.app.name,
        "app_website": authorization.app.website,
        "scopes": [
            (scope, SCOPE_DESCRIPTIONS.get(scope.split(":")[0], "")) for scope in authorization.scopes
        ],
        "fields": authorization.hidden_fields(),
        "error": error,
        "username": username,
    }


async def upstream_login_kind(shared: Services) -> Literal["oauth2", "oauth1"] | None:
    """Return how the login page can log people in on the upstream itself, or None.

    OAuth 2 where the upstream runs its own provider; otherwise OAuth 1 on
    an older Friendica, where the operator registered a consumer for it.
    """
    if not shared.settings.upstream_login:
        return None
    try:
        capabilities = await shared.capabilities.get()
    except GatewayError as error:
        log.warning("failed to check whether the upstream offers a login of its own: %s", error)
        return None
    if capabilities.oauth2:
        return "oauth2"
    if shared.settings.oauth1_consumer is not None and capabilities.generation == "legacy":
        return "oauth1"
    return None


async def upstream_login_offered(shared: Services) -> bool:
    """Tell whether the login page offers logging in on the upstream itself."""
    return await upstream_login_kind(shared) is not None


async def upstream_name(shared: Services) -> str:
    """Return the upstream's own site name, as its login pages show it."""
    try:
        return (await shared.capabilities.get()).site_name or urlsplit(shared.settings.upstream_url).netloc
    except GatewayError:
        return urlsplit(shared.settings.upstream_url).netloc


async def login_page(
    request: Request,
    shared: Services,
    authorization: AuthorizationRequest,
    error: str | None = None,
    username: str = "",
    status_code: int = 200,
) -> Response:
    """Show the login page with the ways of logging in this server allows."""
    context = {
        **login_context(authorization, error, username),
        "password_login": shared.settings.password_login,
        "upstream_login": await upstream_login_offered(shared),
        "upstream_name": await upstream_name(shared),
    }
    return page(request, "login.html", context, status_code)


async def consent_page(
    request: Request,
    shared: Services,
    authorization: AuthorizationRequest,
    user: dict[str, Any],
    credential: Credential,
) -> Response:
    """Show the consent page to a person who proved who they are; their credential waits sealed."""
    login_key = new_token()
    pending = PendingLogin(
        id=new_token(),
        app_id=authorization.app.id,
        user_id=int(user["id"]),
        username=str(user["screen_name"]),
        credential_blob=shared.vault.seal(credential, login_key),
        expires_at=datetime.now(UTC) + LOGIN_LIFETIME,
    )
    await shared.store.create_pending_login(pending)
    context = {
        **login_context(authorization),
        "account": f"@{pending.username}",
        "display_name": user.get("name") or pending.username,
        "login_id": pending.id,
        "login_key": login_key,
    }
    return page(request, "consent.html", context)


async def issue_code(
    shared: Services,
    authorization: AuthorizationRequest,
    user_id: int,
    username: str,
    credential: Credential,
) -> str:
    """Create the authorization code the app redeems; the credential waits sealed under it."""
    code = new_token()
    await shared.store.create_authorization_code(
        AuthorizationCodeRecord(
            code_hash=shared.vault.hash_token(code),
            app_id=authorization.app.id,
            redirect_uri=authorization.redirect_uri,
            scopes=authorization.scopes,
            code_challenge=authorization.code_challenge,
            code_challenge_method=authorization.code_challenge_method,
            user_id=user_id,
            username=username,
            credential_blob=shared.vault.seal(credential, code),
            expires_at=datetime.now(UTC) + CODE_LIFETIME,
        )
    )
    log.info("user %d authorized app %d", user_id, authorization.app.id)
    return code


def finish(request: Request, authorization: AuthorizationRequest, result: dict[str, str]) -> Response:
    """Send the result back to the app: by redirect, or shown on a page for the out-of-band URI."""
    if authorization.state is not None:
        result = {**result, "state": authorization.state}
    if authorization.redirect_uri == OOB_REDIRECT:
        if "code" in result:
            return page(request, "code.html", {"code": result["code"], "app_name": authorization.app.name})
        return error_page(request, "You denied access. You can close this page.", 403)

    parts = urlsplit(authorization.redirect_uri)
    query = f"{parts.query}&{urlencode(result)}" if parts.query else urlencode(result)
    return RedirectResponse(urlunsplit(parts._replace(query=query)), status_code=302, headers=PAGE_HEADERS)

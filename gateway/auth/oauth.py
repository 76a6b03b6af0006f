"""The OAuth 2 provider Mastodon apps log in with.

Flow: an app registers (``POST /api/v1/apps``), sends the person's browser
to ``GET /oauth/authorize``, where they sign in with their upstream nickname
and password (checked with ``account/verify_credentials``) and then consent;
the app trades the code for a token at ``POST /oauth/token``. The password
and client_credentials grants are served too.

The upstream credential is always sealed. Between sign-in and consent it is
sealed under a one-time key that only the browser has. Until the app
redeems the code it is sealed under the code, and from then on under the
access token, which the store keeps only as a keyed hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.auth import upstream_login
from gateway.auth.bearer import authenticate, authenticate_app
from gateway.auth.pages import (
    DENIED,
    OOB_REDIRECT,
    AuthorizationPageError,
    AuthorizationRequest,
    authorization_request,
    consent_page,
    error_page,
    finish,
    issue_code,
    login_page,
    posted_authorization,
)
from gateway.auth.scopes import KNOWN_SCOPES, InvalidScope, is_subset, parse_scopes
from gateway.auth.vault import CredentialUnreadable, new_token
from gateway.errors import GatewayError, RateLimited, Unprocessable
from gateway.lookups import own_account
from gateway.params import Params, read_params
from gateway.services import Services, services
from gateway.store.base import AppRecord, TokenRecord
from gateway.upstream import BasicCredential, BearerCredential, Credential, UpstreamCredentialRejected
from mappings.accounts import account_from_friendica
from mappings.entities import Application, CredentialApplication, Token

log = logging.getLogger("mastogate.oauth")

GRANT_TYPES = ("authorization_code", "password", "client_credentials")

TOO_MANY_FAILURES = "Too many failed logins. Wait ten minutes, then try again."

# Schemes whose URIs a browser would execute or render instead of handing to an app.
FORBIDDEN_REDIRECT_SCHEMES = frozenset({"javascript", "data", "vbscript", "file", "blob", "about"})

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


class OAuthError(GatewayError):
    """An OAuth error as RFC 6749 writes it: an error code plus a description."""

    def __init__(self, code: str, description: str, status_code: int = 400) -> None:
        super().__init__(code, detail=description)
        self.code = code
        self.description = description
        self.status_code = status_code


async def handle_oauth_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OAuthError)
    log.info("oauth error on %s: %s (%s)", request.url.path, exc.code, exc.description)
    return JSONResponse(
        {"error": exc.code, "error_description": exc.description}, status_code=exc.status_code
    )


# Applications


def _redirect_uris(params: Params) -> tuple[str, ...]:
    values = params.values("redirect_uris") or params.values("redirect_uri")
    uris: list[str] = []
    for value in values:
        uris.extend(str(value).split())
    if not uris:
        raise Unprocessable("Validation failed: Redirect URI can't be blank")
    for uri in uris:
        if uri == OOB_REDIRECT:
            continue
        shown = repr(uri[:100])
        if not _SCHEME.match(uri):
            raise Unprocessable(f"Validation failed: Redirect URI {shown} must be an absolute URI")
        if "#" in uri:
            raise Unprocessable(f"Validation failed: Redirect URI {shown} must not contain a fragment (#)")
        if uri.split(":", 1)[0].lower() in FORBIDDEN_REDIRECT_SCHEMES:
            raise Unprocessable(f"Validation failed: Redirect URI {shown} uses a scheme browsers run as code")
    return tuple(dict.fromkeys(uris))


def application_entity(app: AppRecord, vapid_key: str) -> Application:
    return Application(
        id=str(app.id),
        name=app.name,
        website=app.website,
        scopes=list(app.scopes),
        redirect_uri="\n".join(app.redirect_uris),
        redirect_uris=list(app.redirect_uris),
        vapid_key=vapid_key,
    )


async def create_app(request: Request) -> JSONResponse:
    params = await read_params(request)
    name = params.required_string("client_name").strip()[:200]
    redirect_uris = _redirect_uris(params)
    try:
        scopes = parse_scopes(params.string("scopes"))
    except InvalidScope as error:
        raise Unprocessable(
            f"Validation failed: Scopes {error.args[0][:60]!r} is not a valid scope"
        ) from None
    website = (params.string("website") or "").strip() or None

    shared = services(request)
    client_id, client_secret = new_token(), new_token()
    app = await shared.store.create_app(
        client_id=client_id,
        client_secret_hash=shared.vault.hash_token(client_secret),
        name=name,
        website=website,
        redirect_uris=redirect_uris,
        scopes=scopes,
    )
    log.info("registered app %d (%s)", app.id, name)
    entity = application_entity(app, shared.vapid_key)
    return JSONResponse(
        CredentialApplication(
            **entity.model_dump(), client_id=client_id, client_secret=client_secret
        ).to_json()
    )


async def verify_app_credentials(request: Request) -> JSONResponse:
    viewer = await authenticate_app(request)
    shared = services(request)
    app = await shared.store.get_app_by_id(viewer.app_id)
    if app is None:
        raise OAuthError("invalid_token", "The app of this token no longer exists", 401)
    return JSONResponse(application_entity(app, shared.vapid_key).to_json())


# The authorization page


async def authorize_page(request: Request) -> Response:
    shared = services(request)
    passed_on = await upstream_login.pass_on_authorize(request, shared)
    if passed_on is not None:
        return passed_on
    try:
        authorization = await authorization_request(shared, await read_params(request))
    except AuthorizationPageError as error:
        return error_page(request, str(error))
    return await login_page(request, shared, authorization)


async def authorize_submit(request: Request) -> Response:
    """Handle both forms of the authorization page: sign-in, then consent."""
    shared = services(request)
    params = await read_params(request)
    try:
        authorization = await posted_authorization(request, shared, params)
    except AuthorizationPageError as error:
        return error_page(request, str(error))

    if params.string("step") == "consent":
        return await _consent(request, shared, params, authorization)
    return await _sign_in(request, shared, params, authorization)


async def _sign_in(
    request: Request, shared: Services, params: Params, authorization: AuthorizationRequest
) -> Response:
    if not shared.settings.password_login:
        return error_page(request, "Logging in with a password is switched off on this server.", 404)
    username = (params.string("username") or "").strip()
    password = params.string("password") or ""
    if not username or not password:
        return await login_page(
            request, shared, authorization, "Enter your username and password.", username, 422
        )

    address = _client_address(request)
    if shared.login_throttle.blocked(address, username):
        log.warning("sign-in for app %d refused: too many failures from %s", authorization.app.id, address)
        return await login_page(request, shared, authorization, TOO_MANY_FAILURES, username, 429)

    credential = BasicCredential(username=username, password=password)
    try:
        user = await shared.upstream.verify_credentials(credential)
    except UpstreamCredentialRejected:
        log.info("sign-in for app %d rejected by the upstream", authorization.app.id)
        shared.login_throttle.failed(address, username)
        return await login_page(request, shared, authorization, "Wrong username or password.", username, 401)
    except GatewayError as error:
        log.warning("sign-in for app %d failed: %s", authorization.app.id, error)
        message = f"{error.message}. Try again later."
        return await login_page(request, shared, authorization, message, username, error.status_code)
    shared.login_throttle.succeeded(address, username)

    return await consent_page(request, shared, authorization, user, credential)


async def _consent(
    request: Request, shared: Services, params: Params, authorization: AuthorizationRequest
) -> Response:
    pending = await shared.store.take_pending_login(params.string("login_id") or "", datetime.now(UTC))
    if pending is None or pending.app_id != authorization.app.id:
        return error_page(request, "This login expired. Start the login again from the app.")
    try:
        credential = shared.vault.open(pending.credential_blob, params.string("login_key") or "")
    except CredentialUnreadable:
        return error_page(request, "This login form was altered. Start the login again from the app.")

    if params.string("decision") != "approve":
        log.info("user %d denied app %d", pending.user_id, authorization.app.id)
        return finish(request, authorization, DENIED)

    code = await issue_code(shared, authorization, pending.user_id, pending.username, credential)
    return finish(request, authorization, {"code": code})


# Tokens


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _client(
    shared: Services, request: Request, params: Params, *, secret_required: bool
) -> tuple[AppRecord, bool]:
    """Authenticate the app by client_secret_post or client_secret_basic.

    Returns the app and whether it proved itself with its secret; without
    ``secret_required`` a public client may present its client_id alone.
    """
    client_id, client_secret = params.string("client_id"), params.string("client_secret")
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value).decode()
        except ValueError:
            raise OAuthError(
                "invalid_client", "The Authorization header is not valid Basic credentials", 401
            ) from None
        client_id, _, client_secret = decoded.partition(":")

    app = await shared.store.get_app(client_id) if client_id else None
    if app is None:
        raise OAuthError("invalid_client", "Unknown client_id", 401)
    if client_secret:
        if not hmac.compare_digest(shared.vault.hash_token(client_secret), app.client_secret_hash):
            raise OAuthError("invalid_client", "Wrong client_secret", 401)
        return app, True
    if secret_required:
        raise OAuthError("invalid_client", "client_secret is missing", 401)
    return app, False


def _requested_scopes(params: Params, app: AppRecord) -> tuple[str, ...]:
    try:
        scopes = parse_scopes(params.string("scope"))
    except InvalidScope as error:
        raise OAuthError("invalid_scope", f"Unknown scope {error.args[0][:60]!r}") from None
    if not is_subset(scopes, app.scopes):
        raise OAuthError("invalid_scope", "The requested scope exceeds the scopes the app registered")
    return scopes


async def _issue_token(
    shared: Services,
    app: AppRecord,
    scopes: tuple[str, ...],
    user: tuple[int, str] | None = None,
    credential: Credential | None = None,
) -> JSONResponse:
    token = new_token()
    now = datetime.now(UTC)
    await shared.store.create_token(
        TokenRecord(
            token_hash=shared.vault.hash_token(token),
            app_id=app.id,
            scopes=scopes,
            created_at=now,
            user_id=user[0] if user else None,
            username=user[1] if user else None,
            credential_blob=shared.vault.seal(credential, token) if credential else None,
            upstream_client=credential.client_id if isinstance(credential, BearerCredential) else None,
        )
    )
    if isinstance(credential, BearerCredential) and user is not None:
        # The upstream keeps one token per person and app: this login replaced the earlier one.
        replaced = await shared.store.revoke_replaced_tokens(
            credential.client_id, user[0], shared.vault.hash_token(token)
        )
        if replaced:
            log.info("revoked %d earlier tokens of user %d for app %d", replaced, user[0], app.id)
    log.info("issued a token to app %d for %s", app.id, f"user {user[0]}" if user else "the app itself")
    body = Token(access_token=token, scope=" ".join(scopes), created_at=int(now.timestamp())).to_json()
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _pkce_matches(verifier: str, challenge: str) -> bool:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    computed = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return hmac.compare_digest(computed, challenge)


async def token(request: Request) -> JSONResponse:
    shared = services(request)
    params = await read_params(request)
    grant_type = params.string("grant_type")

    if grant_type == "authorization_code":
        return await _grant_code(shared, request, params)
    if grant_type == "password":
        return await _grant_password(shared, request, params)
    if grant_type == "client_credentials":
        app, _ = await _client(shared, request, params, secret_required=True)
        return await _issue_token(shared, app, _requested_scopes(params, app))
    raise OAuthError("unsupported_grant_type", f"Supported grant types: {', '.join(GRANT_TYPES)}")


async def _grant_code(shared: Services, request: Request, params: Params) -> JSONResponse:
    verifier = params.string("code_verifier")
    app, proved_secret = await _client(shared, request, params, secret_required=False)
    code = params.string("code") or ""
    record = await shared.store.consume_authorization_code(shared.vault.hash_token(code), datetime.now(UTC))
    if record is None or record.app_id != app.id:
        raise OAuthError("invalid_grant", "The authorization code is invalid, expired or already used")

    redirect_uri = params.string("redirect_uri") or record.redirect_uri
    if redirect_uri != record.redirect_uri:
        raise OAuthError("invalid_grant", "redirect_uri does not match the authorization request")
    if record.code_challenge is not None:
        if not verifier or not _pkce_matches(verifier, record.code_challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match the code challenge")
    elif not proved_secret:
        # Without PKCE only the client secret shows that the code reached the right app.
        raise OAuthError("invalid_client", "client_secret is missing", 401)

    credential = shared.vault.open(record.credential_blob, code)
    return await _issue_token(shared, app, record.scopes, (record.user_id, record.username), credential)


async def _grant_password(shared: Services, request: Request, params: Params) -> JSONResponse:
    if not shared.settings.password_login:
        raise OAuthError("unsupported_grant_type", "Logging in with a password is switched off here")
    app, _ = await _client(shared, request, params, secret_required=True)
    scopes = _requested_scopes(params, app)
    username, password = (params.string("username") or "").strip(), params.string("password") or ""
    if not username or not password:
        raise OAuthError("invalid_request", "username and password are required")

    address = _client_address(request)
    if shared.login_throttle.blocked(address, username):
        log.warning("password grant for app %d refused: too many failures from %s", app.id, address)
        raise RateLimited(TOO_MANY_FAILURES, retry_after=int(shared.login_throttle.window))

    credential = BasicCredential(username=username, password=password)
    try:
        user = await shared.upstream.verify_credentials(credential)
    except UpstreamCredentialRejected:
        log.info("password grant for app %d rejected by the upstream", app.id)
        shared.login_throttle.failed(address, username)
        raise OAuthError("invalid_grant", "Wrong username or password") from None
    shared.login_throttle.succeeded(address, username)
    return await _issue_token(shared, app, scopes, (int(user["id"]), str(user["screen_name"])), credential)


async def revoke(request: Request) -> JSONResponse:
    shared = services(request)
    params = await read_params(request)
    app, _ = await _client(shared, request, params, secret_required=True)
    token_value = params.string("token") or ""
    token_hash = shared.vault.hash_token(token_value)
    record = await shared.store.get_token(token_hash) if token_value else None
    if record is None or record.app_id != app.id or not await shared.store.revoke_token(token_hash, app.id):
        # RFC 7009: an unknown token is not an error.
        return JSONResponse({})

    log.info("app %d revoked a token", app.id)
    if record.credential_blob is not None and record.upstream_client is not None:
        try:
            credential = shared.vault.open(record.credential_blob, token_value)
        except CredentialUnreadable:
            log.warning("the upstream token of a revoked token of app %d could not be read", app.id)
            return JSONResponse({})
        await upstream_login.release(shared, credential)
    return JSONResponse({})


async def authorization_server_metadata(request: Request) -> JSONResponse:
    base = services(request).public_url
    return JSONResponse(
        {
            "issuer": f"{base}/",
            "service_documentation": f"{base}/about",
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "userinfo_endpoint": f"{base}/oauth/userinfo",
            "app_registration_endpoint": f"{base}/api/v1/apps",
            "scopes_supported": sorted(KNOWN_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": [
                grant
                for grant in GRANT_TYPES
                if grant != "password" or services(request).settings.password_login
            ],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        }
    )


async def userinfo(request: Request) -> JSONResponse:
    """Return the OpenID Connect claims about the person behind a token (Mastodon 4.4)."""
    viewer = await authenticate(request, "profile")
    shared = services(request)
    user = await own_account(shared, viewer)
    account = account_from_friendica(user, await shared.mapping_context(viewer.user_id))
    return JSONResponse(
        {
            "iss": f"{shared.public_url}/",
            "sub": account.uri,
            "name": account.display_name,
            "preferred_username": account.username,
            "profile": account.url,
            "picture": account.avatar,
        }
    )

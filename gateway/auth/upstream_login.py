"""Logging in on the upstream itself: its own OAuth 2 provider, or OAuth 1 on older Friendica.

Where the upstream runs one (Friendica 2021.07 and later), the login page
also offers "log in on your server". The gateway registers each of its
own apps there once, so that the logins of different apps stay apart:
the upstream keeps one token per person and app, and revokes all of an
app's tokens at once. It sends the browser to the upstream's authorize
page and trades the code that comes back for an upstream bearer token.
That token is sealed like a password, and the person continues on the
gateway's own consent page. The gateway never sees the password.

Friendica 3.5 to 2021.07 have OAuth 1 instead. There the operator
registers a consumer upstream, with this gateway's callback URL, and
configures its key and secret. The request token serves as the state,
and the access token the gateway gets signs every later call.

In the sidecar layout the gateway answers ``/oauth/authorize`` on the
upstream's own domain. Friendica sends the browser back there after its
login and consent pages, so a request for one of the gateway's upstream
apps is passed on to ``Settings.authorize_url``, which the web server maps
to the upstream's page.
"""

from __future__ import annotations

import hmac
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from gateway.auth.pages import (
    DENIED,
    AuthorizationPageError,
    AuthorizationRequest,
    error_page,
    finish,
    issue_code,
    login_context,
    page,
    posted_authorization,
    upstream_login_kind,
    upstream_login_offered,
    upstream_name,
)
from gateway.auth.vault import CredentialUnreadable, new_token
from gateway.errors import GatewayError
from gateway.params import read_params
from gateway.services import Services, services
from gateway.store.base import AppRecord, UpstreamClientRecord, UpstreamLoginRecord
from gateway.upstream import BearerCredential, Credential
from gateway.upstream_oauth import OAuth1Credential, UpstreamGrantRejected, UpstreamOAuth1Refused

log = logging.getLogger("mastogate.oauth")

CALLBACK_PATH = "/oauth/upstream/callback"
BROWSER_COOKIE = "mastogate_upstream_login"
# The upstream's own login can take a while: a person may have to look up a password.
UPSTREAM_LOGIN_LIFETIME = timedelta(minutes=30)
SECRET_PURPOSE = "upstream client secret"
REQUEST_SECRET_PURPOSE = "upstream request token secret"


async def _upstream_client(shared: Services, app: AppRecord) -> UpstreamClientRecord:
    """Return the upstream app that stands for ``app``, registering it on first use."""
    known = await shared.store.upstream_client(app.id)
    if known is not None:
        return known

    redirect_uri = f"{shared.public_url}{CALLBACK_PATH}"
    client_id, client_secret = await shared.upstream.register_app(
        f"{app.name} (through mastogate)", redirect_uri, app.website
    )
    log.info("registered app %d on the upstream as client %s", app.id, client_id[:8])
    return await shared.store.save_upstream_client(
        UpstreamClientRecord(
            app_id=app.id,
            client_id=client_id,
            client_secret_blob=shared.vault.seal_secret(client_secret, SECRET_PURPOSE),
            redirect_uri=redirect_uri,
            created_at=datetime.now(UTC),
        )
    )


async def start(request: Request) -> Response:
    """Ask for consent, then send the browser to the upstream's authorize page.

    Consent comes first: the upstream replaces the person's earlier token
    for this app as soon as they log in there, so a refusal afterwards
    would still end their other login of this app.
    """
    shared = services(request)
    params = await read_params(request)
    try:
        authorization = await posted_authorization(request, shared, params)
    except AuthorizationPageError as error:
        return error_page(request, str(error))
    if not await upstream_login_offered(shared):
        return error_page(request, "Logging in on the server itself is not available here.", 404)

    decision = params.string("decision")
    if decision is None:
        context = {**login_context(authorization), "upstream_name": await upstream_name(shared)}
        return page(request, "consent_upstream.html", context)
    if decision != "approve":
        log.info("a person denied app %d before logging in on the upstream", authorization.app.id)
        return finish(request, authorization, DENIED)

    kind = await upstream_login_kind(shared)
    request_secret: str | None
    try:
        if kind == "oauth1":
            state, target, request_secret = await _oauth1_start(shared)
        else:
            state, target, request_secret = await _oauth2_start(shared, authorization)
    except GatewayError as error:
        log.warning("failed to start an upstream login for app %d: %s", authorization.app.id, error)
        return error_page(request, f"{error.message}. Try again later.", error.status_code)

    browser_key = new_token()
    await shared.store.create_upstream_login(
        UpstreamLoginRecord(
            state_hash=shared.vault.hash_token(state),
            app_id=authorization.app.id,
            redirect_uri=authorization.redirect_uri,
            scopes=authorization.scopes,
            state=authorization.state,
            code_challenge=authorization.code_challenge,
            code_challenge_method=authorization.code_challenge_method,
            browser_hash=shared.vault.hash_token(browser_key),
            expires_at=datetime.now(UTC) + UPSTREAM_LOGIN_LIFETIME,
            request_secret_blob=(
                shared.vault.seal_secret(request_secret, REQUEST_SECRET_PURPOSE) if request_secret else None
            ),
        )
    )
    response = RedirectResponse(target, status_code=303)
    # Lax, not Strict: the browser must send it when the upstream sends it back here.
    response.set_cookie(
        BROWSER_COOKIE,
        browser_key,
        max_age=int(UPSTREAM_LOGIN_LIFETIME.total_seconds()),
        path="/oauth/upstream",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


async def _oauth2_start(shared: Services, authorization: AuthorizationRequest) -> tuple[str, str, str | None]:
    """Return the state and the upstream authorize URL of an OAuth 2 login."""
    client = await _upstream_client(shared, authorization.app)
    state = new_token()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client.client_id,
            "redirect_uri": client.redirect_uri,
            "scope": "read write follow",
            "state": state,
        }
    )
    return state, f"{shared.settings.authorize_url}?{query}", None


async def _oauth1_start(shared: Services) -> tuple[str, str, str]:
    """Get a request token; return it (the login's state), the authorize URL and the token's secret.

    Friendica sends the browser back to the callback URL the operator
    registered with the consumer, with the request token and a verifier.
    """
    consumer = shared.settings.oauth1_consumer
    assert consumer is not None
    token, secret = await shared.upstream.oauth1_request_token(*consumer)
    return token, f"{shared.settings.oauth1_authorize_url}?{urlencode({'oauth_token': token})}", secret


async def callback(request: Request) -> Response:
    """Finish a login on the upstream: trade its code for a token, then ask for consent here."""
    shared = services(request)
    params = await read_params(request)
    # OAuth 1 has no state: the request token names the login instead.
    state = params.string("state") or params.string("oauth_token") or ""
    record = await shared.store.take_upstream_login(shared.vault.hash_token(state), datetime.now(UTC))
    browser_key = request.cookies.get(BROWSER_COOKIE) or ""
    if record is None or not hmac.compare_digest(record.browser_hash, shared.vault.hash_token(browser_key)):
        return error_page(
            request, "This login expired or was already finished. Start the login again from the app."
        )

    app = await shared.store.get_app_by_id(record.app_id)
    if app is None:
        return error_page(request, "This app is no longer registered. Start the login again from the app.")
    authorization = AuthorizationRequest(
        app,
        record.redirect_uri,
        record.scopes,
        record.state,
        record.code_challenge,
        record.code_challenge_method,
    )
    try:
        if record.request_secret_blob is not None:
            credential = await _oauth1_finish(shared, record, state, params.string("oauth_verifier") or "")
        else:
            credential = await _oauth2_finish(shared, record, params.string("code") or "")
        if credential is None:
            log.info("upstream login for app %d ended without a code: %s", app.id, params.string("error"))
            return error_page(
                request, "The login on your server did not finish. Start the login again from the app."
            )
        user = await shared.upstream.verify_credentials(credential)
    except (UpstreamGrantRejected, UpstreamOAuth1Refused) as error:
        log.info("upstream refused to finish the login for app %d: %s", app.id, error)
        return error_page(
            request,
            "The login on your server took too long or was already used. Start the login again from the app.",
            401,
        )
    except CredentialUnreadable:
        log.error("a secret of the upstream login of app %d does not open with this secret key", app.id)
        await shared.store.forget_upstream_client(app.id)
        return error_page(request, "This server's keys changed. Start the login again from the app.", 500)
    except GatewayError as error:
        log.warning("upstream login for app %d failed: %s", app.id, error)
        return error_page(request, f"{error.message}. Try again later.", error.status_code)

    log.info("user %s logged in on the upstream for app %d", user.get("id"), app.id)
    user_id, username = int(user["id"]), str(user["screen_name"])
    code = await issue_code(shared, authorization, user_id, username, credential)
    return finish(request, authorization, {"code": code})


async def _oauth2_finish(shared: Services, record: UpstreamLoginRecord, code: str) -> Credential | None:
    """Trade the code the upstream sent back for a bearer token; None when it sent none."""
    client = await shared.store.upstream_client(record.app_id)
    if not code or client is None:
        return None
    secret = shared.vault.open_secret(client.client_secret_blob, SECRET_PURPOSE)
    token = await shared.upstream.exchange_code(client.client_id, secret, code, client.redirect_uri)
    return BearerCredential(token=token, client_id=client.client_id)


async def _oauth1_finish(
    shared: Services, record: UpstreamLoginRecord, request_token: str, verifier: str
) -> Credential | None:
    """Trade the authorized request token and its verifier for an access token; None without a verifier."""
    consumer = shared.settings.oauth1_consumer
    if not verifier or consumer is None or record.request_secret_blob is None:
        return None
    request_secret = shared.vault.open_secret(record.request_secret_blob, REQUEST_SECRET_PURPOSE)
    token, token_secret = await shared.upstream.oauth1_access_token(
        *consumer, request_token, request_secret, verifier
    )
    return OAuth1Credential(consumer[0], consumer[1], token, token_secret)


async def pass_on_authorize(request: Request, shared: Services) -> Response | None:
    """Pass an authorize request meant for the upstream on to its page; None when it is the gateway's.

    Only the sidecar layout sends such requests here (see the module doc).
    """
    client_id = request.query_params.get("client_id") or ""
    if not client_id or await shared.store.get_app(client_id) is not None:
        return None
    if await shared.store.upstream_client_by_client_id(client_id) is None:
        return None

    target = shared.settings.authorize_url
    if urlsplit(target).path == "/oauth/authorize" and target.startswith(shared.public_url):
        log.error("authorize request for the upstream came back here; set MASTOGATE_UPSTREAM_AUTHORIZE_URL")
        return error_page(
            request, "This server is set up wrong: its administrator must set the upstream's login page.", 500
        )
    return RedirectResponse(f"{target}?{request.url.query}", status_code=302)


async def release(shared: Services, credential: Credential) -> None:
    """Give up an upstream token that no login of the gateway uses any more.

    Friendica revokes every token of an upstream app at once, so the token
    is revoked only when no other token of the gateway acts through that
    app. Otherwise forgetting it is enough: the gateway kept the only copy.
    """
    if not isinstance(credential, BearerCredential):
        return
    if await shared.store.tokens_of_upstream_client(credential.client_id) > 0:
        return
    client = await shared.store.upstream_client_by_client_id(credential.client_id)
    if client is None:
        return
    try:
        secret = shared.vault.open_secret(client.client_secret_blob, SECRET_PURPOSE)
        await shared.upstream.revoke_token(client.client_id, secret, credential.token)
    except (GatewayError, CredentialUnreadable) as error:
        log.warning("could not revoke a token of upstream client %s: %s", credential.client_id[:8], error)
        return
    log.info("revoked a token of upstream client %s", credential.client_id[:8])

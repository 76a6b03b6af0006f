"""Upstream endpoints for logging in on the upstream itself: OAuth 2, and OAuth 1 on older releases.

OAuth 2 (Friendica 2021.07 and later): the gateway registers itself as an
app, sends the person's browser to the upstream's authorize page, and trades
the code it gets back for an upstream bearer token, which the
Twitter-compatible endpoints accept too. Friendica returns every JSON error
of these endpoints with status 403, so only the body distinguishes them.

OAuth 1.0a (Friendica 3.5.4 to 2021.07): the operator registers a consumer
upstream and configures its key and secret. The gateway gets a request
token, the browser authorizes it on the upstream, and the gateway trades
it and the verifier for an access token that signs every later call. These
endpoints answer form-encoded text, and an error as ``error=...`` with
status 200.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import httpx
from authlib.oauth1.rfc5849.parameters import prepare_headers
from authlib.oauth1.rfc5849.signature import (
    construct_base_string,
    hmac_sha1_signature,
)

from gateway.errors import (
    Unauthorized,
    UpstreamBadResponse,
    UpstreamHTTPError,
    UpstreamTimeout,
    UpstreamUnreachable,
)
from gateway.upstream_calls import EndpointGroup

log = logging.getLogger("mastogate.upstream")

# The scopes the gateway requests upstream: enough to serve every Mastodon scope.
UPSTREAM_SCOPES = "read write follow"


class UpstreamGrantRejected(Unauthorized):
    """The upstream refused to trade a code for a token: unknown, expired or already used."""

    default_message = "The login on the upstream server expired or was already used"


class _OAuth1Auth(httpx.Auth):
    """Sign each request with HMAC-SHA1, query and form parameters included (RFC 5849).

    Built from authlib's signature functions rather than its client, which
    refuses plain http: a sidecar often reaches its Friendica that way, and
    HMAC-SHA1 signing was designed for it.
    """

    def __init__(
        self,
        consumer_key: str,
        consumer_secret: str,
        token: str = "",
        token_secret: str = "",
        verifier: str = "",
    ) -> None:
        self._consumer = (consumer_key, consumer_secret)
        self._token = (token, token_secret)
        self._verifier = verifier

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        oauth = [
            ("oauth_nonce", secrets.token_hex(16)),
            ("oauth_timestamp", str(int(time.time()))),
            ("oauth_version", "1.0"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_consumer_key", self._consumer[0]),
        ]
        if self._token[0]:
            oauth.append(("oauth_token", self._token[0]))
        if self._verifier:
            oauth.append(("oauth_verifier", self._verifier))

        form = request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
        params = [*oauth, *parse_qsl(request.url.query.decode(), keep_blank_values=True)]
        if form:
            params += parse_qsl(request.content.decode(), keep_blank_values=True)
        base = construct_base_string(request.method, str(request.url), params)
        signature = hmac_sha1_signature(base, self._consumer[1], self._token[1])
        signed = prepare_headers([*oauth, ("oauth_signature", signature)], {})
        request.headers["Authorization"] = signed["Authorization"]
        yield request


@dataclass(frozen=True)
class OAuth1Credential:
    """An upstream OAuth 1 access token with the consumer it was issued to; every call is signed."""

    consumer_key: str
    consumer_secret: str
    token: str
    token_secret: str

    def auth(self) -> httpx.Auth:
        return _OAuth1Auth(self.consumer_key, self.consumer_secret, self.token, self.token_secret)

    def to_dict(self) -> dict[str, str]:
        return {
            "type": "oauth1",
            "consumer_key": self.consumer_key,
            "consumer_secret": self.consumer_secret,
            "token": self.token,
            "token_secret": self.token_secret,
        }

    @property
    def scope_key(self) -> str:
        return f"oauth1:{hashlib.sha256(self.token.encode()).hexdigest()[:16]}"

    def __repr__(self) -> str:
        return f"OAuth1Credential(consumer_key={self.consumer_key!r}, token='***')"


class UpstreamOAuth1Refused(Unauthorized):
    """An error, or an empty response, from the upstream's OAuth 1 endpoint instead of a token."""

    default_message = "The login on the upstream server expired or was rejected"


class OAuthEndpoints(EndpointGroup):
    if TYPE_CHECKING:
        base_url: str
        http: httpx.AsyncClient

    async def oauth2_available(self) -> bool:
        """Tell whether the upstream runs its own OAuth 2 provider, with a read-only probe.

        Friendica returns a JSON error for an authorize request without
        parameters: 422 from 2021.07 to 2023.05, 403 later, because 2023.12
        sends every such error with 403. A server without the provider returns
        404 or a page.
        """
        try:
            await self._request("GET", "oauth/authorize", None, native=True)
        except UpstreamHTTPError as error:
            return error.upstream_status in (400, 403, 422) and error.upstream_message is not None
        except UpstreamBadResponse:
            return False
        return False

    async def register_app(self, name: str, redirect_uri: str, website: str | None) -> tuple[str, str]:
        """Register an app on the upstream and return its client id and secret."""
        data = {"client_name": name, "redirect_uris": redirect_uri, "scopes": UPSTREAM_SCOPES}
        if website:
            data["website"] = website
        app = await self._request("POST", "api/v1/apps", None, data=data, native=True)
        if not isinstance(app, dict) or not app.get("client_id") or not app.get("client_secret"):
            raise UpstreamBadResponse(detail="api/v1/apps returned no client credentials")
        return str(app["client_id"]), str(app["client_secret"])

    async def exchange_code(self, client_id: str, client_secret: str, code: str, redirect_uri: str) -> str:
        """Trade an authorization code for an upstream access token."""
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uri": redirect_uri,
        }
        try:
            body: Any = await self._request("POST", "oauth/token", None, data=data, native=True)
        except UpstreamHTTPError as error:
            if error.upstream_status in (400, 401, 403):
                raise UpstreamGrantRejected(detail=f"oauth/token: {error.upstream_message}") from error
            raise
        if not isinstance(body, dict) or not body.get("access_token"):
            raise UpstreamBadResponse(detail="oauth/token returned no access token")
        return str(body["access_token"])

    async def revoke_token(self, client_id: str, client_secret: str, token: str) -> None:
        """Revoke an upstream token. Friendica revokes every token of the app with it."""
        data = {"client_id": client_id, "client_secret": client_secret, "token": token}
        await self._request("POST", "oauth/revoke", None, data=data, native=True)

    async def oauth1_request_token(self, consumer_key: str, consumer_secret: str) -> tuple[str, str]:
        """Get an OAuth 1 request token and its secret for the consumer."""
        found = await self._oauth1_call("request_token", _OAuth1Auth(consumer_key, consumer_secret))
        return found["oauth_token"], found["oauth_token_secret"]

    async def oauth1_access_token(
        self, consumer_key: str, consumer_secret: str, token: str, token_secret: str, verifier: str
    ) -> tuple[str, str]:
        """Trade an authorized request token and its verifier for an access token and its secret."""
        signer = _OAuth1Auth(consumer_key, consumer_secret, token, token_secret, verifier)
        found = await self._oauth1_call("access_token", signer)
        return found["oauth_token"], found["oauth_token_secret"]

    async def _oauth1_call(self, step: str, signer: _OAuth1Auth) -> dict[str, str]:
        """POST to ``api/oauth/<step>`` and read its form-encoded answer."""
        path = f"api/oauth/{step}"
        started = time.perf_counter()
        try:
            response = await self.http.post(f"{self.base_url}/{path}", auth=signer)
        except httpx.TimeoutException as error:
            raise UpstreamTimeout(detail=f"POST {path}: {type(error).__name__}") from error
        except httpx.TransportError as error:
            raise UpstreamUnreachable(detail=f"POST {path}: {error}") from error
        log.info(
            "upstream POST %s -> %d in %.0f ms",
            path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )

        if response.status_code >= 400:
            raise UpstreamHTTPError(response.status_code, response.text[:200] or None, f"POST {path}")
        found = dict(parse_qsl(response.text.strip()))
        if "error" in found or not found.get("oauth_token") or not found.get("oauth_token_secret"):
            # 3.5.4 answers an unknown verifier with an empty body and other failures with error=...
            raise UpstreamOAuth1Refused(detail=f"{path}: {found.get('error') or 'no token in the answer'}")
        return found

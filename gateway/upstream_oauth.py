"""Upstream endpoints of Friendica's own OAuth 2 provider (Friendica 2021.07 and later).

The gateway registers itself there as an app, sends the person's browser to
the upstream's authorize page, and trades the code it gets back for an
upstream bearer token, which the Twitter-compatible endpoints accept too.
Friendica returns every JSON error of these endpoints with status 403, so
only the body distinguishes them.
"""

from __future__ import annotations

from typing import Any

from gateway.errors import Unauthorized, UpstreamBadResponse, UpstreamHTTPError
from gateway.upstream_calls import EndpointGroup

# The scopes the gateway requests upstream: enough to serve every Mastodon scope.
UPSTREAM_SCOPES = "read write follow"


class UpstreamGrantRejected(Unauthorized):
    """The upstream refused to trade a code for a token: unknown, expired or already used."""

    default_message = "The login on the upstream server expired or was already used"


class OAuthEndpoints(EndpointGroup):
    async def oauth2_available(self) -> bool:
        """Tell whether the upstream runs its own OAuth 2 provider, with a read-only probe.

        Friendica returns a 403 JSON error for an authorize request without
        parameters; a server without the provider returns 404 or a page.
        """
        try:
            await self._request("GET", "oauth/authorize", None, native=True)
        except UpstreamHTTPError as error:
            return error.upstream_status in (400, 403) and error.upstream_message is not None
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

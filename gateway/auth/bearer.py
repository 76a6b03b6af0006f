"""The viewer behind a request: its bearer token, scopes and upstream credential."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.requests import Request

from gateway.auth.scopes import covers
from gateway.auth.vault import CredentialUnreadable
from gateway.errors import Forbidden, Unauthorized, Unprocessable
from gateway.services import services
from gateway.upstream import Credential

log = logging.getLogger("mastogate.auth")


def store_scope_of(user_id: int | None) -> str:
    """The key under which the store keeps a person's own state, by their upstream account id."""
    return f"user:{user_id}"


@dataclass(frozen=True)
class Viewer:
    """The person (or, for a client_credentials token, the app) behind a request."""

    token_hash: str
    app_id: int
    scopes: tuple[str, ...]
    user_id: int | None
    username: str | None
    credential: Credential | None

    @property
    def store_scope(self) -> str:
        """The key under which the store keeps this person's own state."""
        return store_scope_of(self.user_id)


@dataclass(frozen=True)
class UserViewer(Viewer):
    """A viewer known to act for a person, with the credential to act upstream."""

    user_id: int
    username: str
    credential: Credential


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.query_params.get("access_token") or None


async def authenticate_app(request: Request, required_scope: str | None = None) -> Viewer:
    """Check the token and its scope; the token may belong to an app alone."""
    token = bearer_token(request)
    if token is None:
        raise Unauthorized()

    shared = services(request)
    token_hash = shared.vault.hash_token(token)
    record = await shared.store.get_token(token_hash)
    if record is None:
        raise Unauthorized()
    if required_scope is not None and not covers(record.scopes, required_scope):
        raise Forbidden()

    credential = None
    if record.credential_blob is not None:
        try:
            credential = shared.vault.open(record.credential_blob, token)
        except CredentialUnreadable:
            # Happens after the secret key changed: the token can never work again.
            log.warning(
                "token of app %d has an unreadable credential; was the secret key changed?", record.app_id
            )
            raise Unauthorized() from None

    return Viewer(
        token_hash=token_hash,
        app_id=record.app_id,
        scopes=record.scopes,
        user_id=record.user_id,
        username=record.username,
        credential=credential,
    )


async def authenticate(request: Request, required_scope: str | None = None) -> UserViewer:
    """Check the token and its scope, and require that it acts for a person."""
    viewer = await authenticate_app(request, required_scope)
    if viewer.user_id is None or viewer.username is None or viewer.credential is None:
        raise Unprocessable("This method requires an authenticated user")
    return UserViewer(
        token_hash=viewer.token_hash,
        app_id=viewer.app_id,
        scopes=viewer.scopes,
        user_id=viewer.user_id,
        username=viewer.username,
        credential=viewer.credential,
    )

"""Friendica 3.5.4's OAuth 1.0a provider (``include/oauth.php``, ``library/OAuth1.php``, ``mod/api.php``).

Users register consumers on ``/settings/oauth`` with a name, an icon URL, a
redirect URL and a consumer key and secret of at most 20 characters.
Longer keys and secrets are cut, as MySQL does with its ``varchar(20)``
columns outside strict mode. The flow:

1. ``POST /api/oauth/request_token``, signed with the consumer secret,
   returns ``oauth_token=...&oauth_token_secret=...`` as text. The
   ``oauth_callback`` parameter is read but never used.
2. ``/api/oauth/authorize?oauth_token=...`` is a web page for a logged-in
   user with one button, ``oauth_yes``. Posting it redirects to the
   consumer's *registered* redirect URL with ``?oauth_token=...&oauth_verifier=...``
   (always ``?``, even when the URL has a query), or shows the verifier on
   a page when the consumer has no redirect URL.
3. ``POST /api/oauth/access_token`` with ``oauth_verifier``, signed with
   the request token, returns the access token the same way.

Signed API calls (HMAC-SHA1 or PLAINTEXT, parameters in the query, a form
body or an ``Authorization: OAuth`` header) log in as the token's user.
Failures of the token endpoints are ``error=<message>`` with status 200.

3.5.4's quirks, kept on purpose:

- The verifier is the MD5 of the user id (``md5($app['secret'] . uid)``
  reads a column the ``clients`` table lacks), stored site-wide until one
  access token request uses it. It is not tied to the request token.
- An access token request *without* ``oauth_verifier`` succeeds and
  returns a token that belongs to no user; API calls signed with it get a
  plain-text 401. A request with an unknown verifier deletes the request
  token and returns an empty body.
- Nonces are never stored, so a replayed request is accepted. Timestamps
  must be within 300 seconds of the server's clock.
- Access tokens never expire.

NOTE: 3.5.4 stores a request token's expiry (300 seconds) but never checks
it. The double rejects request tokens older than
``AuthSettings.request_token_lifetime_seconds`` like unknown ones, so a
client's handling of an expired token can be tested.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit
from urllib.request import parse_http_list, parse_keqv_list

from authlib.oauth1.rfc5849.signature import normalize_base_string_uri, normalize_parameters
from authlib.oauth1.rfc5849.util import escape
from starlette.requests import Request

from .context import Site, logger
from .db import Row, Store
from .params import Params

SCHEMA = """
CREATE TABLE IF NOT EXISTS oauth1_consumer (
    client_id TEXT PRIMARY KEY,
    pw TEXT NOT NULL DEFAULT '',
    redirect_uri TEXT NOT NULL DEFAULT '',
    name TEXT,
    icon TEXT,
    uid INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS oauth1_token (
    id TEXT PRIMARY KEY,
    secret TEXT,
    client_id TEXT NOT NULL DEFAULT '',
    expires REAL NOT NULL DEFAULT 0,
    scope TEXT NOT NULL DEFAULT '',
    uid INTEGER NOT NULL DEFAULT 0
);
"""

KEY_LENGTH = 20
REQUEST = "request"
ACCESS = "access"
# 3.5.4 stores access tokens for a year and never checks it.
ACCESS_TOKEN_SECONDS = 31536000
TIMESTAMP_WINDOW_SECONDS = 300
SIGNATURE_METHODS = ("PLAINTEXT", "HMAC-SHA1")
# 3.5.4 keeps verifiers in its config table under this category.
VERIFIER_CATEGORY = "oauth"


class OAuthFailure(Exception):
    """A rejected OAuth 1 request, with 3.5.4's message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SignedRequest:
    """The parameters of a request as 3.5.4's ``OAuthRequest::from_request()`` collects them."""

    method: str
    url: str
    params: list[tuple[str, str]]

    def get(self, name: str) -> str | None:
        """Return the last value of parameter ``name``, or None."""
        value = None
        for key, item in self.params:
            if key == name:
                value = item
        return value


def prepare(store: Store) -> None:
    """Create the consumer and token tables."""
    with store.transaction():
        for statement in SCHEMA.split(";"):
            if statement.strip():
                store.execute(statement)


# Consumers


def register_consumer(
    store: Store,
    *,
    key: str,
    secret: str,
    name: str,
    redirect_uri: str = "",
    icon: str = "",
    uid: int = 0,
) -> str:
    """Register a consumer like the settings page does and return its stored key.

    Key and secret are cut to 20 characters. An existing key is replaced
    (3.5.4's settings page would fail to insert it silently).
    """
    stored_key = key[:KEY_LENGTH]
    store.execute(
        "INSERT OR REPLACE INTO oauth1_consumer (client_id, pw, redirect_uri, name, icon, uid) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [stored_key, secret[:KEY_LENGTH], redirect_uri, name, icon, uid],
    )
    logger.info("registered OAuth 1 consumer %s (%s) for uid %d", stored_key, name, uid)
    return stored_key


def consumer(store: Store, key: str) -> Row | None:
    """Return the consumer with this key."""
    return store.one("SELECT * FROM oauth1_consumer WHERE client_id = ?", [key])


def consumers_listed_for(store: Store, uid: int) -> list[Row]:
    """Return the consumers the settings page lists: the user's own and site-wide ones, with tokens."""
    return store.query(
        "SELECT oauth1_consumer.*, oauth1_token.id AS oauth_token, (oauth1_consumer.uid = ?) AS my "
        "FROM oauth1_consumer LEFT JOIN oauth1_token ON oauth1_token.client_id = oauth1_consumer.client_id "
        "AND oauth1_token.scope = 'access' AND oauth1_token.uid = ? "
        "WHERE oauth1_consumer.uid IN (?, 0) ORDER BY oauth1_consumer.name",
        [uid, uid, uid],
    )


def delete_consumer(store: Store, key: str, uid: int) -> None:
    """Delete one of the user's consumers (its tokens stay, as in 3.5.4)."""
    store.execute("DELETE FROM oauth1_consumer WHERE client_id = ? AND uid = ?", [key, uid])


def revoke_token(store: Store, token: str, uid: int) -> None:
    """Delete one of the user's access tokens ("Remove authorization" on the settings page)."""
    store.execute("DELETE FROM oauth1_token WHERE id = ? AND uid = ?", [token, uid])


# Tokens


def _new_secret() -> str:
    """Return a 32-hex-digit token or secret, the form of 3.5.4's ``gen_token()``."""
    return hashlib.md5(secrets.token_bytes(24)).hexdigest()


def _new_token(site: Site, client_id: str, scope: str, lifetime: float, uid: int = 0) -> tuple[str, str]:
    key, secret = _new_secret(), _new_secret()
    site.store.execute(
        "INSERT INTO oauth1_token (id, secret, client_id, scope, expires, uid) VALUES (?, ?, ?, ?, ?, ?)",
        [key, secret, client_id, scope, time.time() + lifetime, uid],
    )
    return key, secret


def token(site: Site, client_id: str, scope: str, key: str) -> Row | None:
    """Return the token ``key`` of a consumer with ``scope``; an expired request token counts as none."""
    row = site.store.one(
        "SELECT * FROM oauth1_token WHERE client_id = ? AND scope = ? AND id = ?", [client_id, scope, key]
    )
    if row is not None and scope == REQUEST and row["expires"] <= time.time():
        logger.info("request token %s of consumer %s has expired", key, client_id)
        return None
    return row


def consumer_of_request_token(site: Site, key: str) -> Row | None:
    """Return the consumer of a valid request token (3.5.4's ``oauth_get_client()``)."""
    row = site.store.one("SELECT client_id FROM oauth1_token WHERE id = ? AND scope = ?", [key, REQUEST])
    if row is None or token(site, row["client_id"], REQUEST, key) is None:
        return None
    return consumer(site.store, row["client_id"])


def grant_verifier(store: Store, uid: int) -> str:
    """Record that user ``uid`` authorized an application and return the verifier.

    As in 3.5.4 the verifier is ``md5(uid)``, so all authorizations of one
    user share it until an access token request uses it up. ``uid`` 0 is a
    visitor who was not logged in.
    """
    verifier = hashlib.md5(str(uid).encode() if uid else b"").hexdigest()
    store.execute(
        "INSERT OR REPLACE INTO config (cat, k, v) VALUES (?, ?, ?)", [VERIFIER_CATEGORY, verifier, str(uid)]
    )
    return verifier


# Requests


def signed_request(request: Request, query: Params, form: Params) -> SignedRequest:
    """Collect a request's parameters: query, form body (POST only), then the OAuth header.

    Raises OAuthFailure for an ``Authorization: OAuth`` header that cannot be read.
    """
    params = [(key, value) for key, value in request.query_params.multi_items()]
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        params += _flat_pairs(form)
    header = request.headers.get("authorization", "")
    if header[:6].lower() == "oauth ":
        try:
            pairs = parse_keqv_list(parse_http_list(header[6:]))
        except ValueError:
            raise OAuthFailure("Invalid OAuth authorization header") from None
        params += [(key, unquote(value)) for key, value in pairs.items() if key.startswith("oauth_")]

    parts = urlsplit(str(request.url))
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return SignedRequest(request.method, url, params)


def _flat_pairs(form: Params) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in form.values.items():
        if isinstance(value, list):
            pairs += [(f"{key}[]", item) for item in value]
        elif isinstance(value, dict):
            pairs += [(f"{key}[{index}]", item) for index, item in value.items()]
        else:
            pairs.append((key, value))
    return pairs


def base_string(signed: SignedRequest) -> str:
    """Return the signature base string (RFC 5849, section 3.4.1)."""
    params = [(key, value) for key, value in signed.params if key != "oauth_signature"]
    return "&".join(
        [
            escape(signed.method.upper()),
            escape(normalize_base_string_uri(signed.url)),
            escape(normalize_parameters(params)),
        ]
    )


def expected_signature(signed: SignedRequest, method: str, consumer_secret: str, token_secret: str) -> str:
    """Return the signature a request must carry for ``method`` (HMAC-SHA1 or PLAINTEXT)."""
    key = f"{escape(consumer_secret)}&{escape(token_secret)}"
    if method == "PLAINTEXT":
        return key
    digest = hmac.new(key.encode(), base_string(signed).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _check_version(signed: SignedRequest) -> None:
    version = signed.get("oauth_version") or "1.0"
    if version != "1.0":
        raise OAuthFailure(f"OAuth version '{version}' not supported")


def _consumer_of(site: Site, signed: SignedRequest) -> Row:
    key = signed.get("oauth_consumer_key")
    if not key:
        raise OAuthFailure("Invalid consumer key")
    found = consumer(site.store, key)
    if found is None:
        raise OAuthFailure("Invalid consumer")
    return found


def _token_of(site: Site, signed: SignedRequest, client: Row, scope: str) -> Row:
    key = signed.get("oauth_token") or ""
    found = token(site, client["client_id"], scope, key)
    if found is None:
        raise OAuthFailure(f"Invalid {scope} token: {key}")
    return found


def _check_signature(signed: SignedRequest, client: Row, token_row: Row | None) -> None:
    """Check timestamp, nonce, method and signature in 3.5.4's order."""
    timestamp = signed.get("oauth_timestamp")
    if not timestamp:
        raise OAuthFailure("Missing timestamp parameter. The parameter is required")
    now = int(time.time())
    stamp = int(timestamp) if timestamp.strip().lstrip("-").isdigit() else 0
    if abs(now - stamp) > TIMESTAMP_WINDOW_SECONDS:
        raise OAuthFailure(f"Expired timestamp, yours {timestamp}, ours {now}")
    if not signed.get("oauth_nonce"):
        raise OAuthFailure("Missing nonce parameter. The parameter is required")

    method = signed.get("oauth_signature_method")
    if not method:
        raise OAuthFailure("No signature method parameter. This parameter is required")
    if method not in SIGNATURE_METHODS:
        supported = ", ".join(SIGNATURE_METHODS)
        raise OAuthFailure(f"Signature method '{method}' not supported try one of the following: {supported}")
    token_secret = str(token_row["secret"] or "") if token_row is not None else ""
    expected = expected_signature(signed, method, str(client["pw"]), token_secret)
    if not hmac.compare_digest(expected.encode(), (signed.get("oauth_signature") or "").encode()):
        raise OAuthFailure("Invalid signature")


def issue_request_token(site: Site, signed: SignedRequest) -> str:
    """Issue a request token for ``api/oauth/request_token``: ``oauth_token=...&oauth_token_secret=...``."""
    _check_version(signed)
    client = _consumer_of(site, signed)
    _check_signature(signed, client, None)
    key, secret = _new_token(site, client["client_id"], REQUEST, site.auth.request_token_lifetime_seconds)
    logger.info("issued OAuth 1 request token for consumer %s", client["client_id"])
    return f"oauth_token={escape(key)}&oauth_token_secret={escape(secret)}"


def issue_access_token(site: Site, signed: SignedRequest) -> str:
    """Issue an access token for ``api/oauth/access_token``, using up the request token whatever the verifier.

    Returns "" when the verifier is unknown, as 3.5.4 prints nothing then.
    """
    _check_version(signed)
    client = _consumer_of(site, signed)
    request_token = _token_of(site, signed, client, REQUEST)
    _check_signature(signed, client, request_token)

    store = site.store
    verifier = signed.get("oauth_verifier")
    granted = (
        store.scalar("SELECT v FROM config WHERE cat = ? AND k = ?", [VERIFIER_CATEGORY, verifier])
        if verifier is not None
        else None
    )
    answer = ""
    with store.transaction():
        if verifier is None or granted is not None:
            uid = int(granted) if granted else 0
            key, secret = _new_token(site, client["client_id"], ACCESS, ACCESS_TOKEN_SECONDS, uid)
            answer = f"oauth_token={escape(key)}&oauth_token_secret={escape(secret)}"
            logger.info("issued OAuth 1 access token of consumer %s for uid %d", client["client_id"], uid)
        store.execute("DELETE FROM oauth1_token WHERE id = ?", [request_token["id"]])
        if answer and granted is not None:
            store.execute("DELETE FROM config WHERE cat = ? AND k = ?", [VERIFIER_CATEGORY, verifier])
    if not answer:
        logger.info("rejected OAuth 1 verifier %r of consumer %s", verifier, client["client_id"])
    return answer


def verify_api_request(site: Site, request: Request, query: Params, form: Params) -> Row:
    """Return the access token of a correctly signed API request; raise OAuthFailure otherwise."""
    signed = signed_request(request, query, form)
    _check_version(signed)
    client = _consumer_of(site, signed)
    access_token = _token_of(site, signed, client, ACCESS)
    _check_signature(signed, client, access_token)
    return access_token

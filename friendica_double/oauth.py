"""Friendica 2024.08's OAuth 2 provider: client applications, codes and access tokens.

The rules come from Friendica 2024.08's ``src/Security/OAuth.php``, its
``OAuth`` modules and ``Api/Mastodon/Apps.php``:

- A client has at most one token row per user. Authorizing again replaces
  the row with a new code and a new access token, so the earlier access
  token stops working.
- The code is the token row's ``code`` column. It can be exchanged any
  number of times for the same access token while the row is younger than
  the code lifetime (5 minutes), so it is not single-use.
- Revoking one token deletes the tokens of every user of that client.
- The scope flags of a token come from case-insensitive substring matches
  on the requested scope (``read:statuses`` grants all of ``read``).
- A client_credentials token belongs to user 0 and has no scope flags.
"""

from __future__ import annotations

import base64
import re
import secrets
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from . import dates
from .context import Site, logger
from .db import Row, Store

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ("read", "write", "follow", "push")

# Token rows join users like Friendica's ``application-view``: the user must
# exist. User 0 is Friendica's system user, which always exists.
_USER_EXISTS = "(token.uid = 0 OR EXISTS (SELECT 1 FROM user WHERE user.uid = token.uid))"


def php_empty(value: str) -> bool:
    """Return PHP's ``empty()`` of a request string: "" and "0" are empty."""
    return value in ("", "0")


def scope_flags(scopes: str) -> dict[str, int]:
    """Return the read/write/follow/push columns for a scope string (substring matches)."""
    lowered = scopes.lower()
    return {scope: int(scope in lowered) for scope in SCOPES}


def php_strtok(value: str, delimiter: str) -> str:
    """Return the first token of PHP's ``strtok(value, delimiter)``: leading delimiters are skipped.

    PHP returns false where nothing is left. This returns "" there.
    """
    return value.lstrip(delimiter).split(delimiter, 1)[0]


def like_match(value: str, pattern: str) -> bool:
    """Return whether MySQL's ``value LIKE pattern`` on a binary column is true.

    ``%`` matches any run, ``_`` one character and a backslash escapes the
    next character. Binary columns compare case-sensitively.
    """
    parts = []
    escaped = False
    for character in pattern:
        if escaped:
            parts.append(re.escape(character))
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "%":
            parts.append(".*")
        elif character == "_":
            parts.append(".")
        else:
            parts.append(re.escape(character))
    if escaped:
        parts.append(re.escape("\\"))
    return re.fullmatch("".join(parts), value, re.DOTALL) is not None


# Applications


def register_application(store: Store, name: str, redirect_uri: str, scopes: str, website: str) -> int:
    """Store a new client with random 64-hex credentials and return its id.

    Empty ``scopes`` and ``website`` are stored as NULL, as Friendica leaves them out.
    """
    fields: dict[str, Any] = {
        "client_id": secrets.token_hex(32),
        "client_secret": secrets.token_hex(32),
        "name": name,
        "redirect_uri": redirect_uri,
    }
    if not php_empty(scopes):
        fields["scopes"] = scopes
    fields.update(scope_flags(scopes))
    if not php_empty(website):
        fields["website"] = website
    application_id = store.insert("application", fields)
    logger.info("registered OAuth client %d (%s)", application_id, name)
    return application_id


def application(store: Store, application_id: int) -> Row | None:
    """Return the client with this id."""
    return store.one("SELECT * FROM application WHERE id = ?", [application_id])


def find_application(store: Store, client_id: str, client_secret: str, redirect_uri: str) -> Row | None:
    """Return the client that matches like Friendica's ``OAuth::getApplication()``, or None.

    The secret is checked only when given. The redirect URI loses its query
    (everything from the first ``?``) and must then equal the registered
    value or one of its space-separated parts. An empty redirect URI
    matches only a registration with an empty part, so token requests
    without ``redirect_uri`` fail.
    """
    sql = "SELECT * FROM application WHERE client_id = ?"
    arguments = [client_id]
    if not php_empty(client_secret):
        sql += " AND client_secret = ?"
        arguments.append(client_secret)
    row = store.one(sql, arguments)
    if row is None:
        return None

    if not php_empty(redirect_uri):
        redirect_uri = php_strtok(redirect_uri, "?")
        if not like_match(row["redirect_uri"], f"%{redirect_uri}%"):
            return None
    registered = row["redirect_uri"]
    if registered != redirect_uri and redirect_uri not in registered.split(" "):
        return None
    return row


def application_entity(site: Site, row: Row) -> dict[str, Any]:
    """Return the Mastodon Application object that ``/api/v1/apps`` returns (secret included)."""
    entity: dict[str, Any] = {
        "client_id": row["client_id"],
        "client_secret": row["client_secret"],
        "id": str(row["id"]),
        "name": row["name"],
        "redirect_uri": row["redirect_uri"],
    }
    if row["website"]:
        entity["website"] = row["website"]
    entity["vapid_key"] = vapid_public_key(site.store)
    return entity


def vapid_public_key(store: Store) -> str:
    """Return the site's VAPID public key (base64url P-256 point), creating it on first use."""
    stored = store.scalar("SELECT v FROM config WHERE cat = 'system' AND k = 'vapid_public_key'")
    if stored:
        return str(stored)
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    key = base64.urlsafe_b64encode(point).rstrip(b"=").decode("ascii")
    store.execute("INSERT OR IGNORE INTO config (cat, k, v) VALUES ('system', 'vapid_public_key', ?)", [key])
    return str(store.scalar("SELECT v FROM config WHERE cat = 'system' AND k = 'vapid_public_key'"))


# Tokens


def has_token(store: Store, application_id: int, uid: int) -> bool:
    """Return whether the user already has a token for this client (consent is then skipped)."""
    return (
        store.count(
            "SELECT COUNT(*) FROM application_token WHERE application_id = ? AND uid = ?",
            [application_id, uid],
        )
        > 0
    )


def grant(store: Store, client: Row, uid: int, scope: str) -> Row:
    """Create or replace the user's token for a client, with a new code and access token."""
    flags = scope_flags(scope)
    for name, granted in flags.items():
        if granted and not client[name]:
            # Friendica only logs this; the token gets the scope anyway.
            logger.warning("client %d was registered without scope %s", client["id"], name)
    fields = {
        "application_id": client["id"],
        "uid": uid,
        "code": secrets.token_hex(32),
        "access_token": secrets.token_hex(32),
        "created_at": dates.to_storage(dates.now()),
        "scopes": scope,
        **flags,
    }
    columns = ", ".join(fields)
    marks = ", ".join("?" for _ in fields)
    store.execute(
        f"INSERT OR REPLACE INTO application_token ({columns}) VALUES ({marks})",
        list(fields.values()),
    )
    logger.info("issued a token of client %d for user %d", client["id"], uid)
    row = store.one(
        "SELECT * FROM application_token WHERE application_id = ? AND uid = ?",
        [client["id"], uid],
    )
    assert row is not None
    return row


def token_by_bearer(store: Store, access_token: str) -> Row | None:
    """Return the token row (with the client's name) for a bearer token, or None."""
    return store.one(
        "SELECT token.*, application.name, application.website FROM application_token AS token "
        "JOIN application ON application.id = token.application_id "
        f"WHERE token.access_token = ? AND {_USER_EXISTS}",
        [access_token],
    )


def token_for_code(
    store: Store, client: Row, code: str, redirect_uri: str, lifetime_seconds: int
) -> Row | None:
    """Return the token row whose code the client may exchange, or None.

    Friendica 2024.08 compares the client's whole registered redirect URI
    with ``LIKE`` against the request's URI (without its query). A client
    registered with several space-separated URIs therefore never gets a
    token for a code.
    """
    if not like_match(client["redirect_uri"], php_strtok(redirect_uri, "?")):
        return None
    cutoff = dates.to_storage(dates.now() - timedelta(seconds=lifetime_seconds))
    return store.one(
        "SELECT token.* FROM application_token AS token "
        f"WHERE token.application_id = ? AND token.code = ? AND token.created_at > ? AND {_USER_EXISTS}",
        [client["id"], code, cutoff],
    )


def revoke(store: Store, client_id: str, client_secret: str, access_token: str) -> bool:
    """Delete every token of the client that issued ``access_token``; return False if none matched."""
    client_row = store.one(
        "SELECT application.id FROM application_token AS token "
        "JOIN application ON application.id = token.application_id "
        "WHERE application.client_id = ? AND application.client_secret = ? "
        f"AND token.access_token = ? AND {_USER_EXISTS}",
        [client_id, client_secret, access_token],
    )
    if client_row is None:
        return False
    deleted = store.execute(
        "DELETE FROM application_token WHERE application_id = ?", [client_row["id"]]
    ).rowcount
    logger.info("revoked %d token(s) of client %d", deleted, client_row["id"])
    return True


def token_entity(access_token: str, scope: str, created_at: str, me: str | None) -> dict[str, Any]:
    """Return the Mastodon Token object; ``me`` (the owner's profile URL) is left out when empty."""
    entity: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer",
        "scope": scope,
        "created_at": dates.epoch(created_at),
    }
    if me:
        entity["me"] = me
    return entity

"""Keyed hashes of tokens and the encryption of upstream credentials.

A token or client secret is stored only as an HMAC keyed with the gateway's
secret key. An upstream credential (a password, later an upstream token) is
encrypted with AES-GCM under a key derived from both the gateway's secret key
and the client's own token. So a copy of the database alone yields nothing
usable, and neither does the secret key without the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gateway.upstream import BasicCredential, BearerCredential, Credential
from gateway.upstream_oauth import OAuth1Credential

NONCE_BYTES = 12


class CredentialUnreadable(Exception):
    """The credential cannot be decrypted: wrong token, other secret key, or damaged data."""


def new_token() -> str:
    """Return a new random token (256 bits) for access tokens, codes and client ids."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Vault:
    secret_key: bytes

    def _subkey(self, purpose: bytes, material: bytes = b"") -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose + b"\0" + material).derive(
            self.secret_key
        )

    def hash_token(self, token: str) -> str:
        key = self._subkey(b"mastogate token hash")
        return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()

    def seal(self, credential: Credential, token: str) -> bytes:
        """Encrypt ``credential`` so that only this ``token`` opens it again."""
        key = self._subkey(b"mastogate credential", token.encode())
        nonce = os.urandom(NONCE_BYTES)
        plaintext = json.dumps(credential.to_dict()).encode()
        return nonce + AESGCM(key).encrypt(nonce, plaintext, b"mastogate credential v1")

    def open(self, blob: bytes, token: str) -> Credential:
        key = self._subkey(b"mastogate credential", token.encode())
        nonce, ciphertext = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
        try:
            plaintext = AESGCM(key).decrypt(nonce, ciphertext, b"mastogate credential v1")
        except InvalidTag as error:
            raise CredentialUnreadable("the credential does not open with this token") from error
        return credential_from_dict(json.loads(plaintext))

    def seal_secret(self, secret: str, purpose: str) -> bytes:
        """Encrypt a secret of the gateway's own (an upstream client secret) under the secret key alone."""
        key = self._subkey(b"mastogate secret", purpose.encode())
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(key).encrypt(nonce, secret.encode(), b"mastogate secret v1")

    def open_secret(self, blob: bytes, purpose: str) -> str:
        key = self._subkey(b"mastogate secret", purpose.encode())
        try:
            plaintext = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], b"mastogate secret v1")
        except InvalidTag as error:
            raise CredentialUnreadable("the secret does not open with this secret key") from error
        return plaintext.decode()

    def url_signature(self, message: str) -> str:
        key = self._subkey(b"mastogate signed url")
        digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def credential_from_dict(data: dict[str, str]) -> Credential:
    if data.get("type") == "basic":
        return BasicCredential(username=data["username"], password=data["password"])
    if data.get("type") == "bearer":
        return BearerCredential(token=data["token"], client_id=data["client_id"])
    if data.get("type") == "oauth1":
        return OAuth1Credential(
            consumer_key=data["consumer_key"],
            consumer_secret=data["consumer_secret"],
            token=data["token"],
            token_secret=data["token_secret"],
        )
    raise CredentialUnreadable(f"unknown credential type {data.get('type')!r}")


def vapid_public_key(secret_key: bytes) -> str:
    """Derive the Web Push (VAPID) public key from the secret key, so every replica agrees on it.

    Apps read it from the instance and the application entities; Mastodon
    sends it as an uncompressed P-256 point in URL-safe base64.
    """
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    seed = HKDF(algorithm=hashes.SHA256(), length=48, salt=None, info=b"mastogate vapid").derive(secret_key)
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    private_value = int.from_bytes(seed, "big") % (order - 1) + 1
    public_key = ec.derive_private_key(private_value, ec.SECP256R1()).public_key()
    point = public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).decode().rstrip("=")

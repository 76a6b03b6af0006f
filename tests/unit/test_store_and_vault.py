"""The SQLite store, token hashing and credential encryption."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from gateway.auth.scopes import InvalidScope, covers, is_subset, parse_scopes
from gateway.auth.vault import CredentialUnreadable, Vault
from gateway.ids import MINTED_ID_FLOOR, is_minted
from gateway.store.base import AuthorizationCodeRecord, TokenRecord, UpstreamLoginRecord
from gateway.store.sqlite import SQLiteStore
from gateway.upstream import BasicCredential, BearerCredential
from gateway.upstream_oauth import OAuth1Credential

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path):
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    yield store
    await store.close()


async def test_credential_opens_only_with_its_token():
    vault = Vault(b"secret key one")
    sealed = vault.seal(BasicCredential("alice", "demo"), "token-a")

    assert vault.open(sealed, "token-a") == BasicCredential("alice", "demo")
    with pytest.raises(CredentialUnreadable):
        vault.open(sealed, "token-b")
    with pytest.raises(CredentialUnreadable):
        Vault(b"secret key two").open(sealed, "token-a")


async def test_database_holds_no_token_or_password(store, tmp_path):
    vault = Vault(b"secret key")
    app = await store.create_app(
        client_id="client",
        client_secret_hash=vault.hash_token("client-secret"),
        name="App",
        website=None,
        redirect_uris=("urn:ietf:wg:oauth:2.0:oob",),
        scopes=("read",),
    )
    await store.create_token(
        TokenRecord(
            token_hash=vault.hash_token("the-access-token"),
            app_id=app.id,
            scopes=("read",),
            created_at=NOW,
            user_id=3,
            username="alice",
            credential_blob=vault.seal(BasicCredential("alice", "hunter2-password"), "the-access-token"),
        )
    )
    await store.close()

    raw = (tmp_path / "store.sqlite3").read_bytes() + b"".join(
        path.read_bytes() for path in tmp_path.glob("store.sqlite3-*")
    )
    assert b"the-access-token" not in raw
    assert b"hunter2-password" not in raw
    assert b"client-secret" not in raw
    await store.open()


async def test_authorization_code_is_single_use(store):
    app = await store.create_app(
        client_id="c",
        client_secret_hash="h",
        name="App",
        website=None,
        redirect_uris=("x:/",),
        scopes=("read",),
    )
    record = AuthorizationCodeRecord(
        code_hash="code-hash",
        app_id=app.id,
        redirect_uri="x:/",
        scopes=("read",),
        code_challenge=None,
        code_challenge_method=None,
        user_id=3,
        username="alice",
        credential_blob=b"blob",
        expires_at=NOW + timedelta(minutes=10),
    )
    await store.create_authorization_code(record)

    assert await store.consume_authorization_code("code-hash", NOW) == record
    assert await store.consume_authorization_code("code-hash", NOW) is None


async def test_expired_authorization_code_is_refused(store):
    app = await store.create_app(
        client_id="c",
        client_secret_hash="h",
        name="App",
        website=None,
        redirect_uris=("x:/",),
        scopes=("read",),
    )
    await store.create_authorization_code(
        AuthorizationCodeRecord(
            code_hash="old",
            app_id=app.id,
            redirect_uri="x:/",
            scopes=("read",),
            code_challenge=None,
            code_challenge_method=None,
            user_id=3,
            username="alice",
            credential_blob=b"blob",
            expires_at=NOW - timedelta(seconds=1),
        )
    )

    assert await store.consume_authorization_code("old", NOW) is None


async def test_minted_ids_are_stable_distinct_and_time_ordered(store):
    first = await store.mint_id("share", "user:3", "22", NOW)
    again = await store.mint_id("share", "user:3", "22", NOW + timedelta(hours=1))
    same_moment = await store.mint_id("share", "user:3", "24", NOW)
    later = await store.mint_id("share", "user:5", "22", NOW + timedelta(seconds=1))

    assert first == again
    assert same_moment != first
    assert first < later and same_moment < later
    assert all(is_minted(value) and value >= MINTED_ID_FLOOR for value in (first, same_moment, later))
    assert not is_minted(4_294_967_295)  # the largest Friendica item id
    assert await store.resolve_minted_id(first) == ("share", "user:3", "22")
    # Clients order ids by length, then lexically: the later id must also sort later that way.
    assert (len(str(first)), str(first)) < (len(str(later)), str(later))


async def test_idempotency_key_claim_complete_release(store):
    assert await store.claim_idempotency_key("user:3", "key", NOW) == (True, None)
    assert await store.claim_idempotency_key("user:3", "key", NOW) == (False, None)
    await store.complete_idempotency_key("user:3", "key", 42)
    assert await store.claim_idempotency_key("user:3", "key", NOW) == (False, 42)
    assert await store.claim_idempotency_key("user:5", "key", NOW) == (True, None)

    await store.release_idempotency_key("user:5", "key")
    assert await store.claim_idempotency_key("user:5", "key", NOW) == (True, None)
    assert await store.claim_idempotency_key("user:3", "key", NOW + timedelta(hours=2)) == (True, None)


async def test_favourites_log_pages_newest_first(store):
    for offset, status_id in enumerate([10, 20, 30, 40]):
        await store.record_favourites("user:3", {status_id: ("{}", NOW + timedelta(seconds=offset))})
    await store.forget_favourites("user:3", [20])

    everything = await store.list_favourites("user:3", max_id=None, since_id=None, min_id=None, limit=10)
    assert [record.status_id for record in everything] == [40, 30, 10]

    older = await store.list_favourites(
        "user:3", max_id=everything[0].favourite_id, since_id=None, min_id=None, limit=1
    )
    assert [record.status_id for record in older] == [30]

    newer = await store.list_favourites(
        "user:3", max_id=None, since_id=None, min_id=everything[2].favourite_id, limit=1
    )
    assert [record.status_id for record in newer] == [30]
    assert await store.favourite_status_ids("user:3", [10, 20, 99]) == {10}


async def test_store_survives_reopen(tmp_path):
    path = tmp_path / "reopen.sqlite3"
    first = SQLiteStore(path)
    await first.open()
    minted = await first.mint_id("share", "user:3", "22", NOW)
    await first.close()

    second = SQLiteStore(path)
    await second.open()
    assert await second.resolve_minted_id(minted) == ("share", "user:3", "22")
    await second.close()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_scopes_parse_and_cover():
    assert parse_scopes("read write follow push") == ("read", "write", "follow", "push")
    assert parse_scopes("read+write") == ("read", "write")
    assert parse_scopes(None) == ("read",)
    with pytest.raises(InvalidScope):
        parse_scopes("read everything")

    assert covers(["read"], "read:statuses")
    assert not covers(["read:accounts"], "read:statuses")
    assert covers(["follow"], "write:blocks")
    assert not covers(["write"], "read:statuses")
    assert covers(["read:accounts"], "profile")
    assert is_subset(["read:statuses", "write"], ["read", "write", "follow", "push"])
    assert not is_subset(["write"], ["read"])


async def test_upstream_token_and_client_secret_stay_sealed():
    vault = Vault(b"secret key one")
    credential = BearerCredential(token="upstream-token", client_id="client-1")
    sealed = vault.seal(credential, "token-a")
    secret = vault.seal_secret("client secret", "upstream client secret")

    oauth1 = OAuth1Credential("consumer", "consumer-secret", "access", "access-secret")

    assert vault.open(sealed, "token-a") == credential
    assert vault.open(vault.seal(oauth1, "token-b"), "token-b") == oauth1
    assert "access-secret" not in repr(oauth1)
    assert "upstream-token" not in repr(credential)
    assert vault.open_secret(secret, "upstream client secret") == "client secret"
    assert b"client secret" not in secret
    with pytest.raises(CredentialUnreadable):
        Vault(b"secret key two").open_secret(secret, "upstream client secret")


async def test_upstream_login_is_taken_once_before_it_expires(store):
    app = await store.create_app(
        client_id="c",
        client_secret_hash="h",
        name="app",
        website=None,
        redirect_uris=("urn:x",),
        scopes=("read",),
    )

    def login(state_hash: str, expires_at: datetime) -> UpstreamLoginRecord:
        return UpstreamLoginRecord(
            state_hash=state_hash,
            app_id=app.id,
            redirect_uri="urn:x",
            scopes=("read",),
            state=None,
            code_challenge=None,
            code_challenge_method=None,
            browser_hash="b",
            expires_at=expires_at,
        )

    await store.create_upstream_login(login("fresh", NOW + timedelta(minutes=5)))
    await store.create_upstream_login(login("stale", NOW - timedelta(minutes=1)))

    first = await store.take_upstream_login("fresh", NOW)
    again = await store.take_upstream_login("fresh", NOW)
    stale = await store.take_upstream_login("stale", NOW)

    assert first is not None
    assert first.scopes == ("read",)
    assert again is None
    assert stale is None


async def test_tokens_count_per_upstream_client(store):
    app = await store.create_app(
        client_id="c",
        client_secret_hash="h",
        name="app",
        website=None,
        redirect_uris=("urn:x",),
        scopes=("read",),
    )
    for number, client in enumerate(("up-1", "up-1", "up-2", None)):
        await store.create_token(
            TokenRecord(
                token_hash=f"t{number}",
                app_id=app.id,
                scopes=("read",),
                created_at=NOW,
                upstream_client=client,
            )
        )

    assert await store.tokens_of_upstream_client("up-1") == 2
    assert await store.tokens_of_upstream_client("up-2") == 1
    assert (await store.get_token("t0")).upstream_client == "up-1"


async def test_older_database_gains_the_upstream_client_column(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, app_id INTEGER NOT NULL, scopes TEXT NOT NULL,"
            " user_id INTEGER, username TEXT, credential_blob BLOB, created_at TEXT NOT NULL)"
        )

    store = SQLiteStore(path)
    await store.open()
    await store.close()

    with sqlite3.connect(path) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(tokens)")}
    assert "upstream_client" in columns


async def test_sync_values_read_several_at_once(store):
    await store.set_sync_value("user:1", "shared-as:10", "55")
    await store.set_sync_value("user:1", "shared-as:11", "")
    await store.set_sync_value("user:2", "shared-as:12", "77")

    found = await store.sync_values("user:1", ["shared-as:10", "shared-as:11", "shared-as:12"])
    nothing = await store.sync_values("user:1", [])

    assert found == {"shared-as:10": "55", "shared-as:11": ""}
    assert nothing == {}

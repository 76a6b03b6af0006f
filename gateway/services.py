"""The objects every request handler shares: settings, store, upstream client, caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cachetools import TTLCache
from starlette.requests import Request

from gateway.auth.throttle import LoginThrottle
from gateway.auth.vault import Vault
from gateway.capabilities import Capabilities, CapabilityState
from gateway.settings import Settings
from gateway.store.base import Store
from gateway.upstream import Credential, FriendicaClient
from mappings.accounts import OwnProfile
from mappings.context import MappingContext


@dataclass
class UserCache:
    """Recently looked-up upstream users, keyed by the credential that looked them up.

    Friendica shows each person a different view of the same contact
    (``following``, the viewer's contact id ``cid``), so an entry is only ever
    served back to the same credential. Besides users by id it keeps which
    id an address (``acct``) named and the viewer's own profile extras.
    Routes forget an entry when the viewer changes what it shows, such as
    after a follow. ``hits`` and ``misses`` count look-ups of users by id.
    """

    ttl: float
    size: int
    hits: int = 0
    misses: int = 0
    _entries: TTLCache[tuple[str, int], dict[str, Any]] = field(init=False)
    _accts: TTLCache[tuple[str, str], int] = field(init=False)
    _own: TTLCache[str, OwnProfile] = field(init=False)

    def __post_init__(self) -> None:
        self._entries = TTLCache(maxsize=max(self.size, 1), ttl=max(self.ttl, 0.001))
        self._accts = TTLCache(maxsize=max(self.size, 1), ttl=max(self.ttl, 0.001))
        self._own = TTLCache(maxsize=max(self.size, 1), ttl=max(self.ttl, 0.001))

    @property
    def enabled(self) -> bool:
        return self.size > 0 and self.ttl > 0

    def get(self, credential: Credential, user_id: int) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        user = self._entries.get((credential.scope_key, user_id))
        if user is None:
            self.misses += 1
        else:
            self.hits += 1
        return user

    def put(self, credential: Credential, user: dict[str, Any]) -> None:
        if not self.enabled:
            return
        self._entries[(credential.scope_key, int(user["id"]))] = user

    def put_many(self, credential: Credential, users: list[dict[str, Any]]) -> None:
        for user in users:
            self.put(credential, user)

    def forget(self, credential: Credential, user_id: int) -> None:
        """Drop a user whose view changed, and the viewer's own profile extras with it."""
        self._entries.pop((credential.scope_key, user_id), None)
        self._own.pop(credential.scope_key, None)

    def find_acct(self, credential: Credential, acct: str) -> dict[str, Any] | None:
        user_id = self._accts.get((credential.scope_key, acct.lower())) if self.enabled else None
        return self.get(credential, user_id) if user_id is not None else None

    def put_acct(self, credential: Credential, acct: str, user: dict[str, Any]) -> None:
        if not self.enabled:
            return
        self._accts[(credential.scope_key, acct.lower())] = int(user["id"])
        self.put(credential, user)

    def own_profile(self, credential: Credential) -> OwnProfile | None:
        return self._own.get(credential.scope_key) if self.enabled else None

    def put_own_profile(self, credential: Credential, profile: OwnProfile) -> None:
        if self.enabled:
            self._own[credential.scope_key] = profile


class GrantCache:
    """Signed picture URLs this replica made recently, reused instead of writing new ones.

    An entry lives for one hour, half the lifetime of the URL it keeps.
    """

    def __init__(self) -> None:
        self._grants: TTLCache[tuple[str, str], str] = TTLCache(maxsize=20_000, ttl=3600)

    def get(self, scope: str, url: str) -> str | None:
        return self._grants.get((scope, url))

    def put(self, scope: str, url: str, path: str) -> None:
        self._grants[(scope, url)] = path


class OwnAccountCache:
    """What each person's own account looks like (``verify_credentials``), kept for a short time.

    Friendica checks the password on every Basic-auth call, so asking for the
    person's own account on each request costs the upstream the most.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._accounts: TTLCache[str, dict[str, Any]] = TTLCache(maxsize=10_000, ttl=max(ttl, 0.001))

    def get(self, credential: Credential) -> dict[str, Any] | None:
        return self._accounts.get(credential.scope_key) if self.ttl > 0 else None

    def put(self, credential: Credential, user: dict[str, Any]) -> None:
        if self.ttl > 0:
            self._accounts[credential.scope_key] = user

    def forget(self, credential: Credential) -> None:
        self._accounts.pop(credential.scope_key, None)


@dataclass
class Services:
    settings: Settings
    store: Store
    upstream: FriendicaClient
    vault: Vault
    capabilities: CapabilityState
    users: UserCache
    vapid_key: str
    own_accounts: OwnAccountCache = field(default_factory=lambda: OwnAccountCache(0))
    login_throttle: LoginThrottle = field(default_factory=LoginThrottle)
    grants: GrantCache = field(default_factory=GrantCache)

    @property
    def public_url(self) -> str:
        return self.settings.public_url

    async def mapping_context(self, viewer_id: int | None) -> MappingContext:
        capabilities: Capabilities = await self.capabilities.get()
        return MappingContext(
            public_url=self.settings.public_url,
            upstream_url=self.settings.upstream_url,
            viewer_id=viewer_id,
            favorited_is_like=capabilities.favorited_is_like,
        )


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]

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
from mappings.context import MappingContext


@dataclass
class UserCache:
    """Recently looked-up upstream users, keyed by the credential that looked them up.

    Friendica shows each person a different view of the same contact
    (``following``, private fields), so an entry is only ever served back to
    the same credential.
    """

    ttl: float
    size: int
    _entries: TTLCache[tuple[str, int], dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self._entries = TTLCache(maxsize=max(self.size, 1), ttl=max(self.ttl, 0.001))

    def get(self, credential: Credential, user_id: int) -> dict[str, Any] | None:
        if self.size == 0 or self.ttl == 0:
            return None
        return self._entries.get((credential.scope_key, user_id))

    def put(self, credential: Credential, user: dict[str, Any]) -> None:
        if self.size == 0 or self.ttl == 0:
            return
        self._entries[(credential.scope_key, int(user["id"]))] = user


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


@dataclass
class Services:
    settings: Settings
    store: Store
    upstream: FriendicaClient
    vault: Vault
    capabilities: CapabilityState
    users: UserCache
    vapid_key: str
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

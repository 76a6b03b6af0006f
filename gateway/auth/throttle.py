"""A brake on password guessing through the gateway's login page and password grant."""

from __future__ import annotations

from cachetools import TTLCache

MAX_FAILURES = 10
WINDOW_SECONDS = 600


class LoginThrottle:
    """Count failed logins per client address and username, in this process.

    After ``MAX_FAILURES`` failures the pair is refused without asking the
    upstream until ``WINDOW_SECONDS`` have passed since the last failure.
    """

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS) -> None:
        self.max_failures = max_failures
        self.window = window
        # NOTE: each replica counts on its own, so N replicas allow N times the failures.
        self._failures: TTLCache[tuple[str, str], int] = TTLCache(maxsize=50_000, ttl=window)

    def blocked(self, address: str, username: str) -> bool:
        return self._failures.get((address, username.lower()), 0) >= self.max_failures

    def failed(self, address: str, username: str) -> None:
        key = (address, username.lower())
        self._failures[key] = self._failures.get(key, 0) + 1

    def succeeded(self, address: str, username: str) -> None:
        self._failures.pop((address, username.lower()), None)

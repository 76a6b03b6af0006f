"""What the endpoint groups of the upstream client share: the call they make and the checks on answers.

``gateway.upstream.FriendicaClient`` is the one upstream client. Its methods
for people, relationships and circles live in ``upstream_people``,
``upstream_relations`` and ``upstream_lists``, one base class of the client
each, so that no module grows past a screenful of endpoints. They call the
upstream only through the client's ``_request`` and check its answers with
the helpers below.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from gateway.errors import NotFound, UpstreamBadResponse, UpstreamHTTPError

if TYPE_CHECKING:
    from gateway.dialects import Dialect
    from gateway.upstream import Credential


class UpstreamUnverified(UpstreamBadResponse):
    """The upstream answered, but not with what the request should have produced."""


class EndpointGroup:
    """Base class of the client's endpoint groups; ``FriendicaClient`` provides the calls declared here."""

    if TYPE_CHECKING:

        async def _request(
            self,
            method: str,
            path: str,
            credential: Credential | None,
            *,
            params: Any = None,
            data: Any = None,
            files: Any = None,
            native: bool = False,
        ) -> Any: ...

        async def _timeline(
            self, path: str, credential: Credential, params: dict[str, str]
        ) -> list[dict[str, Any]]: ...

        async def dialect(self) -> Dialect: ...


@contextmanager
def not_found_on(*statuses: int) -> Iterator[None]:
    """Turn the upstream error statuses that mean "no such record" for one endpoint into NotFound."""
    try:
        yield
    except UpstreamHTTPError as error:
        if error.upstream_status in statuses:
            raise NotFound() from error
        raise


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def expect_user(body: Any, path: str) -> dict[str, Any]:
    if not isinstance(body, dict) or int_or_none(body.get("id")) is None or not body.get("screen_name"):
        raise UpstreamBadResponse(detail=f"{path} did not return a user")
    return body


def expect_users(body: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(body, list):
        raise UpstreamBadResponse(detail=f"{path} did not return a list of users")
    return [expect_user(user, path) for user in body]

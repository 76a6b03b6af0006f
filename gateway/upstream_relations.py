"""Upstream endpoints that change or report relationships: follows, blocks, mutes, follow requests.

No Friendica release routes ``friendships/create``, ``blocks/create|destroy``
or ``mutes/*`` on the Twitter-compatible API. These actions go through
Friendica's own Mastodon endpoints (``/api/v1/accounts/:id/follow`` and the
like), which take and return public contact ids. Those endpoints report
every JSON error with status 403, an id that names no contact with a 404
HTML page, and some failures with an empty 500. Each action checks the
Relationship it gets back, because a 200 alone does not prove the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from gateway.errors import NotFound, Unprocessable, UpstreamBadResponse, UpstreamHTTPError
from gateway.upstream_calls import EndpointGroup, UpstreamUnverified, expect_user, int_or_none, not_found_on

if TYPE_CHECKING:
    from gateway.upstream import Credential

# The flag each native action sets, and the value it must have afterwards.
_EXPECTED_FLAG = {
    "block": ("blocking", True),
    "unblock": ("blocking", False),
    "mute": ("muting", True),
    "unmute": ("muting", False),
}


class RelationEndpoints(EndpointGroup):
    async def native_relationships(
        self, credential: Credential, account_ids: list[int]
    ) -> list[dict[str, Any]]:
        """Return the upstream's own Relationship of each account, in the order asked.

        One id that names no contact fails the whole call with a 404 page,
        which raises NotFound.
        """
        params = httpx.QueryParams([("id[]", str(account_id)) for account_id in account_ids])
        try:
            rows = await self._request(
                "GET", "api/v1/accounts/relationships", credential, params=params, native=True
            )
        except UpstreamHTTPError as error:
            raise _native_error(error) from error
        if not isinstance(rows, list) or len(rows) != len(account_ids):
            raise UpstreamUnverified(detail="api/v1/accounts/relationships returned another number of rows")
        return [
            _expect_relationship(row, account_id, "api/v1/accounts/relationships")
            for row, account_id in zip(rows, account_ids, strict=True)
        ]

    async def native_follow(self, credential: Credential, account_id: int, *, notify: bool) -> dict[str, Any]:
        """Follow an account, or ask to where it approves followers; the result must show one of them."""
        relationship = await self._native_action(
            credential, account_id, "follow", {"notify": "true" if notify else "false"}
        )
        if not relationship["following"] and not relationship["requested"]:
            raise UpstreamUnverified(detail=f"following {account_id} left neither a follow nor a request")
        return relationship

    async def native_unfollow(self, credential: Credential, account_id: int) -> dict[str, Any]:
        """Stop following an account, or withdraw the request to; used where friendships/destroy cannot."""
        relationship = await self._native_action(credential, account_id, "unfollow")
        if relationship["following"] or relationship["requested"]:
            raise UpstreamUnverified(detail=f"unfollowing {account_id} left the follow or request in place")
        return relationship

    async def native_flag(self, credential: Credential, account_id: int, action: str) -> dict[str, Any]:
        """Block, unblock, mute or unmute an account (``action``) and check that the flag changed."""
        flag, expected = _EXPECTED_FLAG[action]
        relationship = await self._native_action(credential, account_id, action)
        if relationship.get(flag) is not expected:
            raise UpstreamUnverified(detail=f"{action} of {account_id} left {flag}={relationship.get(flag)}")
        return relationship

    async def native_answer_follow_request(
        self, credential: Credential, account_id: int, action: str
    ) -> dict[str, Any]:
        """Authorize or reject the follow request of an account and check the resulting Relationship."""
        try:
            relationship = await self._request(
                "POST", f"api/v1/follow_requests/{account_id}/{action}", credential, native=True
            )
        except UpstreamHTTPError as error:
            raise _native_error(error) from error
        path = f"api/v1/follow_requests/{account_id}/{action}"
        relationship = _expect_relationship(relationship, account_id, path)
        if relationship["followed_by"] is not (action == "authorize"):
            raise UpstreamUnverified(detail=f"{path} left followed_by={relationship['followed_by']}")
        return relationship

    async def destroy_friendship(self, credential: Credential, user_id: int) -> dict[str, Any] | None:
        """Unfollow with ``friendships/destroy``; return the user as it was, or None if not followed.

        Friendica returns 404 "Not following Contact" both when there is no
        follow and when the follow is still a pending request, which this
        endpoint cannot withdraw.
        """
        try:
            user = await self._request(
                "POST", "friendships/destroy", credential, data={"user_id": str(user_id)}
            )
        except UpstreamHTTPError as error:
            if error.upstream_status == 404:
                return None
            raise
        user = expect_user(user, "friendships/destroy")
        if int_or_none(user.get("id")) != user_id:
            raise UpstreamUnverified(
                detail=f"friendships/destroy of {user_id} returned user {user.get('id')}"
            )
        return user

    async def friendship(self, credential: Credential, target_id: int) -> dict[str, Any]:
        """Return the viewer's side of ``friendships/show`` with an account.

        Its ``following`` is true for an accepted follow and for a request
        that still waits, and ``followed_by`` likewise for the other side.
        """
        with not_found_on(400, 404):
            body = await self._request(
                "GET", "friendships/show", credential, params={"target_id": str(target_id)}
            )
        relationship = body.get("relationship") if isinstance(body, dict) else None
        source = relationship.get("source") if isinstance(relationship, dict) else None
        target = relationship.get("target") if isinstance(relationship, dict) else None
        if not isinstance(source, dict) or not isinstance(target, dict):
            raise UpstreamBadResponse(detail="friendships/show did not return a relationship")
        if int_or_none(target.get("id")) != target_id:
            raise UpstreamUnverified(detail=f"friendships/show of {target_id} was about {target.get('id')}")
        return source

    async def _native_action(
        self, credential: Credential, account_id: int, action: str, data: dict[str, str] | None = None
    ) -> dict[str, Any]:
        path = f"api/v1/accounts/{account_id}/{action}"
        try:
            relationship = await self._request("POST", path, credential, data=data, native=True)
        except UpstreamHTTPError as error:
            raise _native_error(error) from error
        return _expect_relationship(relationship, account_id, path)


def _native_error(error: UpstreamHTTPError) -> Exception:
    """Give a native error its meaning: 404 is an unknown account, and Friendica's JSON errors are all 403."""
    if error.upstream_status == 404:
        return NotFound()
    if error.upstream_status == 403:
        return Unprocessable(f"The upstream server refused: {error.upstream_message or 'no reason given'}")
    return error


def _expect_relationship(body: Any, account_id: int, path: str) -> dict[str, Any]:
    if (
        not isinstance(body, dict)
        or int_or_none(body.get("id")) != account_id
        or not all(isinstance(body.get(flag), bool) for flag in ("following", "followed_by", "requested"))
    ):
        raise UpstreamUnverified(detail=f"{path} returned no relationship with account {account_id}")
    return body

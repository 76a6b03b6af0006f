"""Endpoints apps call at startup whose feature the gateway does not provide yet.

Each returns the value Mastodon gives when there is nothing to show, after
the same token and scope check as a real endpoint, because an app that gets
a 404 from a documented endpoint at startup may refuse to continue.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import authenticate, authenticate_app
from gateway.errors import NotFound, Unprocessable

Endpoint = Callable[[Request], Awaitable[JSONResponse]]


def empty(value: Any, scope: str | None = "read", *, user: bool = True) -> Endpoint:
    """Build an endpoint that checks the token and returns ``value``."""

    async def endpoint(request: Request) -> JSONResponse:
        if user:
            await authenticate(request, scope)
        else:
            await authenticate_app(request, scope)
        return JSONResponse(copy.deepcopy(value))

    return endpoint


_NO_REQUESTS = {"pending_requests_count": 0, "pending_notifications_count": 0}
# The notification policy of a person who filters nothing, in the v1 and v2 shapes.
_POLICY_V1 = {
    "filter_not_following": False,
    "filter_not_followers": False,
    "filter_new_accounts": False,
    "filter_private_mentions": False,
    "summary": _NO_REQUESTS,
}
_POLICY_V2 = {
    "for_not_following": "accept",
    "for_not_followers": "accept",
    "for_new_accounts": "accept",
    "for_private_mentions": "accept",
    "for_limited_accounts": "accept",
    "summary": _NO_REQUESTS,
}

EMPTY_ROUTES: list[tuple[str, Endpoint]] = [
    ("/api/v1/announcements", empty([], None, user=False)),
    ("/api/v1/custom_emojis", empty([], None, user=False)),
    ("/api/v1/instance/peers", empty([], None, user=False)),
    ("/api/v1/instance/activity", empty([], None, user=False)),
    ("/api/v1/instance/rules", empty([], None, user=False)),
    ("/api/v1/trends", empty([], None, user=False)),
    ("/api/v1/trends/tags", empty([], None, user=False)),
    ("/api/v1/trends/statuses", empty([], None, user=False)),
    ("/api/v1/trends/links", empty([], None, user=False)),
    ("/api/v1/followed_tags", empty([], "read:follows")),
    # TODO: list mutes through the upstream's own /api/v1/mutes, which the Friendica double lacks yet.
    ("/api/v1/mutes", empty([], "read:mutes")),
    ("/api/v1/domain_blocks", empty([], "read:blocks")),
    ("/api/v1/endorsements", empty([], "read:accounts")),
    ("/api/v1/featured_tags", empty([], "read:accounts")),
    ("/api/v1/suggestions", empty([], "read")),
    ("/api/v2/suggestions", empty([], "read")),
    ("/api/v1/scheduled_statuses", empty([], "read:statuses")),
    # Nothing is held back as a notification request: every notification is shown.
    ("/api/v1/notifications/requests", empty([], "read:notifications")),
    ("/api/v1/notifications/requests/merged", empty({"merged": True}, "read:notifications")),
    ("/api/v1/notifications/policy", empty(_POLICY_V1, "read:notifications")),
    ("/api/v2/notifications/policy", empty(_POLICY_V2, "read:notifications")),
]


async def no_push_subscription(request: Request) -> JSONResponse:
    """Respond as Mastodon does for a person without a Web Push subscription: 404."""
    await authenticate(request, "push")
    raise NotFound()


def not_yet(feature: str, scope: str) -> Endpoint:
    """Build an endpoint for a documented Mastodon feature the gateway does not provide yet.

    It checks the token like the real endpoint would, then answers 422 with
    what is missing, which apps show to the person instead of a bare 404.
    """

    async def endpoint(request: Request) -> JSONResponse:
        await authenticate(request, scope)
        raise Unprocessable(f"{feature}: not supported by this server yet")

    return endpoint


# Documented endpoints of features still to come, with their method.
NOT_YET_ROUTES: list[tuple[str, str, Endpoint]] = [
    ("/api/v1/statuses/{id}", "PUT", not_yet("Editing statuses", "write:statuses")),
    ("/api/v1/statuses/{id}/source", "GET", not_yet("Editing statuses", "read:statuses")),
    ("/api/v1/statuses/{id}/history", "GET", not_yet("Edit history", "read:statuses")),
    ("/api/v1/statuses/{id}/pin", "POST", not_yet("Pinning statuses", "write:accounts")),
    ("/api/v1/statuses/{id}/unpin", "POST", not_yet("Pinning statuses", "write:accounts")),
    ("/api/v1/statuses/{id}/translate", "POST", not_yet("Translating statuses", "read:statuses")),
    ("/api/v1/tags/{name}/follow", "POST", not_yet("Following hashtags", "write:follows")),
    ("/api/v1/tags/{name}/feature", "POST", not_yet("Featuring hashtags", "write:accounts")),
    ("/api/v1/tags/{name}/unfeature", "POST", not_yet("Featuring hashtags", "write:accounts")),
    ("/api/v1/featured_tags", "POST", not_yet("Featuring hashtags", "write:accounts")),
    ("/api/v1/featured_tags/{id}", "DELETE", not_yet("Featuring hashtags", "write:accounts")),
    ("/api/v1/tags/{name}/unfollow", "POST", not_yet("Following hashtags", "write:follows")),
    ("/api/v1/reports", "POST", not_yet("Reporting accounts", "write:reports")),
    ("/api/v1/accounts/{id}/note", "POST", not_yet("Private notes on accounts", "write:accounts")),
    ("/api/v1/accounts/{id}/pin", "POST", not_yet("Featuring accounts", "write:accounts")),
    ("/api/v1/accounts/{id}/unpin", "POST", not_yet("Featuring accounts", "write:accounts")),
    ("/api/v1/accounts/{id}/endorse", "POST", not_yet("Featuring accounts", "write:accounts")),
    ("/api/v1/accounts/{id}/unendorse", "POST", not_yet("Featuring accounts", "write:accounts")),
    ("/api/v1/notifications/policy", "PATCH", not_yet("Notification policies", "write:notifications")),
    ("/api/v2/notifications/policy", "PATCH", not_yet("Notification policies", "write:notifications")),
]

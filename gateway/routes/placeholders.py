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
from gateway.errors import NotFound

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


PREFERENCES = {
    "posting:default:visibility": "public",
    "posting:default:sensitive": False,
    "posting:default:language": None,
    "reading:expand:media": "default",
    "reading:expand:spoilers": False,
    "reading:autoplay:gifs": False,
}

GROUPED_NOTIFICATIONS: dict[str, list[Any]] = {"accounts": [], "statuses": [], "notification_groups": []}

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
    ("/api/v1/preferences", empty(PREFERENCES, "read:accounts")),
    ("/api/v1/filters", empty([], "read:filters")),
    ("/api/v2/filters", empty([], "read:filters")),
    ("/api/v1/lists", empty([], "read:lists")),
    ("/api/v1/markers", empty({}, "read:statuses")),
    ("/api/v1/notifications", empty([], "read:notifications")),
    ("/api/v1/notifications/unread_count", empty({"count": 0}, "read:notifications")),
    ("/api/v2/notifications", empty(GROUPED_NOTIFICATIONS, "read:notifications")),
    ("/api/v1/conversations", empty([], "read:statuses")),
    ("/api/v1/bookmarks", empty([], "read:bookmarks")),
    ("/api/v1/follow_requests", empty([], "read:follows")),
    ("/api/v1/followed_tags", empty([], "read:follows")),
    ("/api/v1/mutes", empty([], "read:mutes")),
    ("/api/v1/blocks", empty([], "read:blocks")),
    ("/api/v1/domain_blocks", empty([], "read:blocks")),
    ("/api/v1/endorsements", empty([], "read:accounts")),
    ("/api/v1/featured_tags", empty([], "read:accounts")),
    ("/api/v1/suggestions", empty([], "read")),
    ("/api/v2/suggestions", empty([], "read")),
    ("/api/v1/accounts/relationships", empty([], "read:follows")),
    ("/api/v1/scheduled_statuses", empty([], "read:statuses")),
]


async def no_push_subscription(request: Request) -> JSONResponse:
    """Respond as Mastodon does for a person without a Web Push subscription: 404."""
    await authenticate(request, "push")
    raise NotFound()

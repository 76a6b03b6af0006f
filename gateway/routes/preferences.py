"""The person's preferences, from the upstream's own Mastodon API where it has one."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import authenticate
from gateway.services import services

DEFAULT_PREFERENCES: dict[str, Any] = {
    "posting:default:visibility": "public",
    "posting:default:sensitive": False,
    "posting:default:language": None,
    "reading:expand:media": "default",
    "reading:expand:spoilers": False,
    "reading:autoplay:gifs": False,
}


async def show_preferences(request: Request) -> JSONResponse:
    """Return posting and reading defaults.

    The Twitter-compatible API does not tell a person's default post
    visibility; Friendica's own Mastodon API does, so it is asked where the
    upstream has one, and only for the keys Mastodon defines.
    """
    viewer = await authenticate(request, "read:accounts")
    shared = services(request)
    preferences = dict(DEFAULT_PREFERENCES)
    if (await shared.capabilities.get()).native_api:
        native = await shared.upstream.native_preferences(viewer.credential)
        preferences.update(
            {key: value for key, value in (native or {}).items() if key in DEFAULT_PREFERENCES}
        )
    return JSONResponse(preferences)

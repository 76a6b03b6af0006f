"""Account endpoints: verify_credentials and rate_limit_status."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from . import dates
from .routing import ApiRoute, Call


def verify_credentials(call: Call) -> dict[str, Any]:
    """GET account/verify_credentials: the caller's user object.

    Friendica drops ``verified`` and ``uid`` here. It embeds the caller's
    latest public post as ``status`` unless ``skip_status`` is set, and a
    user who never posted gets no ``status`` member. ``include_entities``
    changes nothing.
    """
    user = call.require_user()
    skip_status = call.params.boolean("skip_status")
    result = call.twitter.user_with_status(user["public_contact"], user["uid"], skip_status=skip_status)
    del result["verified"]
    del result["uid"]
    return result


def rate_limit_status(call: Call) -> dict[str, Any]:
    """GET account/rate_limit_status: Friendica's fixed response (150 calls, reset in one hour)."""
    reset = dates.to_storage(dates.now() + timedelta(hours=1))
    return {
        "reset_time_in_seconds": dates.epoch(reset),
        "remaining_hits": "150",
        "hourly_limit": "150",
        "reset_time": dates.twitter(reset),
    }


ROUTES = [
    ApiRoute("account/verify_credentials", ("GET",), verify_credentials),
    # Friendica checks no login here.
    ApiRoute("account/rate_limit_status", ("GET",), rate_limit_status, auth=False),
]

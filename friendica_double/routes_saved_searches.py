"""Saved searches: the double stores none, like a fresh Friendica account."""

from __future__ import annotations

from .routing import ApiRoute, Call


def saved_searches(call: Call) -> list[dict[str, object]]:
    """GET saved_searches/list: the caller's saved search terms (always none in the double)."""
    call.require_user()
    return []


ROUTES = [ApiRoute("saved_searches/list", ("GET",), saved_searches)]

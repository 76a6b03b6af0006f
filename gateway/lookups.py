"""Upstream look-ups that many routes share, behind the per-credential user cache."""

from __future__ import annotations

from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.services import Services


async def user_by_id(shared: Services, viewer: UserViewer, user_id: int) -> dict[str, Any]:
    """Return an upstream user by public contact id; raises NotFound for an unknown id."""
    cached = shared.users.get(viewer.credential, user_id)
    if cached is not None:
        return cached
    user = await shared.upstream.show_user(viewer.credential, user_id)
    shared.users.put(viewer.credential, user)
    return user

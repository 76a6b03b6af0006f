"""The Starlette application of the Friendica double."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from .context import AuthSettings, MediaSettings, Site, logger
from .db import Store
from .fronts import front_for
from .profiles import get_profile
from .seed import seed_demo


def build_app(
    database: str,
    base_url: str,
    profile: str = "modern",
    seed: bool = True,
    media: MediaSettings | None = None,
    auth: AuthSettings | None = None,
) -> Starlette:
    """Create the double on a SQLite file; ``seed`` fills an empty database with the demo data.

    ``base_url`` is written into every link the double returns. ``profile``
    names the imitated server (``modern``, ``legacy`` or ``gnusocial``).
    ``media`` sets the upload limits (default: ``MediaSettings()``), ``auth``
    the cost of password checks and the lifetimes of OAuth codes and request
    tokens (default: ``AuthSettings()``). Raises ValueError for an unknown
    profile.
    """
    chosen = get_profile(profile)
    front = front_for(chosen)
    store = Store(database)
    front.prepare(store)
    site = Site(store, base_url, chosen, media or MediaSettings(), auth or AuthSettings())
    if seed and store.is_empty():
        result = seed_demo(site)
        logger.info("seeded demo data: %d users, %d statuses", len(result.users), len(result.statuses))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.close()

    app = Starlette(routes=front.build_routes(site), lifespan=lifespan)
    app.state.site = site
    return app

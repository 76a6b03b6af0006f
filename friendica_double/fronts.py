"""The API front of each server generation: its routes, its own tables and its own demo data.

Everything a profile serves differently lives behind its ``Front``: the
modern front is Friendica 2024.08 (``front_modern``), the legacy front
Friendica 3.5.4 (``front_legacy`` and the ``legacy_*`` modules) and the
GNU social front GNU social 1.2 (``front_gnusocial`` and the
``gnusocial_*`` modules). The data model (``db``, ``posts``, ``people``,
``mail``, ``photos`` ...) is shared, so one seed serves all three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.routing import BaseRoute

from . import front_gnusocial, front_legacy, front_modern
from .context import Site
from .db import Store
from .profiles import GNUSOCIAL_GENERATION, LEGACY_GENERATION, MODERN_GENERATION, Profile


def _nothing_to_prepare(store: Store) -> None:
    return None


def _nothing_to_seed(site: Site) -> None:
    return None


@dataclass(frozen=True)
class Front:
    """What one server generation serves.

    ``prepare`` creates the front's own tables on a store; ``seed`` adds the
    front's own demo data after the shared seed.
    """

    build_routes: Callable[[Site], list[BaseRoute]]
    prepare: Callable[[Store], None] = _nothing_to_prepare
    seed: Callable[[Site], None] = _nothing_to_seed


FRONTS = {
    MODERN_GENERATION: Front(front_modern.build_routes),
    LEGACY_GENERATION: Front(front_legacy.build_routes, front_legacy.prepare, front_legacy.seed),
    GNUSOCIAL_GENERATION: Front(front_gnusocial.build_routes, front_gnusocial.prepare),
}


def front_for(profile: Profile) -> Front:
    """Return the front that serves ``profile``."""
    return FRONTS[profile.generation]

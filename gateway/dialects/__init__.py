"""Dialects: every difference between upstream generations, mapped in one place.

The gateway speaks one upstream API, but releases disagree about what its
answers mean and how to ask for some things. A ``Dialect`` holds all of
that for one generation, so routes and services never test a version:

- **Normalisers** (``status``, ``user``, ``mail``, ``notification``,
  ``photo``, ``circles``) turn each upstream object into the shape of
  Friendica 2022.03 and later as it arrives in ``gateway.upstream``.
  Everything after the upstream client reads that one shape: numbers as
  numbers, ``friendica_private``, ``friendica_author``, lists where
  lists belong.
- **Facts** (class attributes such as ``favorited_is_like``,
  ``bookmarks_on_star`` or ``item_ids_per_user``) say what a field or an id
  means where normalising cannot hide it.
- **Strategies** (``like``, ``unlike``, ``create_item``, ``share``,
  ``own_copies``, ``update_profile`` and the contact-list readers) are the I/O of the
  behaviours that differ. They take the upstream client and call only its
  endpoint methods. The client delegates to them, so its callers do not
  know which generation answers.

What an upstream *has* is a separate question, answered by
``gateway.capabilities``: its read-only probes fill ``Capabilities.features``,
and callers raise a 422 naming the feature where it is missing.

``dialect_for`` picks the dialect of the generation ``statusnet/config``
reports. To support another generation, subclass ``Dialect`` in a module
of this package, override what differs, and add the class to
``DIALECTS``. The base class is modern Friendica and states each contract
in its docstrings; ``legacy`` (Friendica 3.5 to 2021.09) and ``gnusocial``
(GNU social 1.2) show full sets of overrides.
"""

from __future__ import annotations

from gateway.dialects.base import Dialect
from gateway.dialects.gnusocial import GnuSocialDialect
from gateway.dialects.legacy import LegacyDialect

DIALECTS: dict[str, type[Dialect]] = {
    "modern": Dialect,
    "legacy": LegacyDialect,
    "gnusocial": GnuSocialDialect,
}

MODERN = Dialect()


def dialect_for(generation: str) -> Dialect:
    """Return the dialect of an API generation; one without its own dialect speaks the modern one."""
    return DIALECTS.get(generation, Dialect)()


__all__ = ["DIALECTS", "MODERN", "Dialect", "GnuSocialDialect", "LegacyDialect", "dialect_for"]

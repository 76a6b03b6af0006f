"""Server profiles: which upstream release the double imitates.

Only ``modern`` (Friendica 2024.08) exists so far. Later profiles (Friendica
3.5 to 2021 as ``legacy``, ``gnusocial``) add their own route tables and
renderers and pick them through the fields here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """The identity of the imitated server and the settings it reports."""

    name: str
    platform: str
    version: str
    db_update_version: int
    gnusocial_version: str
    site_name: str
    admin_email: str
    language: str
    theme: str
    text_limit: int

    @property
    def mastodon_version(self) -> str:
        """Return the version string of Friendica's Mastodon API instance object."""
        return f"2.8.0 (compatible; {self.platform} {self.version})"


MODERN = Profile(
    name="modern",
    platform="Friendica",
    version="2024.08",
    db_update_version=1571,
    gnusocial_version="0.9.7",
    site_name="Local Friendica (double)",
    admin_email="admin@example.test",
    language="en",
    theme="frio",
    text_limit=200000,
)

PROFILES = {MODERN.name: MODERN}


def get_profile(name: str) -> Profile:
    """Return the profile called ``name`` or raise ValueError naming the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown profile {name!r}; supported profiles: {known}") from None

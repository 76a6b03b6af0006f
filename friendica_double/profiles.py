"""Server profiles: which upstream release the double imitates.

- ``modern``: Friendica 2024.08, as recorded from a running server.
- ``legacy``: Friendica 3.5.4 (October 2017), read from its source
  (``include/api.php``, ``include/oauth.php``, ``mod/api.php``).
- ``gnusocial``: GNU social 1.2 (the ``1.2.x`` branch, version string
  ``1.2.0-beta4``), read from its source (``lib/apiaction.php``, the API
  actions and the Favorite, Share and DirectMessage plugins).

``generation`` selects the API front (routes, renderers, errors) in
``fronts``; the other fields are what the server reports about itself.
"""

from __future__ import annotations

from dataclasses import dataclass

MODERN_GENERATION = "modern"
LEGACY_GENERATION = "legacy"
GNUSOCIAL_GENERATION = "gnusocial"


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
    generation: str = MODERN_GENERATION
    # The server's time zone, used for dates by GNU social (Friendica sends UTC).
    timezone: str = "UTC"
    dfrn_protocol_version: str = ""

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

# Version constants of Friendica 3.5.4's boot.php.
LEGACY = Profile(
    name="legacy",
    platform="Friendica",
    version="3.5.4",
    db_update_version=1234,
    gnusocial_version="0.9.7",
    site_name="Local Friendica 3.5 (double)",
    admin_email="admin@example.test",
    language="en",
    theme="default",
    text_limit=200000,
    generation=LEGACY_GENERATION,
    dfrn_protocol_version="2.23",
)

# GNU social's defaults (lib/default.php) except the site name and the time zone.
GNUSOCIAL = Profile(
    name="gnusocial",
    platform="GNU social",
    version="1.2.0-beta4",
    db_update_version=0,
    gnusocial_version="1.2.0-beta4",
    site_name="Local GNU social (double)",
    admin_email="admin@example.test",
    language="en",
    theme="neo-gnu",
    text_limit=1000,
    generation=GNUSOCIAL_GENERATION,
    timezone="Europe/Berlin",
)

PROFILES = {profile.name: profile for profile in (MODERN, LEGACY, GNUSOCIAL)}


def get_profile(name: str) -> Profile:
    """Return the profile called ``name`` or raise ValueError naming the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown profile {name!r}; supported profiles: {known}") from None

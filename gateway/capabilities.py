"""The upstream's software and features, found out with read-only requests.

Routes never branch on versions: they ask a ``Capabilities`` object whether
the upstream can do a thing (``has``) and how (``dialect``, see
``gateway.dialects``). Probing only sends GET requests, so it never changes
anything upstream.

Whether an endpoint exists is found by asking for it with GET and no
credential. Friendica checks the method before the login, so an endpoint
that only takes POST answers 405 where it exists. An unknown path answers
404 (2021.01 and later) or 501 (before). Friendica before 2022.03 routes
``api/*`` by prefix, so any path under a registered one reaches that one:
``lists/create`` reaches the ``lists`` endpoint of 3.5, which always
answers ``[]``. That is why a POST endpoint only counts as present with a
405, and a GET endpoint that a shorter registered path shadows on older
releases (``friendica/photoalbums``) is known by release instead.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from gateway.dialects import Dialect, dialect_for
from gateway.errors import Unprocessable, UpstreamError
from gateway.upstream import FriendicaClient
from mappings.friendica import SiteConfig

log = logging.getLogger("mastogate.capabilities")

Generation = Literal["modern", "legacy", "gnusocial"]

# Friendica 2022.03 moved the API to src/Module/Api with global uri-ids,
# likes through favorites/create and Markdown in statuses/update.
MODERN_SINCE = (2022, 3)

_VERSION = re.compile(r"(\d{4})\.(\d{2})")
# NOTE: Friendica 2021.07 to 2022.02 report their bare version in /api/v1/instance, so their own
# Mastodon API goes unnoticed, and follows, blocks and mutes get a 422 there.
_NATIVE_FRIENDICA = re.compile(r"compatible; Friendica ([\w.\-]+)")

# Friendica 2022.12 added friendica/photoalbums; older releases route it to friendica/photo.
PHOTO_ALBUMS_SINCE = (2022, 12)
# Friendica 2021.01 made statuses/retweet announce most posts instead of posting a [share] of them.
RETWEET_ANNOUNCES_SINCE = (2021, 1)


@dataclass(frozen=True)
class Probe:
    """One endpoint asked for with GET to learn whether the upstream has ``feature``.

    ``method`` is the endpoint's own method: a POST endpoint must answer 405.
    """

    feature: str
    path: str
    method: Literal["GET", "POST"]
    # What the 422 says the upstream cannot do without it, after "it cannot".
    lacking: str


PROBES = (
    Probe("search", "search/tweets", "GET", "search statuses or hashtags"),
    Probe("users_lookup", "users/lookup", "GET", "look up several accounts at once"),
    Probe("contact_lists", "followers/list", "GET", "page through followers"),
    Probe("blocks_list", "blocks/list", "GET", "list blocked accounts"),
    Probe("follow_requests", "friendships/incoming", "GET", "list follow requests"),
    Probe("unfollow", "friendships/destroy", "POST", "unfollow accounts"),
    # Friendica 2022.02 added friendships/show; 2019.01 to 2021.09 unfollow without it.
    Probe("friendship", "friendships/show", "GET", "show a relationship"),
    Probe("lists", "lists/create", "POST", "rename lists"),
    Probe("circles", "friendica/circle_create", "POST", "change lists"),
    Probe("groups", "friendica/group_create", "POST", "change lists"),
    Probe("profile_update", "account/update_profile", "POST", "change the display name or profile text"),
    Probe("profile_image", "account/update_profile_image", "POST", "change the avatar"),
    Probe("network_timeline", "statuses/networkpublic_timeline", "GET", "show posts from other servers"),
    Probe("retweet", "statuses/retweet", "POST", "share statuses"),
    # No Friendica release routes friendships/create or blocks/create; GNU social does.
    Probe("follow", "friendships/create", "POST", "follow accounts"),
    Probe("block", "blocks/create", "POST", "block accounts"),
    Probe("notifications", "friendica/notifications", "GET", "list notifications"),
    Probe("profile_fields", "friendica/profile/show", "GET", "show profile fields"),
    Probe("photos", "friendica/photos/list", "GET", "keep photo albums"),
    Probe("mail_delete", "direct_messages/destroy", "POST", "delete private messages"),
)
# Features known by release rather than by probe (see the module docstring).
PHOTO_ALBUMS = "photo_albums"
# Features that are parameters of endpoints every generation has, so no probe finds
# them. Every Friendica has them; a dialect names those its generation lacks (``Dialect.lacks``).
KNOWN_FEATURES = {
    "private_posts": "post to followers only",
    "content_warnings": "post a content warning or a subject",
}
LACKING = (
    {probe.feature: probe.lacking for probe in PROBES} | {PHOTO_ALBUMS: "list photo albums"} | KNOWN_FEATURES
)

# Features only GNU social routes on the Twitter-compatible API.
GNU_SOCIAL_ONLY = frozenset({"follow", "block"})
# The features of Friendica 2024.08, which a Capabilities made without probing has.
MODERN_FEATURES = (
    frozenset(probe.feature for probe in PROBES if probe.feature not in GNU_SOCIAL_ONLY)
    | {PHOTO_ALBUMS}
    | set(KNOWN_FEATURES)
)


@dataclass(frozen=True)
class Capabilities:
    software: str
    version: str | None
    generation: Generation
    native_api: bool
    site_name: str
    text_limit: int | None
    site_email: str = ""
    registrations_open: bool = False
    # The upstream runs its own OAuth 2 provider, whose tokens its APIs accept.
    oauth2: bool = False
    # The endpoints the probes found (``PROBES``), by feature name.
    features: frozenset[str] = MODERN_FEATURES
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def dialect(self) -> Dialect:
        """How to read and drive this upstream (see ``gateway.dialects``)."""
        return dialect_for(self.generation)

    def has(self, feature: str) -> bool:
        """Tell whether the upstream has one of the features in ``PROBES`` or ``PHOTO_ALBUMS``."""
        return feature in self.features

    def require(self, feature: str) -> None:
        """Raise 422 naming what the upstream cannot do where it lacks ``feature``."""
        if feature not in self.features:
            raise Unprocessable(
                f"The upstream server does not support this: it cannot {LACKING[feature]} through its API"
            )

    @property
    def favorited_is_like(self) -> bool:
        """True where ``favorited`` reports the viewer's like, not a private star."""
        return self.dialect.favorited_is_like

    @property
    def reblog_via(self) -> Literal["native", "retweet"] | None:
        """How to share a status, or None where the upstream cannot.

        Modern Friendica's ``statuses/retweet`` passes a uri-id where a row id
        is expected and shares an unrelated item (seen on 2024.08), so it is
        never called there (the dialect's ``retweet_shares``). From 2021.01 on,
        ``statuses/retweet`` shares a Friendica, ActivityPub or Twitter post
        with an ``announce`` activity instead of a ``[share]`` post, which
        the dialect's ``share`` would not find, so it is not called there either.
        """
        if self.native_statuses:
            return "native"
        release = self.release
        announces = release is not None and release >= RETWEET_ANNOUNCES_SINCE
        if self.dialect.retweet_shares and self.has("retweet") and not announces:
            return "retweet"
        # TODO: share with statuses/retweet on Friendica 2021.01 to 2022.02, then check the
        # viewer among the original's announce activities. Until then a reblog is a 422 there.
        return None

    @property
    def unreblog_via(self) -> Literal["native", "delete"] | None:
        """Return how to undo a share, or None where the upstream cannot.

        No release routes ``statuses/unretweet``. Where a share is a post the
        original names (GNU social's ``repeated_id``), deleting it undoes it.
        """
        if self.native_statuses:
            return "native"
        return "delete" if self.dialect.unshare_by_delete else None

    @property
    def native_statuses(self) -> bool:
        """True where the upstream's own Mastodon API names statuses by the ids the gateway shows.

        Friendica 2021.07 to 2021.09 serve that API with global uri-ids while
        their Twitter-compatible API still sends per-user item ids, so there a
        status id must never go to the Mastodon API. Account ids are public
        contact ids in both, so follows, blocks and mutes may still use it.
        """
        return self.native_api and not self.dialect.item_ids_per_user

    @property
    def relations_via(self) -> Literal["native"] | None:
        """How to block, mute and answer follow requests, or None where the upstream cannot.

        No Friendica release routes ``blocks/create|destroy``, ``mutes/*`` or a
        way to accept a follow request on its Twitter-compatible API. Following
        is ``follow_via``.
        """
        return "native" if self.native_api else None

    @property
    def block_via(self) -> Literal["native", "blocks"] | None:
        """How to block and unblock an account, or None where the upstream cannot.

        Only GNU social routes ``blocks/create|destroy``, and it has no mutes.
        """
        if self.native_api:
            return "native"
        return "blocks" if self.has("block") else None

    @property
    def follow_via(self) -> Literal["native", "friendships"] | None:
        """How to follow an account, or None where the upstream cannot.

        Only GNU social routes ``friendships/create``; on Friendica following
        needs its own Mastodon API.
        """
        if self.native_api:
            return "native"
        return "friendships" if self.has("follow") else None

    @property
    def release(self) -> tuple[int, int] | None:
        """The Friendica release as (year, month), or None when unknown."""
        match = _VERSION.search(self.version or "")
        return (int(match.group(1)), int(match.group(2))) if match else None

    @property
    def lists_api(self) -> bool:
        """True where ``lists/*`` (create, rename, delete, list timeline) exists: Friendica 2018.05 on."""
        return self.has("lists")

    @property
    def circle_prefix(self) -> Literal["circle", "group"] | None:
        """The name of the circle endpoints (``circle_show`` or ``group_show``), or None without circles.

        Friendica 2023.12 renamed ``group_*`` to ``circle_*`` and keeps the old
        names as aliases.
        """
        if self.has("circles"):
            return "circle"
        return "group" if self.has("groups") else None

    def describe(self) -> list[tuple[str, str]]:
        """Return (capability, plain-words status) pairs for `mastogate check`."""
        share = {
            "native": "yes, through the upstream's own Mastodon API",
            "retweet": "yes, with statuses/retweet",
            None: "no (this upstream cannot share)",
        }[self.reblog_via]
        undo = {
            "native": "yes, through the upstream's own Mastodon API",
            "delete": "yes, by deleting the share",
            None: "no",
        }[self.unreblog_via]
        if self.relations_via:
            relations = "yes, through the upstream's own Mastodon API"
        elif self.block_via == "blocks":
            relations = "block only, with blocks/create|destroy"
        else:
            relations = "no"
        follow = {
            "native": "yes, through the upstream's own Mastodon API",
            "friendships": "yes, with friendships/create",
            None: "no",
        }[self.follow_via]
        if self.lists_api:
            lists = "yes"
        elif self.circle_prefix:
            lists = f"yes, with {self.circle_prefix}_* (no renaming)"
        else:
            lists = "no"
        dialect = self.dialect
        return [
            ("software", f"{self.software} {self.version or '(version unknown)'}"),
            ("API generation", self.generation),
            ("status ids", "one per person" if dialect.item_ids_per_user else "the same for everybody"),
            ("own Mastodon API", "yes" if self.native_api else "no"),
            ("upstream OAuth 2", "yes" if self.oauth2 else "no"),
            ("post, reply, delete", "yes"),
            ("favourite", _favourite_kind(self)),
            ("bookmarks", "the upstream's star" if dialect.bookmarks_on_star else "kept by mastogate"),
            ("reblog", share),
            ("undo reblog", undo),
            ("follow", follow),
            ("block, mute", relations),
            ("unfollow", "yes" if self.has("unfollow") or self.relations_via else "no"),
            ("lists", lists),
            ("search statuses", _yes_no(self.has("search"))),
            ("profile name and text", _yes_no(self.has("profile_update"))),
            ("avatar", _yes_no(self.has("profile_image"))),
            ("federated timeline", "yes" if self.has("network_timeline") else "no (local posts instead)"),
            ("photo albums", _photo_albums(self)),
            ("notifications", "yes" if self.has("notifications") else "from mentions, followers and shares"),
            ("post to followers only", _yes_no(self.has("private_posts"))),
            ("content warnings", _yes_no(self.has("content_warnings"))),
            ("text limit", str(self.text_limit) if self.text_limit else "unknown"),
        ]


def _favourite_kind(capabilities: Capabilities) -> str:
    if capabilities.generation == "gnusocial":
        return "yes (fave)"
    return "yes (like)" if capabilities.favorited_is_like else "yes (like activity)"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _photo_albums(capabilities: Capabilities) -> str:
    if capabilities.has(PHOTO_ALBUMS):
        return "yes"
    return "from the photo list" if capabilities.has("photos") else "no"


def generation_of(site: SiteConfig) -> tuple[str, str | None, Generation]:
    """Tell software, version and API generation from the ``statusnet/config`` site block."""
    version = site.friendica_version
    if version is None:
        return "GNU social", None, "gnusocial"
    match = _VERSION.search(version)
    if match and (int(match.group(1)), int(match.group(2))) >= MODERN_SINCE:
        return "Friendica", version, "modern"
    return "Friendica", version, "legacy"


async def probe(client: FriendicaClient) -> Capabilities:
    """Ask the upstream what it is; raises UpstreamError when it cannot be used at all."""
    site = SiteConfig.model_validate(await client.site_config())
    software, version, generation = generation_of(site)
    if generation == "gnusocial":
        # GNU social's configuration names no version, but statusnet/version does ("1.2.0-beta4").
        version = await client.api_version()
    native = await client.native_instance()
    native_api = bool(native and _NATIVE_FRIENDICA.search(str(native.get("version", ""))))
    oauth2 = await client.oauth2_available()
    features = await probe_features(client, version, dialect_for(generation))

    capabilities = Capabilities(
        software=software,
        version=version,
        generation=generation,
        native_api=native_api,
        site_name=site.name,
        text_limit=site.textlimit or None,
        site_email=site.email,
        registrations_open=not site.closed and not site.private,
        oauth2=oauth2,
        features=features,
    )
    log.info(
        "upstream is %s %s (%s API%s%s; lacks %s)",
        software,
        version or "",
        generation,
        ", own Mastodon API" if native_api else "",
        ", OAuth 2" if oauth2 else "",
        ", ".join(sorted(MODERN_FEATURES - features)) or "nothing",
    )
    return capabilities


async def probe_features(client: FriendicaClient, version: str | None, dialect: Dialect) -> frozenset[str]:
    """Find which of the endpoints in ``PROBES`` the upstream has, with one GET each.

    ``dialect`` names the features of ``KNOWN_FEATURES`` its generation lacks and
    where it routes an endpoint under another path.
    """
    found = set(KNOWN_FEATURES) - dialect.lacks
    for each in PROBES:
        status = await client.probe_status(dialect.probe_paths.get(each.feature, each.path))
        present = status == 405 if each.method == "POST" else status not in (404, 501)
        if present:
            found.add(each.feature)
    match = _VERSION.search(version or "")
    if match and (int(match.group(1)), int(match.group(2))) >= PHOTO_ALBUMS_SINCE:
        found.add(PHOTO_ALBUMS)
    return frozenset(found)


class CapabilityState:
    """The latest probe result, refreshed on a schedule by the app's lifespan."""

    def __init__(self, client: FriendicaClient) -> None:
        self.client = client
        self._current: Capabilities | None = None
        client.use_dialect(self.dialect)

    async def dialect(self) -> Dialect:
        """Return the dialect of the latest probe, probing first if there was none."""
        return (await self.get()).dialect

    @property
    def known(self) -> Capabilities | None:
        """The latest probe result, without probing: None before the first probe."""
        return self._current

    async def get(self) -> Capabilities:
        if self._current is None:
            self._current = await probe(self.client)
        return self._current

    async def refresh(self) -> None:
        try:
            self._current = await probe(self.client)
        except UpstreamError as error:
            # Keep serving with what was known; the next refresh tries again.
            log.warning("could not refresh upstream capabilities: %s", error)

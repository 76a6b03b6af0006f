"""The upstream's software and features, found out with read-only requests.

Routes never branch on versions: they ask a ``Capabilities`` object whether
the upstream can do a thing and how. Probing only sends GET requests, so it
never changes anything upstream.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from gateway.errors import UpstreamError
from gateway.upstream import FriendicaClient
from mappings.friendica import SiteConfig

log = logging.getLogger("mastogate.capabilities")

Generation = Literal["modern", "legacy", "gnusocial"]

# Friendica 2022.03 moved the API to src/Module/Api with global uri-ids,
# likes through favorites/create and Markdown in statuses/update.
MODERN_SINCE = (2022, 3)

_VERSION = re.compile(r"(\d{4})\.(\d{2})")
_NATIVE_FRIENDICA = re.compile(r"compatible; Friendica ([\w.\-]+)")


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
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def favorited_is_like(self) -> bool:
        """True where ``favorited`` reports the viewer's like, not a private star."""
        return self.generation == "modern"

    @property
    def reblog_via(self) -> Literal["native", "retweet"] | None:
        """How to share a status, or None where the upstream cannot.

        Modern Friendica's ``statuses/retweet`` passes a uri-id where a row id
        is expected and shares an unrelated item (seen on 2024.08), so it is
        never called there.
        """
        if self.native_api:
            return "native"
        if self.generation == "modern":
            return None
        return "retweet"

    @property
    def unreblog_via(self) -> Literal["native"] | None:
        # No release routes statuses/unretweet.
        return "native" if self.native_api else None

    @property
    def relations_via(self) -> Literal["native"] | None:
        """How to follow, block, mute and answer follow requests, or None where the upstream cannot.

        No Friendica release routes ``friendships/create``,
        ``blocks/create|destroy``, ``mutes/*`` or a way to accept a follow
        request on its Twitter-compatible API.
        """
        # TODO: GNU Social routes friendships/create; following there is not built yet.
        return "native" if self.native_api else None

    @property
    def release(self) -> tuple[int, int] | None:
        """The Friendica release as (year, month), or None when unknown."""
        match = _VERSION.search(self.version or "")
        return (int(match.group(1)), int(match.group(2))) if match else None

    @property
    def lists_api(self) -> bool:
        """True where ``lists/*`` (create, rename, delete, list timeline) exists: Friendica 2018.05 on."""
        return self.software == "Friendica" and (self.release or (0, 0)) >= (2018, 5)

    @property
    def circle_prefix(self) -> Literal["circle", "group"] | None:
        """The name of the circle endpoints (``circle_show`` or ``group_show``), or None without circles.

        Friendica 2023.12 renamed ``group_*`` to ``circle_*`` and keeps the old
        names as aliases.
        """
        if self.software != "Friendica":
            return None
        return "circle" if (self.release or (0, 0)) >= (2023, 12) else "group"

    def describe(self) -> list[tuple[str, str]]:
        """Return (capability, plain-words status) pairs for `mastogate check`."""
        share = {
            "native": "yes, through the upstream's own Mastodon API",
            "retweet": "yes, with statuses/retweet",
            None: "no (this upstream cannot share)",
        }[self.reblog_via]
        undo = "yes, through the upstream's own Mastodon API" if self.unreblog_via else "no"
        relations = "yes, through the upstream's own Mastodon API" if self.relations_via else "no"
        lists = "yes" if self.lists_api else ("read only" if self.circle_prefix else "no")
        return [
            ("software", f"{self.software} {self.version or '(version unknown)'}"),
            ("API generation", self.generation),
            ("own Mastodon API", "yes" if self.native_api else "no"),
            ("upstream OAuth 2", "yes" if self.oauth2 else "no"),
            ("post, reply, delete", "yes"),
            ("favourite", "yes (like)" if self.favorited_is_like else "yes (like activity)"),
            ("reblog", share),
            ("undo reblog", undo),
            ("follow, block, mute", relations),
            ("lists", lists),
            ("text limit", str(self.text_limit) if self.text_limit else "unknown"),
        ]


def generation_of(site: SiteConfig) -> tuple[str, str | None, Generation]:
    """Tell software, version and API generation from the ``statusnet/config`` site block."""
    version = site.friendica_version
    if version is None:
        return "GNU Social", None, "gnusocial"
    match = _VERSION.search(version)
    if match and (int(match.group(1)), int(match.group(2))) >= MODERN_SINCE:
        return "Friendica", version, "modern"
    return "Friendica", version, "legacy"


async def probe(client: FriendicaClient) -> Capabilities:
    """Ask the upstream what it is; raises UpstreamError when it cannot be used at all."""
    site = SiteConfig.model_validate(await client.site_config())
    software, version, generation = generation_of(site)
    native = await client.native_instance()
    native_api = bool(native and _NATIVE_FRIENDICA.search(str(native.get("version", ""))))
    oauth2 = await client.oauth2_available()

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
    )
    log.info(
        "upstream is %s %s (%s API%s%s)",
        software,
        version or "",
        generation,
        ", own Mastodon API" if native_api else "",
        ", OAuth 2" if oauth2 else "",
    )
    return capabilities


class CapabilityState:
    """The latest probe result, refreshed on a schedule by the app's lifespan."""

    def __init__(self, client: FriendicaClient) -> None:
        self.client = client
        self._current: Capabilities | None = None

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

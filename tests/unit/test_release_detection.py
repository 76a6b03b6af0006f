"""Generation and feature detection for Friendica releases from 3.5.4 to 2024.08 (respx).

Each release is described by hand: its ``statusnet/config``, the endpoints
it routes (from its ``include/api.php`` or ``static/routes.config.php``),
how it routes them, and what ``/api/v1/instance`` and ``/oauth/authorize``
answer without parameters. The probes only send GET requests without a
credential, so each endpoint answers 401 (GET), 405 (POST only) or the
release's answer for an unknown path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import respx

from gateway.capabilities import PHOTO_ALBUMS, Capabilities, probe
from gateway.dialects import Dialect, LegacyDialect
from gateway.errors import Unprocessable
from gateway.upstream import FriendicaClient

pytestmark = pytest.mark.anyio

BASE = "http://upstream.test"

# The features whose presence these tests check, so that probes added later change no expectation.
CHECKED = (
    "search",
    "users_lookup",
    "contact_lists",
    "blocks_list",
    "follow_requests",
    "unfollow",
    "friendship",
    "lists",
    "circles",
    "groups",
    "profile_update",
    "network_timeline",
    "retweet",
    "follow",
    PHOTO_ALBUMS,
)

# Endpoints and the method they are registered with (ANY and GET answer 401 to a GET without login).
FRIENDICA_354 = (
    ("account/verify_credentials", "ANY"),
    ("statuses/update", "POST"),
    ("users/show", "ANY"),
    ("users/search", "ANY"),
    ("statuses/home_timeline", "ANY"),
    ("statuses/public_timeline", "ANY"),
    ("statuses/show", "ANY"),
    ("conversation/show", "ANY"),
    ("statuses/retweet", "POST"),
    ("statuses/destroy", "DELETE"),
    ("favorites/create", "POST"),
    ("favorites", "ANY"),
    # Registered before any lists/* path, so lists/create reaches this always-empty endpoint.
    ("lists", "ANY"),
    ("statuses/followers", "ANY"),
    ("followers/ids", "ANY"),
    ("direct_messages/destroy", "DELETE"),
    ("friendica/photos/list", "ANY"),
    # Catches friendica/photoalbums by prefix.
    ("friendica/photo", "ANY"),
    ("account/update_profile_image", "POST"),
    ("friendica/group_show", "ANY"),
    ("friendica/group_create", "POST"),
    ("friendica/group_update", "POST"),
    ("friendica/activity/like", "POST"),
    # Catches friendica/notifications by prefix.
    ("friendica/notification", "GET"),
    ("friendica/profile/show", "GET"),
)
# Added by 3.6, 2018.05 and 2019.01, in include/api.php's order (no bare "lists" any more).
FRIENDICA_2019 = tuple(route for route in FRIENDICA_354 if route[0] != "lists") + (
    ("users/lookup", "ANY"),
    ("search/tweets", "ANY"),
    ("search", "ANY"),
    ("statuses/networkpublic_timeline", "ANY"),
    ("lists/list", "ANY"),
    ("lists/ownerships", "ANY"),
    ("lists/statuses", "ANY"),
    ("blocks/list", "ANY"),
    ("friendships/incoming", "ANY"),
    ("friendships/destroy", "POST"),
    ("account/update_profile", "POST"),
    ("lists/destroy", "DELETE"),
    ("lists/create", "POST"),
    ("lists/update", "POST"),
)
# 2020.07 routes followers/list and friends/list through its router.
FRIENDICA_2021 = FRIENDICA_2019 + (("followers/list", "GET"), ("friends/list", "GET"))
# 2022.03 moved every endpoint to its router, which matches whole paths.
FRIENDICA_2022 = tuple(route for route in FRIENDICA_2021 if route[0] not in ("search", "favorites")) + (
    ("favorites", "GET"),
    # Added by 2022.02.
    ("friendships/show", "GET"),
)
FRIENDICA_2023_12 = FRIENDICA_2022 + (
    ("friendica/circle_show", "GET"),
    ("friendica/circle_create", "POST"),
    ("friendica/circle_update", "POST"),
)


@dataclass(frozen=True)
class Release:
    """What one Friendica release answers to the probes."""

    version: str
    routes: tuple[tuple[str, str], ...]
    # Before 2022.03, include/api.php takes the first registered path that the request starts with.
    prefix_routing: bool
    # What an unknown api/* path answers: 501 before 2021.01, 404 after.
    unknown_status: int
    # The "version" of /api/v1/instance, or None where there is none.
    instance_version: str | None = None
    # /oauth/authorize exists (2021.07 and later): without parameters it answers a JSON error.
    oauth2: bool = False
    # What the authorize error's status is: 422, except 2024.08, whose error responses all carry 403.
    oauth2_error_status: int = 422
    # 3.5 to 2021 send booleans and the text limit as strings.
    config_strings: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def config(self) -> dict[str, Any]:
        def flag(value: bool) -> bool | str:
            if self.config_strings:
                return "true" if value else "false"
            return value

        return {
            "site": {
                "name": "Friendica Social",
                "server": "upstream.test",
                "theme": "frio",
                "path": "",
                "logo": f"{BASE}/images/friendica-64.png",
                "fancy": flag(True),
                "language": "en",
                "email": "admin@upstream.test",
                "broughtby": "",
                "broughtbyurl": "",
                "timezone": "UTC",
                "closed": flag(False),
                "inviteonly": flag(False),
                "private": flag(False),
                "textlimit": "200000" if self.config_strings else 200000,
                "sslserver": flag(False),
                "ssl": "0",
                "shorturllength": "30",
                "friendica": {
                    "FRIENDICA_PLATFORM": "Friendica",
                    "FRIENDICA_VERSION": self.version,
                    "DFRN_PROTOCOL_VERSION": "2.23",
                    "DB_UPDATE_VERSION": 1235,
                },
            }
        }

    def answer(self, request: httpx.Request) -> httpx.Response:
        """Answer a probe as this release does."""
        path = request.url.path
        if path == "/api/statusnet/config.json":
            return httpx.Response(200, json=self.config())
        if path == "/oauth/authorize":
            if not self.oauth2:
                return httpx.Response(404, text="<html><body><h1>Not Found</h1></body></html>")
            error = {"error": "Unsupported or missing response type", "error_description": ""}
            return httpx.Response(self.oauth2_error_status, json=error)
        if path == "/api/v1/instance" and self.instance_version is not None:
            return httpx.Response(200, json={"uri": "upstream.test", "version": self.instance_version})
        name = path.removeprefix("/api/").removesuffix(".json")
        for route, method in self.routes:
            if name == route or (self.prefix_routing and name.startswith(route)):
                return httpx.Response(401 if method in ("ANY", "GET") else 405, json={"error": "denied"})
        return httpx.Response(self.unknown_status, text="<html><body><h1>Not Found</h1></body></html>")


RELEASES = {
    "3.5.4": Release("3.5.4", FRIENDICA_354, prefix_routing=True, unknown_status=501),
    "2019.12": Release(
        "2019.12", FRIENDICA_2019, prefix_routing=True, unknown_status=501, instance_version="2019.12"
    ),
    "2021.09": Release(
        "2021.09",
        FRIENDICA_2021,
        prefix_routing=True,
        unknown_status=404,
        instance_version="2021.09",
        oauth2=True,
    ),
    "2022.03": Release(
        "2022.03",
        FRIENDICA_2022,
        prefix_routing=False,
        unknown_status=404,
        instance_version="2.8.0 (compatible; Friendica 2022.03)",
        oauth2=True,
        config_strings=False,
    ),
    # The last release before circle_* (2023.12).
    "2023.05": Release(
        "2023.05",
        FRIENDICA_2022,
        prefix_routing=False,
        unknown_status=404,
        instance_version="2.8.0 (compatible; Friendica 2023.05)",
        oauth2=True,
        config_strings=False,
    ),
    "2024.08": Release(
        "2024.08",
        FRIENDICA_2023_12,
        prefix_routing=False,
        unknown_status=404,
        instance_version="2.8.0 (compatible; Friendica 2024.08)",
        oauth2=True,
        oauth2_error_status=403,
        config_strings=False,
    ),
}


async def probed(release: str) -> Capabilities:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        route = router.route().mock(side_effect=RELEASES[release].answer)
        async with httpx.AsyncClient() as http:
            capabilities = await probe(FriendicaClient(BASE, http))
    assert {call.request.method for call in route.calls} == {"GET"}
    return capabilities


def present(capabilities: Capabilities) -> set[str]:
    return {feature for feature in CHECKED if capabilities.has(feature)}


async def test_friendica_354():
    found = await probed("3.5.4")

    assert (found.software, found.version, found.generation) == ("Friendica", "3.5.4", "legacy")
    assert isinstance(found.dialect, LegacyDialect)
    assert found.native_api is False
    assert found.oauth2 is False
    assert found.text_limit == 200000
    assert present(found) == {"retweet", "groups"}
    assert found.circle_prefix == "group"
    assert found.lists_api is False
    assert found.reblog_via == "retweet"
    assert found.unreblog_via is None
    assert found.relations_via is None


async def test_friendica_2019():
    found = await probed("2019.12")

    assert found.generation == "legacy"
    assert isinstance(found.dialect, LegacyDialect)
    # Its /api/v1/instance has no write endpoints behind it and reports the bare version.
    assert found.native_api is False
    assert found.oauth2 is False
    assert present(found) == {
        "search",
        "users_lookup",
        "blocks_list",
        "follow_requests",
        "unfollow",
        "lists",
        "groups",
        "profile_update",
        "network_timeline",
        "retweet",
    }
    assert found.circle_prefix == "group"
    assert found.lists_api is True
    assert found.reblog_via == "retweet"


async def test_friendica_2021():
    found = await probed("2021.09")

    assert found.generation == "legacy"
    assert isinstance(found.dialect, LegacyDialect)
    assert found.native_api is False
    assert found.oauth2 is True
    assert present(found) == {
        "search",
        "users_lookup",
        "contact_lists",
        "blocks_list",
        "follow_requests",
        "unfollow",
        "lists",
        "groups",
        "profile_update",
        "network_timeline",
        "retweet",
    }
    # Its statuses/retweet announces instead of posting a [share], which the share strategy cannot check.
    assert found.reblog_via is None


@pytest.mark.parametrize("release", ["2022.03", "2023.05"])
async def test_friendica_with_group_endpoints_and_global_ids(release):
    found = await probed(release)

    assert (found.version, found.generation) == (release, "modern")
    assert type(found.dialect) is Dialect
    assert found.dialect.item_ids_per_user is False
    assert found.native_api is True
    assert found.oauth2 is True
    assert found.circle_prefix == "group"
    assert "circles" not in present(found)
    assert {"groups", "lists", "search", "unfollow", "friendship", "contact_lists"} <= present(found)
    # statuses/retweet shares another item than the uri-id it is given there.
    assert found.reblog_via == "native"


async def test_photo_albums_are_known_by_release():
    assert not (await probed("2022.03")).has(PHOTO_ALBUMS)
    assert (await probed("2023.05")).has(PHOTO_ALBUMS)


async def test_friendica_2024():
    found = await probed("2024.08")

    assert found.generation == "modern"
    assert found.native_api is True
    assert found.oauth2 is True
    assert present(found) == set(CHECKED) - {"follow"}
    assert found.circle_prefix == "circle"
    assert found.lists_api is True


async def test_missing_feature_is_a_422_that_names_it():
    found = await probed("3.5.4")

    with pytest.raises(Unprocessable) as unfollow:
        found.require("unfollow")
    with pytest.raises(Unprocessable) as search:
        found.require("search")

    assert unfollow.value.status_code == 422
    assert "cannot unfollow accounts" in unfollow.value.message
    assert "cannot search statuses" in search.value.message


def test_per_user_ids_keep_statuses_off_native_api():
    # Friendica 2021.07 to 2021.09 serve their own Mastodon API with uri-ids beside per-user item ids.
    legacy = Capabilities(
        software="Friendica",
        version="2021.09",
        generation="legacy",
        native_api=True,
        site_name="Friendica Social",
        text_limit=200000,
    )
    modern = Capabilities(
        software="Friendica",
        version="2022.03",
        generation="modern",
        native_api=True,
        site_name="Friendica Social",
        text_limit=200000,
    )

    assert legacy.native_statuses is False
    assert legacy.reblog_via is None
    assert legacy.unreblog_via is None
    assert legacy.relations_via == "native"
    assert modern.native_statuses is True
    assert modern.reblog_via == "native"

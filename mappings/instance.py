"""Server information for apps: Mastodon instance v1 and v2, and NodeInfo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mappings.html import paragraphs_from_plain_text

MASTOGATE_VERSION = "0.1.0"

# Apps turn features on by the leading Mastodon version. 4.3.0 promises PKCE
# and /.well-known/oauth-authorization-server, which the gateway serves.
MASTODON_VERSION = "4.3.0"
VERSION = f"{MASTODON_VERSION} (compatible; mastogate {MASTOGATE_VERSION})"

# The Mastodon API revision: 2 would promise grouped notifications.
API_VERSION = 1

CHARACTERS_RESERVED_PER_URL = 23


@dataclass(frozen=True)
class InstanceFacts:
    """Everything the instance entities are built from, gathered by the route."""

    public_url: str
    title: str
    description: str
    email: str
    upstream_url: str
    upstream_software: str
    max_characters: int
    max_media_attachments: int
    supported_mime_types: tuple[str, ...]
    image_size_limit: int
    registrations_open: bool
    languages: tuple[str, ...]
    vapid_key: str
    thumbnail_url: str
    source_url: str

    @property
    def domain(self) -> str:
        return urlsplit(self.public_url).netloc

    @property
    def streaming_url(self) -> str:
        parts = urlsplit(self.public_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{scheme}://{parts.netloc}"


def _media_configuration(facts: InstanceFacts) -> dict[str, Any]:
    return {
        "supported_mime_types": list(facts.supported_mime_types),
        "image_size_limit": facts.image_size_limit,
        "image_matrix_limit": 16_777_216,
        "video_size_limit": 0,
        "video_frame_rate_limit": 0,
        "video_matrix_limit": 0,
        "description_limit": 1500,
    }


def _statuses_configuration(facts: InstanceFacts) -> dict[str, Any]:
    return {
        "max_characters": facts.max_characters,
        "max_media_attachments": facts.max_media_attachments,
        "characters_reserved_per_url": CHARACTERS_RESERVED_PER_URL,
    }


# The upstream has no polls, and zero options keeps apps from offering them.
POLLS_CONFIGURATION = {
    "max_options": 0,
    "max_characters_per_option": 0,
    "min_expiration": 0,
    "max_expiration": 0,
}


def instance_v2(facts: InstanceFacts) -> dict[str, Any]:
    return {
        "domain": facts.domain,
        "title": facts.title,
        "version": VERSION,
        "source_url": facts.source_url,
        "description": facts.description,
        "usage": {"users": {"active_month": 0}},
        "thumbnail": {"url": facts.thumbnail_url, "blurhash": None, "versions": {}},
        "icon": [],
        "languages": list(facts.languages),
        "configuration": {
            # Streaming is not served yet; apps that see null do not try to connect.
            "urls": {"streaming": None, "status": None, "about": f"{facts.public_url}/about"},
            "vapid": {"public_key": facts.vapid_key},
            "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 0},
            "statuses": _statuses_configuration(facts),
            "media_attachments": _media_configuration(facts),
            "polls": dict(POLLS_CONFIGURATION),
            "translation": {"enabled": False},
        },
        "registrations": {
            "enabled": facts.registrations_open,
            "approval_required": False,
            "message": None,
            "url": f"{facts.upstream_url}/register" if facts.registrations_open else None,
        },
        "api_versions": {"mastodon": API_VERSION},
        "contact": {"email": facts.email, "account": None},
        "rules": [],
    }


def instance_v1(facts: InstanceFacts) -> dict[str, Any]:
    return {
        "uri": facts.domain,
        "title": facts.title,
        "short_description": facts.description,
        "description": paragraphs_from_plain_text(facts.description),
        "email": facts.email,
        "version": VERSION,
        # v1 has no way to say "no streaming"; apps that stream read v2 first.
        "urls": {"streaming_api": facts.streaming_url},
        "stats": {"user_count": 0, "status_count": 0, "domain_count": 0},
        "thumbnail": facts.thumbnail_url,
        "languages": list(facts.languages),
        "registrations": facts.registrations_open,
        "approval_required": False,
        "invites_enabled": False,
        "configuration": {
            "accounts": {"max_featured_tags": 0},
            "statuses": _statuses_configuration(facts),
            "media_attachments": _media_configuration(facts),
            "polls": dict(POLLS_CONFIGURATION),
        },
        "contact_account": None,
        "rules": [],
    }


def nodeinfo_links(public_url: str) -> dict[str, Any]:
    return {
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "href": f"{public_url}/nodeinfo/2.0",
            }
        ]
    }


def nodeinfo(facts: InstanceFacts) -> dict[str, Any]:
    """NodeInfo 2.0 for the gateway.

    ``metadata.upstream`` names Mastodon because client libraries that pick
    an API by NodeInfo (megalodon) only accept software names they know.
    """
    return {
        "version": "2.0",
        "software": {"name": "mastogate", "version": MASTOGATE_VERSION},
        "protocols": [],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": facts.registrations_open,
        "usage": {"users": {"total": 0, "activeMonth": 0, "activeHalfyear": 0}, "localPosts": 0},
        "metadata": {
            "nodeName": facts.title,
            "upstream": {"name": "mastodon", "version": MASTODON_VERSION},
            "bridgedSoftware": facts.upstream_software,
        },
    }


def host_meta(public_url: str) -> str:
    """Build the XRD document that sends WebFinger look-ups to the gateway, not the upstream."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{public_url}/.well-known/webfinger?resource={{uri}}"/>\n'
        "</XRD>\n"
    )

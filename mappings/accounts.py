"""Upstream user objects to Mastodon accounts."""

from __future__ import annotations

from typing import Any

from mappings.context import MappingContext
from mappings.dates import EPOCH, mastodon_timestamp
from mappings.entities import Account, AccountSource, CredentialAccount, Role
from mappings.friendica import FriendicaUser, parse_user
from mappings.html import paragraphs_from_plain_text

# Mastodon's role for an account without special rights.
EVERYONE_ROLE = Role(id="-99", name="", permissions="65536", color="", highlighted=False)


def account_from_friendica(raw: dict[str, Any] | FriendicaUser, ctx: MappingContext) -> Account:
    user = parse_user(raw)
    profile_url = user.profile_url
    avatar = user.profile_image_url_large or user.profile_image_url or ctx.default_avatar
    header = user.profile_banner_url or ctx.default_header

    return Account(
        id=str(user.id),
        username=user.screen_name,
        acct=ctx.acct_for(user.screen_name, profile_url),
        display_name=user.name or user.screen_name,
        locked=user.protected,
        bot=False,
        discoverable=None,
        indexable=False,
        group=False,
        created_at=mastodon_timestamp(user.created_at or EPOCH),
        note=paragraphs_from_plain_text(user.description),
        url=profile_url or None,
        uri=profile_url or f"{ctx.upstream_url.rstrip('/')}/profile/{user.screen_name}",
        avatar=avatar,
        avatar_static=avatar,
        header=header,
        header_static=header,
        followers_count=user.followers_count,
        following_count=user.friends_count,
        statuses_count=user.statuses_count,
        last_status_at=None,
    )


def credential_account_from_friendica(
    raw: dict[str, Any] | FriendicaUser, ctx: MappingContext
) -> CredentialAccount:
    """Map the viewer's own user object, with the ``source`` and ``role`` clients need at login."""
    user = parse_user(raw)
    account = account_from_friendica(user, ctx)
    source = AccountSource(
        note=user.description,
        fields=[],
        # TODO: read the person's default post visibility once the upstream exposes it;
        # the Twitter-compatible API does not.
        privacy="public",
        sensitive=False,
        language=None,
        follow_requests_count=0,
    )
    return CredentialAccount(**account.model_dump(), source=source, role=EVERYONE_ROLE)

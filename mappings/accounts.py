"""Upstream user objects to Mastodon accounts, the viewer's own profile, and ``acct`` addresses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mappings.context import MappingContext
from mappings.dates import EPOCH, mastodon_date, mastodon_timestamp
from mappings.entities import Account, AccountField, AccountSource, CredentialAccount, Role, Visibility
from mappings.friendica import FriendicaUser, parse_user
from mappings.html import paragraphs_from_plain_text, plain_text_from_content, sanitize

# Mastodon's role for an account without special rights.
EVERYONE_ROLE = Role(id="-99", name="", permissions="65536", color="", highlighted=False)


@dataclass(frozen=True)
class OwnProfile:
    """The parts only the viewer's own account shows: profile fields, real counts, waiting requests.

    Friendica's user objects report 0 followers and 0 followed accounts for
    everyone. The counts here come from the viewer's own contact lists and
    are None where the upstream does not tell them. ``privacy`` is the
    person's default visibility, "public" where the upstream does not tell it.
    """

    fields: tuple[AccountField, ...] = ()
    source_fields: tuple[AccountField, ...] = ()
    followers_count: int | None = None
    following_count: int | None = None
    follow_requests_count: int = 0
    privacy: Visibility = "public"


def account_from_friendica(
    raw: dict[str, Any] | FriendicaUser, ctx: MappingContext, own: OwnProfile | None = None
) -> Account:
    """Map a user object; ``own`` adds what the viewer's own account shows."""
    user = parse_user(raw)
    profile_url = user.profile_url
    avatar = user.profile_image_url_large or user.profile_image_url or ctx.default_avatar
    header = user.profile_banner_url or ctx.default_header
    latest = user.status.created_at if user.status is not None else None

    followers_count, following_count = user.followers_count, user.friends_count
    if own is not None:
        followers_count = own.followers_count if own.followers_count is not None else followers_count
        following_count = own.following_count if own.following_count is not None else following_count

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
        followers_count=followers_count,
        following_count=following_count,
        statuses_count=user.statuses_count,
        last_status_at=mastodon_date(latest) if latest is not None else None,
        fields=list(own.fields) if own is not None else [],
    )


def credential_account_from_friendica(
    raw: dict[str, Any] | FriendicaUser,
    ctx: MappingContext,
    own: OwnProfile | None = None,
    *,
    locked: bool | None = None,
) -> CredentialAccount:
    """Map the viewer's own user object, with the ``source`` and ``role`` clients need at login.

    ``locked`` tells whether follows need approval where it is known: the
    Twitter-compatible API reports every account as unlocked.
    """
    user = parse_user(raw)
    own = own or OwnProfile()
    account = account_from_friendica(user, ctx, own)
    if locked is not None:
        account = account.model_copy(update={"locked": locked})
    source = AccountSource(
        note=user.description,
        fields=list(own.source_fields),
        privacy=own.privacy,
        sensitive=False,
        language=None,
        follow_requests_count=own.follow_requests_count,
    )
    return CredentialAccount(**account.model_dump(), source=source, role=EVERYONE_ROLE)


def profile_fields_from_friendica(
    profile_show: dict[str, Any],
) -> tuple[list[AccountField], list[AccountField]]:
    """Return the custom fields of ``friendica/profile/show``: as accounts show them, and as typed.

    Friendica sends each value as HTML. Accounts get it sanitised, and the
    ``source`` of the viewer's account gets its plain text, which is what an
    app puts back into an edit form.
    """
    profiles = profile_show.get("profiles")
    chosen = profiles[0] if isinstance(profiles, list) and profiles else {}
    custom = chosen.get("custom_fields") if isinstance(chosen, dict) else None

    shown: list[AccountField] = []
    typed: list[AccountField] = []
    for entry in custom if isinstance(custom, list) else []:
        if not isinstance(entry, dict) or not entry.get("label"):
            continue
        label, value = str(entry["label"]), str(entry.get("value") or "")
        shown.append(AccountField(name=label, value=sanitize(value)))
        typed.append(AccountField(name=label, value=plain_text_from_content(value)))
    return shown, typed


def split_acct(acct: str, ctx: MappingContext) -> tuple[str, str | None]:
    """Split ``@user@domain`` into the user name and the domain, None for this server's own accounts.

    An address on the upstream's host or on the gateway's own host (the
    same domain when mastogate runs beside Friendica) names a local account.
    """
    username, _, domain = acct.strip().lstrip("@").partition("@")
    domain = domain.lower()
    if not domain or domain in (ctx.upstream_host, ctx.public_host):
        return username, None
    return username, domain

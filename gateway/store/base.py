"""What the gateway keeps between requests, and the interface every store implements.

The store contains OAuth applications, hashed tokens with their encrypted
upstream credentials, authorization codes, pending logins, ids the gateway
mints, idempotency keys and the favourites log. Nothing in it is a usable
secret on its own: tokens and client secrets are stored as keyed hashes and
credentials are encrypted with a key that needs the client's token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from mappings.media import PictureDetails


@dataclass(frozen=True)
class AppRecord:
    id: int
    client_id: str
    client_secret_hash: str
    name: str
    website: str | None
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class TokenRecord:
    token_hash: str
    app_id: int
    scopes: tuple[str, ...]
    created_at: datetime
    # None for a client_credentials token, which acts for the app alone.
    user_id: int | None = None
    username: str | None = None
    credential_blob: bytes | None = None
    # The upstream app whose token the credential is, for a login on the upstream itself.
    upstream_client: str | None = None


@dataclass(frozen=True)
class UpstreamClientRecord:
    """The app the gateway registered on the upstream's OAuth 2 provider for one of its own apps."""

    app_id: int
    client_id: str
    client_secret_blob: bytes
    redirect_uri: str
    created_at: datetime


@dataclass(frozen=True)
class UpstreamLoginRecord:
    """A person sent to log in on the upstream, with the authorization request to finish on return."""

    state_hash: str
    app_id: int
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    browser_hash: str
    expires_at: datetime
    # OAuth 1 only: the request token's secret, sealed; the state is the request token itself.
    request_secret_blob: bytes | None = None


@dataclass(frozen=True)
class AuthorizationCodeRecord:
    code_hash: str
    app_id: int
    redirect_uri: str
    scopes: tuple[str, ...]
    code_challenge: str | None
    code_challenge_method: str | None
    user_id: int
    username: str
    credential_blob: bytes
    expires_at: datetime


@dataclass(frozen=True)
class PendingLogin:
    """A person who proved who they are on the login page and has not yet consented."""

    id: str
    app_id: int
    user_id: int
    username: str
    credential_blob: bytes
    expires_at: datetime


@dataclass(frozen=True)
class FavouriteRecord:
    favourite_id: int
    status_id: int
    snapshot: str
    updated_at: datetime


@dataclass(frozen=True)
class MediaRecord:
    """A picture uploaded through the gateway: an upstream photo plus what Mastodon adds."""

    id: int
    scope: str
    resource_id: str
    photo_id: int
    mimetype: str
    url: str
    preview_url: str
    description: str | None
    focus: tuple[float, float] | None
    width: int | None
    height: int | None
    preview_width: int | None
    preview_height: int | None
    blurhash: str | None
    status_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class CachedPicture:
    """What the gateway learned about a picture, and when it last asked for the description.

    ``description_checked_at`` is None until a source that knows descriptions
    (the owner's photo, the upstream's own Mastodon API) was asked.
    """

    details: PictureDetails
    description_checked_at: datetime | None = None


@dataclass(frozen=True)
class MediaGrant:
    """A short-lived right to load one upstream picture with a viewer's credential."""

    id: str
    url: str
    credential_blob: bytes
    expires_at: datetime


@dataclass(frozen=True)
class Marker:
    """How far a person has read one timeline (``home`` or ``notifications``)."""

    timeline: str
    last_read_id: str
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class BookmarkRecord:
    bookmark_id: int
    status_id: int
    snapshot: str


@dataclass(frozen=True)
class FilterRecord:
    """A Mastodon filter: keywords and statuses to warn about or hide in some contexts."""

    id: int
    title: str
    context: tuple[str, ...]
    action: str
    expires_at: datetime | None
    # (keyword, whole_word) pairs, and their ids in the same order
    keywords: tuple[tuple[str, bool], ...] = ()
    keyword_ids: tuple[int, ...] = ()
    # (entry id, status id) pairs
    statuses: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class NotificationRecord:
    """One entry of a person's notification log.

    ``source`` names the upstream event it came from, so an event is logged
    once; ``account`` and ``status`` are the upstream JSON shown with it.
    """

    id: int
    source: str
    type: str
    account: str
    account_id: str
    status: str | None
    status_kind: str | None
    status_id: str | None
    thread_id: int | None
    created_at: datetime
    dismissed: bool = False


class Store(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    # Applications
    async def create_app(
        self,
        *,
        client_id: str,
        client_secret_hash: str,
        name: str,
        website: str | None,
        redirect_uris: tuple[str, ...],
        scopes: tuple[str, ...],
    ) -> AppRecord: ...

    async def get_app(self, client_id: str) -> AppRecord | None: ...

    async def get_app_by_id(self, app_id: int) -> AppRecord | None: ...

    # Tokens
    async def create_token(self, token: TokenRecord) -> None: ...

    async def get_token(self, token_hash: str) -> TokenRecord | None: ...

    async def revoke_token(self, token_hash: str, app_id: int) -> bool: ...

    # Authorization codes: consumed once, atomically.
    async def create_authorization_code(self, code: AuthorizationCodeRecord) -> None: ...

    async def consume_authorization_code(
        self, code_hash: str, now: datetime
    ) -> AuthorizationCodeRecord | None: ...

    # Logins waiting for consent
    async def create_pending_login(self, login: PendingLogin) -> None: ...

    async def take_pending_login(self, login_id: str, now: datetime) -> PendingLogin | None: ...

    # Ids the gateway mints for things without an upstream id of their own
    async def mint_id(self, kind: str, scope: str, key: str, at: datetime) -> int: ...

    async def resolve_minted_id(self, minted_id: int) -> tuple[str, str, str] | None: ...

    # Idempotency-Key of status creation
    async def claim_idempotency_key(self, scope: str, key: str, now: datetime) -> tuple[bool, int | None]: ...

    async def complete_idempotency_key(self, scope: str, key: str, status_id: int) -> None: ...

    async def release_idempotency_key(self, scope: str, key: str) -> None: ...

    # The favourites log (the upstream has no list of the statuses a person liked)
    async def record_favourites(self, scope: str, entries: dict[int, tuple[str, datetime]]) -> None: ...

    async def forget_favourites(self, scope: str, status_ids: list[int]) -> None: ...

    async def favourite_status_ids(self, scope: str, status_ids: list[int]) -> set[int]: ...

    async def list_favourites(
        self, scope: str, *, max_id: int | None, since_id: int | None, min_id: int | None, limit: int
    ) -> list[FavouriteRecord]: ...

    # Media uploaded through the gateway, details of pictures seen, signed picture URLs
    async def create_media(self, record: MediaRecord) -> MediaRecord: ...

    async def get_media(self, media_id: int) -> MediaRecord | None: ...

    async def media_by_resource(self, resource_ids: list[str]) -> dict[str, MediaRecord]: ...

    async def update_media(
        self, media_id: int, *, description: str | None, focus: tuple[float, float] | None
    ) -> None: ...

    async def attach_media(self, media_ids: list[int], status_id: int) -> None: ...

    async def relocate_media(
        self,
        media_id: int,
        *,
        resource_id: str,
        url: str,
        preview_url: str,
        preview_width: int | None,
        preview_height: int | None,
    ) -> None:
        """Point an upload at the picture it became in a status (its key, URL and preview)."""
        ...

    async def unattached_media(self, scope: str, *, older_than: datetime) -> list[MediaRecord]: ...

    async def delete_media(self, media_id: int) -> None: ...

    async def picture_details(self, keys: list[str]) -> dict[str, CachedPicture]: ...

    async def save_picture_details(self, key: str, picture: CachedPicture, now: datetime) -> None: ...

    async def create_media_grant(self, grant: MediaGrant) -> None: ...

    async def get_media_grant(self, grant_id: str, now: datetime) -> MediaGrant | None: ...

    # Per-person state: markers, bookmarks, filters, muted threads
    async def markers(self, scope: str, timelines: list[str]) -> dict[str, Marker]: ...

    async def save_marker(self, scope: str, timeline: str, last_read_id: str, now: datetime) -> Marker: ...

    async def add_bookmark(self, scope: str, status_id: int, snapshot: str, now: datetime) -> None: ...

    async def remove_bookmark(self, scope: str, status_id: int) -> None: ...

    async def refresh_bookmarks(self, scope: str, snapshots: dict[int, str]) -> None: ...

    async def bookmarked(self, scope: str, status_ids: list[int]) -> frozenset[int]: ...

    async def list_bookmarks(
        self, scope: str, *, max_id: int | None, since_id: int | None, min_id: int | None, limit: int
    ) -> list[BookmarkRecord]: ...

    async def create_filter(self, scope: str, record: FilterRecord) -> FilterRecord: ...

    async def filters(self, scope: str, *, filter_id: int | None = None) -> list[FilterRecord]: ...

    async def update_filter(self, scope: str, record: FilterRecord) -> None: ...

    async def delete_filter(self, scope: str, filter_id: int) -> bool: ...

    async def add_filter_keyword(self, filter_id: int, keyword: str, whole_word: bool) -> int: ...

    async def update_filter_keyword(self, keyword_id: int, keyword: str, whole_word: bool) -> None: ...

    async def delete_filter_keyword(self, keyword_id: int) -> None: ...

    async def filter_of_keyword(self, scope: str, keyword_id: int) -> int | None: ...

    async def add_filter_status(self, filter_id: int, status_id: str) -> int: ...

    async def delete_filter_status(self, entry_id: int) -> None: ...

    async def filter_of_status_entry(self, scope: str, entry_id: int) -> int | None: ...

    async def mute_thread(self, scope: str, thread_id: int) -> None: ...

    async def unmute_thread(self, scope: str, thread_id: int) -> None: ...

    async def muted_threads(self, scope: str, thread_ids: list[int]) -> frozenset[int]: ...

    # Logins on the upstream itself
    async def upstream_client(self, app_id: int) -> UpstreamClientRecord | None: ...

    async def upstream_client_by_client_id(self, client_id: str) -> UpstreamClientRecord | None: ...

    async def save_upstream_client(self, record: UpstreamClientRecord) -> UpstreamClientRecord: ...

    async def forget_upstream_client(self, app_id: int) -> None: ...

    async def create_upstream_login(self, record: UpstreamLoginRecord) -> None: ...

    async def take_upstream_login(self, state_hash: str, now: datetime) -> UpstreamLoginRecord | None: ...

    async def tokens_of_upstream_client(self, client_id: str) -> int: ...

    async def revoke_replaced_tokens(self, client_id: str, user_id: int, keep_hash: str) -> int: ...

    # The notification log, hidden conversations and sync positions
    async def known_sources(self, scope: str, sources: list[str]) -> set[str]: ...

    async def add_notifications(self, scope: str, records: list[NotificationRecord]) -> int: ...

    async def list_notifications(
        self,
        scope: str,
        *,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
        types: set[str] | None = None,
        exclude_types: set[str] | None = None,
        account_id: str | None = None,
    ) -> list[NotificationRecord]: ...

    async def get_notification(self, scope: str, notification_id: int) -> NotificationRecord | None: ...

    async def dismiss_notification(self, scope: str, notification_id: int) -> bool: ...

    async def notification_group(
        self, scope: str, notification_type: str, status_id: str, limit: int = 80
    ) -> list[NotificationRecord]: ...

    async def dismiss_notification_source(self, scope: str, source: str) -> None:
        """Dismiss the entry of one event; it stays known, so the event is not logged again."""

    async def dismiss_all_notifications(self, scope: str) -> None: ...

    async def count_notifications_after(self, scope: str, after_id: int, limit: int) -> int: ...

    async def sync_value(self, scope: str, name: str) -> str | None: ...

    async def sync_values(self, scope: str, names: Sequence[str]) -> dict[str, str]:
        """Return the stored values among ``names``, by name, in one query."""
        ...

    async def set_sync_value(self, scope: str, name: str, value: str) -> None: ...

    async def hide_conversation(self, scope: str, thread_uri: str, last_mail_id: int) -> None: ...

    async def hidden_conversations(self, scope: str) -> dict[str, int]: ...

    # List settings the upstream does not keep
    async def list_replies_policies(self, scope: str) -> dict[int, str]: ...

    async def set_list_replies_policy(self, scope: str, list_id: int, policy: str) -> None: ...

    async def forget_list(self, scope: str, list_id: int) -> None: ...

    # Flags Mastodon has and the upstream does not
    async def mark_sensitive(self, status_id: int) -> None: ...

    async def sensitive_statuses(self, status_ids: list[int]) -> frozenset[int]: ...

"""The Mastodon entities clients receive.

Every field a client may require is declared here; a field Mastodon allows to
be null is declared ``X | None`` and always sent, because strict client
decoders reject a missing key even where null is allowed. Timestamps are
strings already formatted by ``mappings.dates``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Visibility = Literal["public", "unlisted", "private", "direct"]


class Entity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class CustomEmoji(Entity):
    shortcode: str
    url: str
    static_url: str
    visible_in_picker: bool = True
    category: str | None = None


class AccountField(Entity):
    name: str
    value: str
    verified_at: str | None = None


class Account(Entity):
    id: str
    username: str
    acct: str
    display_name: str
    locked: bool
    bot: bool
    discoverable: bool | None
    indexable: bool
    group: bool
    created_at: str
    note: str
    url: str | None
    uri: str
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    followers_count: int
    following_count: int
    statuses_count: int
    last_status_at: str | None
    hide_collections: bool | None = None
    noindex: bool | None = False
    limited: bool | None = False
    moved: Account | None = None
    emojis: list[CustomEmoji] = Field(default_factory=list)
    fields: list[AccountField] = Field(default_factory=list)
    roles: list[dict[str, Any]] = Field(default_factory=list)


class AccountSource(Entity):
    note: str
    fields: list[AccountField]
    privacy: Visibility
    sensitive: bool
    language: str | None
    follow_requests_count: int
    hide_collections: bool | None = None
    discoverable: bool | None = None
    indexable: bool = False
    attribution_domains: list[str] = Field(default_factory=list)


class Role(Entity):
    id: str
    name: str
    permissions: str
    color: str
    highlighted: bool


class CredentialAccount(Account):
    source: AccountSource
    role: Role


class Mention(Entity):
    id: str
    username: str
    url: str
    acct: str


class Tag(Entity):
    name: str
    url: str
    history: list[dict[str, Any]] = Field(default_factory=list)
    following: bool | None = None


class StatusApplication(Entity):
    name: str
    website: str | None = None


class MediaAttachment(Entity):
    id: str
    type: Literal["unknown", "image", "gifv", "video", "audio"]
    url: str | None
    preview_url: str | None
    remote_url: str | None
    preview_remote_url: str | None = None
    text_url: str | None = None
    meta: dict[str, Any] | None
    description: str | None
    blurhash: str | None


class Status(Entity):
    id: str
    uri: str
    url: str | None
    created_at: str
    edited_at: str | None
    account: Account
    content: str
    text: str | None = None
    visibility: Visibility
    sensitive: bool
    spoiler_text: str
    media_attachments: list[MediaAttachment]
    application: StatusApplication | None
    mentions: list[Mention]
    tags: list[Tag]
    emojis: list[CustomEmoji]
    reblogs_count: int
    favourites_count: int
    replies_count: int
    quotes_count: int = 0
    in_reply_to_id: str | None
    in_reply_to_account_id: str | None
    reblog: Status | None
    quote: None = None
    poll: dict[str, Any] | None
    card: dict[str, Any] | None
    language: str | None
    favourited: bool
    reblogged: bool
    muted: bool
    bookmarked: bool
    pinned: bool
    filtered: list[dict[str, Any]] = Field(default_factory=list)


class Context(Entity):
    ancestors: list[Status]
    descendants: list[Status]


class Application(Entity):
    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    vapid_key: str


class CredentialApplication(Application):
    """What ``POST /api/v1/apps`` returns: the application with its client credentials."""

    client_id: str
    client_secret: str
    client_secret_expires_at: int = 0


class Token(Entity):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    scope: str
    created_at: int


class Notification(Entity):
    id: str
    type: str
    group_key: str
    created_at: str
    account: Account
    status: Status | None = None


class Conversation(Entity):
    id: str
    unread: bool
    accounts: list[Account]
    last_status: Status | None


class Relationship(Entity):
    id: str
    following: bool
    showing_reblogs: bool
    notifying: bool
    languages: list[str] | None = None
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    requested_by: bool
    domain_blocking: bool
    endorsed: bool
    note: str


class FamiliarFollowers(Entity):
    id: str
    accounts: list[Account]


RepliesPolicy = Literal["followed", "list", "none"]


class List(Entity):
    id: str
    title: str
    replies_policy: RepliesPolicy
    exclusive: bool


class SearchTag(Tag):
    """A hashtag as search results show it: Mastodon's Tag entity, which has an ``id`` there."""

    id: str

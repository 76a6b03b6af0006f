"""Lenient models of the objects a Friendica or GNU Social server returns.

Upstreams of different generations send the same field as a number or a
numeric string, a boolean or "true"/"0", ``false`` where a list belongs, or
leave it out. These models accept all of that and keep only what the gateway
maps, so mappers work on one typed shape. Unknown keys are ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from mappings.dates import parse_upstream_date


def _none_to_empty(value: object) -> object:
    return "" if value is None else value


def _false_to_none(value: object) -> object:
    # Friendica 3.5.4 to 2018.05 send "attachments": false on posts without images.
    return None if value is False or value == "" else value


def _lenient_bool(value: object) -> object:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value) if value is not None else False


def _lenient_int(value: object) -> object:
    if value is None or value == "":
        return 0
    return value


def _optional_id(value: object) -> object:
    # Upstreams write "no parent" as null, 0, "0" or "".
    if value in (None, "", 0, "0"):
        return None
    return value


Text = Annotated[str, BeforeValidator(_none_to_empty)]
Flag = Annotated[bool, BeforeValidator(_lenient_bool)]
Count = Annotated[int, BeforeValidator(_lenient_int)]
OptionalId = Annotated[int | None, BeforeValidator(_optional_id)]
UpstreamDate = Annotated[datetime | None, BeforeValidator(parse_upstream_date)]


class UpstreamModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _dict_or_none(value: object) -> object:
    return value if isinstance(value, dict) else None


class LatestStatus(UpstreamModel):
    """The newest status a user object embeds (``status``); only its time is mapped.

    ``users/show`` gives it the contact id as ``id`` (a Friendica bug), so the id is not read.
    """

    created_at: UpstreamDate = None


class FriendicaUser(UpstreamModel):
    """A user object: the author of a status, a contact, or the viewer."""

    id: int
    screen_name: Text
    name: Text = ""
    description: Text = ""
    location: Text = ""
    url: Text = ""
    statusnet_profile_url: Text = ""
    profile_image_url: Text = ""
    profile_image_url_large: Text = ""
    profile_image_url_profile_size: Text = ""
    profile_banner_url: Text = ""
    protected: Flag = False
    followers_count: Count = 0
    friends_count: Count = 0
    statuses_count: Count = 0
    favourites_count: Count = 0
    created_at: UpstreamDate = None
    following: Flag = False
    follow_request_sent: Flag = False
    statusnet_blocking: Flag = False
    cid: OptionalId = None
    network: Text = ""
    status: Annotated[LatestStatus | None, BeforeValidator(_dict_or_none)] = None

    @property
    def profile_url(self) -> str:
        return self.statusnet_profile_url or self.url


class Activities(UpstreamModel):
    """Who reacted to a status, by verb (``friendica_activities``)."""

    like: list[FriendicaUser] = Field(default_factory=list)
    dislike: list[FriendicaUser] = Field(default_factory=list)
    attendyes: list[FriendicaUser] = Field(default_factory=list)
    attendno: list[FriendicaUser] = Field(default_factory=list)
    attendmaybe: list[FriendicaUser] = Field(default_factory=list)
    announce: list[FriendicaUser] = Field(default_factory=list)


class Hashtag(UpstreamModel):
    text: Text


class UserMention(UpstreamModel):
    id: int
    screen_name: Text
    name: Text = ""


class Attachment(UpstreamModel):
    url: Text
    mimetype: Text = ""
    size: Count = 0


class Entities(UpstreamModel):
    hashtags: list[Hashtag] = Field(default_factory=list)
    user_mentions: list[UserMention] = Field(default_factory=list)
    media: list[dict[str, Any]] = Field(default_factory=list)
    urls: list[dict[str, Any]] = Field(default_factory=list)


class FriendicaStatus(UpstreamModel):
    """A status (an item) in the shape timelines and ``statuses/show`` return."""

    id: int
    text: Text = ""
    created_at: UpstreamDate = None
    in_reply_to_status_id: OptionalId = None
    in_reply_to_user_id: OptionalId = None
    in_reply_to_screen_name: str | None = None
    source: Text = ""
    favorited: Flag = False
    # The viewer's private star where ``favorited`` is a like (set by the legacy dialect).
    friendica_starred: Flag = False
    user: FriendicaUser
    friendica_author: FriendicaUser | None = None
    friendica_owner: FriendicaUser | None = None
    friendica_private: Flag = False
    statusnet_html: Text = ""
    statusnet_conversation_id: OptionalId = None
    external_url: Text = ""
    friendica_activities: Activities = Field(default_factory=Activities)
    friendica_title: Text = ""
    friendica_comments: Count = 0
    # GNU social counts faves and repeats instead of listing who made them, and
    # flags the viewer's repeat (None where the upstream lists them).
    fave_num: int | None = None
    repeat_num: int | None = None
    repeated: bool | None = None
    retweeted_status: FriendicaStatus | None = None
    attachments: Annotated[list[Attachment] | None, BeforeValidator(_false_to_none)] = None
    entities: Entities | None = None

    @property
    def author(self) -> FriendicaUser:
        """Return who wrote the item: ``user`` is the wall owner on modern servers."""
        return self.friendica_author or self.user


class SiteConfig(UpstreamModel):
    """The ``site`` block of ``statusnet/config``."""

    name: Text = ""
    server: Text = ""
    logo: Text = ""
    email: Text = ""
    language: Text = "en"
    closed: Flag = False
    private: Flag = False
    textlimit: Count = 0
    friendica: dict[str, Any] | None = None

    @property
    def friendica_version(self) -> str | None:
        if not self.friendica:
            return None
        version = self.friendica.get("FRIENDICA_VERSION")
        return str(version) if version else None


def parse_status(raw: dict[str, Any] | FriendicaStatus) -> FriendicaStatus:
    if isinstance(raw, FriendicaStatus):
        return raw
    return FriendicaStatus.model_validate(raw)


def parse_user(raw: dict[str, Any] | FriendicaUser) -> FriendicaUser:
    if isinstance(raw, FriendicaUser):
        return raw
    return FriendicaUser.model_validate(raw)

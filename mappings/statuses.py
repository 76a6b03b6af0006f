"""Upstream statuses to Mastodon statuses, and Mastodon posting requests to upstream parameters."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mappings.accounts import account_from_friendica
from mappings.context import MappingContext
from mappings.dates import EPOCH, mastodon_timestamp
from mappings.entities import (
    Account,
    Context,
    MediaAttachment,
    Mention,
    Status,
    StatusApplication,
    Tag,
    Visibility,
)
from mappings.friendica import FriendicaStatus, FriendicaUser, parse_status
from mappings.html import (
    MentionLink,
    find_urls,
    html_from_plain_text,
    plain_text_from_content,
    rewrite_content,
)
from mappings.media import attachment_from_picture, pictures_of

# Mastodon counts every URL as this many characters, whatever its length.
URL_CHARACTER_COST = 23

_NETWORK_SUFFIX = re.compile(r"\s*\([^()]*\)$")
_REMOTE_MENTION = re.compile(r"(?<![\w/])@(\w[\w.-]*)@[\w.-]+\w")


@dataclass(frozen=True)
class StatusExtras:
    """What the gateway knows about statuses beyond the upstream's answer.

    ``attachments`` maps a picture's key (``Picture.key``) to its entity,
    ``sensitive`` names the statuses posted as sensitive through the gateway.
    """

    attachments: Mapping[str, MediaAttachment] = field(default_factory=dict)
    sensitive: frozenset[int] = frozenset()
    bookmarked: frozenset[int] = frozenset()
    # Thread roots (``statusnet_conversation_id``) whose notifications the viewer muted.
    muted_threads: frozenset[int] = frozenset()
    # Statuses the viewer shared where the upstream does not show it on the status itself.
    reblogged: frozenset[int] = frozenset()


NO_EXTRAS = StatusExtras()


def status_from_friendica(
    raw: dict[str, Any] | FriendicaStatus,
    ctx: MappingContext,
    *,
    reblog_id: str | None = None,
    with_source: bool = False,
    extras: StatusExtras = NO_EXTRAS,
) -> Status:
    """Map one upstream status, including a share it wraps.

    ``reblog_id`` is the id to give the shared original when the upstream
    gives it none of its own (legacy servers repeat the outer id).
    ``with_source`` fills ``text`` with the plain text, as Mastodon does in
    the response to a delete so that apps can redraft.
    """
    status = parse_status(raw)
    if status.retweeted_status is not None:
        original = status.retweeted_status
        if original.id == status.id and reblog_id is None:
            raise ValueError(f"status {status.id} wraps a share without an id of its own")
        inner = _plain_status(
            original, ctx, status_id=reblog_id or str(original.id), with_source=False, extras=extras
        )
        if ctx.viewer_id is not None and status.author.id == ctx.viewer_id:
            # The viewer's own share: the upstream may not list it among the original's announces.
            inner = inner.model_copy(update={"reblogged": True})
        return reblog_wrapper(
            inner,
            wrapper_id=str(status.id),
            reblogger=account_from_friendica(status.author, ctx),
            created_at=status.created_at or EPOCH,
        )
    return _plain_status(status, ctx, status_id=str(status.id), with_source=with_source, extras=extras)


def _attachments(status: FriendicaStatus, extras: StatusExtras) -> list[MediaAttachment]:
    """Return the status's pictures as entities, in the upstream's order.

    The caller normally resolved every picture; one it missed still shows,
    from the upstream's own URL, rather than vanish from the status.
    """
    attachments = []
    for picture in pictures_of(status):
        attachment = extras.attachments.get(picture.key)
        if attachment is None:
            attachment = attachment_from_picture(
                picture, None, attachment_id=picture.fallback_id, url=picture.url, preview_url=picture.url
            )
        attachments.append(attachment)
    return attachments


def _plain_status(
    status: FriendicaStatus, ctx: MappingContext, *, status_id: str, with_source: bool, extras: StatusExtras
) -> Status:
    author = status.author
    content = rewrite_content(status.statusnet_html, tag_url=ctx.tag_url, title=status.friendica_title)
    mentions = _mentions(status, content.mentions, ctx)
    tags = _tags(status, content.hashtags, ctx)
    activities = status.friendica_activities

    return Status(
        id=status_id,
        uri=status.external_url or _item_url(status, ctx),
        url=status.external_url or None,
        created_at=mastodon_timestamp(status.created_at or EPOCH),
        edited_at=None,
        account=account_from_friendica(author, ctx),
        content=content.html,
        text=plain_text_from_content(content.html, {m.url: m.acct for m in mentions})
        if with_source
        else None,
        visibility="private" if status.friendica_private else "public",
        sensitive=bool(status.friendica_title)
        or status.id in extras.sensitive
        or any(tag.name.lower() == "nsfw" for tag in tags),
        spoiler_text=status.friendica_title,
        media_attachments=_attachments(status, extras),
        application=_application(status.source),
        mentions=mentions,
        tags=tags,
        emojis=[],
        reblogs_count=status.repeat_num if status.repeat_num is not None else len(activities.announce),
        favourites_count=status.fave_num if status.fave_num is not None else len(activities.like),
        replies_count=status.friendica_comments,
        in_reply_to_id=_optional_str(status.in_reply_to_status_id),
        in_reply_to_account_id=_optional_str(status.in_reply_to_user_id),
        reblog=None,
        poll=None,
        card=None,
        language=None,
        favourited=viewer_favourited(status, ctx),
        reblogged=viewer_reblogged(status, ctx, noted=extras.reblogged),
        muted=(status.statusnet_conversation_id or status.id) in extras.muted_threads,
        bookmarked=status.id in extras.bookmarked,
        pinned=False,
    )


def viewer_favourited(status: FriendicaStatus, ctx: MappingContext) -> bool:
    """Tell whether the viewer likes a status: ``favorited`` where it is the like, else its likes."""
    if ctx.favorited_is_like:
        return status.favorited
    return ctx.viewer_id is not None and any(
        user.id == ctx.viewer_id for user in status.friendica_activities.like
    )


def viewer_reblogged(
    status: FriendicaStatus, ctx: MappingContext, noted: frozenset[int] = frozenset()
) -> bool:
    """Tell whether the viewer shared a status.

    That is ``repeated`` where the upstream sends it, else whether the gateway
    noted a share (``noted``) or the status lists the viewer among its sharers.
    """
    if status.repeated is not None:
        return status.repeated
    if status.id in noted:
        return True
    return ctx.viewer_id is not None and any(
        user.id == ctx.viewer_id for user in status.friendica_activities.announce
    )


def reblog_wrapper(original: Status, *, wrapper_id: str, reblogger: Account, created_at: datetime) -> Status:
    """Build the status Mastodon shows for a share: empty, with the original in ``reblog``."""
    return Status(
        id=wrapper_id,
        uri=f"{original.uri}#share-{wrapper_id}",
        url=None,
        created_at=mastodon_timestamp(created_at),
        edited_at=None,
        account=reblogger,
        content="",
        text=None,
        visibility=original.visibility,
        sensitive=False,
        spoiler_text="",
        media_attachments=[],
        application=None,
        mentions=[],
        tags=[],
        emojis=[],
        reblogs_count=0,
        favourites_count=0,
        replies_count=0,
        in_reply_to_id=None,
        in_reply_to_account_id=None,
        reblog=original,
        poll=None,
        card=None,
        language=None,
        favourited=original.favourited,
        reblogged=original.reblogged,
        muted=False,
        bookmarked=original.bookmarked,
        pinned=False,
    )


def _item_url(status: FriendicaStatus, ctx: MappingContext) -> str:
    return f"{ctx.upstream_url.rstrip('/')}/display/{status.id}"


def _optional_str(value: int | None) -> str | None:
    return None if value is None else str(value)


def _application(source: str) -> StatusApplication | None:
    # Friendica appends the network to the app name: "Tusky (DFRN)", "api (DFRN)".
    name = _NETWORK_SUFFIX.sub("", source).strip()
    return StatusApplication(name=name) if name else None


def _mentions(status: FriendicaStatus, links: Sequence[MentionLink], ctx: MappingContext) -> list[Mention]:
    """Pair each mention link in the content with the upstream's id for it.

    The ids come from ``entities.user_mentions`` (asked for with
    ``include_entities``) or from the reply's addressee. A mention the
    upstream gives no id for is left as a link only: a Mention entity
    without a real account id would send apps to the wrong profile.
    """
    ids_by_nickname: dict[str, int] = {}
    if status.entities is not None:
        for mention in status.entities.user_mentions:
            ids_by_nickname.setdefault(mention.screen_name.lower(), mention.id)
    if status.in_reply_to_screen_name and status.in_reply_to_user_id:
        ids_by_nickname.setdefault(status.in_reply_to_screen_name.lower(), status.in_reply_to_user_id)

    mentions: list[Mention] = []
    seen: set[int] = set()
    for link in links:
        account_id = ids_by_nickname.get(link.nickname.lower())
        if account_id is None or account_id in seen:
            continue
        seen.add(account_id)
        mentions.append(
            Mention(
                id=str(account_id),
                username=link.nickname,
                url=link.url,
                acct=ctx.acct_for(link.nickname, link.url),
            )
        )
    return mentions


def _tags(status: FriendicaStatus, names: Sequence[str], ctx: MappingContext) -> list[Tag]:
    all_names = list(names)
    if status.entities is not None:
        all_names.extend(hashtag.text for hashtag in status.entities.hashtags)

    tags: list[Tag] = []
    seen: set[str] = set()
    for name in all_names:
        key = name.lower()
        if not name or key in seen:
            continue
        seen.add(key)
        tags.append(Tag(name=name, url=f"{ctx.tag_url}/{key}"))
    return tags


def statuses_from_friendica(raws: Sequence[dict[str, Any]], ctx: MappingContext) -> list[Status]:
    return [status_from_friendica(raw, ctx) for raw in raws]


def context_from_thread(
    thread: Sequence[dict[str, Any] | FriendicaStatus],
    focus_id: int,
    ctx: MappingContext,
    extras: StatusExtras = NO_EXTRAS,
) -> Context:
    """Split a whole upstream thread into the focus status's ancestors and descendants.

    Ancestors run from the thread root down to the parent; descendants are
    in depth-first order with older replies first, as Mastodon sends them.
    """
    statuses = {status.id: status for status in map(parse_status, thread)}
    children: dict[int, list[int]] = {}
    for status in statuses.values():
        if status.in_reply_to_status_id is not None:
            children.setdefault(status.in_reply_to_status_id, []).append(status.id)

    ancestors: list[FriendicaStatus] = []
    parent_id = statuses[focus_id].in_reply_to_status_id if focus_id in statuses else None
    while parent_id is not None and parent_id in statuses and len(ancestors) < len(statuses):
        ancestors.append(statuses[parent_id])
        parent_id = statuses[parent_id].in_reply_to_status_id
    ancestors.reverse()

    descendants: list[FriendicaStatus] = []
    stack = sorted(children.get(focus_id, []), reverse=True)
    visited = {focus_id}
    while stack:
        status_id = stack.pop()
        if status_id in visited:
            continue
        visited.add(status_id)
        descendants.append(statuses[status_id])
        stack.extend(sorted(children.get(status_id, []), reverse=True))

    return Context(
        ancestors=[status_from_friendica(status, ctx, extras=extras) for status in ancestors],
        descendants=[status_from_friendica(status, ctx, extras=extras) for status in descendants],
    )


def count_characters(text: str) -> int:
    """Count characters as Mastodon does: a URL costs 23, a remote mention only its local part."""
    for start, end in reversed(find_urls(text)):
        text = text[:start] + "x" * URL_CHARACTER_COST + text[end:]
    text = _REMOTE_MENTION.sub(lambda match: "@" + match.group(1), text)
    return len(text)


@dataclass(frozen=True)
class StatusDraft:
    """A validated Mastodon request to post a status."""

    text: str
    visibility: Visibility = "public"
    spoiler_text: str = ""
    in_reply_to_id: int | None = None
    sensitive: bool = False
    language: str | None = None
    media_ids: tuple[str, ...] = field(default_factory=tuple)
    # False when the request named no visibility, so a reply takes its parent's.
    visibility_given: bool = True


# The ACL parameters of every Friendica generation: 2023.12 reads circle_*,
# earlier releases group_*, and all of them contact_*. Unknown keys are ignored,
# so sending all of them covers every release.
_ACL_KEYS = ("contact_allow", "contact_deny", "circle_allow", "circle_deny", "group_allow", "group_deny")


def status_params_to_friendica(
    draft: StatusDraft,
    *,
    audience_contact_ids: Sequence[int] = (),
    source: str | None = None,
    photo_ids: Sequence[int] = (),
    picture_urls: Sequence[str] = (),
) -> dict[str, Any]:
    """Build the ``statuses/update`` form for a draft.

    The text goes as ``htmlstatus`` so that no release's Markdown or BBCode
    parser changes what the person typed. Every ACL key is sent. For a public
    post they are empty, so a restricted default ACL does not apply. For a
    private post ``contact_allow`` lists ``audience_contact_ids``, because it
    is the only ACL parameter every release honours. Pictures go as
    ``media_ids`` (``photo_ids``), or as ``<img>`` after the text
    (``picture_urls``) where the upstream attaches only one picture by id.
    """
    if draft.visibility == "direct":
        raise ValueError("direct statuses are private mail, not statuses/update")

    markup = html_from_plain_text(draft.text)
    for url in picture_urls:
        markup += f'<p><img src="{html.escape(url, quote=True)}"></p>'
    params: dict[str, Any] = {
        "htmlstatus": markup,
        "include_entities": "true",
    }
    if draft.spoiler_text:
        params["title"] = draft.spoiler_text
    if draft.in_reply_to_id is not None:
        params["in_reply_to_status_id"] = str(draft.in_reply_to_id)
    if source:
        params["source"] = source
    if photo_ids:
        # The upstream attaches pictures by photo row id, in the order given.
        params["media_ids"] = ",".join(str(photo_id) for photo_id in photo_ids)

    for key in _ACL_KEYS:
        params[key] = ""
    if draft.visibility == "private":
        if not audience_contact_ids:
            raise ValueError("a private status needs at least one contact id in its audience")
        params["contact_allow[]"] = [str(contact_id) for contact_id in audience_contact_ids]
        del params["contact_allow"]
    return params


def author_of(raw: Mapping[str, Any]) -> FriendicaUser:
    return parse_status(dict(raw)).author

"""Friendica private mail as Mastodon direct statuses and conversations.

A mail has no id a client could fetch as a status (mail ids are per
mailbox and overlap item ids), so the caller gives each one a minted id.
Friendica mail has a subject line, which Mastodon has no place for: a
subject typed in Friendica is not shown, and a direct status with a
content warning is rejected before sending.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from mappings.accounts import account_from_friendica
from mappings.context import MappingContext
from mappings.dates import EPOCH, mastodon_timestamp, parse_upstream_date
from mappings.entities import Account, Conversation, Mention, Status
from mappings.friendica import FriendicaUser, parse_user
from mappings.html import rewrite_content, sanitize


def _mention_html(user: FriendicaUser) -> str:
    url, nickname = html.escape(user.profile_url, quote=True), html.escape(user.screen_name)
    return (
        f'<span class="h-card" translate="no"><a href="{url}" class="u-url mention">'
        f"@<span>{nickname}</span></a></span>"
    )


def status_from_mail(
    mail: dict[str, Any],
    ctx: MappingContext,
    *,
    status_id: str,
    in_reply_to_id: str | None = None,
    in_reply_to_account_id: str | None = None,
) -> Status:
    """Map one mail (fetched with ``getText=html``) to a direct status that mentions its recipient."""
    sender, recipient = parse_user(mail["sender"]), parse_user(mail["recipient"])
    body = rewrite_content(str(mail.get("text") or ""), tag_url=ctx.tag_url).html or "<p></p>"
    # Mail bodies carry plain "@name" text; the recipient's becomes a mention link,
    # or one is put in front, so apps show whom the message is for.
    nickname = re.escape(html.escape(recipient.screen_name))
    typed = re.compile(rf"(?<![\w/@])@{nickname}(?![\w@])", re.IGNORECASE)
    if typed.search(body):
        content = sanitize(typed.sub(lambda _: _mention_html(recipient), body, count=1))
    else:
        content = sanitize(body.replace("<p>", f"<p>{_mention_html(recipient)} ", 1))
    created_at = parse_upstream_date(mail.get("created_at")) or EPOCH

    # The mail's page in Friendica's web interface, where its owner reads it.
    page = f"{ctx.upstream_url.rstrip('/')}/message/{mail['id']}"
    return Status(
        id=status_id,
        uri=page,
        url=page,
        created_at=mastodon_timestamp(created_at),
        edited_at=None,
        account=account_from_friendica(sender, ctx),
        content=content,
        visibility="direct",
        sensitive=False,
        spoiler_text="",
        media_attachments=[],
        application=None,
        mentions=[
            Mention(
                id=str(recipient.id),
                username=recipient.screen_name,
                url=recipient.profile_url,
                acct=ctx.acct_for(recipient.screen_name, recipient.profile_url),
            )
        ],
        tags=[],
        emojis=[],
        reblogs_count=0,
        favourites_count=0,
        replies_count=0,
        in_reply_to_id=in_reply_to_id,
        in_reply_to_account_id=in_reply_to_account_id,
        reblog=None,
        poll=None,
        card=None,
        language=None,
        favourited=False,
        reblogged=False,
        muted=False,
        bookmarked=False,
        pinned=False,
    )


def thread_statuses(
    mails: Sequence[dict[str, Any]], ctx: MappingContext, status_ids: dict[int, str]
) -> list[Status]:
    """Map one mail thread, oldest first, each mail answering the one before it."""
    ordered = sorted(
        mails, key=lambda mail: (parse_upstream_date(mail.get("created_at")) or EPOCH, int(mail["id"]))
    )
    statuses: list[Status] = []
    for mail in ordered:
        previous = statuses[-1] if statuses else None
        statuses.append(
            status_from_mail(
                mail,
                ctx,
                status_id=status_ids[int(mail["id"])],
                in_reply_to_id=previous.id if previous else None,
                in_reply_to_account_id=previous.account.id if previous else None,
            )
        )
    return statuses


def other_party(mail: dict[str, Any], viewer_id: int | None) -> dict[str, Any]:
    """Return the user object of whoever the viewer writes with in this mail."""
    sender: dict[str, Any] = mail["sender"]
    recipient: dict[str, Any] = mail["recipient"]
    return recipient if str(sender.get("id")) == str(viewer_id) else sender


def conversation_entity(
    conversation_id: str,
    mails: Sequence[dict[str, Any]],
    ctx: MappingContext,
    status_ids: dict[int, str],
) -> Conversation:
    """Build a Conversation from one thread's mails: the other party, unread state and last status."""
    statuses = thread_statuses(mails, ctx, status_ids)
    last = statuses[-1] if statuses else None
    accounts: dict[str, Account] = {}
    for mail in mails:
        other = account_from_friendica(other_party(mail, ctx.viewer_id), ctx)
        accounts.setdefault(other.id, other)
    unread = any(
        not mail.get("friendica_seen") and str(mail["sender"].get("id")) != str(ctx.viewer_id)
        for mail in mails
    )
    return Conversation(id=conversation_id, unread=unread, accounts=list(accounts.values()), last_status=last)


def mail_text(text: str) -> str:
    """Return the BBCode to send as a mail body so that it arrives as typed.

    Mail bodies are BBCode; the same shielding of ``[`` as for statuses
    keeps typed brackets literal, and URLs stay plain for Friendica to link.
    """
    return text.replace("[", "[nobb][[/nobb]")

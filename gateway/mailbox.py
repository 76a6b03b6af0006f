"""Private mail as Mastodon direct statuses and conversations.

Mail ids are per mailbox and overlap item ids, so each mail gets a minted
status id (kind ``mail``, scoped to the viewer, keyed by the viewer's copy
id) and each thread a minted conversation id (keyed by its
``friendica_parent_uri``). Both are ordered by the time of the mail.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from gateway.auth.bearer import UserViewer
from gateway.errors import GatewayError, NotFound, Unprocessable, UpstreamError
from gateway.ids import MintedKind
from gateway.services import Services
from mappings.dates import EPOCH, parse_upstream_date
from mappings.entities import Status
from mappings.mail import other_party, thread_statuses

log = logging.getLogger("mastogate.mail")

# The newest mails read to list conversations or find new mail.
MAIL_PAGE = 100
MAIL_PAGES = 3

_MENTION = re.compile(r"(?<![\w/@])@([\w.\-]+)(?:@([\w.\-]+\.[A-Za-z]{2,}|[\w.\-]+:\d+))?")


def mail_time(mail: dict[str, Any]) -> Any:
    return parse_upstream_date(mail.get("created_at")) or EPOCH


async def mail_status_ids(
    shared: Services, viewer: UserViewer, mails: list[dict[str, Any]]
) -> dict[int, str]:
    """Mint (or find) the status id of each mail in the viewer's mailbox."""
    ids = {}
    for mail in mails:
        minted = await shared.store.mint_id(
            MintedKind.MAIL, viewer.store_scope, str(mail["id"]), mail_time(mail)
        )
        ids[int(mail["id"])] = str(minted)
    return ids


async def conversation_id(shared: Services, viewer: UserViewer, thread: list[dict[str, Any]]) -> str:
    first = min(thread, key=mail_time)
    minted = await shared.store.mint_id(
        MintedKind.CONVERSATION, viewer.store_scope, str(first["friendica_parent_uri"]), mail_time(first)
    )
    return str(minted)


async def recent_mails(shared: Services, viewer: UserViewer, pages: int = MAIL_PAGES) -> list[dict[str, Any]]:
    """Return the viewer's newest mails, both directions, newest first (a bounded number of calls)."""
    mails: list[dict[str, Any]] = []
    for page in range(1, pages + 1):
        batch = await shared.upstream.mails(viewer.credential, count=MAIL_PAGE, page=page)
        mails.extend(batch)
        if len(batch) < MAIL_PAGE:
            break
    return mails


def threads_of(mails: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    threads: dict[str, list[dict[str, Any]]] = {}
    for mail in mails:
        threads.setdefault(str(mail["friendica_parent_uri"]), []).append(mail)
    return threads


@dataclass(frozen=True)
class MailRef:
    """A minted mail status id resolved to the viewer's copy of the mail and its thread."""

    mail: dict[str, Any]
    thread: list[dict[str, Any]]


async def resolve_mail(shared: Services, viewer: UserViewer, status_id: int) -> MailRef | None:
    """Return the mail behind a minted status id, or None when the id is not one of the viewer's mails."""
    found = await shared.store.resolve_minted_id(status_id)
    if found is None or found[0] != MintedKind.MAIL:
        return None
    if found[1] != viewer.store_scope:
        raise NotFound()
    mail_id = int(found[2])
    # max_id is exclusive for mails on modern releases and inclusive on Friendica 3.5, so
    # max_id = id + 1 with two mails holds this one either way.
    candidates = await shared.upstream.mails(viewer.credential, count=2, max_id=mail_id + 1)
    mail = next((candidate for candidate in candidates if int(candidate["id"]) == mail_id), None)
    if mail is None:
        raise NotFound()
    thread = await shared.upstream.mail_thread(viewer.credential, str(mail["friendica_parent_uri"]))
    return MailRef(mail=mail, thread=thread or [mail])


async def thread_json(shared: Services, viewer: UserViewer, thread: list[dict[str, Any]]) -> list[Status]:
    ctx = await shared.mapping_context(viewer.user_id)
    return thread_statuses(thread, ctx, await mail_status_ids(shared, viewer, thread))


async def sent_status_json(shared: Services, viewer: UserViewer, mail: dict[str, Any]) -> dict[str, Any]:
    """Render a mail just sent, in its thread so that a reply shows what it answers."""
    try:
        thread = await shared.upstream.mail_thread(viewer.credential, str(mail["friendica_parent_uri"]))
    except GatewayError as error:
        # The mail is sent; failing the request now would invite a second send.
        log.warning("thread of mail %s sent by user %d not read: %s", mail["id"], viewer.user_id, error)
        thread = []
    if not any(int(other["id"]) == int(mail["id"]) for other in thread):
        thread = [*thread, mail]
    wanted = (await mail_status_ids(shared, viewer, [mail]))[int(mail["id"])]
    statuses = await thread_json(shared, viewer, thread)
    return next(status.to_json() for status in statuses if status.id == wanted)


# Sending


def mentioned_names(text: str) -> list[tuple[str, str | None]]:
    """Return the (nickname, host) of each account a text mentions, in order, once each."""
    seen: dict[tuple[str, str | None], None] = {}
    for match in _MENTION.finditer(text):
        seen.setdefault((match.group(1).lower(), (match.group(2) or "").lower() or None), None)
    return list(seen)


async def _resolve_recipient(
    shared: Services, viewer: UserViewer, nickname: str, host: str | None
) -> dict[str, Any]:
    """Return the upstream user a mention names; 422 when there is none."""
    upstream_host = urlsplit(shared.settings.upstream_url).netloc.lower()
    try:
        if (
            host is None
            or host == upstream_host
            or host == urlsplit(shared.settings.public_url).netloc.lower()
        ):
            return await shared.upstream.user_by_screen_name(viewer.credential, nickname)
        user = await shared.upstream.user_by_screen_name(viewer.credential, f"{nickname}@{host}")
    except NotFound:
        raise Unprocessable(
            f"Validation failed: @{nickname}{'@' + host if host else ''} was not found"
        ) from None
    return user


async def send_direct(
    shared: Services,
    viewer: UserViewer,
    text: str,
    *,
    title: str | None,
    reply_to: MailRef | None,
) -> dict[str, Any]:
    """Send a direct status as private mail to everyone it addresses; return the first copy sent.

    Every recipient is looked up before anything is sent. A reply goes to
    the other party of the mail it answers, in that thread. If a send fails
    after others went out, the error names who got the message and who did
    not.
    """
    recipients: dict[int, dict[str, Any]] = {}
    if reply_to is not None:
        other = other_party(reply_to.mail, viewer.user_id)
        recipients[int(other["id"])] = other
    for nickname, host in mentioned_names(text):
        user = await _resolve_recipient(shared, viewer, nickname, host)
        if int(user["id"]) != viewer.user_id:
            recipients.setdefault(int(user["id"]), user)
    if not recipients:
        raise Unprocessable("Validation failed: a direct status needs at least one mentioned account")

    body = (await shared.capabilities.get()).dialect.mail_body(text)
    sent: list[tuple[dict[str, Any], dict[str, Any]]] = []
    failed: list[tuple[dict[str, Any], GatewayError]] = []
    for user_id, user in recipients.items():
        in_thread = reply_to is not None and int(other_party(reply_to.mail, viewer.user_id)["id"]) == user_id
        try:
            mail = await shared.upstream.send_mail(
                viewer.credential,
                user_id=user_id,
                text=body,
                title=title,
                reply_to=int(reply_to.mail["id"]) if in_thread and reply_to else None,
            )
        except GatewayError as error:
            failed.append((user, error))
            continue
        sent.append((mail, user))

    if failed and not sent:
        raise failed[0][1]
    if failed:
        delivered = ", ".join(f"@{user['screen_name']}" for _, user in sent)
        missed = ", ".join(f"@{user['screen_name']} ({error.message})" for user, error in failed)
        log.warning("direct status of user %d reached %s but not %s", viewer.user_id, delivered, missed)
        upstream_failed = any(isinstance(error, UpstreamError) for _, error in failed)
        raise (UpstreamError if upstream_failed else Unprocessable)(
            f"Sent to {delivered}, but not to {missed}"
        )
    return sent[0][0]

"""Direct conversations, built from the person's private mail threads.

Where the upstream keeps no read state of mails (GNU social), the gateway
keeps, per thread, the newest mail the person marked read.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer, authenticate
from gateway.errors import NotFound
from gateway.ids import MintedKind
from gateway.mailbox import conversation_id, mail_status_ids, recent_mails, threads_of
from gateway.pagination import link_header, parse_page
from gateway.params import read_params
from gateway.routes.common import path_id
from gateway.services import Services, services
from mappings.mail import conversation_entity


async def _conversations(shared: Services, viewer: UserViewer) -> list[dict[str, Any]]:
    """Return every visible conversation, newest activity first, each with its last status id."""
    mails = await recent_mails(shared, viewer)
    hidden = await shared.store.hidden_conversations(viewer.store_scope)
    ctx = await shared.mapping_context(viewer.user_id)

    conversations = []
    for thread_uri, thread in threads_of(mails).items():
        newest = max(int(mail["id"]) for mail in thread)
        if hidden.get(thread_uri, -1) >= newest:
            continue
        thread = await _with_read_state(shared, viewer, thread_uri, thread)
        status_ids = await mail_status_ids(shared, viewer, thread)
        entity = conversation_entity(await conversation_id(shared, viewer, thread), thread, ctx, status_ids)
        conversations.append(entity.to_json())
    conversations.sort(key=lambda conversation: int(conversation["last_status"]["id"]), reverse=True)
    return conversations


async def list_conversations(request: Request) -> JSONResponse:
    """List conversations, paged by their last status id as Mastodon pages them."""
    viewer = await authenticate(request, "read:statuses")
    page = parse_page(await read_params(request))
    shared = services(request)

    conversations = await _conversations(shared, viewer)
    lower = page.min_id if page.min_id is not None else page.since_id
    selected = [
        conversation
        for conversation in conversations
        if (page.max_id is None or int(conversation["last_status"]["id"]) < page.max_id)
        and (lower is None or int(conversation["last_status"]["id"]) > lower)
    ]
    selected = selected[-page.limit :] if page.min_id is not None else selected[: page.limit]
    headers = {}
    if selected:
        headers["Link"] = link_header(
            request, shared.public_url, selected[0]["last_status"]["id"], selected[-1]["last_status"]["id"]
        )
    return JSONResponse(selected, headers=headers)


READ_UP_TO_KEY = "mail_read:{thread_uri}"


async def _with_read_state(
    shared: Services, viewer: UserViewer, thread_uri: str, thread: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Mark the mails the person read as seen, where the gateway keeps that instead of the upstream."""
    if (await shared.capabilities.get()).dialect.mail_read_state:
        return thread
    read_up_to = int(
        await shared.store.sync_value(viewer.store_scope, READ_UP_TO_KEY.format(thread_uri=thread_uri)) or 0
    )
    return [{**mail, "friendica_seen": int(mail["id"]) <= read_up_to} for mail in thread]


async def _thread_uri(shared: Services, viewer: UserViewer, conversation: int) -> str:
    found = await shared.store.resolve_minted_id(conversation)
    if found is None or found[0] != MintedKind.CONVERSATION or found[1] != viewer.store_scope:
        raise NotFound()
    return found[2]


async def read_conversation(request: Request) -> JSONResponse:
    """Mark every unread mail of a conversation seen, upstream or in the gateway."""
    viewer = await authenticate(request, "write:conversations")
    shared = services(request)
    conversation = path_id(request)
    thread_uri = await _thread_uri(shared, viewer, conversation)
    thread = await shared.upstream.mail_thread(viewer.credential, thread_uri)
    if not thread:
        raise NotFound()

    if (await shared.capabilities.get()).dialect.mail_read_state:
        for mail in thread:
            if not mail.get("friendica_seen") and str(mail["sender"].get("id")) != str(viewer.user_id):
                await shared.upstream.mark_mail_seen(viewer.credential, int(mail["id"]))
                mail["friendica_seen"] = True
    else:
        newest = max(int(mail["id"]) for mail in thread)
        await shared.store.set_sync_value(
            viewer.store_scope, READ_UP_TO_KEY.format(thread_uri=thread_uri), str(newest)
        )
        thread = [{**mail, "friendica_seen": True} for mail in thread]
    ctx = await shared.mapping_context(viewer.user_id)
    status_ids = await mail_status_ids(shared, viewer, thread)
    return JSONResponse(conversation_entity(str(conversation), thread, ctx, status_ids).to_json())


async def remove_conversation(request: Request) -> JSONResponse:
    """Remove a conversation from the list until a new mail arrives in it; the mails stay."""
    viewer = await authenticate(request, "write:conversations")
    shared = services(request)
    thread_uri = await _thread_uri(shared, viewer, path_id(request))
    thread = await shared.upstream.mail_thread(viewer.credential, thread_uri)
    if not thread:
        raise NotFound()
    newest = max(int(mail["id"]) for mail in thread)
    await shared.store.hide_conversation(viewer.store_scope, thread_uri, newest)
    return JSONResponse({})

"""Statuses: create, show, delete, context."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer, authenticate
from gateway.errors import GatewayError, NotFound
from gateway.filtering import active_filters
from gateway.ids import is_minted
from gateway.mailbox import resolve_mail, sent_status_json, thread_json
from gateway.params import read_params
from gateway.posting import claim_idempotency, create_status, draft_from_params
from gateway.render import observe_favourites, status_extras, status_json
from gateway.routes.common import path_id
from gateway.services import Services, services
from gateway.sharing import delete_share, forget_share, show_share, upstream_status_id
from mappings.entities import Context
from mappings.filters import apply_filters
from mappings.html import plain_text_from_content
from mappings.statuses import context_from_thread


async def create(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:statuses")
    params = await read_params(request)
    shared = services(request)
    draft = await draft_from_params(shared, params)

    key = request.headers.get("idempotency-key")
    earlier = await claim_idempotency(shared, viewer, key)
    if earlier is not None:
        return JSONResponse(await _status_by_id(shared, viewer, earlier))

    app = await shared.store.get_app_by_id(viewer.app_id)
    try:
        kind, created = await create_status(shared, viewer, draft, app.name if app else None)
    except GatewayError:
        if key:
            await shared.store.release_idempotency_key(viewer.store_scope, key)
        raise
    if kind == "mail":
        status = await sent_status_json(shared, viewer, created)
    else:
        status = await status_json(shared, viewer, created)
    if key:
        await shared.store.complete_idempotency_key(viewer.store_scope, key, int(status["id"]))
    return JSONResponse(status)


async def _status_by_id(shared: Services, viewer: UserViewer, status_id: int) -> dict[str, Any]:
    """Return any status a Mastodon id names: an upstream item, a mail or a share."""
    if is_minted(status_id):
        mail = await resolve_mail(shared, viewer, status_id)
        if mail is not None:
            statuses = await thread_json(shared, viewer, mail.thread)
            return next(status.to_json() for status in statuses if status.id == str(status_id))
        return await show_share(shared, viewer, status_id)
    raw = await shared.upstream.show_status(viewer.credential, status_id)
    return await status_json(shared, viewer, raw)


async def show(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    return JSONResponse(await _status_by_id(services(request), viewer, path_id(request)))


async def delete(request: Request) -> JSONResponse:
    """Delete one of the viewer's statuses and return it with its ``text``, for redrafting.

    Friendica responds to a delete of someone else's post with 200 and only hides
    it from the caller, so ownership is checked first: like Mastodon, a
    status that is not the viewer's own is "not found". A mail is removed
    from the viewer's own mailbox only, as Friendica does.
    """
    viewer = await authenticate(request, "write:statuses")
    status_id = path_id(request)
    shared = services(request)
    if is_minted(status_id):
        mail = await resolve_mail(shared, viewer, status_id)
        if mail is None:
            # Deleting a reblog in Mastodon undoes it.
            return JSONResponse(await delete_share(shared, viewer, status_id))
        (await shared.capabilities.get()).require("mail_delete")
        statuses = await thread_json(shared, viewer, [mail.mail])
        await shared.upstream.delete_mail(
            viewer.credential, int(mail.mail["id"]), str(mail.mail["friendica_parent_uri"])
        )
        deleted = statuses[0].model_copy(update={"text": plain_text_from_content(statuses[0].content)})
        return JSONResponse(deleted.to_json())

    raw = await shared.upstream.show_status(viewer.credential, status_id)
    author = raw.get("friendica_author") or raw.get("user") or {}
    if str(author.get("id")) != str(viewer.user_id):
        raise NotFound()

    deleted_raw = await shared.upstream.destroy_status(viewer.credential, status_id)
    await shared.store.forget_favourites(viewer.store_scope, [status_id])
    await forget_share(shared, viewer, status_id)
    return JSONResponse(await status_json(shared, viewer, deleted_raw, with_source=True))


async def context(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:statuses")
    shared = services(request)
    requested = path_id(request)
    mail = await resolve_mail(shared, viewer, requested) if is_minted(requested) else None
    if mail is not None:
        statuses = await thread_json(shared, viewer, mail.thread)
        position = next(index for index, status in enumerate(statuses) if status.id == str(requested))
        return JSONResponse(
            Context(ancestors=statuses[:position], descendants=statuses[position + 1 :]).to_json()
        )

    status_id = await upstream_status_id(shared, viewer, requested)
    thread = await shared.upstream.conversation(viewer.credential, status_id)
    ctx = await shared.mapping_context(viewer.user_id)
    await observe_favourites(shared, viewer, thread, ctx)
    extras = await status_extras(shared, viewer, thread)
    result = context_from_thread(thread, status_id, ctx, extras)

    filters = await active_filters(shared, viewer, "thread")
    if filters:
        now = datetime.now(UTC)
        result = Context(
            ancestors=[
                kept for status in result.ancestors if (kept := apply_filters(status, filters, "thread", now))
            ],
            descendants=[
                kept
                for status in result.descendants
                if (kept := apply_filters(status, filters, "thread", now))
            ],
        )
    return JSONResponse(result.to_json())

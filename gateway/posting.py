"""Creating a status: validation, audience, idempotency and the checked upstream call."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import Conflict, NotFound, Unprocessable
from gateway.ids import is_minted
from gateway.lookups import own_account
from gateway.mailbox import resolve_mail, send_direct
from gateway.params import Params
from gateway.pictures import link_uploads
from gateway.services import Services
from gateway.sharing import upstream_status_id
from gateway.store.base import MediaRecord
from mappings.statuses import StatusDraft, count_characters, status_params_to_friendica

log = logging.getLogger("mastogate.posting")

VISIBILITIES = ("public", "unlisted", "private", "direct")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
# Mastodon limits content warnings to the same length as statuses, counted together.
MAX_IDEMPOTENCY_KEY = 200


async def max_characters(shared: Services) -> int:
    capabilities = await shared.capabilities.get()
    limit = shared.settings.max_characters
    return min(limit, capabilities.text_limit) if capabilities.text_limit else limit


async def draft_from_params(shared: Services, params: Params) -> StatusDraft:
    """Validate a create-status request into a draft, or raise 422 naming what is wrong."""
    text = params.string("status", "") or ""
    spoiler_text = params.string("spoiler_text", "") or ""
    visibility = params.string("visibility") or "public"
    if visibility not in VISIBILITIES:
        raise Unprocessable(f"Validation failed: visibility must be one of {', '.join(VISIBILITIES)}")

    media_ids = params.strings("media_ids")
    limit = shared.settings.max_media_attachments
    if len(media_ids) > limit:
        raise Unprocessable(f"Validation failed: a status may carry at most {limit} media attachments")
    for media_id in media_ids:
        if not media_id.isdigit():
            raise Unprocessable(f"Validation failed: media id {media_id[:40]!r} is not a number")
    if "poll" in params or params.values("poll[options]"):
        raise Unprocessable("The upstream server has no polls: post without a poll")
    if params.string("scheduled_at"):
        raise Unprocessable("Scheduled statuses are not supported: post without scheduled_at")
    if params.string("quoted_status_id"):
        raise Unprocessable("The upstream server has no quote posts: post without quoted_status_id")

    if not text.strip() and not media_ids:
        raise Unprocessable("Validation failed: Text can't be blank", field="text", code="ERR_BLANK")
    limit = await max_characters(shared)
    if count_characters(text) + len(spoiler_text) > limit:
        raise Unprocessable(f"Validation failed: Text character limit of {limit} exceeded")

    language = params.string("language") or None
    if language is not None and not _LANGUAGE.match(language):
        raise Unprocessable(f"Validation failed: {language[:20]!r} is not a language code")

    reply_to = params.string("in_reply_to_id") or None
    if reply_to is not None and not reply_to.isdigit():
        raise NotFound()

    return StatusDraft(
        text=text,
        visibility=visibility,  # type: ignore[arg-type]
        spoiler_text=spoiler_text,
        in_reply_to_id=int(reply_to) if reply_to else None,
        sensitive=params.boolean("sensitive"),
        language=language,
        media_ids=tuple(dict.fromkeys(media_ids)),
        visibility_given=bool(params.string("visibility")),
    )


async def reply_target(shared: Services, viewer: UserViewer, status_id: int) -> dict[str, Any]:
    """Return the status being replied to, checked to exist and be visible.

    A share's minted id stands for its original, as in Mastodon, where
    replying to a reblog replies to the reblogged status. So does a share
    with an id of its own (GNU social's repeat), to which GNU social would
    attach the reply's parent as the original anyway.
    """
    status_id = await upstream_status_id(shared, viewer, status_id)
    parent = await shared.upstream.show_status(viewer.credential, status_id)
    original = parent.get("retweeted_status")
    if isinstance(original, dict) and original.get("id") is not None and int(original["id"]) != status_id:
        return await shared.upstream.show_status(viewer.credential, int(original["id"]))
    return parent


async def create_status(
    shared: Services, viewer: UserViewer, draft: StatusDraft, app_name: str | None
) -> tuple[str, dict[str, Any]]:
    """Post a draft upstream; return what was created: ("item", status) or ("mail", sender's copy).

    A reply takes its parent's visibility unless the request names one, and
    a reply to a private mail, or a direct status, is sent as private mail.
    """
    if draft.spoiler_text:
        # Statuses carry it as their title, mails as their subject.
        (await shared.capabilities.get()).require("content_warnings")
    mail_parent = None
    if draft.in_reply_to_id is not None and is_minted(draft.in_reply_to_id):
        mail_parent = await resolve_mail(shared, viewer, draft.in_reply_to_id)
    if mail_parent is not None:
        if draft.visibility_given and draft.visibility != "direct":
            raise Unprocessable("Validation failed: a reply to a private message must be direct")
        draft = replace(draft, visibility="direct")

    if draft.visibility == "direct":
        if draft.media_ids:
            raise Unprocessable("Private messages cannot carry media on this upstream server")
        if draft.spoiler_text:
            # A mail's subject cannot come back as a warning: Friendica makes one up for every
            # mail sent without, so apps would show the message with its warning gone.
            raise Unprocessable(
                "Validation failed: private messages on this upstream server cannot carry a content warning"
            )
        mail = await send_direct(shared, viewer, draft.text, title=None, reply_to=mail_parent)
        return "mail", mail
    return "item", await _create_item(shared, viewer, draft, app_name)


async def _create_item(
    shared: Services, viewer: UserViewer, draft: StatusDraft, app_name: str | None
) -> dict[str, Any]:
    """Post a status upstream and return the created upstream status.

    Releases disagree about a reply's ACL: 2024.08 applies exactly the ACL
    the request carries, so a reply sent without one is public even inside
    a private thread, while 3.5 (and the API reference) give a reply its
    thread's ACL. So a reply in a private thread is always posted private,
    a followers-only reply to a public post is rejected before posting, and
    every private status is addressed explicitly to the viewer's followers
    plus, for a reply, the author of the parent status.
    """
    private = draft.visibility == "private"
    parent: dict[str, Any] | None = None
    if draft.in_reply_to_id is not None:
        parent = await reply_target(shared, viewer, draft.in_reply_to_id)
        draft = replace(draft, in_reply_to_id=int(parent["id"]))
        private = private or bool(parent.get("friendica_private"))

    capabilities = await shared.capabilities.get()
    audience: list[int] = []
    if private:
        capabilities.require("private_posts")
        if parent is not None and not parent.get("friendica_private"):
            # Where the upstream gives a reply its thread's ACL, posting would publish
            # the reply to everybody before the check after posting could delete it.
            raise Unprocessable(
                "Validation failed: a reply to a public post cannot be followers-only here, "
                "because the upstream server may give a reply the audience of its thread"
            )
        audience = await _follower_contact_ids(shared, viewer)
        if parent is not None:
            audience = sorted(set(audience) | _answered_contact_ids(parent, viewer))
        draft = replace(draft, visibility="private")

    uploads = await _unattached_uploads(shared, viewer, draft.media_ids)
    by_media_ids = capabilities.dialect.pictures_by_media_ids
    if not by_media_ids:
        await _share_uploads(shared, viewer, uploads, audience if private else [])
    params = status_params_to_friendica(
        draft,
        audience_contact_ids=audience,
        source=app_name,
        photo_ids=[upload.photo_id for upload in uploads] if by_media_ids else (),
        picture_urls=() if by_media_ids else [upload.url for upload in uploads],
    )
    status = await shared.upstream.update_status(
        viewer.credential,
        params,
        author_id=viewer.user_id,
        in_reply_to_id=draft.in_reply_to_id,
        private=private,
        pictures=len(uploads),
        expected_text=draft.text,
    )

    status_id = int(status["id"])
    if uploads:
        await shared.store.attach_media([upload.id for upload in uploads], status_id)
    if uploads and not capabilities.dialect.uploads_as_photos:
        await link_uploads(shared, viewer, uploads, status)
    if draft.sensitive:
        # The Twitter-compatible API has no sensitive flag; the gateway keeps it.
        await shared.store.mark_sensitive(status_id)
    return status


async def _unattached_uploads(
    shared: Services, viewer: UserViewer, media_ids: tuple[str, ...]
) -> list[MediaRecord]:
    """Return the viewer's uploads for ``media_ids`` in order; 422 for any that cannot be attached."""
    uploads = []
    for media_id in media_ids:
        record = await shared.store.get_media(int(media_id))
        if record is None or record.scope != viewer.store_scope:
            raise Unprocessable(f"Validation failed: media {media_id} was not found")
        if record.status_id is not None:
            raise Unprocessable(f"Validation failed: media {media_id} is already attached to a status")
        uploads.append(record)
    return uploads


async def _share_uploads(
    shared: Services, viewer: UserViewer, uploads: list[MediaRecord], audience: list[int]
) -> None:
    """Show uploads to the audience of the post they are about to appear in (everybody for ``[]``).

    Where pictures are embedded instead of attached by id, the upstream
    does not give them the post's permissions, so the gateway does, before
    posting: a post that failed leaves uploads that are cleaned up later,
    never a post whose pictures nobody can see.
    """
    for upload in uploads:
        await shared.upstream.update_photo(
            viewer.credential,
            upload.resource_id,
            album=shared.settings.media_album,
            allow_contact_ids=audience,
        )


def _answered_contact_ids(parent: dict[str, Any], viewer: UserViewer) -> set[int]:
    """Return the viewer's contact id of the parent status's author, if they are a contact."""
    author = parent.get("friendica_author") or parent.get("user") or {}
    contact_id = author.get("cid")
    if not contact_id or str(author.get("id")) == str(viewer.user_id):
        return set()
    return {int(contact_id)}


async def _follower_contact_ids(shared: Services, viewer: UserViewer) -> list[int]:
    """Return the viewer's own contact ids of their followers, the audience of a private post.

    With no followers the audience is the viewer's own contact, because an
    empty ``contact_allow`` would make the post public.
    """
    followers = await shared.upstream.followers(viewer.credential)
    contact_ids = sorted({int(user["cid"]) for user in followers if user.get("cid")})
    if contact_ids:
        return contact_ids
    me = await own_account(shared, viewer)
    if not me.get("cid"):
        raise Unprocessable(
            "The upstream server did not say who may read a private status; nothing was posted"
        )
    return [int(me["cid"])]


async def claim_idempotency(shared: Services, viewer: UserViewer, key: str | None) -> int | None:
    """Claim an Idempotency-Key; return the status an earlier identical request created, if any."""
    if not key:
        return None
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise Unprocessable(
            f"Validation failed: Idempotency-Key is longer than {MAX_IDEMPOTENCY_KEY} characters"
        )
    claimed, status_id = await shared.store.claim_idempotency_key(viewer.store_scope, key, datetime.now(UTC))
    if claimed:
        return None
    if status_id is None:
        raise Conflict()
    return status_id

"""Status endpoints: update, show, destroy and the broken retweet of 2024.08."""

from __future__ import annotations

from typing import Any

from . import errors, photos, posts, user_contacts
from .attachments import attachments_for_post
from .db import GRAVITY_ACTIVITY, GRAVITY_PARENT, PRIVATE
from .htmlconv import html_to_bbcode
from .params import php_int
from .routing import ApiRoute, Call
from .text import markdown_to_bbcode
from .timelines import Page, thread

ACL_PARAMETERS = ("contact_allow", "circle_allow", "contact_deny", "circle_deny")
ALL_OF_THREAD = Page(count=1_000_000)


def update(call: Call) -> dict[str, Any]:
    """POST statuses/update (and update_with_media): create a post or reply.

    ``status`` is Markdown, ``htmlstatus`` HTML. ACLs take the caller's own
    contact ids (``contact_*``) and circle ids (``circle_*``) as a list, a
    comma list or ``<11><15>``. Each missing key falls back to the user's
    default. The old ``group_allow``/``group_deny`` names are not read, so
    such a post is public. Pictures come from ``media_ids`` or a multipart
    ``media`` file (see ``attachments``). Nothing created (no content,
    unknown parent) gives Friendica's 200 site page.
    """
    user = call.require_user()
    params = call.params

    if params.non_empty("htmlstatus"):
        body = html_to_bbcode(params.string("htmlstatus"))
    else:
        body = markdown_to_bbcode(params.string("status"))

    default = posts.Acl.from_user_default(user)
    acl = posts.Acl(
        _acl_value(call, "contact_allow", default.allow_cid),
        _acl_value(call, "circle_allow", default.allow_gid),
        _acl_value(call, "contact_deny", default.deny_cid),
        _acl_value(call, "circle_deny", default.deny_gid),
    )

    coord = ""
    if params.non_empty("lat") and params.non_empty("long"):
        coord = f"{params.string('lat')} {params.string('long')}"

    media_ids = params.string("media_ids") if params.non_empty("media_ids") else ""
    file = call.files.get("media")
    upload = None
    if file is not None and not media_ids:
        upload = photos.read_upload(file, call.site.media)
    pictures = attachments_for_post(call.site, user, media_ids, upload, acl)

    try:
        uri_id = posts.create_post(
            call.site,
            user,
            body=body,
            title=params.string("title"),
            # Basic auth names the application after "source", else "api".
            app=params.string("source") or "api",
            reply_to=params.integer("in_reply_to_status_id", 0) or None,
            acl=acl,
            coord=coord,
            attachments=pictures,
        )
    except posts.NotCreated:
        raise errors.SitePage(200) from None
    return call.twitter.status(uri_id, user["uid"], params.boolean("include_entities"))


def _acl_value(call: Call, name: str, default: str) -> str:
    if name not in call.params:
        return default
    return posts.acl_string(call.params.raw(name))


def show(call: Call) -> dict[str, Any] | list[dict[str, Any]]:
    """GET statuses/show: one status, or with ``conversation`` its thread newest first.

    An unknown or unreadable id is 400 "There is no status with the uri-id
    N ...". A deleted post, a copy the caller hid, a share activity, a post by
    someone the caller blocked or muted or who blocked the caller, or a
    conversation requested by a reply's id is 400 "There is no status or
    conversation ...".
    """
    user = call.require_user()
    params = call.params
    uri_id = int(call.path_params.get("id", 0)) or (params.integer("id", 0) or 0)
    if not uri_id:
        raise errors.ApiError(400, "An id is missing.")

    row = posts.visible_copy(call.store, uri_id, user["uid"])
    if row is None:
        raise errors.ApiError(400, f"There is no status with the uri-id {uri_id} for the given user.")

    conversation = params.non_empty("conversation")
    missing = errors.ApiError(400, f"There is no status or conversation with the id {uri_id}.")
    if row["deleted"] or row["hidden"] or row["gravity"] == GRAVITY_ACTIVITY:
        raise missing
    if not conversation and user_contacts.hides(call.store, user["uid"], row):
        raise missing

    include_entities = params.boolean("include_entities")
    if not conversation:
        return call.twitter.status(uri_id, row["holder_uid"], include_entities)

    # Friendica looks for posts whose thread parent is the found row, so only a root id works.
    if row["gravity"] != GRAVITY_PARENT:
        raise missing
    entries = thread(call.store, uri_id, row["holder_uid"], ALL_OF_THREAD, viewer=user["uid"])
    if not entries:
        raise missing
    return [call.twitter.status(entry.uri_id, entry.perspective, include_entities) for entry in entries]


def destroy(call: Call) -> dict[str, Any]:
    """POST statuses/destroy: delete a post and return it as it was.

    The post's author deletes it for everyone. Anyone else only hides it for
    themselves and still gets 200 with the status. Friendica 2024.08 checks
    that some id is given (path or parameter) but looks the post up by the
    ``id`` parameter only, so ``statuses/destroy/N`` returns 400 "Item id not found".
    """
    user = call.require_user()
    params = call.params
    if not (call.path_params.get("id") or params.integer("id", 0)):
        raise errors.ApiError(400, "An id is missing.")

    uri_id = php_int(params.raw("id")) or 0
    row = posts.visible_copy(call.store, uri_id, user["uid"]) if uri_id else None
    if row is None or row["deleted"] or row["gravity"] == GRAVITY_ACTIVITY:
        raise errors.ApiError(400, "Item id not found")

    status = call.twitter.status(uri_id, row["holder_uid"], params.boolean("include_entities"))
    posts.delete_for_user(call.store, user, uri_id)
    return status


def retweet(call: Call) -> dict[str, Any]:
    """POST statuses/retweet: broken in Friendica 2024.08.

    It checks that the post exists and is public (403 otherwise), then hands
    the uri-id to a function that expects an internal row id. On the recorded
    server that failed with 500 and shared nothing, which the double repeats
    for every readable public post. Share through ``/api/v1/statuses/{id}/reblog``.
    """
    user = call.require_user()
    params = call.params
    uri_id = int(call.path_params.get("id", 0)) or (params.integer("id", 0) or 0)
    if not uri_id:
        raise errors.ApiError(400, "An id is missing.")

    row = posts.visible_copy(call.store, uri_id, user["uid"])
    if row is None or row["private"] == PRIVATE or row["deleted"] or not row["body"]:
        raise errors.ApiError(403)
    raise errors.ApiError(500)


ROUTES = [
    ApiRoute("statuses/update", ("POST", "PUT"), update),
    ApiRoute("statuses/update_with_media", ("POST", "PUT"), update),
    ApiRoute("statuses/mediap", ("POST",), update),
    ApiRoute("statuses/show", ("GET",), show),
    ApiRoute("statuses/show/{id}", ("GET",), show),
    ApiRoute("statuses/destroy", ("POST",), destroy),
    ApiRoute("statuses/destroy/{id}", ("POST",), destroy),
    ApiRoute("statuses/retweet", ("POST",), retweet),
    ApiRoute("statuses/retweet/{id}", ("POST",), retweet),
]

"""Block lists: ``blocks/ids`` and ``blocks/list``.

Friendica 2024.08 lists the public ids in the caller's ``user-contact``
rows marked blocked, paged like the other contact lists (see
``contact_paging``). The Twitter API cannot block or unblock:
``blocks/create`` and ``blocks/destroy`` are not routed and return the 200
site page for a POST. Blocks are set through ``/api/v1/accounts/{id}/block``
and ``/unblock``. The user objects show ``statusnet_blocking: false`` even
here, as recorded.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

from . import user_contacts
from .contact_paging import cursor_fields, id_values, page_of_ids, with_link_header
from .routing import ApiRoute, Call


def _blocked_page(call: Call) -> tuple[list[int], int]:
    """Return one page of the caller's blocked public ids and how many there are in all."""
    user = call.require_user()
    blocked = user_contacts.blocked_ids(call.store, user["uid"])
    return page_of_ids(call.params, blocked), len(blocked)


def ids(call: Call) -> JSONResponse:
    """GET blocks/ids: the blocked public contact ids (strings with ``stringify_ids``)."""
    page, total = _blocked_page(call)
    body = {"ids": id_values(call.params, page), **cursor_fields(call.params, page, total)}
    return with_link_header(call.request, body, page, call.site.base_url)


def users(call: Call) -> JSONResponse:
    """GET blocks/list: user objects of the blocked people, without ``entities`` unless asked."""
    page, total = _blocked_page(call)
    params = call.params
    listed = [
        call.twitter.user_with_status(
            public_id,
            call.uid,
            skip_status=params.boolean("skip_status"),
            include_entities=params.boolean("include_user_entities"),
        )
        for public_id in page
    ]
    body = {"users": listed, **cursor_fields(params, page, total)}
    return with_link_header(call.request, body, page, call.site.base_url)


ROUTES = [
    ApiRoute("blocks/ids", ("GET",), ids),
    ApiRoute("blocks/list", ("GET",), users),
]

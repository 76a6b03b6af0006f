"""Filters, v2 and the older v1, kept by the gateway for each person.

v1 filters are single keywords; each is shown as the v2 keyword it is
stored as, under that keyword's id, as Mastodon does since 4.0.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth.bearer import UserViewer, authenticate
from gateway.errors import NotFound, Unprocessable
from gateway.filtering import filter_of_record
from gateway.params import Params, read_params
from gateway.routes.common import path_id
from gateway.services import Services, services
from gateway.store.base import FilterRecord
from mappings.filters import ACTIONS, CONTEXTS, filter_entity, v1_filter_entity

MAX_TITLE = 256
MAX_KEYWORD = 512

_KEYWORD_FIELD = re.compile(r"^keywords_attributes\[(\d*)\]\[(\w+)\]$")


def _contexts(params: Params) -> tuple[str, ...]:
    contexts = tuple(dict.fromkeys(params.strings("context")))
    if not contexts:
        raise Unprocessable(
            "Validation failed: context is missing; give one or more of " + ", ".join(CONTEXTS),
            field="context",
            code="ERR_BLANK",
        )
    unknown = [context for context in contexts if context not in CONTEXTS]
    if unknown:
        raise Unprocessable(
            f"Validation failed: {', '.join(unknown)} is not a filter context",
            field="context",
            code="ERR_INCLUSION",
        )
    return contexts


def _expiry(params: Params) -> datetime | None:
    seconds = params.integer("expires_in")
    if seconds is None:
        return None
    if seconds <= 0:
        raise Unprocessable(
            "Validation failed: expires_in must be a positive number of seconds", field="expires_in"
        )
    return datetime.now(UTC) + timedelta(seconds=seconds)


def _keyword(value: Any) -> str:
    keyword = str(value or "").strip()
    if not keyword or len(keyword) > MAX_KEYWORD:
        raise Unprocessable(
            f"Validation failed: a keyword must be 1 to {MAX_KEYWORD} characters", field="keywords.keyword"
        )
    return keyword


def _keyword_attributes(params: Params) -> list[dict[str, Any]]:
    """Read ``keywords_attributes`` from a JSON list of objects or from form fields.

    Forms name the fields ``keywords_attributes[][keyword]`` or with an index,
    ``keywords_attributes[0][keyword]``.
    """
    from_json = [item for item in params.values("keywords_attributes") if isinstance(item, dict)]
    if from_json:
        return from_json

    indexed: dict[str, dict[str, Any]] = {}
    appended: list[dict[str, Any]] = []
    for name in params.names():
        match = _KEYWORD_FIELD.match(name)
        if not match:
            continue
        index, field = match.groups()
        for position, value in enumerate(params.values(name)):
            if index:
                indexed.setdefault(index, {})[field] = value
            else:
                while len(appended) <= position:
                    appended.append({})
                appended[position][field] = value
    return [indexed[key] for key in sorted(indexed, key=int)] + appended


def _true(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "t", "on", "yes"}


async def _own_filter(shared: Services, viewer: UserViewer, filter_id: int) -> FilterRecord:
    found = await shared.store.filters(viewer.store_scope, filter_id=filter_id)
    if not found:
        raise NotFound()
    return found[0]


def _entity(record: FilterRecord) -> dict[str, Any]:
    return filter_entity(filter_of_record(record))


# v2


async def list_filters(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:filters")
    records = await services(request).store.filters(viewer.store_scope)
    return JSONResponse([_entity(record) for record in records])


async def show_filter(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:filters")
    return JSONResponse(_entity(await _own_filter(services(request), viewer, path_id(request))))


async def create_filter(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    params = await read_params(request)
    title = params.required_string("title").strip()[:MAX_TITLE]
    action = params.string("filter_action") or "warn"
    if action not in ACTIONS:
        raise Unprocessable(
            "Validation failed: filter_action must be warn or hide",
            field="filter_action",
            code="ERR_INCLUSION",
        )
    keywords = tuple(
        (_keyword(item.get("keyword")), _true(item.get("whole_word", True)))
        for item in _keyword_attributes(params)
    )
    if not keywords:
        raise Unprocessable(
            "Validation failed: a filter needs at least one keyword in keywords_attributes",
            field="keywords",
            code="ERR_BLANK",
        )

    record = FilterRecord(
        id=0,
        title=title,
        context=_contexts(params),
        action=action,
        expires_at=_expiry(params),
        keywords=keywords,
    )
    created = await services(request).store.create_filter(viewer.store_scope, record)
    return JSONResponse(_entity(created))


async def update_filter(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    shared = services(request)
    record = await _own_filter(shared, viewer, path_id(request))
    params = await read_params(request)

    changes: dict[str, Any] = {}
    if "title" in params:
        changes["title"] = params.required_string("title").strip()[:MAX_TITLE]
    if "context" in params:
        changes["context"] = _contexts(params)
    if "filter_action" in params:
        action = params.string("filter_action")
        if action not in ACTIONS:
            raise Unprocessable("Validation failed: filter_action must be warn or hide")
        changes["action"] = action
    if "expires_in" in params:
        changes["expires_at"] = _expiry(params) if params.string("expires_in") else None

    # Every keyword change is checked before anything is written, so a bad
    # one leaves the whole filter as it was.
    removed: list[int] = []
    edited: list[tuple[int, str, bool]] = []
    added: list[tuple[str, bool]] = []
    for item in _keyword_attributes(params):
        keyword_id = int(item["id"]) if str(item.get("id", "")).isdigit() else None
        if keyword_id is not None and keyword_id not in record.keyword_ids:
            raise NotFound()
        if keyword_id is not None and _true(item.get("_destroy", False)):
            removed.append(keyword_id)
        elif keyword_id is not None:
            edited.append((keyword_id, _keyword(item.get("keyword")), _true(item.get("whole_word", True))))
        else:
            added.append((_keyword(item.get("keyword")), _true(item.get("whole_word", True))))

    await shared.store.update_filter(viewer.store_scope, replace(record, **changes))
    for keyword_id in removed:
        await shared.store.delete_filter_keyword(keyword_id)
    for keyword_id, keyword, whole_word in edited:
        await shared.store.update_filter_keyword(keyword_id, keyword, whole_word)
    for keyword, whole_word in added:
        await shared.store.add_filter_keyword(record.id, keyword, whole_word)
    return JSONResponse(_entity(await _own_filter(shared, viewer, record.id)))


async def delete_filter(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    if not await services(request).store.delete_filter(viewer.store_scope, path_id(request)):
        raise NotFound()
    return JSONResponse({})


# v2 keywords and statuses of one filter


async def list_keywords(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:filters")
    record = await _own_filter(services(request), viewer, path_id(request, "filter_id"))
    return JSONResponse(_entity(record)["keywords"])


async def add_keyword(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    shared = services(request)
    record = await _own_filter(shared, viewer, path_id(request, "filter_id"))
    params = await read_params(request)
    keyword = _keyword(params.string("keyword"))
    whole_word = params.boolean("whole_word", True)

    keyword_id = await shared.store.add_filter_keyword(record.id, keyword, whole_word)
    return JSONResponse({"id": str(keyword_id), "keyword": keyword, "whole_word": whole_word})


async def _keyword_in_own_filter(shared: Services, viewer: UserViewer, keyword_id: int) -> FilterRecord:
    filter_id = await shared.store.filter_of_keyword(viewer.store_scope, keyword_id)
    if filter_id is None:
        raise NotFound()
    return await _own_filter(shared, viewer, filter_id)


async def show_keyword(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:filters")
    keyword_id = path_id(request)
    record = await _keyword_in_own_filter(services(request), viewer, keyword_id)
    return JSONResponse(next(item for item in _entity(record)["keywords"] if item["id"] == str(keyword_id)))


async def update_keyword(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    shared = services(request)
    keyword_id = path_id(request)
    await _keyword_in_own_filter(shared, viewer, keyword_id)
    params = await read_params(request)
    keyword = _keyword(params.string("keyword"))
    whole_word = params.boolean("whole_word", True)

    await shared.store.update_filter_keyword(keyword_id, keyword, whole_word)
    return JSONResponse({"id": str(keyword_id), "keyword": keyword, "whole_word": whole_word})


async def delete_keyword(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    shared = services(request)
    keyword_id = path_id(request)
    await _keyword_in_own_filter(shared, viewer, keyword_id)
    await shared.store.delete_filter_keyword(keyword_id)
    return JSONResponse({})


async def list_filter_statuses(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:filters")
    record = await _own_filter(services(request), viewer, path_id(request, "filter_id"))
    return JSONResponse(_entity(record)["statuses"])


async def add_filter_status(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    shared = services(request)
    record = await _own_filter(shared, viewer, path_id(request, "filter_id"))
    status_id = (await read_params(request)).required_string("status_id").strip()
    if not status_id.isdigit():
        raise Unprocessable("Validation failed: status_id must be a status id")

    await shared.upstream.show_status(viewer.credential, int(status_id))
    entry_id = await shared.store.add_filter_status(record.id, status_id)
    return JSONResponse({"id": str(entry_id), "status_id": status_id})


async def _status_entry(shared: Services, viewer: UserViewer, entry_id: int) -> dict[str, str]:
    filter_id = await shared.store.filter_of_status_entry(viewer.store_scope, entry_id)
    if filter_id is None:
        raise NotFound()
    record = await _own_filter(shared, viewer, filter_id)
    return next(item for item in _entity(record)["statuses"] if item["id"] == str(entry_id))


async def show_filter_status(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:filters")
    return JSONResponse(await _status_entry(services(request), viewer, path_id(request)))


async def delete_filter_status(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    shared = services(request)
    entry_id = path_id(request)
    await _status_entry(shared, viewer, entry_id)
    await shared.store.delete_filter_status(entry_id)
    return JSONResponse({})


# v1


async def _v1_filters(shared: Services, viewer: UserViewer) -> dict[int, tuple[FilterRecord, int]]:
    """Return every keyword of the viewer's filters by keyword id, with its filter and position."""
    found = {}
    for record in await shared.store.filters(viewer.store_scope):
        for position, keyword_id in enumerate(record.keyword_ids):
            found[keyword_id] = (record, position)
    return found


async def list_v1_filters(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:filters")
    found = await _v1_filters(services(request), viewer)
    return JSONResponse(
        [v1_filter_entity(filter_of_record(record), position) for record, position in found.values()]
    )


async def show_v1_filter(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "read:filters")
    found = await _v1_filters(services(request), viewer)
    keyword_id = path_id(request)
    if keyword_id not in found:
        raise NotFound()
    record, position = found[keyword_id]
    return JSONResponse(v1_filter_entity(filter_of_record(record), position))


async def create_v1_filter(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    params = await read_params(request)
    phrase = _keyword(params.string("phrase"))
    record = FilterRecord(
        id=0,
        title=phrase[:MAX_TITLE],
        context=_contexts(params),
        action="hide" if params.boolean("irreversible") else "warn",
        expires_at=_expiry(params),
        keywords=((phrase, params.boolean("whole_word", True)),),
    )
    created = await services(request).store.create_filter(viewer.store_scope, record)
    return JSONResponse(v1_filter_entity(filter_of_record(created), 0))


async def update_v1_filter(request: Request) -> JSONResponse:
    viewer = await authenticate(request, "write:filters")
    shared = services(request)
    keyword_id = path_id(request)
    found = await _v1_filters(shared, viewer)
    if keyword_id not in found:
        raise NotFound()
    record, _ = found[keyword_id]
    params = await read_params(request)
    phrase = _keyword(params.string("phrase"))

    await shared.store.update_filter_keyword(keyword_id, phrase, params.boolean("whole_word", True))
    changes: dict[str, Any] = {"context": _contexts(params), "expires_at": _expiry(params)}
    if "irreversible" in params:
        changes["action"] = "hide" if params.boolean("irreversible") else "warn"
    await shared.store.update_filter(viewer.store_scope, replace(record, **changes))
    found = await _v1_filters(shared, viewer)
    updated, position = found[keyword_id]
    return JSONResponse(v1_filter_entity(filter_of_record(updated), position))


async def delete_v1_filter(request: Request) -> JSONResponse:
    """Delete a v1 filter: its keyword, and its v2 filter once no keyword is left."""
    viewer = await authenticate(request, "write:filters")
    shared = services(request)
    keyword_id = path_id(request)
    found = await _v1_filters(shared, viewer)
    if keyword_id not in found:
        raise NotFound()
    record, _ = found[keyword_id]

    await shared.store.delete_filter_keyword(keyword_id)
    if len(record.keyword_ids) == 1 and not record.statuses:
        await shared.store.delete_filter(viewer.store_scope, record.id)
    return JSONResponse({})

"""Upstream endpoints of lists (Friendica's circles) and of the statuses that lists and searches select.

Friendica keeps a person's lists as circles. ``lists/*`` (2018.05 and
later) creates, renames, deletes and reads them; before, ``group_create``
and ``group_delete`` create and delete them and nothing renames them. Their
members are only reachable through ``friendica/group_*`` (renamed ``circle_*`` in 2023.12,
which keeps the old names as aliases). Members are the viewer's own
contact ids (``cid``) and go in a form field ``json``: a raw JSON body is
accepted but its members are dropped. ``group_update`` replaces the whole
member list and finds the circle again by the ``name`` sent, so it must
get the circle's current name.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from gateway.errors import NotFound, Unprocessable, UpstreamBadResponse, UpstreamHTTPError
from gateway.upstream_calls import EndpointGroup, UpstreamUnverified, expect_users, int_or_none, not_found_on

if TYPE_CHECKING:
    from gateway.upstream import Credential, UpstreamPage


class ListEndpoints(EndpointGroup):
    async def owned_lists(self, credential: Credential) -> list[dict[str, Any]]:
        """Return the viewer's lists as ``{name, id, id_str, user, mode}`` objects (``lists/ownerships``)."""
        body = await self._request("GET", "lists/ownerships", credential)
        lists = body.get("lists") if isinstance(body, dict) else None
        if not isinstance(lists, list) or not all(_is_list(item) for item in lists):
            raise UpstreamBadResponse(detail="lists/ownerships did not return lists")
        return lists

    async def create_list(self, credential: Credential, name: str) -> dict[str, Any]:
        """Create a list; Friendica rejects a name another of the person's circles has (400)."""
        try:
            body = await self._request("POST", "lists/create", credential, data={"name": name})
        except UpstreamHTTPError as error:
            if error.upstream_status == 400:
                reason = error.upstream_message or "no reason given"
                raise Unprocessable(
                    f"Validation failed: the upstream server rejected the list title ({reason})",
                    field="title",
                ) from error
            raise
        created = _expect_list(body, "lists/create")
        if created["name"] != name:
            raise UpstreamUnverified(detail=f"lists/create returned the list {created['name']!r}")
        return created

    async def rename_list(self, credential: Credential, list_id: int, name: str) -> dict[str, Any]:
        """Rename one of the viewer's lists; another person's list id is a 400, so NotFound."""
        with not_found_on(400):
            body = await self._request(
                "POST", "lists/update", credential, data={"list_id": str(list_id), "name": name}
            )
        renamed = _expect_list(body, "lists/update", list_id)
        if renamed["name"] != name:
            raise UpstreamUnverified(detail=f"lists/update of {list_id} kept the name {renamed['name']!r}")
        return renamed

    async def delete_list(self, credential: Credential, list_id: int) -> None:
        """Delete one of the viewer's lists; Friendica returns the list as it was."""
        with not_found_on(400):
            body = await self._request("POST", "lists/destroy", credential, data={"list_id": str(list_id)})
        _expect_list(body, "lists/destroy", list_id)

    async def list_statuses(
        self, credential: Credential, list_id: int, page: UpstreamPage
    ) -> list[dict[str, Any]]:
        """Return a page of the statuses by a list's members, as the viewer's list timeline.

        Friendica answers ``[]`` for a circle of someone else, so callers
        check the list is the viewer's first.
        """
        params = {**page.params(), "list_id": str(list_id), "include_entities": "true"}
        with not_found_on(400):
            return await self._timeline("lists/statuses", credential, params)

    async def circles(
        self, credential: Credential, prefix: str, gid: int | None = None
    ) -> list[dict[str, Any]]:
        """Return the viewer's circles with their members (``{name, gid, user}``), or only circle ``gid``.

        ``prefix`` is ``circle`` or ``group``, whichever the upstream names
        its endpoints. An unknown or foreign ``gid`` is a 400, so NotFound.
        """
        path = f"friendica/{prefix}_show"
        with not_found_on(400):
            body = await self._request(
                "GET", path, credential, params={"gid": str(gid)} if gid is not None else None
            )
        body = (await self.dialect()).circles(body)
        if not isinstance(body, list) or not all(
            isinstance(circle, dict) and int_or_none(circle.get("gid")) is not None for circle in body
        ):
            raise UpstreamBadResponse(detail=f"{path} did not return circles")
        for circle in body:
            circle["user"] = expect_users(circle.get("user") or [], path)
        if gid is not None and [int(circle["gid"]) for circle in body] != [gid]:
            raise UpstreamUnverified(detail=f"{path} of circle {gid} returned other circles")
        return body

    async def set_circle_members(
        self, credential: Credential, prefix: str, gid: int, name: str, contact_ids: list[int]
    ) -> None:
        """Replace the members of circle ``gid`` (named ``name``) by the viewer's contacts ``contact_ids``.

        Friendica reports contact ids it does not know as success with status
        "missing user"; that raises, as does an answer about another circle.
        """
        path = f"friendica/{prefix}_update"
        members = json.dumps({"user": [{"cid": contact_id} for contact_id in contact_ids]})
        with not_found_on(400):
            result = await self._request(
                "POST", path, credential, data={"gid": str(gid), "name": name, "json": members}
            )
        if (
            not isinstance(result, dict)
            or result.get("status") != "ok"
            or int_or_none(result.get("gid")) != gid
            or result.get("wrong users")
        ):
            raise UpstreamUnverified(detail=f"{path} of circle {gid} returned {result!r:.200}")

    async def create_circle(self, credential: Credential, prefix: str, name: str) -> dict[str, Any]:
        """Create an empty circle with ``{prefix}_create``, where ``lists/create`` is missing.

        Returns it as a list object, ``{id, name}``. A name another circle of
        the person has is a 400, which becomes a 422 on the title.
        """
        path = f"friendica/{prefix}_create"
        try:
            result = await self._request(
                "POST", path, credential, data={"name": name, "json": json.dumps({"user": []})}
            )
        except UpstreamHTTPError as error:
            if error.upstream_status == 400:
                reason = error.upstream_message or "no reason given"
                raise Unprocessable(
                    f"Validation failed: the upstream server rejected the list title ({reason})",
                    field="title",
                ) from error
            raise
        if (
            not isinstance(result, dict)
            or int_or_none(result.get("gid")) is None
            or result.get("name") != name
        ):
            raise UpstreamUnverified(detail=f"{path} of {name!r} returned {result!r:.200}")
        return {"id": int(result["gid"]), "name": name}

    async def delete_circle(self, credential: Credential, prefix: str, gid: int, name: str) -> None:
        """Delete circle ``gid`` with ``{prefix}_delete``, which also wants its current ``name``."""
        path = f"friendica/{prefix}_delete"
        with not_found_on(400):
            result = await self._request("POST", path, credential, data={"gid": str(gid), "name": name})
        if not isinstance(result, dict) or result.get("status") != "deleted":
            raise UpstreamUnverified(detail=f"{path} of circle {gid} returned {result!r:.200}")

    async def search_tweets(
        self, credential: Credential, term: str, page: UpstreamPage
    ) -> list[dict[str, Any]]:
        """Return statuses that contain ``term``, or carry the hashtag when it starts with ``#``."""
        params = {**page.params(), "q": term, "include_entities": "true"}
        try:
            return await self._timeline("search/tweets", credential, params)
        except UpstreamHTTPError as error:
            # Friendica answers 400 to a term it cannot search for, such as a lone "#".
            if error.upstream_status == 400:
                return []
            raise


def _is_list(item: Any) -> bool:
    return isinstance(item, dict) and int_or_none(item.get("id")) is not None and "name" in item


def _expect_list(body: Any, path: str, list_id: int | None = None) -> dict[str, Any]:
    """Return the list object Friendica wraps as ``{"lists": list}``; ``[]`` there means a deleted list."""
    found = body.get("lists") if isinstance(body, dict) else None
    if found == []:
        raise NotFound(detail=f"{path}: the list is deleted")
    if not _is_list(found):
        raise UpstreamBadResponse(detail=f"{path} did not return a list")
    assert isinstance(found, dict)
    if list_id is not None and int(found["id"]) != list_id:
        raise UpstreamUnverified(detail=f"{path} of list {list_id} returned list {found['id']}")
    return found

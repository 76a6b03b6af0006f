"""Upstream endpoints about people: look-ups, searches, contact lists and the viewer's own profile.

User ids are public contact ids. Two id spaces leak through: the viewer's
own contact ids (``cid``), which ``friendships/incoming`` returns, and the
public ids everything else uses. ``users/lookup`` takes either and returns
public users that carry the viewer's ``cid``, so the methods check which
kind of id came back.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

from gateway.errors import NotFound, UpstreamBadResponse, UpstreamHTTPError
from gateway.upstream_calls import EndpointGroup, UpstreamUnverified, expect_user, expect_users, int_or_none

if TYPE_CHECKING:
    from gateway.upstream import Credential

log = logging.getLogger("mastogate.upstream")

ContactList = Literal["friends", "followers", "blocks"]
IdList = Literal["friends", "followers", "blocks", "incoming"]

_ID_PATHS: dict[IdList, str] = {
    "friends": "friends/ids",
    "followers": "followers/ids",
    "blocks": "blocks/ids",
    "incoming": "friendships/incoming",
}

# Friendica's contact lists page at most 200 ids or users a call.
CONTACT_PAGE_SIZE = 200
# Reading a whole id list stops after this many pages (10,000 ids).
MAX_ID_PAGES = 50


def page_of_users(
    users: list[dict[str, Any]], count: int, max_id: int | None, since_id: int | None, min_id: int | None
) -> list[dict[str, Any]]:
    """Cut one page, by descending public id, out of a whole list of users (all exclusive bounds)."""
    lower = min_id if min_id is not None else since_id
    selected = sorted(
        (
            user
            for user in users
            if (max_id is None or int(user["id"]) < max_id) and (lower is None or int(user["id"]) > lower)
        ),
        key=lambda user: -int(user["id"]),
    )
    return selected[-count:] if min_id is not None else selected[:count]


class PeopleEndpoints(EndpointGroup):
    async def lookup_users(self, credential: Credential, user_ids: list[int]) -> list[dict[str, Any]]:
        """Return the users of several public ids in one call.

        Friendica fails the whole call with an empty 500 when one id names no
        contact, and with 404 when no id is usable. Both raise NotFound, so
        the caller can fall back to asking for each id alone.
        """
        found = await self._users_lookup(credential, user_ids)
        unexpected = {int(user["id"]) for user in found} - set(user_ids)
        if unexpected:
            raise UpstreamUnverified(detail=f"users/lookup returned users {sorted(unexpected)} not asked for")
        return found

    async def users_by_contact_ids(
        self, credential: Credential, contact_ids: list[int]
    ) -> list[dict[str, Any]]:
        """Return the users behind the viewer's own contact ids, checked by their ``cid``."""
        found = await self._users_lookup(credential, contact_ids)
        returned = [int_or_none(user.get("cid")) for user in found]
        if sorted(cid for cid in returned if cid is not None) != sorted(set(contact_ids)):
            raise UpstreamUnverified(
                detail=f"users/lookup of contacts {contact_ids} returned contacts {returned}"
            )
        return found

    async def _users_lookup(self, credential: Credential, ids: list[int]) -> list[dict[str, Any]]:
        params = {"user_id": ",".join(str(user_id) for user_id in ids)}
        try:
            users = await self._request("GET", "users/lookup", credential, params=params)
        except UpstreamHTTPError as error:
            if error.upstream_status in (404, 500):
                raise NotFound(detail=f"users/lookup of {ids}: HTTP {error.upstream_status}") from error
            raise
        dialect = await self.dialect()
        return [dialect.user(user) for user in expect_users(users, "users/lookup")]

    async def search_users(self, credential: Credential, term: str) -> list[dict[str, Any]]:
        """Return people whose name, nickname, address or profile URL is ``term`` (no partial matches).

        Friendica returns a 404 page for no match and 400 for an empty term.
        """
        try:
            users = await self._request("GET", "users/search", credential, params={"q": term})
        except UpstreamHTTPError as error:
            if error.upstream_status in (400, 404):
                return []
            raise
        dialect = await self.dialect()
        return [dialect.user(user) for user in expect_users(users, "users/search")]

    # Contact lists of the viewer

    async def contact_ids(self, credential: Credential, kind: IdList) -> list[int]:
        """Return every id of one of the viewer's contact lists, newest first.

        ``friends``, ``followers`` and ``blocks`` contain public ids. ``incoming``
        (people waiting for approval) contains the viewer's own contact ids.
        Pending requests are neither friends nor followers.
        """
        if kind in ("friends", "followers") and (await self.dialect()).contact_source == "statuses":
            return [int(user["id"]) for user in await self.related_users(credential, kind)]
        ids: list[int] = []
        max_id: int | None = None
        for _ in range(MAX_ID_PAGES):
            page = await self.contact_id_page(credential, kind, count=CONTACT_PAGE_SIZE, max_id=max_id)
            ids.extend(page)
            if len(page) < CONTACT_PAGE_SIZE:
                return ids
            max_id = min(page)
        # TODO: lists longer than MAX_ID_PAGES pages are cut off.
        log.warning(
            "%s still had pages after %d requests; the list is incomplete", _ID_PATHS[kind], MAX_ID_PAGES
        )
        return ids

    async def contact_id_page(
        self,
        credential: Credential,
        kind: IdList,
        *,
        count: int,
        max_id: int | None = None,
        since_id: int | None = None,
        min_id: int | None = None,
    ) -> list[int]:
        """Return one page of a contact id list; ``max_id``, ``since_id`` and ``min_id`` are exclusive."""
        if kind in ("friends", "followers") and (await self.dialect()).contact_source == "statuses":
            users = page_of_users(await self.related_users(credential, kind), count, max_id, since_id, min_id)
            return [int(user["id"]) for user in users]
        path = _ID_PATHS[kind]
        body = await self._request(
            "GET", path, credential, params=_page_params(count, max_id, since_id, min_id)
        )
        # Friendica before 2024 returned a bare array, and an empty body for no ids.
        ids = body.get("ids") if isinstance(body, dict) else body
        if not isinstance(ids, list) or any(int_or_none(value) is None for value in ids):
            raise UpstreamBadResponse(detail=f"{path} did not return ids")
        return [int(value) for value in ids]

    async def contact_count(self, credential: Credential, kind: IdList) -> int | None:
        """Return how many ids a contact list holds, or None where the upstream does not tell."""
        if kind in ("friends", "followers") and (await self.dialect()).contact_source == "statuses":
            return len(await self.related_users(credential, kind))
        body = await self._request("GET", _ID_PATHS[kind], credential, params={"count": "1"})
        total = body.get("total_count") if isinstance(body, dict) else None
        return int_or_none(total)

    async def contacts_page(
        self,
        credential: Credential,
        kind: ContactList,
        user_id: int,
        *,
        count: int,
        max_id: int | None = None,
        since_id: int | None = None,
        min_id: int | None = None,
    ) -> list[dict[str, Any]]:
        """Return one page of the people a user follows (``friends``), who follow them, or they block.

        Newest first. Friendica returns these lists for the viewer only, and
        an empty one for anyone else. ``blocks`` is always the viewer's.
        """
        if kind != "blocks" and (await self.dialect()).contact_source == "statuses":
            users = await self.related_users(credential, kind, user_id)
            return page_of_users(users, count, max_id, since_id, min_id)
        path = f"{kind}/list"
        params = {
            **_page_params(count, max_id, since_id, min_id),
            "user_id": str(user_id),
            "skip_status": "true",
        }
        body = await self._request("GET", path, credential, params=params)
        if not isinstance(body, dict) or not isinstance(body.get("users"), list):
            raise UpstreamBadResponse(detail=f"{path} did not return users")
        return expect_users(body["users"], path)

    async def related_users(
        self, credential: Credential, kind: Literal["friends", "followers"], user_id: int | None = None
    ) -> list[dict[str, Any]]:
        """Return everyone a person follows (``friends``) or who follows them, with the viewer's ``cid``.

        ``statuses/friends`` and ``statuses/followers`` send the whole list at
        once, and an empty one for anyone but the viewer. Where ``friends/ids``
        lists every contact whatever the relation (Friendica 3.5), they are
        the only way to tell followers from followed accounts.
        """
        params = {"user_id": str(user_id)} if user_id is not None else None
        path = f"statuses/{kind}"
        users = expect_users(await self._request("GET", path, credential, params=params), path)
        dialect = await self.dialect()
        return [dialect.user(user) for user in users]

    # The viewer's own profile

    async def own_profile(self, credential: Credential) -> dict[str, Any]:
        """Return ``friendica/profile/show``: the viewer's user object and profiles with custom fields."""
        body = await self._request("GET", "friendica/profile/show", credential)
        if not isinstance(body, dict) or not isinstance(body.get("profiles"), list):
            raise UpstreamBadResponse(detail="friendica/profile/show did not return profiles")
        expect_user(body.get("friendica_owner"), "friendica/profile/show")
        return body

    async def update_profile(
        self, credential: Credential, user_id: int, *, name: str | None, description: str | None
    ) -> dict[str, Any]:
        """Change the display name and the profile text; check that the viewer's changed user came back.

        Friendica ignores an empty ``name``, and an empty ``description``
        clears the text. It stores the text as BBCode and returns it as plain
        text, so only its presence is compared.
        """
        form = {}
        if name is not None:
            form["name"] = name
        if description is not None:
            form["description"] = description
        user = expect_user(
            await self._request("POST", "account/update_profile", credential, data=form),
            "account/update_profile",
        )
        if int_or_none(user.get("id")) != user_id:
            raise UpstreamUnverified(detail=f"account/update_profile returned user {user.get('id')}")
        if name and user.get("name") != name:
            raise UpstreamUnverified(detail="account/update_profile did not store the name")
        if description is not None and bool(description.strip()) != bool(str(user.get("description") or "")):
            raise UpstreamUnverified(detail="account/update_profile did not store the profile text")
        return user

    async def update_profile_image(
        self, credential: Credential, user_id: int, data: bytes, *, filename: str, mimetype: str
    ) -> dict[str, Any]:
        """Make a picture the viewer's avatar; Friendica returns the viewer's user object."""
        user = expect_user(
            await self._request(
                "POST",
                "account/update_profile_image",
                credential,
                files={"image": (filename, data, mimetype)},
            ),
            "account/update_profile_image",
        )
        if int_or_none(user.get("id")) != user_id:
            raise UpstreamUnverified(detail=f"account/update_profile_image returned user {user.get('id')}")
        return user

    async def native_update_credentials(
        self,
        credential: Credential,
        user_id: int,
        form: dict[str, str],
        files: dict[str, tuple[str, bytes, str]],
    ) -> dict[str, Any]:
        """Change what only Friendica's own Mastodon API can (header, locked, discoverable).

        Returns the upstream's Mastodon account of the viewer.
        """
        account = await self._request(
            "PATCH",
            "api/v1/accounts/update_credentials",
            credential,
            data=form,
            files=files or None,
            native=True,
        )
        if not isinstance(account, dict) or int_or_none(account.get("id")) != user_id:
            raise UpstreamUnverified(detail="api/v1/accounts/update_credentials returned another account")
        if "locked" in form and account.get("locked") is not (form["locked"] == "true"):
            raise UpstreamUnverified(detail="api/v1/accounts/update_credentials did not store locked")
        return account


def _page_params(count: int, max_id: int | None, since_id: int | None, min_id: int | None) -> dict[str, str]:
    params = {"count": str(max(1, min(count, CONTACT_PAGE_SIZE)))}
    for name, value in (("max_id", max_id), ("since_id", since_id), ("min_id", min_id)):
        if value is not None:
            params[name] = str(value)
    return params

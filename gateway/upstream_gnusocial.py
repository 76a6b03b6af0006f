"""Upstream endpoints of GNU social 1.2 that Friendica lacks or routes under other paths.

GNU social routes some endpoints only with the id in the path
(``statuses/retweet/<id>``, ``statusnet/conversation/<id>``), routes
``friendships/create`` and ``blocks/create|destroy`` (which no Friendica
does), keeps direct messages in two mailboxes without threads, and stores
uploads as files of ``media/upload``. The GNU social dialect (``gateway.dialects.gnusocial``)
drives these methods; each one checks its answer as the other endpoint
groups do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gateway.errors import Forbidden, NotFound, Unprocessable, UpstreamBadResponse, UpstreamHTTPError
from gateway.upstream_calls import EndpointGroup, UpstreamUnverified, int_or_none, not_found_on

if TYPE_CHECKING:
    from gateway.upstream import Credential

# GNU social's default page of direct messages is 20; the gateway reads up to this many at once.
MESSAGE_PAGE = 100
# What ``Subscription::start`` throws when the account to follow blocks the viewer; 1.2 answers it with 500.
BLOCKED_YOU = "User has blocked you."


class GnuSocialEndpoints(EndpointGroup):
    # Statuses

    async def repeat(self, credential: Credential, status_id: int) -> dict[str, Any]:
        """Repeat a notice with ``statuses/retweet/<id>`` and return the new repeat notice.

        GNU social refuses with 400 (the viewer's own notice, one repeated
        before) or 403 (a private notice); both become a 422 with its reason.
        """
        try:
            status = await self._request("POST", f"statuses/retweet/{status_id}", credential)
        except UpstreamHTTPError as error:
            if error.upstream_status == 404:
                raise NotFound() from error
            if error.upstream_status in (400, 403):
                reason = error.upstream_message or "no reason given"
                raise Unprocessable(f"The upstream server rejected the share: {reason}") from error
            raise
        if not isinstance(status, dict) or int_or_none(status.get("id")) is None:
            raise UpstreamUnverified(detail=f"statuses/retweet/{status_id} did not return a status")
        return (await self.dialect()).status(status)

    async def repeats_of(self, credential: Credential, status_id: int) -> list[dict[str, Any]]:
        """Return the repeat notices of a notice (``statuses/retweets/<id>``), newest first."""
        with not_found_on(400, 404):
            return await self._timeline(f"statuses/retweets/{status_id}", credential, {"count": "100"})

    async def fave(self, credential: Credential, status_id: int, *, create: bool) -> dict[str, Any] | None:
        """Fave or unfave a notice with ``favorites/create|destroy``; return the notice, or None.

        GNU social returns 403 when the notice already is (or is not) a fave.
        Then this returns None, and the caller reads the notice again to check.
        """
        path = "favorites/create" if create else "favorites/destroy"
        try:
            status = await self._request("POST", path, credential, data={"id": str(status_id)})
        except UpstreamHTTPError as error:
            if error.upstream_status in (400, 404):
                raise NotFound() from error
            if error.upstream_status == 403:
                return None
            raise
        if not isinstance(status, dict) or int_or_none(status.get("id")) is None:
            raise UpstreamUnverified(detail=f"{path} of {status_id} did not return a status")
        return (await self.dialect()).status(status)

    # Relationships

    async def create_friendship(self, credential: Credential, user_id: int) -> None:
        """Subscribe to an account with ``friendships/create``; the caller checks the result.

        GNU social returns 403 for an unknown account, for one already
        followed and for the viewer's own.
        """
        try:
            user = await self._request(
                "POST", "friendships/create", credential, data={"user_id": str(user_id)}
            )
        except UpstreamHTTPError as error:
            if error.upstream_status == 403:
                reason = error.upstream_message or "no reason given"
                raise Unprocessable(f"The upstream server rejected the follow: {reason}") from error
            if error.upstream_status == 500 and error.upstream_message == BLOCKED_YOU:
                # GNU social 1.2 reports the block as a server error, but Mastodon answers it with 403.
                raise Forbidden(f"The upstream server rejected the follow: {BLOCKED_YOU}") from error
            raise
        if not isinstance(user, dict) or int_or_none(user.get("id")) != user_id:
            found = user.get("id") if isinstance(user, dict) else type(user).__name__
            raise UpstreamUnverified(detail=f"friendships/create of {user_id} returned {found}")

    async def block(self, credential: Credential, user_id: int, *, create: bool) -> None:
        """Block or unblock an account with ``blocks/create|destroy``; the caller checks the result.

        GNU social returns the account's user object from both once the block
        is (or is no longer) in place, also where nothing had to change. It
        returns 404 for an unknown ``user_id`` and 403 for the viewer's own.
        """
        path = "blocks/create" if create else "blocks/destroy"
        try:
            user = await self._request("POST", path, credential, data={"user_id": str(user_id)})
        except UpstreamHTTPError as error:
            if error.upstream_status == 404:
                raise NotFound() from error
            if error.upstream_status == 403:
                reason = error.upstream_message or "no reason given"
                raise Unprocessable(f"The upstream server rejected the block: {reason}") from error
            raise
        if not isinstance(user, dict) or int_or_none(user.get("id")) != user_id:
            found = user.get("id") if isinstance(user, dict) else type(user).__name__
            raise UpstreamUnverified(detail=f"{path} of {user_id} returned {found}")
        if user.get("statusnet_blocking") is not create:
            raise UpstreamUnverified(
                detail=f"{path} of {user_id} left statusnet_blocking={user.get('statusnet_blocking')}"
            )

    # Search

    async def search_notices(
        self, credential: Credential, term: str, *, rpp: int, page: int
    ) -> list[dict[str, Any]]:
        """Return one page of ``search.json``: up to ``rpp + 1`` notices containing ``term``, newest first.

        GNU social 1.2 reads ``rpp + 1`` notices from offset ``(page - 1) * rpp``,
        so consecutive pages share one notice. It ignores ``max_id`` and ``since_id``.
        """
        params = {"q": term, "rpp": str(rpp), "page": str(page)}
        return await self._timeline("search", credential, params)

    # Profile

    async def replace_profile(
        self, credential: Credential, user_id: int, form: dict[str, str]
    ) -> dict[str, Any]:
        """Post ``account/update_profile`` with all its fields and return the viewer, checked to show them.

        GNU social trims each field, and an empty name shows as the nickname.
        """
        user = await self._request("POST", "account/update_profile", credential, data=form)
        if not isinstance(user, dict) or int_or_none(user.get("id")) != user_id:
            found = user.get("id") if isinstance(user, dict) else type(user).__name__
            raise UpstreamUnverified(detail=f"account/update_profile returned user {found}")

        name = form["name"].strip() or str(user.get("screen_name") or "")
        if user.get("name") != name:
            raise UpstreamUnverified(detail="account/update_profile did not store the name")
        if str(user.get("description") or "") != form["description"].strip():
            raise UpstreamUnverified(detail="account/update_profile did not store the profile text")
        return (await self.dialect()).user(user)

    # Direct messages

    async def direct_messages(
        self, credential: Credential, *, sent: bool, count: int, page: int = 1
    ) -> list[dict[str, Any]]:
        """Return a page of one mailbox, newest first: ``direct_messages`` (received) or ``/sent``."""
        path = "direct_messages/sent" if sent else "direct_messages"
        params = {"count": str(max(1, min(count, MESSAGE_PAGE))), "page": str(page)}
        messages = await self._request("GET", path, credential, params=params)
        if not isinstance(messages, list) or not all(
            isinstance(message, dict)
            and int_or_none(message.get("id")) is not None
            and isinstance(message.get("sender"), dict)
            and isinstance(message.get("recipient"), dict)
            for message in messages
        ):
            raise UpstreamBadResponse(detail=f"{path} did not return direct messages")
        dialect = await self.dialect()
        return [dialect.mail(message) for message in messages]

    async def post_direct_message(self, credential: Credential, user_id: int, text: str) -> Any:
        """Send ``direct_messages/new`` and return its response; a rejection (403, 406) becomes a 422.

        GNU social 1.2 stores the message and then fails with a 500, so the
        caller must read the sent mailbox to learn what happened.
        """
        try:
            return await self._request(
                "POST", "direct_messages/new", credential, data={"user_id": str(user_id), "text": text}
            )
        except UpstreamHTTPError as error:
            if error.upstream_status in (403, 406):
                reason = error.upstream_message or "no reason given"
                raise Unprocessable(f"The upstream server did not send the message: {reason}") from error
            raise

    # Uploads

    async def upload_media(
        self, credential: Credential, data: bytes, *, filename: str, mimetype: str
    ) -> dict[str, Any]:
        """Store a file with ``media/upload``; return ``{media_id, media_url, ...}``.

        GNU social reports a failed upload as 200 with ``{"errors": [{"message", "code"}]}``.
        """
        answer = await self._request(
            "POST", "media/upload", credential, files={"media": (filename, data, mimetype)}
        )
        if isinstance(answer, dict) and isinstance(answer.get("errors"), list):
            messages = [str(error.get("message")) for error in answer["errors"] if isinstance(error, dict)]
            reason = "; ".join(message for message in messages if message) or "no reason given"
            raise Unprocessable(f"The upstream server did not store the file: {reason}")
        if (
            not isinstance(answer, dict)
            or int_or_none(answer.get("media_id")) is None
            or not str(answer.get("media_url") or "").startswith(("http://", "https://"))
        ):
            raise UpstreamUnverified(detail="media/upload did not return a media id and URL")
        return answer

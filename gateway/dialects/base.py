"""The modern dialect: Friendica 2022.03 and later, the shape every other dialect normalises to.

On these releases a status has one global id (its uri-id) for every
viewer, ``favorited`` reports the viewer's like, ``friendica_private`` and
``friendica_author`` are always present, ``statuses/update`` answers with
the item it created, and ``friendica/activity/like`` answers with the
liked status. Its normalisers therefore return what they get.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from gateway.errors import Unprocessable
from mappings.mail import mail_text

if TYPE_CHECKING:
    from gateway.upstream import Credential, FriendicaClient, UpstreamPage

ContactSource = Literal["ids", "statuses"]


class Dialect:
    """How to read and drive one upstream generation; this class is Friendica 2022.03 and later."""

    name = "modern"

    # ``favorited`` is the viewer's like. Where it is a private star instead
    # (``False``), mappers find the viewer among ``friendica_activities.like``.
    favorited_is_like = True
    # Mastodon bookmarks are the upstream's private star (``favorites/create``)
    # instead of the gateway's own store; ``friendica_starred`` then carries it.
    bookmarks_on_star = False
    # Each person knows a post by an id of their own, so ids from one person's
    # view must never reach another person's notifications or minted ids.
    item_ids_per_user = False
    # ``statuses/retweet`` shares the status it names (2024.08's shares another one).
    retweet_shares = False
    # ``statuses/update`` attaches uploaded photos given as ``media_ids``. Where it
    # cannot (one id at most, small pictures dropped), they are embedded as <img>.
    pictures_by_media_ids = True
    # Where the viewer's followers and followed accounts come from: ``ids`` pages
    # ``friends/ids``, ``followers/ids``, ``followers/list`` and ``friends/list``;
    # ``statuses`` reads ``statuses/friends`` and ``statuses/followers`` whole.
    contact_source: ContactSource = "ids"
    # Photo albums are listed by ``friendica/photoalbums`` and ``friendica/photoalbum``;
    # where those are missing, the albums are gathered from ``friendica/photos/list``.
    photo_albums_from_list = False
    # Features that are parameters of endpoints rather than endpoints, so no probe finds
    # them (``gateway.capabilities.KNOWN_FEATURES``), which this generation lacks.
    lacks: frozenset[str] = frozenset()
    # Paths the capability probes ask for instead of the usual ones, by feature, where
    # this generation routes an endpoint only with an id in the path.
    probe_paths: Mapping[str, str] = MappingProxyType({})
    # Uploads are photos (``friendica/photo/create``): private until posted, with a
    # description and scales. Elsewhere they are files of ``media/upload``, public at
    # once, and the gateway keeps their descriptions.
    uploads_as_photos = True
    # A share is a post of the viewer's own that the original names (``repeated_id``),
    # so deleting that post undoes the share.
    unshare_by_delete = False
    # The upstream records which private mails were read (``friendica_seen``);
    # elsewhere the gateway keeps it.
    mail_read_state = True
    # ``statuses/networkpublic_timeline`` lists only posts from other servers (GNU social),
    # so the federated timeline adds the local ``statuses/public_timeline``.
    network_timeline_remote_only = False

    # Normalisers: upstream objects in, the modern shape out

    def status(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Return a status in the modern main shape."""
        return raw

    def statuses(self, raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.status(raw) for raw in raws]

    def user(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Return a user object with numeric ``id`` and ``cid``."""
        return raw

    def mail(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Return a private mail with a numeric ``id`` and a boolean ``friendica_seen``."""
        return raw

    def notification(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Return a notification row with numeric ``id``, ``type``, ``iid`` and ``parent``."""
        return raw

    def photo(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Return a photo with ``scales`` (``[{scale, link, width?, height?}]``) and ``media-id`` or None."""
        return raw

    def circles(self, body: Any) -> Any:
        """Return the answer of ``circle_show``/``group_show`` as a list of circles."""
        return body

    # Which upstream notification row is about which status

    def status_key(self, status: dict[str, Any]) -> str | None:
        """Return what a notification row about ``status`` names it by (see ``notification_key``)."""
        url = status.get("external_url")
        return str(url) if url else None

    def notification_key(self, row: dict[str, Any]) -> str | None:
        """Return the key of the status a notification row is about; ``iid`` is an internal row here."""
        link = row.get("link")
        return str(link) if link else None

    # Strategies

    async def like(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        """Like a status and return it as it is afterwards, checked to be liked by the viewer."""
        return await upstream.status_activity(credential, "like", status_id, expect_favorited=True)

    async def unlike(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        """Withdraw the viewer's like and return the status, checked to be no longer liked."""
        return await upstream.status_activity(credential, "unlike", status_id, expect_favorited=False)

    async def create_item(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        params: dict[str, Any],
        *,
        author_id: int,
        expected_text: str,
    ) -> dict[str, Any]:
        """Post ``statuses/update`` and return the item it created; the caller checks the rest.

        Raises UpstreamUnverified where the answer names no item.
        """
        return self.status(await upstream.post_update(credential, params))

    async def share(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        """Share a status with ``statuses/retweet`` and return the viewer's new share as a status.

        Only called where ``retweet_shares`` is true; no modern release shares the right item.
        """
        raise Unprocessable("The upstream server cannot share statuses through its API")

    async def own_copies(
        self, upstream: FriendicaClient, credential: Credential, raws: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Return a page of statuses with ids the viewer can use, leaving out those without one.

        Ids are the same for everybody here, so the page comes back as it is.
        """
        return raws

    async def shares_of_own(
        self, upstream: FriendicaClient, credential: Credential, own: list[dict[str, Any]], *, viewer_id: int
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Return (share, original) pairs for other people's shares of the viewer's statuses ``own``.

        Only for shares that are posts of their own; here a share is an
        ``announce`` among the original's ``friendica_activities``, so none.
        """
        return []

    async def thread(
        self, upstream: FriendicaClient, credential: Credential, status_id: int
    ) -> list[dict[str, Any]]:
        """Return every status of the thread ``status_id`` belongs to, newest first."""
        return await upstream.thread_pages(credential, "conversation/show", {"id": str(status_id)})

    async def reactors(
        self, upstream: FriendicaClient, credential: Credential, status: dict[str, Any], verb: str
    ) -> list[dict[str, Any]]:
        """Return the user objects of everyone who reacted to a status with ``verb`` (like or announce).

        Raises Unprocessable where the upstream cannot tell who did.
        """
        activities = status.get("friendica_activities")
        users = activities.get(verb) if isinstance(activities, dict) else None
        return [user for user in users or [] if isinstance(user, dict)]

    async def unshare(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        """Undo the viewer's share of a status and return the original, checked to be no longer shared.

        Only called where ``unshare_by_delete`` is true.
        """
        raise Unprocessable("The upstream server cannot undo a share through its API")

    async def search_statuses(
        self, upstream: FriendicaClient, credential: Credential, term: str, page: UpstreamPage
    ) -> list[dict[str, Any]]:
        """Return a page of statuses that contain ``term`` (or carry ``#tag``), newest first."""
        return await upstream.search_tweets(credential, term, page)

    async def update_profile(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        user_id: int,
        *,
        name: str | None,
        description: str | None,
    ) -> dict[str, Any]:
        """Change the display name and the profile text (None keeps one); return the user, checked."""
        return await upstream.update_profile(credential, user_id, name=name, description=description)

    # Private mail

    def mail_body(self, text: str) -> str:
        """Return what to send as the body of a private mail so that it arrives as typed (BBCode here)."""
        return mail_text(text)

    async def mails(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        *,
        count: int,
        page: int,
        max_id: int | None,
    ) -> list[dict[str, Any]]:
        """Return the viewer's mails in both directions, newest first; ``max_id`` is exclusive."""
        return await upstream.mail_list(credential, count=count, page=page, max_id=max_id)

    async def mail_thread(
        self, upstream: FriendicaClient, credential: Credential, thread_uri: str
    ) -> list[dict[str, Any]]:
        """Return every mail of one thread (``friendica_parent_uri``) in the viewer's mailbox."""
        return await upstream.mail_conversation(credential, thread_uri)

    async def send_mail(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        *,
        user_id: int,
        text: str,
        title: str | None,
        reply_to: int | None,
    ) -> dict[str, Any]:
        """Send a private mail (``text`` from ``mail_body``) and return the sender's copy, checked."""
        return await upstream.post_mail(
            credential, user_id=user_id, text=text, title=title, reply_to=reply_to
        )

"""The GNU social dialect: GNU social 1.2, the API of ``lib/apiaction.php`` and its plugins.

What differs from the modern Friendica shape, as GNU social 1.2 sends it:

- One id per notice for everybody, as on modern Friendica. A repeat is a
  notice of its own whose ``retweeted_status`` is the original, and the
  original names the viewer's repeat in ``repeated_id`` (Share plugin), so
  deleting that notice undoes the repeat.
- Dates are ``D M d H:i:s O Y`` in the server's time zone, which
  ``mappings.dates`` turns into UTC. There are no ``friendica_*`` keys:
  the author is ``user``, and ``friendica_private`` follows the author's
  ``protected`` (a private stream, where every notice is for subscribers
  only), because notices carry no audience of their own in the API.
  ``location``, ``description`` and ``url`` of a user are null when unset.
- ``favorited`` is the viewer's fave, GNU social's like (Favorite plugin),
  made with ``favorites/create|destroy``, which return 403 for a fave that
  exists (or does not). Nothing lists who faved in the API the gateway
  can rely on: ``fave_num`` and ``repeat_num`` count faves and repeats,
  and ``repeated`` is the viewer's repeat. ``attentions`` lists the
  mentioned accounts.
- An uploaded picture's ``/attachment/<id>`` page URL is appended to the
  text and the statuses carry ``attachments`` without an id, so the
  gateway names an upload by the picture it becomes once posted.
- ``search.json`` pages only by ``rpp`` and ``page``, so the gateway
  applies ``max_id`` and ``since_id`` itself. Hashtags are the tag links of
  ``statusnet_html``.
- Errors are ``{"error", "request"}`` with the status; unknown paths get an
  HTML 404 page. ``statuses/update`` takes plain text (``status``), with no
  title and no audience.
- ``account/update_profile`` replaces all of name, homepage, location and
  profile text, so the gateway sends back the ones it does not change.
- Direct messages have no threads, no read state and no way to delete
  them. ``direct_messages/new`` stores the message and then fails with a
  500, so a send is checked in ``direct_messages/sent``.
"""

from __future__ import annotations

import html
import logging
import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from gateway.dialects.base import ContactSource, Dialect
from gateway.dialects.legacy import author_id, words
from gateway.errors import NotFound, Unprocessable, UpstreamBadResponse, UpstreamHTTPError
from gateway.upstream_calls import UpstreamUnverified, int_or_none
from mappings.html import paragraphs_from_plain_text

if TYPE_CHECKING:
    from gateway.upstream import Credential, FriendicaClient, UpstreamPage

log = logging.getLogger("mastogate.upstream")

# The thread every direct message between two accounts belongs to (GNU social has no threads).
DIRECT_THREAD = "gnusocial:direct:{low}:{high}"
# Messages read from each mailbox to build threads and to find a message just sent.
MAILBOX_READ = 100
SENT_CHECKED = 20
# Pages of one mailbox read to serve a page of mails (``MAILBOX_READ`` each).
MAILBOX_PAGES = 3
# search.json results asked for a page (its maximum ``rpp``), and how many pages are read at most.
SEARCH_RPP = 100
SEARCH_PAGES = 3

_ACTIVITY_VERBS = ("like", "dislike", "attendyes", "attendno", "attendmaybe", "announce")
# A link to an attachment page, as GNU social appends one per uploaded file to a notice.
_ATTACHMENT_LINK = re.compile(r'\s*<a\b[^>]*\bhref="[^"]*/attachment/\d+"[^>]*>[^<]*</a>\s*$')
_ATTACHMENT_URL = re.compile(r"\s*\S+/attachment/\d+\s*$")
_TAG = re.compile(r"<[^>]+>")
_LINK_TAG = re.compile(r"<a\b[^>]*>")
_TITLE = re.compile(r'\s+title="[^"]*"')
# A hashtag link: GNU social's /tag/<name> with rel="tag", or a /search?tag=<name> link.
_HASHTAG_LINK = re.compile(r"<a\b([^>]*)>#?([^<]+)</a>")


def _count(value: Any) -> int:
    return int_or_none(value) or 0


def _source_name(source: Any) -> str:
    """Return the app name of a notice: GNU social sends a link for apps registered with a URL."""
    return html.unescape(_TAG.sub("", str(source or ""))).strip()


def _mention_titles_dropped(markup: str) -> str:
    """Drop the ``title`` of mention links, which GNU social fills with the full name, not the nickname."""

    def untitled(match: re.Match[str]) -> str:
        tag = match.group(0)
        return _TITLE.sub("", tag) if re.search(r'class="[^"]*\bmention\b', tag) else tag

    return _LINK_TAG.sub(untitled, markup)


def _without_attachment_links(markup: str, count: int) -> str:
    """Drop up to ``count`` attachment page links from the end of a notice's HTML."""
    for _ in range(count):
        shorter = _ATTACHMENT_LINK.sub("", markup)
        if shorter == markup:
            break
        markup = shorter
    return markup


def _without_attachment_urls(text: str, count: int) -> str:
    for _ in range(count):
        shorter = _ATTACHMENT_URL.sub("", text)
        if shorter == text:
            break
        text = shorter
    return text


def _hashtags(markup: str) -> list[dict[str, Any]]:
    """Return the hashtag links of a notice's HTML as ``entities.hashtags``."""
    hashtags = []
    for attributes, name in _HASHTAG_LINK.findall(markup):
        if 'rel="tag"' in attributes or "/search?tag=" in attributes:
            hashtags.append({"text": html.unescape(name).strip()})
    return hashtags


def _mentions(attentions: Any) -> list[dict[str, Any]]:
    """Return ``attentions`` (the accounts a notice mentions) as ``entities.user_mentions``."""
    mentions = []
    for mentioned in attentions if isinstance(attentions, list) else []:
        if isinstance(mentioned, dict) and int_or_none(mentioned.get("id")) and mentioned.get("screen_name"):
            mentions.append(
                {
                    "id": int(mentioned["id"]),
                    "screen_name": mentioned["screen_name"],
                    "name": mentioned.get("fullname") or "",
                }
            )
    return mentions


def _in_range(statuses: list[dict[str, Any]], page: UpstreamPage) -> list[dict[str, Any]]:
    """Keep the statuses a page's ``max_id`` (inclusive) and ``since_id`` (exclusive) allow."""
    return [
        status
        for status in statuses
        if (page.max_id is None or int(status["id"]) <= page.max_id)
        and (page.since_id is None or int(status["id"]) > page.since_id)
    ]


class GnuSocialDialect(Dialect):
    """GNU social 1.2."""

    name = "gnusocial"
    favorited_is_like = True
    bookmarks_on_star = False
    item_ids_per_user = False
    retweet_shares = True
    pictures_by_media_ids = True
    # statuses/friends and statuses/followers serve anyone's lists, followers/list is not routed.
    # TODO: GNU social 1.2 sends at most 100 users a call there and pages by ``page``.
    # Only the first 100 are read, while the double sends all of them.
    contact_source: ContactSource = "statuses"
    photo_albums_from_list = False
    lacks = frozenset({"private_posts", "content_warnings"})
    # statuses/retweet is only routed with the notice id in the path, and search/tweets is search.json.
    probe_paths = MappingProxyType({"retweet": "statuses/retweet/1", "search": "search"})
    uploads_as_photos = False
    unshare_by_delete = True
    mail_read_state = False
    network_timeline_remote_only = True

    # Normalisers

    def status(self, raw: dict[str, Any]) -> dict[str, Any]:
        status = dict(raw)
        user = status.get("user")
        if isinstance(user, dict):
            user = self.user(user)
            status["user"] = user
            status["friendica_author"] = user
            status["friendica_owner"] = user
            status["friendica_private"] = bool(user.get("protected"))

        status["friendica_activities"] = {verb: [] for verb in _ACTIVITY_VERBS}
        status["friendica_title"] = ""
        status["fave_num"] = _count(status.get("fave_num"))
        status["repeat_num"] = _count(status.get("repeat_num"))
        status["repeated"] = bool(status.get("repeated"))
        status["source"] = _source_name(status.get("source"))
        uri = str(status.get("uri") or "")
        # Local notices have a tag: URI, remote ones the URL of their original.
        # TODO: a local notice's page (/notice/<id>) is not known here, so its url stays empty.
        status["external_url"] = uri if uri.startswith(("http://", "https://")) else ""

        attachments = status.get("attachments")
        status["attachments"] = attachments if isinstance(attachments, list) else []
        pictures = len(status["attachments"])
        markup = _without_attachment_links(str(status.get("statusnet_html") or ""), pictures)
        status["statusnet_html"] = _mention_titles_dropped(markup)
        status["text"] = _without_attachment_urls(str(status.get("text") or ""), pictures)
        # No ``media``: an empty one would hide the pictures in ``attachments``.
        status["entities"] = {
            "user_mentions": _mentions(status.get("attentions")),
            "hashtags": _hashtags(status["statusnet_html"]),
        }

        inner = status.get("retweeted_status")
        if isinstance(inner, dict) and isinstance(inner.get("user"), dict):
            status["retweeted_status"] = self.status(inner)
        else:
            status.pop("retweeted_status", None)
        return status

    def user(self, raw: dict[str, Any]) -> dict[str, Any]:
        user = dict(raw)
        for key in ("location", "description", "url"):
            if user.get(key) is None:
                user[key] = ""
        for key in ("followers_count", "friends_count", "statuses_count", "favourites_count"):
            user[key] = _count(user.get(key))
        return user

    def mail(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Give a direct message the thread of its two accounts and the HTML text Friendica mail has."""
        mail = dict(raw)
        for party in ("sender", "recipient"):
            if isinstance(mail.get(party), dict):
                mail[party] = self.user(mail[party])
        ids = sorted(_count(mail.get(key)) for key in ("sender_id", "recipient_id"))
        mail["friendica_parent_uri"] = DIRECT_THREAD.format(low=ids[0], high=ids[1])
        mail["friendica_seen"] = bool(mail.get("friendica_seen"))
        mail["title"] = ""
        mail["text"] = paragraphs_from_plain_text(str(mail.get("text") or ""))
        return mail

    def status_key(self, status: dict[str, Any]) -> str | None:
        return str(status["id"]) if status.get("id") is not None else None

    # Strategies

    async def like(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        return await self._fave(upstream, credential, status_id, True)

    async def unlike(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        return await self._fave(upstream, credential, status_id, False)

    async def _fave(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, faved: bool
    ) -> dict[str, Any]:
        """Fave or unfave a notice (a repeat's original) and return it, checked to show the change.

        GNU social refuses to fave a fave again, so the notice is read first.
        """
        target = await upstream.show_status(credential, status_id)
        if isinstance(target.get("retweeted_status"), dict):
            target = target["retweeted_status"]
        target_id = int(target["id"])
        if bool(target.get("favorited")) is faved:
            return target

        answer = await upstream.fave(credential, target_id, create=faved)
        if answer is None or int_or_none(answer.get("id")) != target_id:
            # A 403 means another app changed the fave meanwhile, so the notice is read again.
            answer = await upstream.show_status(credential, target_id)
        if bool(answer.get("favorited")) is not faved:
            raise UpstreamUnverified(detail=f"fave={faved} of notice {target_id} left favorited={not faved}")
        return answer

    async def create_item(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        params: dict[str, Any],
        *,
        author_id: int,
        expected_text: str,
    ) -> dict[str, Any]:
        """Post the text as typed with ``status``: GNU social stores plain text and links it itself.

        A title or an audience cannot be sent; the caller refused those
        before (``lacks``). GNU social refuses a notice over its length,
        attachment URLs included, with 413.
        """
        if params.get("title") or params.get("contact_allow[]"):
            raise Unprocessable("The upstream server cannot post a content warning or to followers only")
        if not expected_text.strip():
            # GNU social checks for text before it appends the pictures' links.
            raise Unprocessable(
                "Validation failed: the upstream server needs text in every post, with pictures too"
            )
        form = {"status": expected_text}
        for key in ("in_reply_to_status_id", "media_ids", "source"):
            if params.get(key):
                form[key] = str(params[key])
        try:
            answer = await upstream.post_update(credential, form)
        except UpstreamHTTPError as error:
            if error.upstream_status == 413:
                reason = error.upstream_message or "the status is too long for the upstream server"
                raise Unprocessable(f"Validation failed: {reason}") from error
            raise
        return self.status(answer)

    async def share(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        """Repeat a notice with ``statuses/retweet/<id>`` and return the repeat, checked.

        A notice the viewer repeated before answers with that repeat, as
        Mastodon answers a second reblog.
        """
        original = await upstream.show_status(credential, status_id)
        if isinstance(original.get("retweeted_status"), dict):
            original = original["retweeted_status"]
        original_id = int(original["id"])
        earlier = int_or_none(original.get("repeated_id"))
        if original.get("repeated") and earlier is not None:
            return await upstream.show_status(credential, earlier)

        repeat = await upstream.repeat(credential, original_id)
        inner = repeat.get("retweeted_status")
        if (
            author_id(repeat) != viewer_id
            or not isinstance(inner, dict)
            or int_or_none(inner.get("id")) != original_id
        ):
            raise UpstreamUnverified(
                detail=f"statuses/retweet/{original_id} answered notice {repeat.get('id')}, not its repeat"
            )
        return repeat

    async def unshare(
        self, upstream: FriendicaClient, credential: Credential, status_id: int, *, viewer_id: int
    ) -> dict[str, Any]:
        """Delete the viewer's repeat of a notice (``repeated_id``) and return the notice, checked."""
        original = await upstream.show_status(credential, status_id)
        if isinstance(original.get("retweeted_status"), dict):
            original = original["retweeted_status"]
        original_id = int(original["id"])
        if not original.get("repeated"):
            return original
        repeat_id = int_or_none(original.get("repeated_id"))
        if repeat_id is None:
            raise UpstreamBadResponse(detail=f"notice {original_id} is repeated but names no repeat")

        await upstream.destroy_status(credential, repeat_id)
        after = await upstream.show_status(credential, original_id)
        if after.get("repeated"):
            raise UpstreamUnverified(
                detail=f"notice {original_id} is still repeated after deleting {repeat_id}"
            )
        return after

    async def shares_of_own(
        self, upstream: FriendicaClient, credential: Credential, own: list[dict[str, Any]], *, viewer_id: int
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Read the repeats of each of the viewer's notices that counts some (``statuses/retweets/<id>``).

        That is one call per repeated notice on every sync.
        """
        pairs = []
        for status in own:
            if status.get("retweeted_status") or not _count(status.get("repeat_num")):
                continue
            for repeat in await upstream.repeats_of(credential, int(status["id"])):
                if author_id(repeat) != viewer_id:
                    pairs.append((repeat, status))
        return pairs

    async def thread(
        self, upstream: FriendicaClient, credential: Credential, status_id: int
    ) -> list[dict[str, Any]]:
        """Read ``statusnet/conversation/<id>``, which takes the conversation id, not a notice id."""
        status = await upstream.show_status(credential, status_id)
        conversation = int_or_none(status.get("statusnet_conversation_id")) or status_id
        return await upstream.thread_pages(credential, f"statusnet/conversation/{conversation}", {})

    async def reactors(
        self, upstream: FriendicaClient, credential: Credential, status: dict[str, Any], verb: str
    ) -> list[dict[str, Any]]:
        """Return who repeated a notice (``statuses/retweets/<id>``); who faved it is unknown.

        Raises Unprocessable for the faves of a notice that has some.
        """
        if verb == "announce":
            if not _count(status.get("repeat_num")):
                return []
            repeats = await upstream.repeats_of(credential, int(status["id"]))
            return [repeat["user"] for repeat in repeats if isinstance(repeat.get("user"), dict)]
        if verb != "like" or not _count(status.get("fave_num")):
            return []
        # TODO: GNU social 1.2's Favorite plugin also routes statuses/favs/<id> (for Qvitter), which
        # names who faved; the double does not serve it, so it is not read.
        raise Unprocessable(
            "The upstream server does not support this: it cannot list who favourited a status"
            " through its API"
        )

    async def search_statuses(
        self, upstream: FriendicaClient, credential: Credential, term: str, page: UpstreamPage
    ) -> list[dict[str, Any]]:
        """Read ``search.json`` by page number and apply ``max_id`` and ``since_id`` here.

        GNU social 1.2 pages its search only by ``rpp`` and ``page``. Where the
        request names a page, that page is read. Otherwise pages of
        ``SEARCH_RPP`` are read until ``count`` notices in the id range are found.
        TODO: a notice below the newest ``SEARCH_PAGES * SEARCH_RPP`` matches is not found
        when paging by ``max_id``.
        """
        if page.page is not None:
            batch = await upstream.search_notices(credential, term, rpp=page.count, page=page.page)
            return await _in_scope(upstream, credential, _in_range(batch, page)[: page.count])

        found: dict[int, dict[str, Any]] = {}
        for number in range(1, SEARCH_PAGES + 1):
            batch = await upstream.search_notices(credential, term, rpp=SEARCH_RPP, page=number)
            for status in _in_range(batch, page):
                found.setdefault(int(status["id"]), status)
            # A full page contains one notice more than ``rpp``, so a page of ``rpp`` or fewer is the last.
            if len(batch) <= SEARCH_RPP or len(found) >= page.count:
                break
        newest_first = sorted(found.values(), key=lambda status: int(status["id"]), reverse=True)
        return await _in_scope(upstream, credential, newest_first[: page.count])

    async def update_profile(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        user_id: int,
        *,
        name: str | None,
        description: str | None,
    ) -> dict[str, Any]:
        """Send all fields of ``account/update_profile``, the unchanged ones as they are, and check them.

        GNU social 1.2 replaces the name, homepage, location and profile text
        on each call, so a field left out would be cleared.
        NOTE: a user without a full name shows the nickname as ``name``, so
        changing only the text stores the nickname as the full name.
        """
        current = await upstream.show_user(credential, user_id)
        form = {
            "name": str(current.get("name") or "") if name is None else name,
            "description": str(current.get("description") or "") if description is None else description,
            "url": str(current.get("url") or ""),
            "location": str(current.get("location") or ""),
        }
        return await upstream.replace_profile(credential, user_id, form)

    # Direct messages

    def mail_body(self, text: str) -> str:
        """Return the text as typed: GNU social stores direct messages as plain text."""
        return text

    async def mails(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        *,
        count: int,
        page: int,
        max_id: int | None,
    ) -> list[dict[str, Any]]:
        """Merge the received and the sent mailbox, newest first; a message has one id in both."""
        wanted = count * page
        received = await self._mailbox(upstream, credential, sent=False, wanted=wanted, below=max_id)
        sent = await self._mailbox(upstream, credential, sent=True, wanted=wanted, below=max_id)
        merged = {int(mail["id"]): mail for mail in [*received, *sent]}
        newest_first = sorted(merged.values(), key=lambda mail: int(mail["id"]), reverse=True)
        return newest_first[(page - 1) * count : page * count]

    async def _mailbox(
        self,
        upstream: FriendicaClient,
        credential: Credential,
        *,
        sent: bool,
        wanted: int,
        below: int | None,
    ) -> list[dict[str, Any]]:
        """Read the newest ``wanted`` messages of one mailbox below an id, newest first.

        Mailboxes are read by page number, not by ``max_id``: GNU social 1.2
        reads ``max_id`` as inclusive, while the double pages each mailbox by
        ids of its own rows. So a message among the ``MAILBOX_PAGES`` newest
        pages is found, an older one is not.
        """
        messages: list[dict[str, Any]] = []
        for number in range(1, MAILBOX_PAGES + 1):
            batch = await upstream.direct_messages(credential, sent=sent, count=MAILBOX_READ, page=number)
            messages.extend(message for message in batch if below is None or int(message["id"]) < below)
            if len(batch) < MAILBOX_READ or len(messages) >= wanted:
                break
        return messages[:wanted]

    async def mail_thread(
        self, upstream: FriendicaClient, credential: Credential, thread_uri: str
    ) -> list[dict[str, Any]]:
        """Return the newest messages exchanged with the account the thread names."""
        recent = await self.mails(upstream, credential, count=MAILBOX_READ, page=1, max_id=None)
        return [mail for mail in recent if mail["friendica_parent_uri"] == thread_uri]

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
        """Send a direct message and return it as the sent mailbox shows it.

        GNU social 1.2 answers every stored message with a 500, and a real
        failure with one as well. Only a new message to ``user_id`` with the
        text sent, found in ``direct_messages/sent``, counts as sent.
        Messages have no threads here, so ``reply_to`` is not sent.
        """
        if title:
            raise Unprocessable(
                "The upstream server does not support this: it cannot send a subject with a private message"
            )
        before = await upstream.direct_messages(credential, sent=True, count=1)
        newest = int(before[0]["id"]) if before else 0

        try:
            await upstream.post_direct_message(credential, user_id, text)
        except UpstreamHTTPError as error:
            if error.upstream_status != 500:
                raise
            log.info("direct_messages/new to %d returned 500; reading the sent messages", user_id)

        expected = words(text)
        sent = await upstream.direct_messages(credential, sent=True, count=SENT_CHECKED)
        found = [
            mail
            for mail in sent
            if int(mail["id"]) > newest
            and int_or_none(mail["recipient"].get("id")) == user_id
            and expected <= words(str(mail.get("text") or ""))
        ]
        if not found:
            raise UpstreamUnverified(
                "The upstream server did not send the private message",
                detail=f"direct_messages/sent holds no new message to {user_id} above {newest}",
            )
        return max(found, key=lambda mail: int(mail["id"]))


async def _in_scope(
    upstream: FriendicaClient, credential: Credential, statuses: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Keep the search results the viewer may read, each checked with ``statuses/show``.

    GNU social 1.2's search applies no scope, so it also lists notices meant
    for subscribers only. ``statuses/show`` checks the scope (403 otherwise),
    and its answer replaces the search's copy.
    """
    readable = []
    for status in statuses:
        try:
            readable.append(await upstream.show_status(credential, int(status["id"])))
        except NotFound:
            log.info("left search result %s out: the viewer may not read it", status.get("id"))
    return readable

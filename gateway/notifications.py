"""The notification log: what the gateway learns from the upstream, kept so apps can page it.

Friendica's notification API returns at most 50 rows without paging, its
ids point at internal rows, and it notifies neither likes, nor shares, nor
mails. So the gateway keeps a log per person, fed on each sync from:

- the upstream's notification rows (mentions, replies, follows, posts of
  people whose posts the person asked to be told about), matched to their
  statuses through ``statuses/mentions``;
- the likes and shares on the person's recent posts, logged at the time the
  gateway first sees them;
- the likes and shares the upstream's own Mastodon API reports, where it has
  one: shares of a person's posts reach her only there;
- the mails the person received.

Where the upstream has no notification rows (GNU social), mentions and
replies come from ``statuses/mentions`` and follows from comparing the
person's followers with those of the previous sync. Likes and follows made
through the gateway are logged for the person they concern at once, as a
sync might not see them.

Each event is logged once (its ``source``) under a minted id from its time.
A sync costs a few upstream calls and runs at most once per ``notification_sync_interval``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.auth.bearer import UserViewer, store_scope_of
from gateway.errors import GatewayError
from gateway.ids import MintedKind
from gateway.lookups import user_by_id
from gateway.mailbox import mail_time
from gateway.render import statuses_json
from gateway.services import Services
from gateway.store.base import NotificationRecord
from gateway.upstream import UpstreamPage
from mappings.accounts import account_from_friendica
from mappings.dates import mastodon_timestamp, parse_upstream_date
from mappings.friendica import parse_status
from mappings.mail import status_from_mail
from mappings.notifications import group_key, mastodon_type, notification_entity

log = logging.getLogger("mastogate.notifications")

# How many of the person's own newest posts are checked for new likes and shares.
OWN_POSTS_CHECKED = 40
MAILS_CHECKED = 50
# Notification types read from the upstream's own Mastodon API, and the new entries one sync resolves.
FOLLOW_TYPES = ("follow", "follow_request")
NATIVE_TYPES = ("favourite", "reblog", *FOLLOW_TYPES)
NATIVE_NEW_PER_SYNC = 20
# Friendica returns at most 30 entries a call; a sync reads back at most this many pages.
NATIVE_PAGE = 30
NATIVE_PAGES = 4
# Statuses that mention the person read per sync where the upstream has no notification rows.
MENTIONS_CHECKED = 100
# The sync value holding the person's followers at the previous sync, where follows are found by comparing.
FOLLOWERS_KEY = "notification_followers"


async def sync(shared: Services, viewer: UserViewer, *, force: bool = False) -> None:
    """Bring the person's notification log up to date with the upstream."""
    now = datetime.now(UTC)
    last = await shared.store.sync_value(viewer.store_scope, "notifications_synced_at")
    interval = timedelta(seconds=shared.settings.notification_sync_interval)
    if not force and last and now - datetime.fromisoformat(last) < interval:
        return

    if (await shared.capabilities.get()).has("notifications"):
        records = await _from_notification_rows(shared, viewer)
    else:
        records = await _from_mentions(shared, viewer, now)
        records += await _from_new_followers(shared, viewer, now)
    records += await _from_reactions(shared, viewer, now)
    records += await _from_native(shared, viewer)
    records += await _from_mails(shared, viewer)
    if records:
        known = await shared.store.known_sources(viewer.store_scope, [record.source for record in records])
        fresh = [record for record in records if record.source not in known]
        muted = await shared.store.muted_threads(
            viewer.store_scope, [record.thread_id for record in fresh if record.thread_id is not None]
        )
        # Events in a muted thread are logged as dismissed, so unmuting does not bring them back.
        fresh = [replace(record, dismissed=True) if record.thread_id in muted else record for record in fresh]
        added = await shared.store.add_notifications(viewer.store_scope, fresh)
        if added:
            log.info("logged %d new notifications for user %d", added, viewer.user_id)
    await shared.store.set_sync_value(viewer.store_scope, "notifications_synced_at", now.isoformat())


def _record(
    source: str,
    notification_type: str,
    account: dict[str, Any],
    created_at: datetime,
    status: dict[str, Any] | None = None,
    *,
    status_kind: str = "item",
    status_id: str | None = None,
) -> NotificationRecord:
    thread_id = None
    if status is not None and status_kind == "item":
        thread_id = int(status.get("statusnet_conversation_id") or status["id"])
    return NotificationRecord(
        id=0,
        source=source,
        type=notification_type,
        account=json.dumps(account),
        account_id=str(account["id"]),
        status=json.dumps(status) if status is not None else None,
        status_kind=status_kind if status is not None else None,
        status_id=status_id or (str(status["id"]) if status is not None else None),
        thread_id=thread_id,
        created_at=created_at,
    )


async def _from_notification_rows(shared: Services, viewer: UserViewer) -> list[NotificationRecord]:
    rows = await shared.upstream.notifications(viewer.credential)
    known = await shared.store.known_sources(viewer.store_scope, [f"notify:{row['id']}" for row in rows])
    rows = [row for row in rows if f"notify:{row['id']}" not in known and mastodon_type(row) is not None]
    capabilities = await shared.capabilities.get()
    if capabilities.native_api:
        # Follows come from the upstream's own API there, which lists every one of them.
        rows = [row for row in rows if mastodon_type(row) not in FOLLOW_TYPES]
    if not rows:
        return []

    # Rows name their post by a key the dialect knows: its page URL, or the viewer's row of it.
    dialect = capabilities.dialect
    statuses: dict[str, dict[str, Any]] = {}
    if any(mastodon_type(row) in ("mention", "status") for row in rows):
        for page in (shared.upstream.mentions, shared.upstream.home_timeline):
            for raw in await page(viewer.credential, UpstreamPage(count=100)):
                key = dialect.status_key(raw)
                if key is not None:
                    statuses.setdefault(key, raw)
    pending: set[int] = set()
    # Without friendships/incoming a waiting request cannot be told from a follow.
    if any(int(row.get("type") or 0) == 1 for row in rows) and capabilities.has("follow_requests"):
        pending = set(await shared.upstream.incoming_requests(viewer.credential))

    records = []
    for row in rows:
        created_at = parse_upstream_date(row.get("date")) or datetime.now(UTC)
        kind = mastodon_type(row)
        if kind in ("follow", "follow_request"):
            try:
                account = await shared.upstream.external_profile(viewer.credential, str(row.get("url")))
            except GatewayError as error:
                log.info(
                    "notification %s of user %d: follower not found: %s", row["id"], viewer.user_id, error
                )
                continue
            kind = mastodon_type(row, pending_request=int(account.get("cid") or 0) in pending)
            records.append(_record(f"notify:{row['id']}", str(kind), account, created_at))
            continue

        key = dialect.notification_key(row)
        found = statuses.get(key) if key is not None else None
        if found is None:
            log.info(
                "notification %s of user %d: its status is not among the recent ones",
                row["id"],
                viewer.user_id,
            )
            continue
        author: dict[str, Any] = found.get("friendica_author") or found["user"]
        records.append(_record(f"notify:{row['id']}", str(kind), author, created_at, found))
    return records


async def _from_mentions(shared: Services, viewer: UserViewer, now: datetime) -> list[NotificationRecord]:
    """Log the statuses that mention or reply to the person, where the upstream has no notification rows."""
    statuses = await shared.upstream.mentions(viewer.credential, UpstreamPage(count=MENTIONS_CHECKED))
    records = []
    for raw in statuses:
        author: dict[str, Any] = raw.get("friendica_author") or raw["user"]
        if str(author.get("id")) == str(viewer.user_id) or raw.get("retweeted_status"):
            # A share of a post that mentions the person is not a mention.
            continue
        created_at = parse_upstream_date(raw.get("created_at")) or now
        records.append(_record(f"mention:{raw['id']}", "mention", author, created_at, raw))
    return records


async def _from_new_followers(
    shared: Services, viewer: UserViewer, now: datetime
) -> list[NotificationRecord]:
    """Log the followers added since the previous sync; the first sync only notes who follows.

    Someone who unfollows and follows again between two syncs is not seen
    here, unless the follow went through the gateway (``log_follow``).
    """
    current = sorted(set(await shared.upstream.contact_ids(viewer.credential, "followers")))
    previous = await shared.store.sync_value(viewer.store_scope, FOLLOWERS_KEY)
    await shared.store.set_sync_value(viewer.store_scope, FOLLOWERS_KEY, json.dumps(current))
    if previous is None:
        return []

    records = []
    for follower_id in sorted(set(current) - set(json.loads(previous))):
        try:
            account = await user_by_id(shared, viewer, follower_id)
        except GatewayError as error:
            log.info("new follower %d of user %d not found: %s", follower_id, viewer.user_id, error)
            continue
        records.append(_record(f"follow:{follower_id}:{now.isoformat()}", "follow", account, now))
    return records


async def _from_reactions(shared: Services, viewer: UserViewer, now: datetime) -> list[NotificationRecord]:
    """Log likes and shares of the person's recent posts the first time the gateway sees them.

    Reactions among a post's activities carry no time, so they are logged at
    the time of the sync. Shares that are posts of their own carry theirs.
    """
    own = await shared.upstream.user_timeline(
        viewer.credential, viewer.user_id, UpstreamPage(count=OWN_POSTS_CHECKED)
    )
    records = []
    for raw in own:
        activities = parse_status(raw).friendica_activities
        for verb, notification_type in (("like", "favourite"), ("announce", "reblog")):
            for user in getattr(activities, verb):
                if user.id == viewer.user_id:
                    continue
                user_json = next(
                    (
                        entry
                        for entry in raw["friendica_activities"][verb]
                        if str(entry.get("id")) == str(user.id)
                    ),
                    None,
                )
                if user_json is not None:
                    records.append(
                        _record(f"{verb}:{raw['id']}:{user.id}", notification_type, user_json, now, raw)
                    )

    # Where a share is a post of the sharer's own, the original's activities do not list it.
    dialect = (await shared.capabilities.get()).dialect
    for share, original in await dialect.shares_of_own(
        shared.upstream, viewer.credential, own, viewer_id=viewer.user_id
    ):
        sharer: dict[str, Any] = share.get("friendica_author") or share["user"]
        shared_at = parse_upstream_date(share.get("created_at")) or now
        records.append(
            _record(f"announce:{original['id']}:{sharer['id']}", "reblog", sharer, shared_at, original)
        )
    return records


async def _from_native(shared: Services, viewer: UserViewer) -> list[NotificationRecord]:
    """Log the likes, shares and follows the upstream's own Mastodon API reports.

    Friendica writes a notification row only for a follower it did not know
    yet: someone who follows again, or follows back, is listed only here.
    Likes and shares found here may be older than the person's newest
    posts. Likes and shares use the sources of ``_from_reactions`` and
    ``log_share``, so an event seen several ways is logged once.

    Entries are read oldest first from the last one handled, and one sync
    resolves at most NATIVE_NEW_PER_SYNC of them, so a long backlog is
    worked off over several syncs without losing any.
    """
    capabilities = await shared.capabilities.get()
    if not capabilities.native_api:
        return []
    handled = int(await shared.store.sync_value(viewer.store_scope, "native_notification_id") or 0)
    rows = await _native_rows(shared, viewer, handled)
    if not rows:
        return []

    def source(row: dict[str, Any]) -> str:
        if row.get("type") in FOLLOW_TYPES:
            return f"native:{row.get('id')}"
        verb = "like" if row.get("type") == "favourite" else "announce"
        return f"{verb}:{(row.get('status') or {}).get('id')}:{row['account'].get('id')}"

    def relevant(row: dict[str, Any]) -> bool:
        if row.get("type") in FOLLOW_TYPES:
            return True
        # Where the two APIs number statuses differently, only follows can be read here.
        if not capabilities.native_statuses:
            return False
        return row.get("type") in NATIVE_TYPES and isinstance(row.get("status"), dict)

    known = await shared.store.known_sources(
        viewer.store_scope, [source(row) for row in rows if relevant(row)]
    )
    records = []
    resolved = 0
    for row in sorted(rows, key=lambda row: int(row["id"])):
        if resolved == NATIVE_NEW_PER_SYNC:
            break
        handled = int(row["id"])
        if not relevant(row) or source(row) in known:
            continue

        resolved += 1
        created_at = parse_upstream_date(row.get("created_at")) or datetime.now(UTC)
        try:
            account = await user_by_id(shared, viewer, int(row["account"]["id"]))
            if row["type"] in FOLLOW_TYPES:
                records.append(_record(source(row), str(row["type"]), account, created_at))
                continue
            status = await shared.upstream.show_status(viewer.credential, int(row["status"]["id"]))
        except (GatewayError, ValueError) as error:
            log.info("native notification %s of user %d skipped: %s", row.get("id"), viewer.user_id, error)
            continue

        # Friendica reports a dislike as a favourite too; only the activities tell them apart.
        if row["type"] == "favourite":
            likers = parse_status(status).friendica_activities.like
            if not any(user.id == int(account["id"]) for user in likers):
                continue
        records.append(_record(source(row), str(row["type"]), account, created_at, status))

    await shared.store.set_sync_value(viewer.store_scope, "native_notification_id", str(handled))
    return records


async def _native_rows(shared: Services, viewer: UserViewer, handled: int) -> list[dict[str, Any]]:
    """Read the upstream's own notifications newer than ``handled``, up to NATIVE_PAGES pages."""
    rows: list[dict[str, Any]] = []
    max_id = None
    for _ in range(NATIVE_PAGES):
        batch = await shared.upstream.native_notifications(
            viewer.credential, NATIVE_TYPES, limit=NATIVE_PAGE, max_id=max_id, since_id=handled or None
        )
        if not batch:
            break
        rows.extend(row for row in batch if str(row.get("id", "")).isdigit())
        if len(batch) < NATIVE_PAGE:
            break
        max_id = min(int(row["id"]) for row in batch if str(row.get("id", "")).isdigit())
    return rows


async def log_share(shared: Services, sharer: UserViewer, original: dict[str, Any]) -> None:
    """Log a share made through the gateway in the notification log of the shared status's author.

    A sync finds shares only on the author's newest posts, and Friendica
    does not notify an author who follows the sharer at all. The gateway saw
    this share, so it logs it at once, under the source a sync would use.
    An author who is not a person of this upstream never reads the log; her
    entry is harmless.
    """
    author = original.get("friendica_author") or original.get("user") or {}
    author_id = int(author.get("id") or 0)
    if not author_id or author_id == sharer.user_id:
        return
    if (await shared.capabilities.get()).dialect.item_ids_per_user:
        # The sharer's ids name the sharer's rows: the author could neither show nor use them.
        return
    scope = store_scope_of(author_id)
    source = f"announce:{original['id']}:{sharer.user_id}"
    if await shared.store.known_sources(scope, [source]):
        return

    account = await user_by_id(shared, sharer, sharer.user_id)
    status = _as_seen_by(original, author_id)
    record = _record(source, "reblog", account, datetime.now(UTC), status)
    if record.thread_id is not None and await shared.store.muted_threads(scope, [record.thread_id]):
        record = replace(record, dismissed=True)
    await shared.store.add_notifications(scope, [record])


def _as_seen_by(status: dict[str, Any], person_id: int) -> dict[str, Any]:
    """Recompute the viewer's flags of a status fetched by someone else for ``person_id``.

    Where the upstream only reports whether the fetching person liked or
    shared it (GNU social), the flags are false for ``person_id``.
    """
    activities = parse_status(status).friendica_activities
    return {
        **status,
        "favorited": any(user.id == person_id for user in activities.like),
        "retweeted": any(user.id == person_id for user in activities.announce),
        "repeated": any(user.id == person_id for user in activities.announce),
    }


async def log_favourite(shared: Services, liker: UserViewer, status: dict[str, Any]) -> None:
    """Log a like made through the gateway in the notification log of the liked status's author.

    It uses the source a sync would, so a like the upstream lists too is
    logged once. Where the upstream cannot tell who liked a status (GNU
    social), this is the only way its author learns of a like.
    """
    author = status.get("friendica_author") or status.get("user") or {}
    author_id = int(author.get("id") or 0)
    if not author_id or author_id == liker.user_id:
        return
    if (await shared.capabilities.get()).dialect.item_ids_per_user:
        # The liker's ids name the liker's rows: the author could neither show nor use them.
        return
    scope = store_scope_of(author_id)
    source = f"like:{status['id']}:{liker.user_id}"
    if await shared.store.known_sources(scope, [source]):
        return

    account = await user_by_id(shared, liker, liker.user_id)
    record = _record(source, "favourite", account, datetime.now(UTC), _as_seen_by(status, author_id))
    if record.thread_id is not None and await shared.store.muted_threads(scope, [record.thread_id]):
        record = replace(record, dismissed=True)
    await shared.store.add_notifications(scope, [record])


async def withdraw_favourite(shared: Services, liker: UserViewer, status: dict[str, Any]) -> None:
    """Dismiss the author's notification of a like the liker has taken back, as Mastodon removes it."""
    author = status.get("friendica_author") or status.get("user") or {}
    author_id = int(author.get("id") or 0)
    if author_id and author_id != liker.user_id:
        await shared.store.dismiss_notification_source(
            store_scope_of(author_id), f"like:{status['id']}:{liker.user_id}"
        )


async def log_follow(shared: Services, follower: UserViewer, followed_id: int) -> None:
    """Log a follow made through the gateway in the notification log of the followed person.

    Used where follows are found by comparing followers between syncs
    (GNU social), which misses an unfollow and follow again in between. The
    follower joins the followers noted at the last sync, so that sync does
    not log the follow a second time.
    """
    now = datetime.now(UTC)
    scope = store_scope_of(followed_id)
    account = await user_by_id(shared, follower, follower.user_id)
    record = _record(f"follow:{follower.user_id}:{now.isoformat()}", "follow", account, now)
    await shared.store.add_notifications(scope, [record])

    noted = await shared.store.sync_value(scope, FOLLOWERS_KEY)
    if noted is not None:
        followers = sorted(set(json.loads(noted)) | {follower.user_id})
        await shared.store.set_sync_value(scope, FOLLOWERS_KEY, json.dumps(followers))


async def withdraw_share(shared: Services, sharer: UserViewer, original: dict[str, Any]) -> None:
    """Dismiss the author's notification of a share the sharer has undone, as Mastodon removes it."""
    author = original.get("friendica_author") or original.get("user") or {}
    author_id = int(author.get("id") or 0)
    if author_id and author_id != sharer.user_id:
        await shared.store.dismiss_notification_source(
            store_scope_of(author_id), f"announce:{original['id']}:{sharer.user_id}"
        )


async def _from_mails(shared: Services, viewer: UserViewer) -> list[NotificationRecord]:
    """Log each mail the person received as a mention, as Mastodon notifies direct statuses."""
    mails = await shared.upstream.mails(viewer.credential, count=MAILS_CHECKED)
    records = []
    for mail in mails:
        if str(mail["sender"].get("id")) == str(viewer.user_id):
            continue
        minted = await shared.store.mint_id(
            MintedKind.MAIL, viewer.store_scope, str(mail["id"]), mail_time(mail)
        )
        records.append(
            _record(
                f"mail:{mail['id']}",
                "mention",
                mail["sender"],
                mail_time(mail),
                mail,
                status_kind="mail",
                status_id=str(minted),
            )
        )
    return records


async def notifications_json(
    shared: Services, viewer: UserViewer, records: list[NotificationRecord]
) -> list[dict[str, Any]]:
    """Render logged notifications; one whose status a filter hides is left out."""
    ctx = await shared.mapping_context(viewer.user_id)
    items = [
        json.loads(record.status) for record in records if record.status and record.status_kind == "item"
    ]
    unique_items = list({int(raw["id"]): raw for raw in items}.values())
    rendered = {
        status["id"]: status
        for status in await statuses_json(shared, viewer, unique_items, context="notifications")
    }

    result = []
    for record in records:
        status: Any = None
        if record.status_kind == "item":
            status = rendered.get(str(record.status_id))
            if status is None:
                continue
        elif record.status_kind == "mail" and record.status:
            status = status_from_mail(
                json.loads(record.status), ctx, status_id=str(record.status_id)
            ).to_json()
        account = account_from_friendica(json.loads(record.account), ctx)
        entity = notification_entity(
            str(record.id), record.type, mastodon_timestamp(record.created_at), account, None
        ).to_json()
        entity["status"] = status
        entity["group_key"] = group_key(record.type, record.status_id, str(record.id))
        result.append(entity)
    return result

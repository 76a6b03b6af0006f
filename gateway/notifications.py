"""The notification log: what the gateway learns from the upstream, kept so apps can page it.

Friendica's notification API returns at most 50 rows without paging, its
ids point at internal rows, and it notifies neither likes, nor shares, nor
mails. So the gateway keeps a log per person, fed on each sync from:

- the upstream's notification rows (mentions, replies, follows, posts of
  people whose posts the person asked to be told about), matched to their
  statuses through ``statuses/mentions``;
- the likes and shares on the person's recent posts, logged at the time the
  gateway first sees them;
- the mails the person received.

Each event is logged once (its ``source``) under a minted id from its time.
A sync costs a few upstream calls and runs at most every SYNC_INTERVAL.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.auth.bearer import UserViewer
from gateway.errors import GatewayError
from gateway.ids import MintedKind
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

SYNC_INTERVAL = timedelta(seconds=20)
# How many of the person's own newest posts are checked for new likes and shares.
OWN_POSTS_CHECKED = 40
MAILS_CHECKED = 50


async def sync(shared: Services, viewer: UserViewer, *, force: bool = False) -> None:
    """Bring the person's notification log up to date with the upstream."""
    now = datetime.now(UTC)
    last = await shared.store.sync_value(viewer.store_scope, "notifications_synced_at")
    if not force and last and now - datetime.fromisoformat(last) < SYNC_INTERVAL:
        return

    records = await _from_notification_rows(shared, viewer)
    records += await _from_reactions(shared, viewer, now)
    records += await _from_mails(shared, viewer)
    if records:
        known = await shared.store.known_sources(viewer.store_scope, [record.source for record in records])
        fresh = [record for record in records if record.source not in known]
        muted = await shared.store.muted_threads(
            viewer.store_scope, [record.thread_id for record in fresh if record.thread_id is not None]
        )
        fresh = [record for record in fresh if record.thread_id not in muted]
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
    if not rows:
        return []

    statuses: dict[str, dict[str, Any]] = {}
    if any(mastodon_type(row) in ("mention", "status") for row in rows):
        for page in (shared.upstream.mentions, shared.upstream.home_timeline):
            for raw in await page(viewer.credential, UpstreamPage(count=100)):
                statuses.setdefault(str(raw.get("external_url")), raw)
    pending: set[int] = set()
    if any(int(row.get("type") or 0) == 1 for row in rows):
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

        found = statuses.get(str(row.get("link")))
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


async def _from_reactions(shared: Services, viewer: UserViewer, now: datetime) -> list[NotificationRecord]:
    """Log likes and shares of the person's recent posts the first time the gateway sees them."""
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
    return records


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

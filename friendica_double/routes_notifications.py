"""Friendica's notification endpoints: ``friendica/notification(s)`` and ``notification/seen``.

As recorded on 2024.08: the list contains at most 50 rows, unseen first, then
newest first, and an empty list is JSON ``false``. ``notification/seen`` marks
one row seen and returns ``[status]`` when the row is about a post the caller
still has, otherwise the JSON string ``"success"``. An unknown id, or another
user's, is 400 "Invalid argument". Under ``/api/1.1/`` the endpoint fails its
own check of the path's segment count with 400 "Invalid argument count". The
plural ``notifications/seen`` is not routed.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from . import dates, errors, notifications
from .bbcode import FRIENDICA, RenderOptions, render_html
from .context import Site
from .db import Row
from .htmlconv import html_to_plaintext
from .routing import ApiRoute, Call

LIST_LIMIT = 50
# api/friendica/notification/seen: Friendica counts the segments of the request path.
SEEN_SEGMENTS = 4

# Units of the relative date, longest first: seconds per unit, singular, plural.
RELATIVE_UNITS = (
    (12 * 30 * 24 * 3600, "year", "years"),
    (30 * 24 * 3600, "month", "months"),
    (7 * 24 * 3600, "week", "weeks"),
    (24 * 3600, "day", "days"),
    (3600, "hour", "hours"),
    (60, "minute", "minutes"),
    (1, "second", "seconds"),
)


def notification_list(call: Call) -> Any:
    """GET friendica/notification(s): the caller's latest rows, or ``false`` without any."""
    user = call.require_user()
    rows = notifications.latest(call.store, user["uid"], LIST_LIMIT)
    if not rows:
        return False

    now = dates.now()
    return [render_notification(call.site, row, now) for row in rows]


def seen(call: Call) -> Any:
    """POST friendica/notification/seen: mark the row ``id`` seen."""
    user = call.require_user()
    segments = call.request.url.path.strip("/").split("/")
    if len(segments) != SEEN_SEGMENTS:
        raise errors.ApiError(400, "Invalid argument count")

    notify_id = call.params.integer("id", 0) or 0
    row = notifications.find(call.store, notify_id)
    if row is None or row["uid"] != user["uid"]:
        raise errors.ApiError(400, "Invalid argument")
    notifications.mark_seen(call.store, notify_id)

    if row["otype"] == notifications.OTYPE_ITEM:
        copy = call.store.one(
            "SELECT uri_id FROM post_user WHERE id = ? AND uid = ?", [row["iid"], user["uid"]]
        )
        item = call.store.item(copy["uri_id"]) if copy is not None else None
        if item is not None and not item["deleted"]:
            include_entities = call.params.boolean("include_entities")
            return [call.twitter.status(item["uri_id"], user["uid"], include_entities)]
    # A row about a post that is gone still counts as seen.
    return "success"


def render_notification(site: Site, row: Row, now: datetime) -> dict[str, Any]:
    """Return the API object of a notify row, with ``date_rel`` relative to ``now``."""
    link = _link(site, row)
    message = row["template"].format(
        causer=f"[url={_profile_url(site, row['actor_id'])}]{row['name']}[/url]",
        title=f"[url={link}]{row['title']}[/url]",
        author=f"[url={_profile_url(site, row['author_id'])}]{row['author_name']}[/url]",
        site=site.profile.site_name,
    )
    message_html = render_html(message, RenderOptions(FRIENDICA, site.base_url))
    plain_lines = html_to_plaintext(message_html).split("\n")

    return {
        "id": row["id"],
        "type": row["type"],
        "name": row["name"],
        "url": _profile_url(site, row["actor_id"]),
        # Friendica stores the actor's contact picture here, which is empty for local contacts.
        "photo": "",
        "date": row["date"],
        "msg": message,
        "uid": row["uid"],
        "link": link,
        "iid": row["iid"],
        "parent": row["parent"],
        "seen": bool(row["seen"]),
        "verb": row["verb"],
        "otype": row["otype"],
        "name_cache": row["name"],
        "msg_cache": _php_escape(html_to_plaintext(message_html, compact=True)),
        "timestamp": str(dates.epoch(row["date"])),
        "date_rel": relative_date(row["date"], now),
        "msg_html": message_html,
        "msg_plain": plain_lines[0],
    }


def _link(site: Site, row: Row) -> str:
    if row["otype"] == notifications.OTYPE_INTRO:
        return f"{site.base_url}/notifications/intros"
    item = site.store.item(row["uri_id"])
    return site.display_url(item["guid"]) if item is not None else ""


def _profile_url(site: Site, public_id: int) -> str:
    person = site.store.public_contact(public_id)
    return site.profile_url(person["nick"]) if person is not None else ""


def _php_escape(text: str) -> str:
    """Escape like PHP's htmlspecialchars() with its defaults (``'`` becomes ``&#039;``)."""
    return html.escape(text, quote=True).replace("&#x27;", "&#039;")


def relative_date(stored: str, now: datetime) -> str:
    """Return Friendica's relative date, e.g. ``19 seconds ago`` or ``in 2 days``."""
    elapsed = int((now - dates.parse(stored)).total_seconds())
    if 0 <= elapsed < 1:
        return "less than a second ago"

    in_future = elapsed < 0
    elapsed = abs(elapsed)
    for seconds, singular, plural in RELATIVE_UNITS:
        amount = elapsed // seconds
        if amount >= 1:
            unit = singular if amount == 1 else plural
            return f"in {amount} {unit}" if in_future else f"{amount} {unit} ago"
    return ""


ROUTES = [
    ApiRoute("friendica/notification", ("GET",), notification_list),
    ApiRoute("friendica/notifications", ("GET",), notification_list),
    ApiRoute("friendica/notification/seen", ("POST",), seen),
]

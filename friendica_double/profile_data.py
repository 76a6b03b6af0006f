"""Profiles: the profile text, the custom fields and the names and texts that follow from them.

Friendica keeps a user's profile text in ``profile.about`` and copies it,
like the display name, into the user's contact rows, where the Twitter and
Mastodon APIs read them. A profile that was never edited has no text
(``null`` in ``friendica/profile/show``) while user objects show "".

Custom fields are Friendica's ``profile_field`` rows (BBCode values). Only
public ones are shown, in ``custom_fields`` of ``friendica/profile/show``
and in ``fields`` of Mastodon accounts.
"""

from __future__ import annotations

from typing import Any

from .bbcode import MASTODON, STATUSNET, RenderOptions
from .db import Row, Store
from .text import status_html


def profile_id(store: Store, uid: int) -> int:
    """Return the profile id of a user: Friendica numbers profiles in the order users were created."""
    return store.count("SELECT COUNT(*) FROM user WHERE uid <= ?", [uid])


def about(store: Store, uid: int) -> str | None:
    """Return the profile text, or None when it was never set."""
    row = store.one("SELECT about FROM profile WHERE uid = ?", [uid])
    return None if row is None else row["about"]


def is_published(store: Store, uid: int) -> bool:
    """Return whether the user lists the profile in the directory (``net-publish``)."""
    return bool(store.scalar("SELECT net_publish FROM profile WHERE uid = ?", [uid]))


def set_about(store: Store, user: Row, text: str) -> None:
    """Store the profile text and copy it into the user's contact rows."""
    with store.transaction():
        _ensure_profile(store, int(user["uid"]))
        store.execute("UPDATE profile SET about = ? WHERE uid = ?", [text, user["uid"]])
        store.execute(
            "UPDATE contact SET about = ? WHERE id = ? OR public_id = ?",
            [text, user["public_contact"], user["public_contact"]],
        )


def set_published(store: Store, uid: int, published: bool) -> None:
    """Store whether the profile is listed in the directory."""
    with store.transaction():
        _ensure_profile(store, uid)
        store.execute("UPDATE profile SET net_publish = ? WHERE uid = ?", [int(published), uid])


def set_name(store: Store, user: Row, name: str) -> None:
    """Give the user a new display name in every contact row that shows it."""
    store.execute(
        "UPDATE contact SET name = ? WHERE id = ? OR public_id = ?",
        [name, user["public_contact"], user["public_contact"]],
    )


def add_field(store: Store, uid: int, label: str, value: str, *, public: bool = True) -> int:
    """Add a custom field (``value`` in BBCode) after the user's others and return its id."""
    position = store.count("SELECT COUNT(*) FROM profile_field WHERE uid = ?", [uid])
    return store.insert(
        "profile_field",
        {"uid": uid, "label": label, "value": value, "position": position, "public": int(public)},
    )


def public_fields(store: Store, uid: int) -> list[Row]:
    """Return the user's public custom fields in their order."""
    return store.query(
        "SELECT * FROM profile_field WHERE uid = ? AND public = 1 ORDER BY position, id", [uid]
    )


def twitter_custom_fields(store: Store, base_url: str, uid: int) -> list[dict[str, str]]:
    """Return ``custom_fields`` of ``friendica/profile/show``: labels with values as HTML."""
    options = RenderOptions(STATUSNET, base_url)
    return [
        {"label": row["label"], "value": status_html("", row["value"], options)}
        for row in public_fields(store, uid)
    ]


def mastodon_fields(store: Store, base_url: str, public_id: int) -> list[dict[str, Any]]:
    """Return the ``fields`` of a Mastodon account: a local user's public custom fields."""
    user = store.user_by_public_contact(public_id)
    if user is None:
        return []
    options = RenderOptions(MASTODON, base_url)
    return [
        {"name": row["label"], "value": status_html("", row["value"], options), "verified_at": None}
        for row in public_fields(store, int(user["uid"]))
    ]


def _ensure_profile(store: Store, uid: int) -> None:
    store.execute("INSERT OR IGNORE INTO profile (uid) VALUES (?)", [uid])

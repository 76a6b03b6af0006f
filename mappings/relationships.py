"""Mastodon relationships, from the upstream's own Relationship or from the viewer's contact lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mappings.entities import Relationship


@dataclass(frozen=True)
class ContactSets:
    """The viewer's contact lists as public ids: whom they follow, who follows them, and so on.

    ``requesting`` holds the people whose follow request waits for the viewer.
    """

    following: frozenset[int] = frozenset()
    followers: frozenset[int] = frozenset()
    blocked: frozenset[int] = frozenset()
    requesting: frozenset[int] = frozenset()


def relationship_from_native(raw: dict[str, Any], *, requested: bool, requested_by: bool) -> Relationship:
    """Map Friendica's own Relationship; ``requested`` and ``requested_by`` come from the caller.

    Friendica sets ``requested`` whichever side asked, so the caller tells
    the viewer's own request apart from one waiting for the viewer.
    """
    return Relationship(
        id=str(raw["id"]),
        following=raw.get("following") is True,
        showing_reblogs=raw.get("showing_reblogs", True) is True,
        notifying=raw.get("notifying") is True,
        followed_by=raw.get("followed_by") is True,
        blocking=raw.get("blocking") is True,
        blocked_by=raw.get("blocked_by") is True,
        muting=raw.get("muting") is True,
        muting_notifications=raw.get("muting_notifications") is True,
        requested=requested,
        requested_by=requested_by,
        domain_blocking=raw.get("domain_blocking") is True,
        endorsed=raw.get("endorsed") is True,
        # Friendica sends null when the viewer wrote no note; Mastodon sends "".
        note=str(raw.get("note") or ""),
    )


def relationship_from_contacts(account_id: int, contacts: ContactSets) -> Relationship:
    """Build a Relationship from the viewer's contact lists, where the upstream has no Relationship.

    Those lists do not tell mutes, the viewer's own pending requests or
    notification settings, so these are false.
    """
    following = account_id in contacts.following
    return Relationship(
        id=str(account_id),
        following=following,
        showing_reblogs=following,
        notifying=False,
        followed_by=account_id in contacts.followers,
        blocking=account_id in contacts.blocked,
        blocked_by=False,
        muting=False,
        muting_notifications=False,
        requested=False,
        requested_by=account_id in contacts.requesting,
        domain_blocking=False,
        endorsed=False,
        note="",
    )

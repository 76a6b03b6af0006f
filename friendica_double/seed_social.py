"""Demo data for circles, lists, profiles and blocks, created through the API's own functions.

alice gets the circle "Close friends" with bob, a profile text and custom
fields. One field is private, so the API leaves it out. bob gets the circle
"Friendica regulars" with alice and carol, so ``lists/statuses`` shows their
posts. erin blocks dave, which changes nothing else because erin has no
contacts. carol's follow request to alice stays pending.
"""

from __future__ import annotations

from . import circles, profile_data, relations
from .context import Site
from .db import Row

# Address-book contact ids of the seeded follows (see seed.FOLLOWS).
ALICE_CONTACT_FOR_BOB = 11
BOB_CONTACT_FOR_ALICE = 12
BOB_CONTACT_FOR_CAROL = 13

ALICE_ABOUT = (
    "I test API gateways for a living and write about the bugs I find. "
    "Weekends belong to the mountains. #gateways"
)
ALICE_FIELDS = (
    ("Pronouns", "she/her", True),
    ("Blog", "[url=https://alice.example.org]alice.example.org[/url]", True),
    ("Home town", "München", True),
    ("Phone", "+49 89 0000000", False),
)


def seed_social(site: Site) -> None:
    """Add the circles, alice's profile and erin's block to a seeded demo."""
    store = site.store
    alice, bob = _user(site, "alice"), _user(site, "bob")
    erin, dave = _user(site, "erin"), _user(site, "dave")

    with store.transaction():
        circles.create_circle(store, alice["uid"], "Close friends", [ALICE_CONTACT_FOR_BOB])
        circles.create_circle(
            store, bob["uid"], "Friendica regulars", [BOB_CONTACT_FOR_ALICE, BOB_CONTACT_FOR_CAROL]
        )

        profile_data.set_about(store, alice, ALICE_ABOUT)
        for label, value, public in ALICE_FIELDS:
            profile_data.add_field(store, alice["uid"], label, value, public=public)

        relations.block(store, erin, int(dave["public_contact"]))


def _user(site: Site, nickname: str) -> Row:
    user = site.store.user_by_nickname(nickname)
    assert user is not None, nickname
    return user

"""Sample data: the recorded server's starting state, and a larger demo on top of it.

``seed_recording_setup`` reproduces the state of the recorded Friendica
2024.08 server before its first recorded call: five users, their
relationships and circles, alice's picture "test.png" in the album "test",
her "hello" (liked by bob and by alice herself) and bob's "second post from
bob". ``seed_demo`` adds several days of posts, replies, reactions, a share,
private posts, posts with pictures (see ``seed_photos``), a mail thread and
a thread that mentions alice often enough to page her notifications (see
``seed_messages``), all created through the same functions as the API, at
fixed offsets before ``now``. Follows, mentions, comments and attendance
create notifications on the way, as on Friendica. Circles for alice and bob,
alice's profile text and custom fields and a block come last (see
``seed_social``).

Every seeded user's password is ``DEMO_PASSWORD``. The front of the
site's profile adds its own data last (the legacy front an OAuth 1
consumer, see ``front_legacy``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import dates, people, posts
from .circles import create_circle
from .context import Site
from .db import Row, Store
from .fronts import front_for
from .htmlconv import html_to_bbcode
from .profiles import get_profile
from .seed_messages import seed_mail_thread, seed_train_log
from .seed_photos import seed_picture_posts, seed_test_photo
from .seed_social import seed_social
from .text import markdown_to_bbcode

DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class SeedUser:
    """A seeded account and its fixed ids."""

    nickname: str
    uid: int
    public_id: int
    self_contact: int
    circle_ids: tuple[int, int]


# Ids as on the recorded server: uid, public contact (= Twitter user id), self contact, circles.
USERS = (
    SeedUser("alice", 2, 3, 2, (1, 2)),
    SeedUser("bob", 3, 5, 4, (3, 4)),
    SeedUser("carol", 4, 8, 7, (5, 6)),
    SeedUser("dave", 5, 10, 9, (7, 8)),
    SeedUser("erin", 6, 20, 19, (9, 10)),
)
RECORDING_NAMES = {user.nickname: f"{user.nickname.capitalize()} Test" for user in USERS}
DEMO_NAMES = {
    "alice": "Alice Example",
    "bob": "Bob Müller",
    "carol": "Carol Tanaka",
    "dave": "Dave Example",
    "erin": "Erin Example",
}
CREDENTIALS = tuple((user.nickname, DEMO_PASSWORD) for user in USERS)

# Follows as on the recorded server, with the address-book ids on both sides:
# (follower, followed, follower's contact id, followed user's contact id, pending).
FOLLOWS = (
    ("alice", "bob", 11, 12, False),
    ("bob", "alice", 12, 11, False),
    ("bob", "carol", 13, 14, False),
    ("carol", "bob", 14, 13, False),
    ("alice", "dave", 15, 16, False),
    ("carol", "alice", 17, 18, True),
)
# Members of each user's default "Friends" circle (address-book contact ids).
FRIENDS_CIRCLE_MEMBERS = {"alice": (11, 15), "bob": (12, 13), "carol": (14,)}


@dataclass
class SeedResult:
    """Result of a seed: the accounts, their password and labelled status ids."""

    users: tuple[SeedUser, ...]
    password: str
    statuses: dict[str, int] = field(default_factory=dict)


class _Seeder:
    """Creates content through the API's own functions at offsets before ``now``."""

    def __init__(self, site: Site, now: datetime):
        self.site = site
        self.now = now
        self.result = SeedResult(USERS, DEMO_PASSWORD)

    def at(self, minutes_ago: int) -> str:
        return dates.to_storage(self.now - timedelta(minutes=minutes_ago))

    def user(self, nickname: str) -> Row:
        row = self.site.store.user_by_nickname(nickname)
        assert row is not None, nickname
        return row

    def post(
        self,
        label: str,
        nickname: str,
        minutes_ago: int,
        markdown: str = "",
        *,
        html: str = "",
        title: str = "",
        reply_to: str | None = None,
        contact_allow: tuple[int, ...] = (),
        app: str = "api",
    ) -> int:
        body = html_to_bbcode(html) if html else markdown_to_bbcode(markdown)
        acl = posts.Acl(allow_cid="".join(f"<{cid}>" for cid in contact_allow)) if contact_allow else None
        uri_id = posts.create_post(
            self.site,
            self.user(nickname),
            body=body,
            title=title,
            app=app,
            reply_to=self.result.statuses[reply_to] if reply_to else None,
            acl=acl,
            created=self.at(minutes_ago),
        )
        self.result.statuses[label] = uri_id
        return uri_id

    def react(self, nickname: str, label: str, verb: str, minutes_ago: int) -> None:
        posts.react(
            self.site,
            self.user(nickname),
            self.result.statuses[label],
            verb,
            created=self.at(minutes_ago),
        )


def _create_accounts(site: Site, names: dict[str, str], created: datetime) -> None:
    store = site.store
    for index, account in enumerate(USERS):
        moment = dates.to_storage(created + timedelta(minutes=index))
        people.create_user(
            store,
            uid=account.uid,
            nickname=account.nickname,
            name=names[account.nickname],
            email=f"{account.nickname}@example.test",
            password=DEMO_PASSWORD,
            guid=str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{account.nickname}.friendica-double")),
            self_contact=account.self_contact,
            public_contact=account.public_id,
            created=moment,
        )
        friends, groups = account.circle_ids
        create_circle(
            store,
            account.uid,
            "Friends",
            FRIENDS_CIRCLE_MEMBERS.get(account.nickname, ()),
            circle_id=friends,
        )
        create_circle(store, account.uid, "Groups", circle_id=groups)

    uids = {account.nickname: account.uid for account in USERS}
    for follower, followed, follower_contact, followed_contact, pending in FOLLOWS:
        people.follow(
            store,
            uids[follower],
            uids[followed],
            pending=pending,
            follower_contact_id=follower_contact,
            followed_contact_id=followed_contact,
            created=dates.to_storage(created + timedelta(minutes=10)),
        )


def _recording_content(seeder: _Seeder, minutes_ago: int) -> None:
    seed_test_photo(seeder.site, seeder.at(minutes_ago + 1))
    seeder.post("hello", "alice", minutes_ago, "hello")
    seeder.post("second_post", "bob", minutes_ago - 1, "second post from bob")
    seeder.react("bob", "hello", "like", minutes_ago - 2)
    seeder.react("alice", "hello", "like", minutes_ago - 2)


def seed_recording_setup(site: Site, now: datetime | None = None) -> SeedResult:
    """Create the recorded server's state before its first call (names "Alice Test" ...).

    Labels in the result: ``hello`` and ``second_post``.
    """
    seeder = _Seeder(site, now or dates.now())
    with site.store.transaction():
        _create_accounts(site, RECORDING_NAMES, seeder.now - timedelta(minutes=30))
        _recording_content(seeder, 20)
        front_for(site.profile).seed(site)
    return seeder.result


def seed_demo(site: Site, now: datetime | None = None) -> SeedResult:
    """Create the accounts and several days of demo content (30+ posts in alice's home)."""
    seeder = _Seeder(site, now or dates.now())
    day = 24 * 60
    with site.store.transaction():
        _create_accounts(site, DEMO_NAMES, seeder.now - timedelta(days=10))
        _recording_content(seeder, 5 * day)
        seeder.result.statuses.update(seed_train_log(site, seeder.at, 5 * day - 30))
        _demo_days_four_and_three(seeder, day)
        seeder.result.statuses.update(seed_picture_posts(site, seeder.at, day))
        _demo_days_two_to_now(seeder, day)
        seed_mail_thread(site, seeder.at, 2 * day + 120)
        seed_social(site)
        front_for(site.profile).seed(site)
    return seeder.result


def _demo_days_four_and_three(seeder: _Seeder, day: int) -> None:
    post, react = seeder.post, seeder.react
    post(
        "alice_intro",
        "alice",
        4 * day + 300,
        "Hello fediverse! I'm Alice and I test **API gateways** for a living. #introduction",
    )
    post(
        "bob_intro",
        "bob",
        4 * day + 280,
        "Bob here 👋 Building things with Friendica since forever. #introduction",
    )
    post("carol_intro", "carol", 4 * day + 270, "Carol says hi to her followers #hello")
    post(
        "dave_intro",
        "dave",
        4 * day + 250,
        "Dave. Mostly photos of trains, occasionally words. #trains",
    )
    post("weekend", "alice", 4 * day + 200, "Hiking on Saturday, who is in?", title="Weekend plans")
    post(
        "weekend_bob",
        "bob",
        4 * day + 180,
        "@alice count me in! I'll bring the coffee ☕",
        reply_to="weekend",
    )
    post(
        "weekend_alice",
        "alice",
        4 * day + 170,
        "Great, @bob, let's meet at 8 at the station.",
        reply_to="weekend_bob",
    )
    post("weekend_deal", "bob", 4 * day + 160, "Deal. See you there.", reply_to="weekend_alice")
    react("bob", "weekend", "attendyes", 4 * day + 150)

    post(
        "gateways",
        "alice",
        3 * day + 400,
        "Talking with @bob about #gateways and #Friendica, details at https://friendi.ca/about",
    )
    post(
        "markdown",
        "alice",
        3 * day + 380,
        "Markdown works too: **bold**, *italic*, `inline code` and a "
        "[link to the docs](https://docs.joinmastodon.org)",
        app="Demo App",
    )
    post(
        "german",
        "alice",
        3 * day + 300,
        "Grüße aus München! Die Brötchen hier sind großartig – schöne Grüße an alle "
        "Äpfel- und Öl-Fans 🥨 #deutsch",
    )
    post("japanese", "alice", 3 * day + 280, "日本語のテストです。よろしくお願いします！🍣 #日本語")
    post(
        "dave_train",
        "dave",
        3 * day + 250,
        "The 06:42 to Brighton was on time today. A small miracle. 🚆 #trains",
    )
    post(
        "carol_release",
        "carol",
        3 * day + 200,
        "Anyone else excited about the new release? #Friendica",
    )
    post("bob_small", "bob", 3 * day + 150, "Small APIs are the best APIs.")
    react("bob", "gateways", "like", 3 * day + 140)
    react("bob", "german", "like", 3 * day + 130)
    react("bob", "japanese", "announce", 3 * day + 120)
    react("carol", "bob_small", "like", 3 * day + 100)


def _demo_days_two_to_now(seeder: _Seeder, day: int) -> None:
    post, react = seeder.post, seeder.react
    post(
        "private_party",
        "alice",
        2 * day + 500,
        "Psst @bob, the surprise party is on Friday. Don't tell anyone! 🎉",
        contact_allow=(11,),
    )
    post(
        "checklist",
        "alice",
        2 * day + 450,
        html="<p>Release checklist:</p><ul><li>tests green</li><li>docs updated</li>"
        "<li>changelog written</li></ul>",
    )
    post(
        "photo_walk",
        "dave",
        2 * day + 400,
        "Photo walk tomorrow along the old railway line. #photography",
    )
    post(
        "reading",
        "bob",
        2 * day + 350,
        "Reading list for the weekend: "
        "https://example.com/articles/rest-api-design and https://example.org/friendica-history",
    )
    post(
        "photo_walk_alice",
        "alice",
        2 * day + 300,
        "@dave that sounds lovely, send pictures!",
        reply_to="photo_walk",
    )
    post("photo_walk_dave", "dave", 2 * day + 290, "@alice will do 📷", reply_to="photo_walk_alice")
    post(
        "small_carol",
        "carol",
        2 * day + 200,
        "@bob agreed, small and boring is good.",
        reply_to="bob_small",
    )
    react("bob", "carol_release", "like", 2 * day + 100)

    post("emoji", "alice", day + 500, "Emoji test: 😀 🎉 🚀 ❤️ and some maths: 2 < 3 & 5 > 4")
    post(
        "quote",
        "alice",
        day + 450,
        "Quote of the day:\n\n> Make it work, make it right, make it fast.\n\nKent Beck",
    )
    post(
        "snippet",
        "bob",
        day + 400,
        "Code snippet:\n\n```\ncurl -u bob:demo http://localhost/api/help/test.json\n```",
    )
    post("lines", "alice", day + 350, "Line one\nline two\nline three (hard line breaks)")
    post("sunset", "dave", day + 300, "Sunset over the viaduct tonight. 🌅 #photography #trains")
    post("spec", "bob", day + 200, "@alice did you see the new #gateways spec?")
    post("spec_reply", "alice", day + 190, "@bob yes! Reviewing it now.", reply_to="spec")
    react("alice", "sunset", "like", day + 180)
    react("alice", "spec", "like", day + 170)

    post("coffee", "alice", 300, "Coffee first, then code. ☕")
    post("morning", "bob", 280, "Good morning everyone!")
    post("literal", "alice", 250, "Testing [nobb][b]literal BBCode[/b][/nobb] in a post.")
    post("carol_sunday", "carol", 200, "A quiet Sunday post.")
    post("delayed", "dave", 150, "Train delayed again. #trains")
    post("night", "alice", 60, "Final post of the day. Good night! 🌙")
    react("bob", "night", "like", 30)


def seed_database(database: str, base_url: str, mode: str = "demo", profile: str = "modern") -> SeedResult:
    """Seed a database file in ``mode`` ``demo`` or ``recording``.

    Raises ValueError when the database already has users or the mode is unknown.
    """
    store = Store(database)
    try:
        if not store.is_empty():
            raise ValueError(f"database {database} already contains users")
        site = Site(store, base_url, get_profile(profile))
        front_for(site.profile).prepare(store)
        if mode == "demo":
            return seed_demo(site)
        if mode == "recording":
            return seed_recording_setup(site)
        raise ValueError(f"unknown seed mode {mode!r}; use 'demo' or 'recording'")
    finally:
        store.close()

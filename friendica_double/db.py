"""SQLite schema and store of the double.

The tables follow Friendica's model closely enough that its quirks fall out of
the data instead of special cases:

- ``contact`` contains one public row per person (``uid = 0``, whose id is
  the Twitter user id), a ``self`` row per local user, and one row per
  relationship in the owner's address book (``uid`` = owner). ``rel`` reads
  from the owner's side: FOLLOWER means the other person follows the owner,
  SHARING means the owner follows them, FRIEND both.
- ``item`` contains posts, comments and activities (likes, shares ...). Its
  ``uri_id`` is the single global id that the API uses for statuses.
- ``post_user`` records which local user holds a copy of an item, like
  Friendica's per-user rows. ``uid = 0`` is the public copy that exists only
  for public items. Timelines and visibility read this table.
- ``tag`` holds hashtags and mentions (explicit and implicit) of an item.
- ``photo`` has one row per stored size (``scale``) of a picture. The rows of
  one picture share its 32-hex ``resource_id``; each row's own ``id`` is the
  ``media_id`` of the API. ``description`` is Friendica's ``desc`` column.
- ``post_media`` lists the pictures attached to an item. Its ids are the
  ``entities.media`` ids and the ``/photo/media/<id>`` links.
- ``notify`` holds Friendica's notification rows (see ``notifications``).
  ``iid``/``parent`` are ``post_user`` ids, ``uri_id``/``parent_uri_id``
  the target item and its thread root.
- ``notification`` holds the rows of Friendica's ``notification`` table that
  its Mastodon endpoint ``/api/v1/notifications`` lists (see
  ``user_notifications``). Its ``id`` is that endpoint's notification id.
- ``mail`` holds private messages, one copy per mailbox: the sender's and the
  recipient's copy have different ids and share ``uri`` and ``parent_uri``.
- ``user_contact`` holds what a user decided about a person, keyed by the
  person's public id like Friendica's ``user-contact``: ``blocked``,
  ``ignored`` (muted), ``is_blocked`` (that person blocked the user) and two
  flags of the address-book row (``notify_new_posts``, ``intro_ignored``).
- ``profile`` and ``profile_field`` hold the profile text and the custom
  fields that ``friendica/profile/show`` returns.
- ``application`` and ``application_token`` are Friendica's OAuth 2 clients
  and their tokens, one token row per client and user (``uid = 0`` for a
  client_credentials token). Columns that are case-insensitive ``varchar``
  in Friendica's MySQL schema are ``COLLATE NOCASE`` here, and
  ``redirect_uri`` stays case-sensitive like its ``varbinary``.
- ``session`` holds the data of browser sessions (the ``PHPSESSID`` cookie)
  and ``config`` site-wide settings such as the VAPID key.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

# Relationship values of contact.rel, as Friendica numbers them.
REL_NOTHING = 0
REL_FOLLOWER = 1
REL_SHARING = 2
REL_FRIEND = 3

# Item gravities, as Friendica numbers them.
GRAVITY_PARENT = 0
GRAVITY_ACTIVITY = 3
GRAVITY_COMMENT = 6

# Values of item.private.
PUBLIC = 0
PRIVATE = 1
UNLISTED = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS user (
    uid INTEGER PRIMARY KEY,
    nickname TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    guid TEXT NOT NULL,
    created TEXT NOT NULL,
    self_contact INTEGER NOT NULL,
    public_contact INTEGER NOT NULL,
    allow_cid TEXT NOT NULL DEFAULT '',
    allow_gid TEXT NOT NULL DEFAULT '',
    deny_cid TEXT NOT NULL DEFAULT '',
    deny_gid TEXT NOT NULL DEFAULT '',
    manually_approve INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS contact (
    id INTEGER PRIMARY KEY,
    uid INTEGER NOT NULL,
    public_id INTEGER,
    self INTEGER NOT NULL DEFAULT 0,
    nick TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    about TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    guid TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    rel INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0,
    blocked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS contact_owner ON contact (uid, public_id);
CREATE TABLE IF NOT EXISTS circle (
    id INTEGER PRIMARY KEY,
    uid INTEGER NOT NULL,
    name TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS circle_member (
    circle_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    PRIMARY KEY (circle_id, contact_id)
);
CREATE TABLE IF NOT EXISTS item (
    uri_id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL,
    origin_uid INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    owner_id INTEGER NOT NULL,
    gravity INTEGER NOT NULL,
    verb TEXT NOT NULL,
    parent_uri_id INTEGER,
    thr_parent_id INTEGER,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    app TEXT NOT NULL DEFAULT '',
    coord TEXT NOT NULL DEFAULT '',
    private INTEGER NOT NULL DEFAULT 0,
    allow_cid TEXT NOT NULL DEFAULT '',
    allow_gid TEXT NOT NULL DEFAULT '',
    deny_cid TEXT NOT NULL DEFAULT '',
    deny_gid TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    edited TEXT NOT NULL,
    changed TEXT NOT NULL,
    commented TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS item_thread ON item (parent_uri_id);
CREATE INDEX IF NOT EXISTS item_parent ON item (thr_parent_id);
CREATE TABLE IF NOT EXISTS post_user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uri_id INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    reason TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    UNIQUE (uri_id, uid)
);
CREATE INDEX IF NOT EXISTS post_user_uid ON post_user (uid, uri_id);
CREATE TABLE IF NOT EXISTS tag (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uri_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    contact_id INTEGER
);
CREATE INDEX IF NOT EXISTS tag_item ON tag (uri_id);
CREATE TABLE IF NOT EXISTS photo (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid INTEGER NOT NULL,
    resource_id TEXT NOT NULL,
    scale INTEGER NOT NULL,
    photo_type INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    edited TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    album TEXT NOT NULL DEFAULT '',
    filename TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    datasize INTEGER NOT NULL,
    hash TEXT NOT NULL,
    blurhash TEXT NOT NULL DEFAULT '',
    data BLOB NOT NULL,
    profile INTEGER NOT NULL DEFAULT 0,
    allow_cid TEXT NOT NULL DEFAULT '',
    allow_gid TEXT NOT NULL DEFAULT '',
    deny_cid TEXT NOT NULL DEFAULT '',
    deny_gid TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS photo_resource ON photo (resource_id, scale);
CREATE INDEX IF NOT EXISTS photo_album ON photo (uid, album);
CREATE TABLE IF NOT EXISTS post_media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uri_id INTEGER NOT NULL,
    type INTEGER NOT NULL,
    url TEXT NOT NULL,
    mimetype TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    preview TEXT NOT NULL DEFAULT '',
    preview_width INTEGER NOT NULL DEFAULT 0,
    preview_height INTEGER NOT NULL DEFAULT 0,
    blurhash TEXT NOT NULL DEFAULT '',
    UNIQUE (uri_id, url)
);
CREATE TABLE IF NOT EXISTS notify (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid INTEGER NOT NULL,
    type INTEGER NOT NULL,
    cause INTEGER NOT NULL DEFAULT 0,
    verb TEXT NOT NULL,
    otype TEXT NOT NULL,
    actor_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    author_id INTEGER NOT NULL DEFAULT 0,
    author_name TEXT NOT NULL DEFAULT '',
    template TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    uri_id INTEGER,
    parent_uri_id INTEGER,
    iid INTEGER NOT NULL DEFAULT 0,
    parent INTEGER NOT NULL DEFAULT 0,
    date TEXT NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS notify_user ON notify (uid, seen, date);
CREATE TABLE IF NOT EXISTS notification (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid INTEGER NOT NULL,
    verb TEXT NOT NULL,
    type INTEGER NOT NULL,
    actor_id INTEGER NOT NULL,
    target_uri_id INTEGER,
    parent_uri_id INTEGER,
    created TEXT NOT NULL,
    dismissed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (uid, verb, type, actor_id, target_uri_id)
);
CREATE TABLE IF NOT EXISTS mail (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid INTEGER NOT NULL,
    guid TEXT NOT NULL,
    uri TEXT NOT NULL,
    parent_uri TEXT NOT NULL,
    author_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mail_mailbox ON mail (uid, id);
CREATE TABLE IF NOT EXISTS user_contact (
    uid INTEGER NOT NULL,
    public_id INTEGER NOT NULL,
    blocked INTEGER NOT NULL DEFAULT 0,
    ignored INTEGER NOT NULL DEFAULT 0,
    is_blocked INTEGER NOT NULL DEFAULT 0,
    notify_new_posts INTEGER NOT NULL DEFAULT 0,
    intro_ignored INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (uid, public_id)
);
CREATE TABLE IF NOT EXISTS profile (
    uid INTEGER PRIMARY KEY,
    about TEXT,
    net_publish INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS profile_field (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid INTEGER NOT NULL,
    label TEXT NOT NULL,
    value TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    public INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS application (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE COLLATE NOCASE,
    client_secret TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    website TEXT,
    scopes TEXT,
    read INTEGER,
    write INTEGER,
    follow INTEGER,
    push INTEGER
);
CREATE TABLE IF NOT EXISTS application_token (
    application_id INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    code TEXT NOT NULL COLLATE NOCASE,
    access_token TEXT NOT NULL COLLATE NOCASE,
    created_at TEXT NOT NULL,
    scopes TEXT,
    read INTEGER,
    write INTEGER,
    follow INTEGER,
    push INTEGER,
    PRIMARY KEY (application_id, uid)
);
CREATE INDEX IF NOT EXISTS application_token_access ON application_token (access_token);
CREATE TABLE IF NOT EXISTS session (
    sid TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS config (
    cat TEXT NOT NULL,
    k TEXT NOT NULL,
    v TEXT NOT NULL,
    PRIMARY KEY (cat, k)
);
"""

Row = sqlite3.Row


class Store:
    """One SQLite database with the double's data; safe to share between threads."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.executescript(SCHEMA)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one transaction; nested blocks join the outer one."""
        with self._lock:
            if self._depth == 0:
                self.connection.execute("BEGIN")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self.connection.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self.connection.execute("COMMIT")

    def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement and return its cursor."""
        with self._lock:
            return self.connection.execute(sql, tuple(args))

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        """Return all rows of a query."""
        with self._lock:
            return self.connection.execute(sql, tuple(args)).fetchall()

    def one(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        """Return the first row of a query, or None."""
        with self._lock:
            row: Row | None = self.connection.execute(sql, tuple(args)).fetchone()
            return row

    def scalar(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """Return the first column of the first row, or None."""
        row = self.one(sql, args)
        return None if row is None else row[0]

    def count(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Return the first column of the first row as an int (for COUNT queries)."""
        return int(self.scalar(sql, args) or 0)

    def insert(self, table: str, fields: dict[str, Any]) -> int:
        """Insert one row and return its rowid."""
        columns = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        cursor = self.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(fields.values()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def is_empty(self) -> bool:
        """Return whether no user exists yet (a fresh database)."""
        return self.count("SELECT COUNT(*) FROM user") == 0

    # Users

    def user(self, uid: int) -> Row | None:
        """Return the local user ``uid``."""
        return self.one("SELECT * FROM user WHERE uid = ?", [uid])

    def user_by_nickname(self, nickname: str) -> Row | None:
        """Return the local user with this nickname (case-insensitive)."""
        return self.one("SELECT * FROM user WHERE lower(nickname) = lower(?)", [nickname])

    def user_by_login(self, login: str) -> Row | None:
        """Return the local user whose nickname or email is ``login``."""
        return self.one(
            "SELECT * FROM user WHERE lower(nickname) = lower(?) OR lower(email) = lower(?)",
            [login, login],
        )

    def user_by_public_contact(self, public_id: int) -> Row | None:
        """Return the local user behind a public contact id."""
        return self.one("SELECT * FROM user WHERE public_contact = ?", [public_id])

    def users(self) -> list[Row]:
        """Return all local users in uid order."""
        return self.query("SELECT * FROM user ORDER BY uid")

    # Contacts

    def contact(self, contact_id: int) -> Row | None:
        """Return any contact row by id."""
        return self.one("SELECT * FROM contact WHERE id = ?", [contact_id])

    def public_contact(self, public_id: int) -> Row | None:
        """Return the public (``uid = 0``) contact row with this id."""
        return self.one("SELECT * FROM contact WHERE id = ? AND uid = 0", [public_id])

    def public_contact_by_nick(self, nick: str) -> Row | None:
        """Return the public contact of the local user called ``nick``."""
        return self.one(
            "SELECT contact.* FROM contact JOIN user ON user.public_contact = contact.id "
            "WHERE lower(user.nickname) = lower(?)",
            [nick],
        )

    def user_contact(self, owner_uid: int, public_id: int) -> Row | None:
        """Return the owner's address-book row for a person (the self row for the owner)."""
        return self.one(
            "SELECT * FROM contact WHERE uid = ? AND public_id = ? ORDER BY self DESC, id LIMIT 1",
            [owner_uid, public_id],
        )

    def follower_uids(self, uid: int) -> list[int]:
        """Return the local users who follow ``uid`` (accepted requests only)."""
        rows = self.query(
            "SELECT user.uid FROM contact JOIN user ON user.public_contact = contact.public_id "
            "WHERE contact.uid = ? AND contact.self = 0 AND contact.pending = 0 "
            "AND contact.rel IN (?, ?) ORDER BY user.uid",
            [uid, REL_FOLLOWER, REL_FRIEND],
        )
        return [row["uid"] for row in rows]

    def contacts_by_relation(self, uid: int, rels: Sequence[int]) -> list[Row]:
        """Return the owner's accepted contacts with one of ``rels``, newest public id first."""
        marks = ", ".join("?" for _ in rels)
        return self.query(
            f"SELECT * FROM contact WHERE uid = ? AND self = 0 AND pending = 0 "
            f"AND rel IN ({marks}) ORDER BY public_id DESC",
            [uid, *rels],
        )

    def pending_requests(self, uid: int) -> list[Row]:
        """Return the owner's contact rows of people whose follow request waits (Friendica's intros).

        A pending SHARING row is the owner's own request to someone else, and
        a request the owner chose to ignore is no longer listed.
        """
        return self.query(
            "SELECT * FROM contact WHERE uid = ? AND self = 0 AND pending = 1 AND blocked = 0 "
            "AND rel IN (?, ?) AND NOT EXISTS (SELECT 1 FROM user_contact "
            "WHERE user_contact.uid = contact.uid AND user_contact.public_id = contact.public_id "
            "AND user_contact.intro_ignored = 1) ORDER BY id DESC",
            [uid, REL_FOLLOWER, REL_FRIEND],
        )

    # Circles

    def circle_member_contacts(self, owner_uid: int, circle_id: int) -> list[int]:
        """Return the contact ids in one of the owner's circles (empty if it is not theirs)."""
        rows = self.query(
            "SELECT circle_member.contact_id FROM circle_member "
            "JOIN circle ON circle.id = circle_member.circle_id "
            "WHERE circle.id = ? AND circle.uid = ? AND circle.deleted = 0",
            [circle_id, owner_uid],
        )
        return [row["contact_id"] for row in rows]

    # Items

    def item(self, uri_id: int) -> Row | None:
        """Return the item with this uri-id, deleted or not."""
        return self.one("SELECT * FROM item WHERE uri_id = ?", [uri_id])

    def item_by_guid(self, guid: str) -> Row | None:
        """Return the item with this guid."""
        return self.one("SELECT * FROM item WHERE guid = ?", [guid])

    def holder(self, uri_id: int, uid: int) -> Row | None:
        """Return the ``post_user`` row of ``uid`` for an item."""
        return self.one("SELECT * FROM post_user WHERE uri_id = ? AND uid = ?", [uri_id, uid])

    def holder_uids(self, uri_id: int, reasons: Sequence[str] | None = None) -> list[int]:
        """Return the users holding a copy (``0`` for the public copy), optionally by reason."""
        if reasons is None:
            rows = self.query("SELECT uid FROM post_user WHERE uri_id = ? ORDER BY id", [uri_id])
        else:
            marks = ", ".join("?" for _ in reasons)
            rows = self.query(
                f"SELECT uid FROM post_user WHERE uri_id = ? AND reason IN ({marks}) ORDER BY id",
                [uri_id, *reasons],
            )
        return [row["uid"] for row in rows]

    def add_holder(self, uri_id: int, uid: int, reason: str) -> None:
        """Give ``uid`` a copy of an item unless it already has one."""
        self.execute(
            "INSERT OR IGNORE INTO post_user (uri_id, uid, reason) VALUES (?, ?, ?)",
            [uri_id, uid, reason],
        )

    def tags(self, uri_id: int, types: Sequence[str]) -> list[Row]:
        """Return the tags of an item with one of ``types``, in the order they were stored."""
        marks = ", ".join("?" for _ in types)
        return self.query(
            f"SELECT * FROM tag WHERE uri_id = ? AND type IN ({marks}) ORDER BY id",
            [uri_id, *types],
        )

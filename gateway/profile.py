"""The viewer's own account: what only it shows, and changing it (``update_credentials``).

The Twitter-compatible API changes the display name, the profile text
(``account/update_profile``) and the avatar (``account/update_profile_image``).
The header picture, ``locked`` and ``discoverable`` need Friendica's own
Mastodon API. Profile fields, the default visibility, the default language
and marking media sensitive cannot be changed through any API. A request
to change them is rejected with 422 before anything is written. Values
equal to the current ones pass, because apps send the whole form back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.datastructures import UploadFile

from gateway.auth.bearer import UserViewer
from gateway.errors import PayloadTooLarge, Unprocessable
from gateway.lookups import own_account
from gateway.media import inspect_image
from gateway.params import Params
from gateway.services import Services
from mappings.accounts import OwnProfile, credential_account_from_friendica, profile_fields_from_friendica
from mappings.entities import AccountField, Visibility

MAX_DISPLAY_NAME = 30
MAX_NOTE = 500

_FIELD_KEY = re.compile(r"^fields_attributes\[(\d+)\]\[(name|value)\]$")
_SOURCE_KEY = re.compile(r"^source\[(\w+)\]$")


async def own_profile(shared: Services, viewer: UserViewer) -> OwnProfile:
    """Return the viewer's profile fields, counts, waiting requests and default visibility (cached)."""
    cached = shared.users.own_profile(viewer.credential)
    if cached is not None:
        return cached

    credential = viewer.credential
    shown: list[AccountField] = []
    typed: list[AccountField] = []
    if (await shared.capabilities.get()).has("profile_fields"):
        shown, typed = profile_fields_from_friendica(await shared.upstream.own_profile(credential))
    privacy: Visibility = "public"
    if (await shared.capabilities.get()).native_api:
        preferences = await shared.upstream.native_preferences(credential) or {}
        default = preferences.get("posting:default:visibility")
        if default in ("public", "unlisted", "private", "direct"):
            privacy = default
    requests = 0
    if (await shared.capabilities.get()).has("follow_requests"):
        requests = await shared.upstream.contact_count(credential, "incoming") or 0
    own = OwnProfile(
        fields=tuple(shown),
        source_fields=tuple(typed),
        followers_count=await shared.upstream.contact_count(credential, "followers"),
        following_count=await shared.upstream.contact_count(credential, "friends"),
        follow_requests_count=requests,
        privacy=privacy,
    )
    shared.users.put_own_profile(credential, own)
    return own


async def own_account_json(
    shared: Services, viewer: UserViewer, user: dict[str, Any], *, locked: bool | None = None
) -> dict[str, Any]:
    ctx = await shared.mapping_context(viewer.user_id)
    own = await own_profile(shared, viewer)
    return credential_account_from_friendica(user, ctx, own, locked=locked).to_json()


@dataclass
class ProfileChange:
    """The changes an ``update_credentials`` request contains; None leaves a value as it is."""

    display_name: str | None = None
    note: str | None = None
    avatar: UploadFile | None = None
    header: UploadFile | None = None
    locked: bool | None = None
    discoverable: bool | None = None
    bot: bool | None = None
    fields: list[tuple[str, str]] | None = None
    source: dict[str, Any] = field(default_factory=dict)


def read_change(params: Params) -> ProfileChange:
    """Read and check an ``update_credentials`` request, from form, multipart or JSON alike."""
    change = ProfileChange(
        display_name=params.string("display_name"),
        note=params.string("note"),
        avatar=_upload(params, "avatar"),
        header=_upload(params, "header"),
        locked=params.boolean("locked") if "locked" in params else None,
        discoverable=params.boolean("discoverable") if "discoverable" in params else None,
        bot=params.boolean("bot") if "bot" in params else None,
        fields=_fields(params),
        source=_source(params),
    )
    if change.display_name is not None and len(change.display_name) > MAX_DISPLAY_NAME:
        raise Unprocessable(
            f"Validation failed: Display name is longer than {MAX_DISPLAY_NAME} characters",
            field="display_name",
        )
    if change.note is not None and len(change.note) > MAX_NOTE:
        raise Unprocessable(f"Validation failed: Note is longer than {MAX_NOTE} characters", field="note")
    return change


def _upload(params: Params, name: str) -> UploadFile | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, UploadFile):
        raise Unprocessable(
            f"Validation failed: {name} must be a picture sent as a multipart file", field=name
        )
    return value


def _fields(params: Params) -> list[tuple[str, str]] | None:
    """Read ``fields_attributes`` as ``[i][name]``/``[i][value]`` form keys or a JSON list or object."""
    entries: dict[int, dict[str, str]] = {}
    for name in params.names():
        match = _FIELD_KEY.match(name)
        if match:
            entries.setdefault(int(match.group(1)), {})[match.group(2)] = str(params.get(name) or "")
    document = params.get("fields_attributes")
    if isinstance(document, dict):
        positions = sorted(document, key=lambda key: int(key) if str(key).isdigit() else 0)
        document = [document[key] for key in positions]
    if isinstance(document, list):
        for position, entry in enumerate(document):
            if isinstance(entry, dict):
                entries[position] = {key: str(entry.get(key) or "") for key in ("name", "value")}
    if not entries and "fields_attributes" not in params:
        return None
    pairs = [(entry.get("name", ""), entry.get("value", "")) for _, entry in sorted(entries.items())]
    # Apps send empty rows for the blank lines of their edit form.
    return [(name.strip(), value.strip()) for name, value in pairs if name.strip() or value.strip()]


def _source(params: Params) -> dict[str, Any]:
    """Read ``source[privacy]``-style form keys or a JSON ``source`` object."""
    source: dict[str, Any] = {}
    document = params.get("source")
    if isinstance(document, dict):
        source.update(document)
    for name in params.names():
        match = _SOURCE_KEY.match(name)
        if match:
            source[match.group(1)] = params.get(name)
    return source


def unsupported(
    change: ProfileChange,
    own: OwnProfile,
    *,
    native_api: bool,
    current: dict[str, Any] | None = None,
) -> list[str]:
    """Return the requested changes the upstream cannot store, in words for the 422.

    ``current`` is the viewer's user object where the upstream cannot change
    the display name and profile text (no ``account/update_profile``).
    """
    refused = []
    if current is not None and _changes_name_or_text(change, current):
        refused.append("change the display name or profile text")
    if change.fields is not None and change.fields != [(item.name, item.value) for item in own.source_fields]:
        refused.append("change profile fields")
    if change.bot:
        refused.append("mark the account as a bot")
    privacy = change.source.get("privacy")
    if privacy not in (None, "", own.privacy):
        refused.append("change the default visibility")
    if str(change.source.get("sensitive", "")).lower() in ("1", "true", "on"):
        refused.append("mark media sensitive by default")
    if change.source.get("language") not in (None, ""):
        refused.append("set a default language")
    if not native_api:
        if change.header is not None:
            refused.append("change the header picture")
        if change.locked is not None:
            refused.append("lock or unlock the account")
        if change.discoverable is not None:
            refused.append("change whether the account is listed in the directory")
    return refused


def _changes_name_or_text(change: ProfileChange, current: dict[str, Any]) -> bool:
    name = change.display_name.strip() if change.display_name is not None else None
    if name is not None and name not in ("", str(current.get("name") or "")):
        return True
    note = change.note.strip() if change.note is not None else None
    return note is not None and note != str(current.get("description") or "").strip()


async def picture_of(shared: Services, upload: UploadFile, name: str) -> tuple[str, bytes, str]:
    """Read an avatar or header upload as (file name, bytes, type); raises 413 or 422 for bad files."""
    limit = shared.settings.media_size_limit
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"The {name} picture is larger than the limit of {limit} bytes")
    facts = await anyio.to_thread.run_sync(inspect_image, data, upload.content_type)
    return upload.filename or name, data, facts.mimetype


async def update_credentials(shared: Services, viewer: UserViewer, change: ProfileChange) -> dict[str, Any]:
    """Apply a profile change upstream and return the viewer's account as it is afterwards."""
    credential = viewer.credential
    capabilities = await shared.capabilities.get()
    updates_profile = capabilities.has("profile_update")
    current = None if updates_profile else await own_account(shared, viewer, fresh=True)
    refused = unsupported(
        change, await own_profile(shared, viewer), native_api=capabilities.native_api, current=current
    )
    if refused:
        cannot = " or ".join(refused)
        raise Unprocessable(f"The upstream server does not support this: it cannot {cannot} through its API")
    if change.avatar:
        # Checked before anything is changed, so a rejected change leaves the profile as it was.
        capabilities.require("profile_image")
    avatar = await picture_of(shared, change.avatar, "avatar") if change.avatar else None
    header = await picture_of(shared, change.header, "header") if change.header else None

    if updates_profile and (change.display_name is not None or change.note is not None):
        # Friendica ignores an empty name. Mastodon shows the username instead of an empty display
        # name, so that is what an empty one becomes.
        name = change.display_name.strip() or viewer.username if change.display_name is not None else None
        await shared.upstream.change_profile(credential, viewer.user_id, name=name, description=change.note)
    if avatar is not None:
        filename, data, mimetype = avatar
        await shared.upstream.update_profile_image(
            credential, viewer.user_id, data, filename=filename, mimetype=mimetype
        )
    locked = await _native_changes(shared, viewer, change, header)

    shared.users.forget(credential, viewer.user_id)
    user = await own_account(shared, viewer, fresh=True)
    return await own_account_json(shared, viewer, user, locked=locked)


async def _native_changes(
    shared: Services, viewer: UserViewer, change: ProfileChange, header: tuple[str, bytes, str] | None
) -> bool | None:
    """Send what only the upstream's own Mastodon API changes; return ``locked`` as it now is."""
    form = {
        name: "true" if value else "false"
        for name, value in (("locked", change.locked), ("discoverable", change.discoverable))
        if value is not None
    }
    files = {"header": header} if header is not None else {}
    if not form and not files:
        return None
    account = await shared.upstream.native_update_credentials(viewer.credential, viewer.user_id, form, files)
    locked = account.get("locked")
    return locked if isinstance(locked, bool) else None

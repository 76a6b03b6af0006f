"""GNU social 1.2's blocks: ``ApiBlockCreateAction`` and ``ApiBlockDestroyAction``.

A block is GNU social's ``Profile_block`` row, the double's ``blocked``
flag of ``user_contact``. ``User::block()`` also cancels the subscriptions
in both directions, and ``Subscription::start()`` then refuses the blocked
profile's new subscription with "User has blocked you.". An unblock only
deletes the block, so the cancelled subscriptions stay cancelled.

Both actions need a POST and a login, and return the other profile's
user array (its newest notice included) once the block is (or is no
longer) in place. Blocking a blocked profile, or unblocking one that is
not blocked, changes nothing and returns the same.

1.2 routes no list of blocks: ``blocks/blocking`` and ``blocks/ids`` are
only in its API documentation.
"""

from __future__ import annotations

from typing import Any

from . import people, user_contacts
from .db import Row
from .gnusocial_routes import renderer
from .gnusocial_routing import GsCall, GsError


def has_blocked(call: GsCall, blocker_uid: int, public_id: int) -> bool:
    """Return whether a local user blocks a profile (``Profile::hasBlocked()``)."""
    return user_contacts.flag(call.store, blocker_uid, public_id, "blocked")


def block_target(call: GsCall) -> Row:
    """Return the profile a block action names, like ``ApiAction::getTargetProfile($this->arg('id'))``.

    ``id`` (path or parameter) is a profile id or a local nickname, then come
    ``user_id`` and ``screen_name``, then the caller. A lookup that throws in
    GNU social (an unknown id or nickname) ends in its exception handler,
    which responds with 500 and the exception's message.
    """
    store = call.store
    params = call.params
    value = params.string("id").strip()
    if value:
        if value.isdigit() and int(value) > 0:
            profile = store.public_contact(int(value))
            if profile is None:
                raise GsError(500, "No result found on Profile lookup.")
            return profile
        return _local_profile(call, value)

    if params.non_empty("user_id"):
        user_id = params.string("user_id")
        profile = store.public_contact(int(user_id)) if user_id.isdigit() else None
        if profile is None:
            raise GsError(404, "No such user.")
        return profile

    if params.string("screen_name"):
        return _local_profile(call, params.string("screen_name"))
    return call.store.public_contact(call.profile_id)  # type: ignore[return-value]


def _local_profile(call: GsCall, nickname: str) -> Row:
    """Return the profile of a local user by nickname; ``User::getByNickname()`` throws for none."""
    profile = call.store.public_contact_by_nick(nickname.strip())
    if profile is None:
        raise GsError(500, "No such user found.")
    return profile


def block_create(call: GsCall) -> dict[str, Any]:
    """POST blocks/create: block a profile, cancel the subscriptions both ways, return the profile."""
    user = call.require_user()
    other_id = int(block_target(call)["id"])
    if other_id == call.profile_id:
        raise GsError(403, "You cannot block yourself!")

    if not has_blocked(call, call.uid, other_id):
        store = call.store
        with store.transaction():
            user_contacts.set_blocked(store, call.uid, other_id, True)
            if people.follows(store, call.uid, other_id):
                people.unfollow(store, call.uid, other_id)
            other = store.user_by_public_contact(other_id)
            if other is not None and people.follows(store, int(other["uid"]), int(user["public_contact"])):
                people.unfollow(store, int(other["uid"]), int(user["public_contact"]))

    if not has_blocked(call, call.uid, other_id):
        raise GsError(500, "Block user failed.")
    return renderer(call).user(other_id, with_status=True)


def block_destroy(call: GsCall) -> dict[str, Any]:
    """POST blocks/destroy: lift a block and return the profile; cancelled subscriptions stay cancelled."""
    call.require_user()
    other_id = int(block_target(call)["id"])

    if has_blocked(call, call.uid, other_id):
        user_contacts.set_blocked(call.store, call.uid, other_id, False)

    if has_blocked(call, call.uid, other_id):
        raise GsError(500, "Unblock user failed.")
    return renderer(call).user(other_id, with_status=True)

"""Contract test: replay the recorded Friendica 2024.08 calls against a fresh double.

The double starts from the recorded server's initial state (seed mode
``recording``). Recordings run in their recorded order because later calls see
the effects of earlier ones; running a single case replays everything before
it first. Status ids in requests are translated to the ids the double
created, learned from the responses of the posting calls, and so are photo
resource ids and row ids (see ``recorded_media``) and mail copy ids, thread
keys and notification ids (see ``recorded_mail``). Recorded file uploads are
replayed with stand-in pictures of the same name, type and pixel size.

Each replayed call must match the recording in status code, content family
(JSON, HTML, image or empty), the kind of HTML page and its message (digits
aside), for JSON in structure: keys, key order and value types,
recursively, and for images in content type, readability and size class.

Calls of areas the double does not serve yet are skipped through
``NOT_IMPLEMENTED``. Where a later call depends on a skipped one, a stand-in
creates the same state through the double's own functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from friendica_double import posts
from friendica_double.context import Site

from .recorded_mail import MailIds
from .recorded_media import PhotoIds, image_differences, recorded_files
from .support import (
    DoubleClient,
    Recording,
    content_family,
    exception_message,
    fresh_double,
    html_kind,
    load_recordings,
    recordings_directory,
    shape_differences,
)

# Recordings of areas the double does not serve yet, by area (recording numbers).
NOT_IMPLEMENTED = {
    "XML/Atom output": "010 140 157 159 198 247",
    "events": "156",
}
SKIP_REASONS = {
    number: f"not implemented yet: {area}"
    for area, numbers in NOT_IMPLEMENTED.items()
    for number in numbers.split()
}

# Status ids of the recorded server's initial posts and the seed labels of the same posts.
RECORDED_SEED_STATUSES = {3: "hello", 9: "second_post"}
# Bob's share of status 22 (recording 055) has this uri-id on the recorded server.
RECORDED_SHARE_ID = 55

PASSWORD_FOR = {"bad": "wrong password"}
USER_FOR = {"bad": "alice", "none": None}

STATUS_PATH = re.compile(
    r"^/api/(?:1\.1/)?(statuses/|favorites|friendica/activity/|conversation/|statusnet/conversation|"
    r"search|v1/statuses/|friendica/statuses/)"
)
ID_IN_PATH = re.compile(
    r"(statuses/(?:show|destroy|retweet)/|conversation/show/|statusnet/conversation/|"
    r"v1/statuses/|friendica/statuses/)(\d+)"
)
EXACT_ID_PARAMETERS = ("id", "in_reply_to_status_id", "conversation_id")
BOUND_PARAMETERS = ("max_id", "since_id")
PHOTO_PARAMETERS = ("photo_id", "media_ids")
# Circle ids in circle and list calls. The double learns its own ids from the create calls.
CIRCLE_ID_PATH = re.compile(r"^/api/(?:1\.1/)?(?:friendica/(?:group|circle)_|lists/)")
CIRCLE_ID_PARAMETERS = ("gid", "list_id")
CIRCLE_PARAMETERS = (
    "circle_allow",
    "circle_allow[]",
    "circle_deny",
    "circle_deny[]",
    "group_allow",
    "group_allow[]",
    "group_deny",
    "group_deny[]",
)


class Replayer:
    """Replays recordings in order against one double and translates ids."""

    def __init__(self, directory: Path, recordings: list[Recording]):
        double = fresh_double(directory, "recording")
        self.client: DoubleClient = double.client
        self.site: Site = double.app.state.site
        self.recordings = recordings
        self.statuses = {
            recorded: double.seed.statuses[label] for recorded, label in RECORDED_SEED_STATUSES.items()
        }
        self.circles: dict[int, int] = {}
        self.photo_ids = PhotoIds()
        self.mail_ids = MailIds()
        self.done: set[str] = set()
        # Stand-ins for skipped calls whose effects later calls need (none at the moment).
        self.stand_ins: dict[str, Callable[[], None]] = {}

    # Replay

    def catch_up(self, number: str) -> None:
        """Replay every recording before ``number`` that has not run yet."""
        for recording in self.recordings:
            if recording.number >= number:
                break
            if recording.number not in self.done:
                self.replay(recording)

    def replay(self, recording: Recording) -> httpx.Response | None:
        """Send one recorded request (or run its stand-in if skipped) and learn new ids."""
        self.done.add(recording.number)
        if recording.number in SKIP_REASONS:
            stand_in = self.stand_ins.get(recording.number)
            if stand_in is not None:
                stand_in()
            return None

        request = recording.request
        auth = request["auth"]
        response = self.client.request(
            request["method"],
            self._translate_path(request["path"]),
            user=USER_FOR.get(auth, auth),
            password=PASSWORD_FOR.get(auth, "demo"),
            params=self._translate_parameters(request["path"], request["query"]) or None,
            data=self._translate_parameters(request["path"], request["form"]) or None,
            files=recorded_files(request),
            json=self.photo_ids.json_body(request.get("json")),
        )
        self._learn(recording, response)
        return response

    def _learn(self, recording: Recording, response: httpx.Response) -> None:
        request = recording.request
        recorded_body = recording.response["body"]
        is_post = request["method"] == "POST" and "statuses/update" in request["path"]
        if is_post and isinstance(recorded_body, dict) and response.status_code == 200:
            self.statuses[recorded_body["id"]] = response.json()["id"]
        self.photo_ids.learn(request["path"], recorded_body, response)
        self.mail_ids.learn(request["path"], recorded_body, response)
        self._learn_circle(request["path"], recorded_body, response)
        if recording.number == "055":
            share = posts.find_activity(self.site.store, 3, self.statuses[22], ("announce",))
            assert share is not None, "the reblog stored no share activity"
            self.statuses[RECORDED_SHARE_ID] = share["uri_id"]

    def _learn_circle(self, path: str, recorded_body: Any, response: httpx.Response) -> None:
        """Map the circle id of a recorded circle_create, group_create or lists/create to the double's."""
        if response.status_code != 200 or not isinstance(recorded_body, dict):
            return
        if re.search(r"/friendica/(?:group|circle)_create", path):
            self.circles[recorded_body["gid"]] = response.json()["gid"]
        elif "/lists/create" in path:
            self.circles[recorded_body["lists"]["id"]] = response.json()["lists"]["id"]

    def _translate_path(self, path: str) -> str:
        path = self.photo_ids.path(path)
        return ID_IN_PATH.sub(lambda match: match.group(1) + str(self._exact(int(match.group(2)))), path)

    def _translate_parameters(self, path: str, values: dict[str, Any]) -> dict[str, Any]:
        translated: dict[str, Any] = {}
        is_status_call = bool(STATUS_PATH.match(path))
        for key, value in values.items():
            if is_status_call and key in EXACT_ID_PARAMETERS:
                value = self._exact(int(value))
            elif is_status_call and key in BOUND_PARAMETERS:
                value = self._bound(int(value))
            elif self._names_circle(path, key) and str(value).isdigit():
                value = self.circles.get(int(value), int(value))
            elif key in PHOTO_PARAMETERS:
                value = self.photo_ids.parameter(key, value)
            else:
                value = self.mail_ids.parameter(path, key, value)
            translated[key] = [str(item) for item in value] if isinstance(value, list) else str(value)
        return translated

    @staticmethod
    def _names_circle(path: str, key: str) -> bool:
        """Tell whether a parameter is a circle id: an ACL circle, or gid/list_id of a circle call."""
        return key in CIRCLE_PARAMETERS or (key in CIRCLE_ID_PARAMETERS and bool(CIRCLE_ID_PATH.match(path)))

    def _exact(self, recorded: int) -> int:
        return self.statuses.get(recorded, recorded)

    def _bound(self, recorded: int) -> int:
        """Map a paging bound to the double's id of the newest known status at or below it."""
        below = [known for known in self.statuses if known <= recorded]
        return self.statuses[max(below)] if below else 0


RECORDINGS = load_recordings(recordings_directory()) if recordings_directory().is_dir() else []


@pytest.fixture(scope="module")
def replayer(tmp_path_factory: pytest.TempPathFactory) -> Replayer:
    if not RECORDINGS:
        pytest.fail(
            f"no recordings found; set MASTOGATE_REFERENCE to the reference directory "
            f"(looked in {recordings_directory()})"
        )
    return Replayer(tmp_path_factory.mktemp("contract"), RECORDINGS)


@pytest.mark.parametrize("recording", RECORDINGS, ids=[recording.name for recording in RECORDINGS])
def test_recording(replayer: Replayer, recording: Recording) -> None:
    replayer.catch_up(recording.number)
    response = replayer.replay(recording)
    if response is None:
        pytest.skip(SKIP_REASONS[recording.number])

    expected = recording.response
    assert response.status_code == expected["status"], response.text[:500]

    expected_family = content_family(expected["content_type"], expected["body"])
    actual_family = content_family(response.headers.get("content-type", ""), response.content)
    assert actual_family == expected_family

    if expected_family == "html":
        assert html_kind(response.text) == html_kind(expected["body"])
        if html_kind(expected["body"]) == "exception page":
            digits = re.compile(r"\d+")
            recorded_message = digits.sub("N", exception_message(expected["body"]))
            assert digits.sub("N", exception_message(response.text)) == recorded_message

    if expected_family == "json":
        assert shape_differences(expected["body"], response.json()) == []

    if expected_family == "image":
        assert image_differences(recording.request["path"], expected["body"], response) == []


def test_skip_list_names_recordings() -> None:
    if not RECORDINGS:
        pytest.fail(f"no recordings found in {recordings_directory()}")
    numbers = {recording.number for recording in RECORDINGS}
    unknown = sorted(set(SKIP_REASONS) - numbers)
    assert unknown == []

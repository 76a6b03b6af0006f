"""Replaying recorded mail and notification calls: their ids, mapped to the double's.

Mail copy ids differ from the recorded server's, because the double delivers
a copy to the recipient at once where Friendica's worker delivered several
messages later, and so do the random thread keys (``friendica_parent_uri``).
Notification ids come out the same when the double creates the same rows in
the same order, but they are mapped too, so that a difference cannot send a
later call to another row. Ids are learned from the double's responses and
translated in later requests.
"""

from __future__ import annotations

from typing import Any

import httpx

MAIL_ID_PARAMETERS = ("id", "replyto", "since_id", "max_id", "min_id")
THREAD_PARAMETERS = ("uri", "friendica_parenturi")
# The fields that tell notification rows apart when matching recorded rows to the double's.
NOTIFICATION_KEY = ("type", "verb", "name", "otype")


class MailIds:
    """Recorded mail copy ids, thread keys and notification ids, mapped to the double's."""

    def __init__(self) -> None:
        self.mails: dict[int, int] = {}
        self.threads: dict[str, str] = {}
        self.notifications: dict[int, int] = {}

    def learn(self, path: str, recorded: Any, response: httpx.Response) -> None:
        """Learn ids from the double's response to a mail or notification call."""
        if response.status_code != 200 or "json" not in response.headers.get("content-type", ""):
            return
        actual = response.json()
        if "direct_messages" in path:
            if isinstance(recorded, dict) and isinstance(actual, dict) and "search_results" in recorded:
                recorded, actual = recorded["search_results"], actual["search_results"]
            recorded_mails = recorded if isinstance(recorded, list) else [recorded]
            actual_mails = actual if isinstance(actual, list) else [actual]
            if len(recorded_mails) == len(actual_mails):
                for recorded_mail, actual_mail in zip(recorded_mails, actual_mails, strict=True):
                    self._learn_mail(recorded_mail, actual_mail)
        elif "friendica/notification" in path and isinstance(recorded, list) and isinstance(actual, list):
            self._learn_notifications(recorded, actual)

    def _learn_mail(self, recorded: Any, actual: Any) -> None:
        if not isinstance(recorded, dict) or not isinstance(actual, dict) or "id" not in recorded:
            return
        self.mails[int(recorded["id"])] = int(actual["id"])
        if "friendica_parent_uri" in recorded and "friendica_parent_uri" in actual:
            self.threads[recorded["friendica_parent_uri"]] = actual["friendica_parent_uri"]

    def _learn_notifications(self, recorded: list[dict[str, Any]], actual: list[dict[str, Any]]) -> None:
        unused = list(actual)
        for recorded_row in recorded:
            match = next((row for row in unused if _key(row) == _key(recorded_row)), None)
            if match is not None:
                unused.remove(match)
                self.notifications[int(recorded_row["id"])] = int(match["id"])

    def parameter(self, path: str, key: str, value: Any) -> Any:
        """Translate mail ids and thread keys of mail calls and the id of ``notification/seen``."""
        if "direct_messages" in path:
            if key in MAIL_ID_PARAMETERS and str(value).isdigit():
                return self.mails.get(int(value), value)
            if key in THREAD_PARAMETERS:
                return self.threads.get(str(value), value)
        if "friendica/notification/seen" in path and key == "id" and str(value).isdigit():
            return self.notifications.get(int(value), value)
        return value


def _key(row: dict[str, Any]) -> list[Any]:
    return [row.get(field) for field in NOTIFICATION_KEY]

"""Request parameters read the way Friendica's PHP code reads them.

Friendica takes parameters from PHP's ``$_REQUEST``: query string and form
body merged, with the body winning. ``name[]=a&name[]=b`` becomes a list and
``name[key]=v`` a mapping. Its ``getRequestValue()`` then coerces each value
by the type of the default: integers through ``FILTER_VALIDATE_INT`` (an
invalid value counts as 0 when a minimum is given), booleans through
``FILTER_VALIDATE_BOOLEAN`` (anything not truthy is false).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_INTEGER = re.compile(r"^\s*[+-]?(0|[1-9][0-9]*)\s*$")
_TRUTHY = {"1", "true", "on", "yes"}
_BRACKETED = re.compile(r"^([^\[\]]+)\[([^\[\]]*)\]$")

ParamValue = str | list[str] | dict[str, str]


def php_int(value: Any) -> int | None:
    """Return ``value`` as PHP's FILTER_VALIDATE_INT accepts it, or None when invalid."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or not _INTEGER.match(value):
        return None
    return int(value)


def php_bool(value: Any) -> bool:
    """Return ``value`` as PHP's FILTER_VALIDATE_BOOLEAN reads it (invalid means false)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, list | dict):
        return False
    return str(value).strip().lower() in _TRUTHY


class Params:
    """The merged request parameters of one call."""

    def __init__(self, values: dict[str, ParamValue] | None = None):
        self.values: dict[str, ParamValue] = dict(values or {})

    @classmethod
    def from_pairs(cls, *sources: Iterable[tuple[str, str]]) -> Params:
        """Merge key/value pairs in order; later sources override earlier scalar keys."""
        values: dict[str, ParamValue] = {}
        for source in sources:
            seen_lists: set[str] = set()
            for key, value in source:
                _merge_pair(values, seen_lists, key, value)
        return cls(values)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def raw(self, name: str, default: Any = None) -> Any:
        """Return the parameter as sent (string, list or mapping)."""
        return self.values.get(name, default)

    def string(self, name: str, default: str = "") -> str:
        """Return the parameter as a string; a list turns into PHP's "Array"."""
        value = self.values.get(name, default)
        if isinstance(value, list | dict):
            return "Array"
        return str(value)

    def integer(
        self, name: str, default: int = 0, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """Return the parameter as an int, clamped like Friendica's getRequestValue().

        An invalid value is None without a minimum and the minimum otherwise,
        because PHP compares ``false`` as 0.
        """
        value = php_int(self.values.get(name, default))
        if minimum is not None:
            value = minimum if value is None else max(minimum, value)
        if maximum is not None and value is not None:
            value = min(maximum, value)
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        """Return the parameter as PHP's FILTER_VALIDATE_BOOLEAN reads it."""
        return php_bool(self.values.get(name, default))

    def non_empty(self, name: str) -> bool:
        """Return whether PHP's ``!empty($request[name])`` is true."""
        value = self.values.get(name)
        if value is None:
            return False
        if isinstance(value, list | dict):
            return len(value) > 0
        return value not in ("", "0")


def _merge_pair(values: dict[str, ParamValue], seen_lists: set[str], key: str, value: str) -> None:
    """Add one pair, turning ``name[]`` into lists and ``name[key]`` into mappings."""
    match = _BRACKETED.match(key)
    if not match:
        values[key] = value
        return

    name, index = match.groups()
    if index == "":
        # A source replaces a list from an earlier source instead of extending it.
        if name not in seen_lists or not isinstance(values.get(name), list):
            values[name] = []
            seen_lists.add(name)
        current = values[name]
        assert isinstance(current, list)
        current.append(value)
        return

    current_map = values.get(name)
    if not isinstance(current_map, dict):
        current_map = {}
        values[name] = current_map
    current_map[index] = value

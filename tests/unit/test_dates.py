"""Upstream dates in every format the upstreams use, and Mastodon's timestamp format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mappings.dates import mastodon_date, mastodon_timestamp, parse_upstream_date

MOMENT = datetime(2026, 12, 4, 20, 1, 47, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "Fri Dec 04 20:01:47 +0000 2026",  # Friendica
        "Fri Dec 04 21:01:47 +0100 2026",  # GNU Social, in the server's own zone
        "Fri Dec 04 14:31:47 -0530 2026",
        "2026-12-04 20:01:47",  # Friendica notifications
        "2026-12-04T20:01:47Z",
    ],
)
def test_upstream_formats_give_the_same_moment(text):
    assert parse_upstream_date(text) == MOMENT


@pytest.mark.parametrize(
    "value", [None, "", "yesterday", "Fri Dex 04 20:01:47 +0000 2026", "Mon Feb 30 20:01:47 +0000 2026"]
)
def test_unreadable_dates_give_none(value):
    assert parse_upstream_date(value) is None


def test_epoch_seconds_are_read():
    assert parse_upstream_date(MOMENT.timestamp()) == MOMENT


def test_mastodon_formats():
    assert mastodon_timestamp(MOMENT.replace(microsecond=123456)) == "2026-12-04T20:01:47.123Z"
    assert mastodon_date(MOMENT) == "2026-12-04"

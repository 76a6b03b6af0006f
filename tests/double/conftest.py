"""Fixtures: doubles of each profile on fresh databases, seeded like the recorded server or with demo data."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import Double, fresh_double


@pytest.fixture
def double(tmp_path: Path) -> Double:
    """A double in the recorded server's initial state (alice, bob, carol, dave, erin)."""
    return fresh_double(tmp_path, "recording")


@pytest.fixture
def demo(tmp_path: Path) -> Double:
    """A double with the demo data."""
    return fresh_double(tmp_path, "demo")


@pytest.fixture
def legacy(tmp_path: Path) -> Double:
    """A double of Friendica 3.5.4 in the recorded server's initial state."""
    return fresh_double(tmp_path, "recording", profile="legacy")


@pytest.fixture
def legacy_demo(tmp_path: Path) -> Double:
    """A double of Friendica 3.5.4 with the demo data."""
    return fresh_double(tmp_path, "demo", profile="legacy")


@pytest.fixture
def gnusocial(tmp_path: Path) -> Double:
    """A double of GNU social 1.2 in the recorded server's initial state."""
    return fresh_double(tmp_path, "recording", profile="gnusocial")


@pytest.fixture
def gnusocial_demo(tmp_path: Path) -> Double:
    """A double of GNU social 1.2 with the demo data."""
    return fresh_double(tmp_path, "demo", profile="gnusocial")

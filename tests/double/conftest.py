"""Fixtures: doubles on fresh databases, seeded like the recorded server or with demo data."""

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

"""Fixtures shared by the Teams adapter tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coach import Coach

# The store tests' database fixture (SQLite, and PostgreSQL when one runs), for the turn's
# database work here too.
from tests.adapters.store.conftest import engine  # noqa: F401


@pytest.fixture(scope="session")
def coach() -> Coach:
    """The real core, loaded once: it is immutable."""
    return Coach.load()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Settings for an anonymous (no credentials) server on a fresh SQLite database."""
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}", "TEAMS_ALLOW_ANONYMOUS": "1"}

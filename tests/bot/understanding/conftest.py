"""One coach (and its model) for every understanding test: loading it costs about a second."""

from __future__ import annotations

import pytest

from bot.coach import Coach
from bot.content import load_content
from bot.understanding.reader import Understanding


@pytest.fixture(scope="session")
def coach() -> Coach:
    return Coach.load()


@pytest.fixture(scope="session")
def understanding(coach: Coach) -> Understanding:
    return coach.understanding


@pytest.fixture(scope="session")
def words_only() -> Understanding:
    return Understanding.load(load_content(), semantic=False)

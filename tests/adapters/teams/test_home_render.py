"""The home and progress cards as Adaptive Cards, compared with golden files."""

from __future__ import annotations

from pathlib import Path

from adapters.teams.render import to_activity
from bot.content import load_content
from tests.adapters.store.databases import sqlite_engine
from tests.adapters.teams.test_nudge_cards import assert_golden
from tests.bot.commands.test_progress_home import known_replies


def test_home_and_progress_cards_match_golden(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path)
    try:
        home, progress = known_replies(engine, load_content())
    finally:
        engine.dispose()
    for name, reply in (("home", home), ("progress", progress)):
        activity = to_activity(reply).model_dump(by_alias=True, exclude_none=True, mode="json")
        assert_golden(name, activity)

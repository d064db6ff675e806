"""The home and progress cards in Block Kit, compared with golden files."""

from __future__ import annotations

from pathlib import Path

from adapters.slack.home import build_home_view
from adapters.slack.home_card import render_home_card
from adapters.slack.render import render_reply
from bot.content import load_content
from tests.adapters.slack.golden import assert_golden
from tests.adapters.store.databases import sqlite_engine
from tests.bot.commands.test_progress_home import known_replies


def test_home_card_and_progress_reply_match_golden(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path)
    try:
        home, progress = known_replies(engine, load_content())
    finally:
        engine.dispose()
    assert home.card is not None
    section = render_home_card(home.card)
    view = build_home_view(domains=(), nudge_section=section).to_dict()
    assert_golden("home_coaching", view)
    assert_golden("reply_progress", render_reply(progress).as_kwargs())

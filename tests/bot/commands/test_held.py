"""The safe-reflection check in the journal: held, Save anyway, Edit, stale and expired buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from adapters.store.held_tables import held_reflections
from adapters.store.nudge_tables import journal_entries
from bot.models import Audience
from bot.safety.held import EDIT, HOLD_FOR, SAVE_ANYWAY
from tests.bot.test_nudge_commands import NOW, press, say

NHS = "Chased the letter for 943 476 5919 myself; the ward clerk was off."


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _buttons(reply):
    return {b.action_id: b.value for b in reply.card.buttons}


def test_identifiable_reflection_is_held_privately_naming_kinds_not_text(commands, engine):
    reply = say(commands, f"journal add {NHS} Mrs Okafor was upset.")
    assert reply.intent == "journal.held"
    assert reply.audience is Audience.PERSON
    assert "an NHS number" in reply.text
    assert "a name with a title" in reply.text
    assert "943" not in reply.text
    assert "Okafor" not in reply.text
    assert "Okafor" not in str(reply.card)
    assert set(_buttons(reply)) == {EDIT, SAVE_ANYWAY}
    assert _count(engine, journal_entries) == 0
    assert _count(engine, held_reflections) == 1


def test_save_anyway_saves_exactly_the_held_text_once(commands, engine):
    held = say(commands, f"journal add {NHS}")
    saved = press(commands, SAVE_ANYWAY, _buttons(held)[SAVE_ANYWAY])
    assert saved.intent == "journal"
    assert _count(engine, journal_entries) == 1
    assert _count(engine, held_reflections) == 0
    listing = say(commands, "journal")
    assert "943 476 5919" in listing.text
    again = press(commands, SAVE_ANYWAY, _buttons(held)[SAVE_ANYWAY])
    assert "Nothing was saved" in again.text
    assert _count(engine, journal_entries) == 1


def test_edit_saves_nothing_and_disarms_save_anyway(commands, engine):
    held = say(commands, f"journal add {NHS}")
    edited = press(commands, EDIT, _buttons(held)[EDIT])
    assert "Not saved" in edited.text
    assert _count(engine, held_reflections) == 0
    late = press(commands, SAVE_ANYWAY, _buttons(held)[SAVE_ANYWAY])
    assert "Nothing was saved" in late.text
    assert _count(engine, journal_entries) == 0


def test_stale_save_anyway_never_saves_changed_text(commands, engine):
    first = say(commands, f"journal add {NHS}")
    second = say(commands, "journal add Rang the family on 07700 900461 to explain.")
    stale = press(commands, SAVE_ANYWAY, _buttons(first)[SAVE_ANYWAY])
    assert "Nothing was saved" in stale.text
    assert _count(engine, journal_entries) == 0
    # The person then sends a clean version: the newer warning's button is disarmed too.
    assert say(commands, "journal add Rang the family to explain.").intent == "journal"
    newer = press(commands, SAVE_ANYWAY, _buttons(second)[SAVE_ANYWAY])
    assert "Nothing was saved" in newer.text
    texts = say(commands, "journal").text
    assert "07700" not in texts
    assert _count(engine, journal_entries) == 1


def test_a_tampered_digest_or_id_saves_nothing(commands, engine):
    held = say(commands, f"journal add {NHS}")
    held_id, digest = _buttons(held)[SAVE_ANYWAY].split(":")
    for value in (f"{held_id}:{'0' * 16}", f"{int(held_id) + 1}:{digest}", "junk", ""):
        assert "Nothing was saved" in press(commands, SAVE_ANYWAY, value).text
    assert _count(engine, journal_entries) == 0


def test_someone_else_cannot_save_or_read_a_held_reflection(commands, engine):
    held = say(commands, f"journal add {NHS}")
    other = press(commands, SAVE_ANYWAY, _buttons(held)[SAVE_ANYWAY], user="U2")
    assert "Nothing was saved" in other.text
    assert _count(engine, journal_entries) == 0
    assert _count(engine, held_reflections) == 1


def test_a_held_reflection_expires(commands, engine):
    held = say(commands, f"journal add {NHS}")
    late = press(
        commands, SAVE_ANYWAY, _buttons(held)[SAVE_ANYWAY], now=NOW + HOLD_FOR + timedelta(1)
    )
    assert "expired" in late.text
    assert _count(engine, journal_entries) == 0


@pytest.mark.parametrize(
    "text",
    [
        "Handover ran over again. I want to understand why the process relies on one person.",
        "Mr Motivator ran the away day; the LS6 area team came; invoice 9290075400.",
    ],
)
def test_clean_reflections_save_straight_away(commands, engine, text):
    assert say(commands, f"journal add {text}").intent == "journal"
    assert _count(engine, journal_entries) == 1


def test_the_reflect_form_is_checked_too(commands, engine):
    reply = press(commands, "journal.save", "row=ie-1;q=0", form=(("reflection", NHS),))
    assert reply.intent == "journal.held"
    saved = press(commands, SAVE_ANYWAY, _buttons(reply)[SAVE_ANYWAY])
    assert saved.intent == "journal"
    with engine.connect() as conn:
        row = conn.execute(select(journal_entries.c.row_id)).scalar_one()
    assert row == "ie-1"


def test_forget_me_deletes_held_reflections(commands, engine):
    say(commands, f"journal add {NHS}")
    asked = say(commands, "forget me")
    confirm = next(b for b in asked.card.buttons if b.style == "danger")
    press(commands, confirm.action_id, confirm.value)
    assert _count(engine, held_reflections) == 0

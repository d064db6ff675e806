"""``focus``: suggestions from the assessment, the list, typed topics, limits and clearing."""

from __future__ import annotations

from bot.identity import Who
from bot.intents import IntentKind, route
from bot.models import Audience
from tests.bot.commands.test_assess import take_all
from tests.bot.test_nudge_commands import press, say

OWNER = Who(platform="slack", workspace_id="T1", user_id="U1")


def focus_of(commands, owner=OWNER):
    return commands.shared.stores.coaching.focus(owner)


def test_the_lowest_rated_rows_are_suggested_and_set_in_one_press(commands, content):
    low = {"rc-9": "1", "lcb-6": "2", "ie-7": "2"}
    summary = take_all(commands, content, lambda row: low.get(row, "4"))
    [set_focus] = [b for b in summary.card.buttons if b.action_id == "focus.set"]
    reply = press(commands, set_focus.action_id, set_focus.value)
    assert reply.audience is Audience.PERSON
    assert set(focus_of(commands)) == {"rc-9", "lcb-6", "ie-7"}
    assert "Your focus is set." in reply.text
    assert [b.label for b in reply.card.buttons][:3] == ["Remove 1", "Remove 2", "Remove 3"]

    shown = say(commands, "focus")
    assert content.row("rc-9").role in shown.text
    assert "no manager or team view" in shown.card.footer


def test_suggestions_come_from_the_latest_assessment_and_add_one_at_a_time(commands, content):
    take_all(commands, content, lambda row: "1" if row == "ii-4" else "4")
    shown = say(commands, "focus")
    adds = [b for b in shown.card.buttons if b.action_id == "focus.add"]
    assert adds[0].value == "ii-4"
    press(commands, "focus.add", "ii-4")
    assert focus_of(commands) == ("ii-4",)
    # Pressing it twice (a double click) keeps one.
    again = press(commands, "focus.add", "ii-4")
    assert "already in your focus" in again.text
    assert focus_of(commands) == ("ii-4",)


def test_a_typed_topic_goes_through_the_matcher_and_unknown_ones_get_suggestions(commands, content):
    reply = say(commands, "focus resilience")
    assert focus_of(commands) == ("ie-3",)
    assert "Added to your focus" in reply.text
    say(commands, "focus lcb-5")
    assert focus_of(commands) == ("ie-3", "lcb-5")

    unknown = say(commands, "focus xqzzy blorp")
    assert unknown.intent == "focus.unknown"
    assert "could not find a framework row" in unknown.text
    assert "Choose from the list" in [b.label for b in unknown.card.buttons]
    assert focus_of(commands) == ("ie-3", "lcb-5")

    several = say(commands, "focus diversity")
    assert several.card.title == "Which row?"
    assert {b.action_id for b in several.card.buttons} == {"focus.add"}


def test_any_row_can_be_chosen_from_the_list_form(commands, content):
    typed = say(commands, "focus list")
    [choose] = [b for b in typed.card.buttons if b.action_id == "focus.list"]
    listed = press(commands, choose.action_id)
    [pick] = listed.card.inputs
    assert len(pick.choices) == len(content.rows)
    assert all(len(c) <= 75 for c in pick.choices)
    chosen = next(c for c in pick.choices if c.startswith("rc-4 "))
    reply = press(commands, listed.card.submit.action_id, form=(("row", chosen),))
    assert focus_of(commands) == ("rc-4",)
    assert "Added to your focus" in reply.text
    # A stale or forged choice changes nothing.
    bad = press(commands, "focus.pick", form=(("row", "zz-1 · gone"),))
    assert "could not be found" in bad.text
    assert focus_of(commands) == ("rc-4",)


def test_the_console_lists_rows_by_id_as_it_has_no_forms(commands, content):
    listed = say(commands, "focus list", platform="console", team="", channel="")
    assert listed.card is None
    assert "rc-4: " + content.row("rc-4").role in listed.text


def test_at_most_three_rows_then_remove_and_clear(commands):
    for topic in ("ie-1", "ie-2", "ie-3"):
        say(commands, f"focus {topic}")
    full = say(commands, "focus rc-1")
    assert "remove one" in full.text
    assert focus_of(commands) == ("ie-1", "ie-2", "ie-3")
    press(commands, "focus.remove", "ie-2")
    assert focus_of(commands) == ("ie-1", "ie-3")
    # Stale buttons and forged values change nothing.
    press(commands, "focus.remove", "ie-2")
    assert focus_of(commands) == ("ie-1", "ie-3")
    assert "expired" in press(commands, "focus.set", "zz-1 <b>").text
    assert focus_of(commands) == ("ie-1", "ie-3")
    # Only the owner's focus is touched.
    say(commands, "focus clear", user="U2")
    assert focus_of(commands) == ("ie-1", "ie-3")
    cleared = say(commands, "focus clear")
    assert "cleared" in cleared.text
    assert focus_of(commands) == ()
    assert "no focus set" in say(commands, "focus clear").text.lower()


def test_focus_is_a_command_word():
    assert route("focus resilience").kind is IntentKind.FOCUS
    assert route("focus").kind is IntentKind.FOCUS


def test_forget_me_deletes_the_assessments_and_focus_too(commands, content):
    take_all(commands, content, lambda row: "3")
    say(commands, "focus resilience")
    say(commands, "assess")
    press(commands, "assess.form")  # an unfinished retake as well
    asked = say(commands, "forget me")
    assert "self-assessments" in asked.text
    done = press(commands, "forget.confirm")
    assert "self-assessments, focus" in done.text
    assert commands.shared.stores.coaching.assessments(OWNER) == ()
    assert focus_of(commands) == ()
    assert "no finished self-assessment" in say(commands, "assess summary").text

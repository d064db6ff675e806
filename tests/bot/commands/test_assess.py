"""``assess``: forms per domain, one row at a time on the console, summaries, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.coaching.forms import CHOICES, SKIP
from bot.identity import Who
from bot.models import Audience
from tests.bot.test_nudge_commands import NOW, press, say

LATER = NOW + timedelta(days=120)


def submit(commands, reply, answers, *, now=NOW, **who):
    """Submit ``reply``'s form with ``answers`` (row id -> choice text); the rest left empty."""
    card = reply.card
    form = tuple((i.id, answers.get(i.id, "")) for i in card.inputs)
    return press(commands, card.submit.action_id, card.submit.value, form=form, now=now, **who)


def take_all(commands, content, rating_of, *, now=NOW, **who):
    """Open the first form and submit every domain, rating each row ``rating_of(row)``."""
    start = say(commands, "assess", now=now, **who)
    reply = press(commands, start.card.buttons[0].action_id, start.card.buttons[0].value, **who)
    for _ in content.domains:
        reply = submit(
            commands, reply, {i.id: rating_of(i.id) for i in reply.card.inputs}, now=now, **who
        )
    return reply


def test_each_domain_is_a_form_of_its_rows_word_for_word_rated_on_the_scale(commands, content):
    start = say(commands, "assess")
    assert start.audience is Audience.PERSON
    assert "no manager or team view" in start.text
    [go] = start.card.buttons
    form = press(commands, go.action_id, go.value)
    first = content.domains[0]
    assert form.card.title == "Self-assessment 1 of 4"
    assert form.card.sections[0].heading == first.name
    assert [i.id for i in form.card.inputs] == [r.id for r in first.rows]
    for field, row in zip(form.card.inputs, first.rows, strict=True):
        assert row.role in field.label
        assert row.behaviour in field.label
        assert field.choices == CHOICES
        assert field.optional
    assert CHOICES == (
        "1 Not yet",
        "2 Sometimes",
        "3 Often",
        "4 Consistently",
        "5 Role model",
        "Skip",
    )


def test_stopping_after_a_domain_keeps_it_and_carrying_on_opens_the_next(commands, content):
    start = say(commands, "assess")
    form = press(commands, start.card.buttons[0].action_id, start.card.buttons[0].value)
    after = submit(commands, form, {"ie-1": "4 Consistently", "ie-2": SKIP, "ie-3": "2"})
    assert after.text.startswith("Saved: Individual Effectiveness.")
    assert after.card.sections[0].heading == content.domains[1].name
    # The person closes the form here; days later, assess carries on where they stopped.
    again = say(commands, "assess", now=NOW + timedelta(days=3))
    assert "answered 7 of 30 rows" in again.text
    assert "Carry on with Relationships and Connectivity" in again.text
    carry = press(commands, again.card.buttons[0].action_id, again.card.buttons[0].value)
    assert carry.card.sections[0].heading == content.domains[1].name
    stored = commands.shared.stores.coaching.assessments(
        Who(platform="slack", workspace_id="T1", user_id="U1")
    )
    assert stored[-1].by_row["ie-1"] == 4
    assert stored[-1].by_row["ie-2"] is None
    assert stored[-1].by_row["ie-3"] == 2
    assert stored[-1].by_row["ie-4"] is None  # left empty: skipped


def test_the_summary_scores_domains_names_strengths_rows_to_grow_and_a_focus(commands, content):
    ratings = {r.id: "3 Often" for r in content.rows}
    ratings.update({"ie-1": "5 Role model", "rc-2": "5", "ii-3": "4 Consistently"})
    ratings.update({"lcb-6": "1 Not yet", "rc-9": "1", "ie-7": "2 Sometimes", "ii-1": SKIP})
    summary = take_all(commands, content, lambda row: ratings[row])
    assert summary.intent == "assess.summary"
    assert summary.audience is Audience.PERSON
    facts = {f.label: f.value for f in summary.card.sections[1].facts}
    assert facts["Individual Effectiveness"] == f"{(5 + 3 * 5 + 2) / 7:.1f}"
    assert facts["Innovation and Improvement"] == f"{(4 + 3 * 5) / 6:.1f}"  # ii-1 skipped
    strengths = summary.card.sections[2].body
    grow = summary.card.sections[3].body
    assert [content.row(r).role in strengths for r in ("ie-1", "rc-2", "ii-3")] == [True] * 3
    assert [content.row(r).role in grow for r in ("rc-9", "lcb-6", "ie-7")] == [True] * 3
    [set_focus] = [b for b in summary.card.buttons if b.action_id == "focus.set"]
    assert set(set_focus.value.split()) == {"rc-9", "lcb-6", "ie-7"}
    assert "29 rows rated, 1 skipped" in summary.text


def test_a_retake_is_compared_with_the_previous_assessment(commands, content):
    take_all(commands, content, lambda row: "2 Sometimes")
    retake = take_all(commands, content, lambda row: "3 Often", now=LATER)
    facts = {f.label: f.value for f in retake.card.sections[1].facts}
    assert facts["Individual Effectiveness"] == "3.0 (was 2.0, +1.0)"
    assert "Compared with 4 Jun 2025" in retake.text
    owner = Who(platform="slack", workspace_id="T1", user_id="U1")
    assert len(commands.shared.stores.coaching.assessments(owner)) == 2
    # assess summary shows the latest; the start card offers it too.
    assert "3.0 (was 2.0, +1.0)" in say(commands, "assess summary").text


def test_the_console_asks_one_row_at_a_time_in_framework_order(commands, content):
    console = {"platform": "console", "team": "", "channel": ""}
    first = say(commands, "assess", **console)
    assert [b.label for b in first.card.buttons] == ["1", "2", "3", "4", "5", "Skip", "Stop"]
    assert first.card.sections[1].heading == content.rows[0].role
    assert first.card.sections[1].body == content.rows[0].behaviour
    reply = first
    for _ in range(3):
        three = next(b for b in reply.card.buttons if b.label == "3")
        reply = press(commands, three.action_id, three.value, **console)
    assert reply.card.sections[1].heading == content.rows[3].role
    stop = next(b for b in reply.card.buttons if b.label == "Stop")
    stopped = press(commands, stop.action_id, stop.value, **console)
    assert "3 of 30 rows answered" in stopped.text
    resumed = say(commands, "assess", **console)
    assert resumed.card.sections[1].heading == content.rows[3].role
    reply = resumed
    while reply.card and any(b.label == "Skip" for b in reply.card.buttons):
        four = next(b for b in reply.card.buttons if b.label == "4")
        reply = press(commands, four.action_id, four.value, **console)
    assert reply.intent == "assess.summary"
    assert "30 rows rated, 0 skipped" in reply.text


def test_out_of_range_and_unreadable_answers_are_refused_and_nothing_saved_is_lost(
    commands, content
):
    console = {"platform": "console", "team": "", "channel": ""}
    first = say(commands, "assess", **console)
    one = next(b for b in first.card.buttons if b.label == "2")
    press(commands, one.action_id, one.value, **console)
    aid = one.value.split(":")[0]
    bad = press(commands, "assess.rate", f"{aid}:ie-2:7", **console)
    assert "from 1 to 5" in bad.text
    assert bad.card.sections[1].heading == content.row("ie-2").role
    assert "could not be read" in press(commands, "assess.rate", "x:ie-2:3", **console).text
    assert "could not be read" in press(commands, "assess.rate", f"{aid}:zz-9:3", **console).text

    slack = say(commands, "assess")
    form = press(commands, slack.card.buttons[0].action_id, slack.card.buttons[0].value)
    answers = {"ie-1": "4", "ie-2": "11 Legendary", "ie-3": "<script>", "ie-4": "5 Role model"}
    again = submit(commands, form, answers)
    assert "Not saved" in again.text
    assert again.card.sections[0].heading == content.domains[0].name  # asked again
    owner = Who(platform="slack", workspace_id="T1", user_id="U1")
    rated = commands.shared.stores.coaching.assessments(owner)[-1].by_row
    assert rated["ie-1"] == 4
    assert rated["ie-4"] == 5
    assert "ie-2" not in rated
    assert "ie-3" not in rated


def test_stale_forms_and_double_submits_keep_what_was_saved(commands, content):
    summary = take_all(commands, content, lambda row: "4")
    owner = Who(platform="slack", workspace_id="T1", user_id="U1")
    [done] = commands.shared.stores.coaching.assessments(owner)
    # The last form submitted twice, or an old form of the finished assessment submitted late.
    late = press(commands, "assess.save", f"{done.id}:lcb", form=(("lcb-1", "1"), ("lcb-2", "1")))
    assert late.intent == "assess.stale"
    assert "nothing was changed" in late.text
    [still] = commands.shared.stores.coaching.assessments(owner)
    assert still.by_row == done.by_row
    assert summary.intent == "assess.summary"
    # A form made from an older content version: rows matched by id, unknown ids ignored.
    start = say(commands, "assess")
    form = press(commands, start.card.buttons[0].action_id, start.card.buttons[0].value)
    aid = form.card.submit.value.split(":")[0]
    old = press(
        commands, "assess.save", f"{aid}:ie", form=(("ie-9", "3"), ("ie-2", "2"), ("ie-1", "5"))
    )
    assert old.text.startswith("Saved: Individual Effectiveness.")
    rated = commands.shared.stores.coaching.assessments(owner)[-1].by_row
    assert rated["ie-1"] == 5
    assert rated["ie-2"] == 2
    assert "ie-9" not in rated
    # Tampered values never crash.
    for value in ("", "abc", "1:2:3:4", "9" * 80, "-1:ie"):
        reply = press(commands, "assess.save", value, form=(("ie-1", "3"),))
        assert reply.audience in {Audience.PERSON, Audience.ASKER}


def test_nobody_else_sees_or_changes_an_assessment(commands, content):
    take_all(commands, content, lambda row: "4")
    owner = Who(platform="slack", workspace_id="T1", user_id="U1")
    [mine] = commands.shared.stores.coaching.assessments(owner)
    assert "no finished self-assessment" in say(commands, "assess summary", user="U2").text
    other = press(commands, "assess.summary", str(mine.id), user="U2")
    assert "no finished self-assessment" in other.text
    stolen = press(commands, "assess.save", f"{mine.id}:ie", form=(("ie-1", "1"),), user="U2")
    assert stolen.intent == "assess.stale"
    assert commands.shared.stores.coaching.assessments(owner)[0].by_row["ie-1"] == 4


@pytest.mark.parametrize("typed", ["assess", "self-assessment", "self assessment", "assessment"])
def test_the_command_words(commands, typed):
    from bot.intents import IntentKind, route

    assert route(typed).kind is IntentKind.ASSESS


def test_ratings_never_reach_a_log_line(commands, content, caplog):
    caplog.set_level("DEBUG")
    take_all(commands, content, lambda row: "5 Role model")
    say(commands, "focus resilience")
    assert "Role model" not in caplog.text
    assert "resilience" not in caplog.text


@pytest.mark.parametrize(
    "typed",
    [
        "assess " + "x" * 20_000,
        "focus " + "\u202e\u0000" * 500 + "resilience",
        "focus <script>alert(1)</script>",
        "focus 🧠🧠🧠",
        "focus " + "rc-3 " * 300,
        "assess summary please now",
    ],
)
def test_hostile_typing_gets_a_clear_private_reply(commands, typed):
    reply = say(commands, typed)
    assert reply.text
    assert reply.audience in {Audience.PERSON, Audience.ASKER}


def test_without_a_data_key_assess_and_focus_say_so_and_store_nothing(engine, content):
    from adapters.store.repositories import sql_stores
    from bot.commands.router import build

    keyless = build(sql_stores(engine, cipher=None), content=content)
    for typed in ("assess", "focus", "focus resilience"):
        assert "COACH_DATA_KEY" in say(keyless, typed).text
    assert "COACH_DATA_KEY" in press(keyless, "assess.form").text
    assert "COACH_DATA_KEY" in press(keyless, "focus.add", "ie-1").text
    owner = Who(platform="slack", workspace_id="T1", user_id="U1")
    assert keyless.shared.stores.coaching.assessments(owner) == ()


def test_choices_left_out_of_a_submission_are_skips_as_empty_ones_are(commands, content):
    start = say(commands, "assess")
    form = press(commands, start.card.buttons[0].action_id, start.card.buttons[0].value)
    submit = form.card.submit
    after = press(commands, submit.action_id, submit.value, form=(("ie-1", "3 Often"),))
    assert after.card.sections[0].heading == content.domains[1].name
    owner = Who(platform="slack", workspace_id="T1", user_id="U1")
    rated = commands.shared.stores.coaching.assessments(owner)[-1].by_row
    assert rated == {"ie-1": 3, **{f"ie-{n}": None for n in range(2, 8)}}

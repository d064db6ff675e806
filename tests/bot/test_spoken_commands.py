"""Commands asked for in a sentence (``bot.spoken_commands``), through the router, where they
take effect."""

from __future__ import annotations

import pytest

from bot.intents import Intent, IntentKind, route


@pytest.mark.parametrize(
    "text",
    [
        "what can you do?",
        "how does this work",
        "so what can this bot do",
        "anything else you can help with?",
    ],
)
def test_asking_what_the_coach_does_gets_the_help_card(text):
    assert route(text).kind is IntentKind.HELP


@pytest.mark.parametrize(
    "text", ["what can you do about conflict in my team", "how can I help my team", "how do you do"]
)
def test_a_question_that_only_starts_like_it_does_not(text):
    assert route(text).kind is not IntentKind.HELP


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("delete everything you have on me", IntentKind.FORGET),
        ("please erase all my data", IntentKind.FORGET),
        ("show me my progress", IntentKind.PROGRESS),
        ("how am I doing so far?", IntentKind.PROGRESS),
        ("I'd like to do the self-assessment", IntentKind.ASSESS),
        ("show me my reflections", IntentKind.JOURNAL),
        ("can you remind me every week to reflect", IntentKind.NUDGES),
        ("send me a nudge on mondays", IntentKind.NUDGES),
    ],
)
def test_a_command_asked_for_in_a_sentence_is_that_command_with_no_argument(text, kind):
    assert route(text) == Intent(kind=kind)


@pytest.mark.parametrize(
    "text",
    [
        "how do I show progress to the board",
        "delete the duplicate referrals from the list",
        "how do I get my team to reflect",
        "remind me to submit the report on Monday",
        "how am I doing as a leader compared to my peers",
    ],
)
def test_a_sentence_that_only_mentions_a_command_is_not_one(text):
    assert route(text).kind not in (
        IntentKind.FORGET, IntentKind.PROGRESS, IntentKind.ASSESS,
        IntentKind.JOURNAL, IntentKind.NUDGES,
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "set a reminder to chase the strategy paper on friday",
        "set up a reminder for my 1:1s every other tuesday",
        "remind me at 3pm to ring estates about the leak on ward 7",
        "can you remind me tomorrow to send the board pack",
        "please set a quick reminder for 4pm",
        "book the learning and development room for tuesday",
        "can you book me a room for the ICB board meeting",
        "move my 2pm improvement huddle to 4",
        "schedule a 30 min catch up with my MDT leads next week",
        "fwd this to my team pls",
        "summarise the attached quality account for me, its 80 pages",
        "can you draft an email to the practice managers about the new rota",
    ],
)
def test_a_reminder_a_booking_or_a_document_is_a_task(text):
    assert route(text) == Intent(kind=IntentKind.TASK)


@pytest.mark.parametrize(
    "text",
    [
        "remind me what collective leadership is",
        "how do i remind my team to do their training",
        "how do I set up a meeting that isn't a waste of time",
        "our board meetings keep overrunning",
        "set up a multi-agency team for frailty",
        "draft a vision for our team",
        "how do I write a business case the board will back",
    ],
)
def test_a_question_about_reminders_meetings_or_writing_is_not_a_task(text):
    assert route(text).kind not in (IntentKind.TASK, IntentKind.NUDGES)


@pytest.mark.parametrize(
    "text", ["remind me every week to reflect", "remind me to reflect on friday"]
)
def test_the_weekly_nudges_are_not_one_off_reminders(text):
    assert route(text).kind is IntentKind.NUDGES


def test_the_coach_declines_a_task_and_offers_its_nudges():
    from bot.coach import Coach

    reply = Coach.load().answer("set a reminder to chase the strategy paper on friday")
    assert reply.intent == "task"
    assert reply.results == ()


@pytest.mark.parametrize(
    "text",
    [
        "how is the framework organised, what are the sections",
        "how's this framework structured?",
        "what are the main parts of the framework",
    ],
)
def test_asking_how_the_framework_is_laid_out_lists_its_domains(text):
    assert route(text) == Intent(kind=IntentKind.DOMAINS)

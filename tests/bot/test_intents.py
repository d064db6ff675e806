"""Explicit subcommands come first, with their variants; free text routes by cues."""

from __future__ import annotations

import pytest

from bot.intents import IntentKind, route


@pytest.mark.parametrize(
    ("text", "kind", "args"),
    [
        ("behaviours resilience", IntentKind.BEHAVIOURS, "resilience"),
        ("behaviors resilience", IntentKind.BEHAVIOURS, "resilience"),
        ("Behaviour: resilience", IntentKind.BEHAVIOURS, "resilience"),
        ("behavours resilience", IntentKind.BEHAVIOURS, "resilience"),
        ("principles", IntentKind.PRINCIPLES, ""),
        ("principals carers", IntentKind.PRINCIPLES, "carers"),
        ("national voices carers", IntentKind.PRINCIPLES, "carers"),
        ("contact Leeds", IntentKind.CONTACT, "Leeds"),
        ("academy LS6 3AB", IntentKind.CONTACT, "LS6 3AB"),
        ("domains", IntentKind.DOMAINS, ""),
        ("domain innovation", IntentKind.DOMAINS, "innovation"),
        ("about", IntentKind.ABOUT, ""),
        ("what is system leadership?", IntentKind.ABOUT, ""),
        ("help", IntentKind.HELP, ""),
        ("?", IntentKind.HELP, ""),
        ("nudges on friday 9am", IntentKind.NUDGES, "on friday 9am"),
        ("journal export", IntentKind.JOURNAL, "export"),
        ("forget me", IntentKind.FORGET, ""),
        ("", IntentKind.EMPTY, ""),
        ("   \n\t", IntentKind.EMPTY, ""),
    ],
)
def test_subcommands(text, kind, args):
    intent = route(text)
    assert (intent.kind, intent.args) == (kind, args)


@pytest.mark.parametrize(
    "text",
    [
        "who do I call about leadership courses in Bristol?",
        "what is the phone number of the leadership academy in Newcastle?",
        "email for the academy near Leeds",
    ],
)
def test_free_text_contact_questions(text):
    assert route(text).kind is IntentKind.CONTACT


@pytest.mark.parametrize("text", ["how do I lead without authority?", "resilience", "carers"])
def test_other_free_text_searches(text):
    assert route(text).kind is IntentKind.SEARCH


def test_stp_questions_are_about_the_briefing():
    assert route("how were the STP footprints chosen").kind is IntentKind.ABOUT

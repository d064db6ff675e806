"""What the kind probe changes at the coach's front door: questions about the briefing asked in
words no passage example uses, requests for the academies' offers that no contact cue knows, and
admin questions in situation-like words. The messages were written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "intent", "says"),
    [
        ("who actually came up with this system leadership framework", "about", ""),
        ("is the NHS still organised around STPs or has that changed", "about", ""),
        # A request for an offer without a place asks for one.
        (
            "I'd love to do a leadership fellowship next year, where would I go for that",
            "contact",
            "Which place?",
        ),
        ("as a first-time manager could I get a mentor through the NHS somehow", "contact", ""),
    ],
)
def test_a_question_about_the_briefing_or_an_offer_gets_its_own_reply(coach, text, intent, says):
    reply = coach.answer(text)
    assert reply.results == ()
    assert reply.intent == intent
    assert says in reply.text


def test_a_request_for_an_offer_with_a_place_finds_its_academy(coach):
    reply = coach.answer("I'd love to do a leadership fellowship next year, I work in Leeds")
    assert reply.results[0].academy is not None
    assert reply.results[0].academy.region == "Yorkshire and the Humber"


def test_coaching_as_a_way_of_leading_is_not_a_request_for_an_offer(coach):
    reply = coach.answer("I want to coach my registrars rather than lecture them")
    assert reply.results
    assert all(m.academy is None for m in reply.results)


@pytest.mark.parametrize(
    "text",
    [
        "where do I claim mileage for the community visits this month",
        "what's the deadline for the quality account submission to the board",
        "heads up, the clinical senate meeting moved to room 4",
        "just to let you know the collaboration agreement signing is now on the 14th",
    ],
)
def test_admin_in_framework_words_gets_no_rows(coach, text):
    assert coach.answer(text).results == ()


def test_a_short_topic_in_the_framework_words_still_finds_its_rows(coach):
    # The probe reads one- or two-word topics as admin; they are left to the other tests.
    reply = coach.answer("horizon scanning")
    shown = [m.behaviour.behaviour for m in reply.results if m.behaviour is not None]
    assert any("Horizon scanning" in text for text in shown), shown


@pytest.mark.parametrize("text", ["hello there coach", "cheers coach, much appreciated"])
def test_small_talk_addressed_to_the_coach_is_not_a_question_about_coaching(coach, text):
    reply = coach.answer(text)
    assert reply.intent == "smalltalk"
    assert reply.results == ()


def test_thanks_with_a_topic_still_answers_the_topic(coach):
    assert coach.answer("cheers coach, and how do I handle conflict in the team?").results


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("system leadership courses in Bristol", "South West"),
        ("are there any free leadership webinars near Leeds", "Yorkshire and the Humber"),
    ],
)
def test_an_offer_with_a_place_finds_the_academy_even_when_it_names_the_idea(coach, text, region):
    reply = coach.answer(text)
    assert reply.results[0].academy is not None
    assert reply.results[0].academy.region == region


def test_asking_what_the_coach_can_do_gets_help_not_a_signpost(coach):
    reply = coach.answer("what can you do")
    assert reply.intent == "help"
    assert "116 123" not in reply.text


@pytest.mark.parametrize("text", ["not great", "tired", "bit sad"])
def test_a_word_or_two_about_how_someone_is_gets_no_cheerful_small_talk(coach, text):
    assert coach.answer(text).intent != "smalltalk"

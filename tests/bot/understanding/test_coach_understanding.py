"""Issue 11 through the coach's front door: situations, routing, the guard, small talk, "more",
wellbeing signposts and the coaching reply. The model and examples are the shipped ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Action, Incoming


def _texts(reply) -> list[str]:
    out = []
    for m in reply.results:
        if m.behaviour is not None:
            out += [m.behaviour.role, m.behaviour.behaviour]
        elif m.principle is not None:
            out.append(m.principle.title)
        elif m.academy is not None:
            out.append(m.academy.region)
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My appraiser says I come across as arrogant in meetings", "Self-awareness"),
        ("Our most deprived neighbourhoods have the worst access to GP appointments", "equality"),
        ("what does National Voices say about fairness", "equality"),
        ("how do I explain our ICS strategy to local councillors?", "shared vision"),
    ],
)
def test_situations_in_leaders_own_words_find_their_rows(coach, text, expected):
    reply = coach.answer(text)
    assert any(expected.lower() in t.lower() for t in _texts(reply)[:6]), _texts(reply)
    assert reply.results[0].kind.value != "academy"


@pytest.mark.parametrize(
    "text",
    [
        "how do I make a bar chart in Teams",
        "what's the process for a change request",
        "can you book me a room for the ICB board meeting",
        "weather tomorrow",
        "zxcvbnm",
    ],
)
def test_questions_that_borrow_framework_words_get_no_results(coach, text):
    reply = coach.answer(text)
    assert reply.results == ()


def test_make_the_call_is_not_a_contact_question(coach):
    reply = coach.answer("we need to make the call on closing a minor injuries unit")
    assert reply.intent != "contact"
    assert all(m.academy is None for m in reply.results)


def test_a_place_anywhere_in_a_course_question_finds_the_academy(coach):
    reply = coach.answer("any system leadership courses for GPs in Cornwall")
    assert reply.results[0].academy.region == "South West"


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("after some one-to-one coaching for new matrons, we're in Chesterfield", "East Midlands"),
        ("Barnsley - who's the contact for leadership support?", "Yorkshire and the Humber"),
        ("mentorship for newly qualified AHPs around Plymouth", "South West"),
        ("closest leadership academy to Colchester?", "East of England"),
        ("is there a bursary for leadership study, I work in Grantham", "East Midlands"),
        ("any development offers for AHP leads in liverpool", "North West"),
        # An offer and a place with nothing else: the academy, though "leadership" finds rows.
        ("leadership programmes birmingham", "West Midlands"),
    ],
)
def test_coaching_and_mentoring_with_a_place_find_the_academy(coach, text, region):
    reply = coach.answer(text)
    assert reply.results[0].academy.region == region


@pytest.mark.parametrize(
    "text",
    [
        "any coaching available?",
        "how can I apply for a leadership course",
        "any leadership programmes locally for band 6s?",
        "what courses are there on system leadership?",
    ],
)
def test_an_offer_asked_about_without_a_place_asks_for_one(coach, text):
    reply = coach.answer(text)
    assert reply.results == ()
    assert "Which place?" in reply.text


@pytest.mark.parametrize(
    "text",
    ["what's an ICB for", "is the list of academies in here still current", "what is a PCN"],
)
def test_short_questions_about_the_briefing_get_the_passage_not_rows(coach, text):
    reply = coach.answer(text)
    assert reply.results == ()
    assert reply.intent == "about"


def test_asking_for_the_academies_lists_the_regions_not_the_passage(coach):
    reply = coach.answer("show me all the regional academies")
    assert reply.intent == "contact"
    assert "Which place?" in reply.text


def test_a_contact_question_without_a_place_asks_for_one(coach):
    reply = coach.answer("who do I talk to about leadership courses?")
    assert reply.results == ()
    assert "Which place?" in reply.text


def test_newcastle_names_the_likely_academy_first(coach):
    reply = coach.answer("contact Newcastle")
    assert reply.text.startswith("Newcastle upon Tyne is most likely served by the North East")
    assert "West Midlands" in reply.text.splitlines()[0]


@pytest.mark.parametrize("text", ["what's an ICS", "is STP still a thing"])
def test_questions_about_integrated_care_reach_the_new_passage(coach, text):
    reply = coach.answer(text)
    assert reply.intent == "about"
    assert reply.results == ()
    assert "1 July 2022" in reply.text


@pytest.mark.parametrize("text", ["cheers", "ok", "great, ta", "hello", "👍"])
def test_small_talk_gets_a_short_friendly_reply(coach, text):
    reply = coach.answer(text)
    assert reply.intent == "smalltalk"
    assert reply.results == ()
    assert len(reply.text) < 120
    assert "couldn't find" not in reply.text


def test_more_with_nothing_more_says_so_and_suggests_topics(coach):
    reply = coach.answer("more")
    assert reply.intent == "more"
    assert reply.results == ()
    assert "nothing more" in reply.text.lower()
    assert [b.action_id for b in reply.card.buttons] == ["ask"] * len(reply.card.buttons)
    assert reply.card.buttons


def test_distress_adds_a_kind_signpost_after_the_answer(coach):
    reply = coach.answer("im knackered and burnt out")
    assert "116 123" in reply.text
    assert not reply.text.startswith("That sounds")  # the answer first, then the signpost
    assert "Patience, persistence and resilience" in _texts(reply)


@pytest.mark.parametrize(
    "text",
    [
        "I looked up how many of my tablets it would take",
        "part of me hopes I don't wake up tomorrow",
    ],
)
def test_indirect_crisis_messages_get_the_crisis_signpost(coach, text):
    assert coach.answer(text).text.startswith("I'm really sorry")


def test_crisis_puts_the_signpost_first(coach):
    reply = coach.handle(
        Incoming(text="I keep thinking about ending it all"), now=datetime.now(UTC)
    )
    assert reply.text.startswith("I'm really sorry")
    assert "116 123" in reply.text
    assert "999" in reply.text
    assert reply.card.sections[0].body.startswith("I'm really sorry")
    assert reply.results == ()  # no framework rows beside a crisis signpost


def test_a_leadership_question_that_reads_a_little_like_a_crisis_keeps_its_answer(coach):
    # Nearer the example situations than any crisis example by far more than any crisis
    # message of the dev set: the crisis signpost comes first, and the rows still follow.
    text = "i snap when im stressed and then regret it. want to get better at reading myself"
    reply = coach.answer(text + " and other people")
    assert reply.text.startswith("I'm really sorry")
    assert reply.card.sections[0].body.startswith("I'm really sorry")
    assert "Self-awareness, discovery and development" in _texts(reply)


@pytest.mark.parametrize(
    "text",
    [
        "how do I support a team member who is burnt out?",
        "we're writing our suicide prevention strategy",
        "the whole rota team is exhausted and snappy",
        # Word for word an example situation, yet 0.4 from a crisis example by the model.
        "I know I micromanage, how do I stop?",
        # Resilience as a topic, with "the week" in it: 0.47 from "self-harming to get through
        # the week", and given the crisis signpost until ordinary examples of it were added.
        "behaviours resilience, the payload of my week",
        "resilience, the weight of my week",
    ],
)
def test_talk_about_others_or_strategies_gets_no_signpost(coach, text):
    assert "116 123" not in coach.answer(text).text


def test_a_situational_answer_says_why_each_row_fits_and_asks_a_question(coach):
    reply = coach.answer("My appraiser says I come across as arrogant in meetings")
    assert all(m.why for m in reply.results[:3])
    assert "Why it fits:" in reply.text
    assert "A question to reflect on:" in reply.text
    labels = [b.label for b in reply.card.buttons]
    assert "Share to channel" in labels
    assert labels[0] == "Reflect on this"
    # Without storage (the CLI) the journal is unavailable, and says so.
    form = coach.act(
        Action(action_id=reply.card.buttons[0].action_id, value=reply.card.buttons[0].value),
        now=datetime.now(UTC),
    )
    assert form.intent in {"reflect", "nudge"}


def test_suggested_topics_on_no_answer_are_buttons_not_results(coach):
    reply = coach.answer("how do I make a bar chart in Teams")
    assert reply.results == ()
    assert "won't guess" in reply.text
    assert {b.action_id for b in reply.card.buttons} == {"ask"}


def test_more_like_this_pages_through_the_same_ranking(coach):
    first = coach.answer("Two councils and the acute trust each want their own dashboard")
    more = [b for b in first.card.buttons if b.action_id == "more"]
    if more:
        page = coach.act(Action(action_id="more", value=more[0].value), now=datetime.now(UTC))
        assert {m.behaviour.id for m in page.results if m.behaviour}.isdisjoint(
            {m.behaviour.id for m in first.results if m.behaviour}
        )


def test_a_signpost_replaces_a_reply_that_found_nothing(coach):
    reply = coach.answer("I want to die")
    assert reply.intent == "wellbeing"
    assert reply.results == ()
    assert "couldn't find" not in reply.text
    assert reply.text.startswith("I'm really sorry")


@pytest.mark.parametrize(
    "text",
    [
        "thinking differently",
        "can you book the boardroom for Thursday",
        "how do you do",
        "I want to quit the programme board",
        "I want to disappear on holiday",
    ],
)
def test_ordinary_short_or_admin_messages_get_no_signpost(coach, text):
    assert "116 123" not in coach.answer(text).text


def test_a_place_in_a_leadership_question_with_a_weak_cue_is_not_a_contact_question(coach):
    reply = coach.answer("how do we engage local communities in Bradford?")
    assert reply.results
    assert all(m.academy is None for m in reply.results)

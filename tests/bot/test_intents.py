"""Explicit subcommands come first, with their variants; free text routes by cues."""

from __future__ import annotations

import pytest

from bot.intents import Cue, Intent, IntentKind, contact_cue, only_an_offer, route
from bot.text import clean


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


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("who do I talk to about leadership courses?", Cue.INQUIRY),
        ("email address for the academy please", Cue.INQUIRY),
        ("what's the phone number for the leadership academy", Cue.INQUIRY),
        ("is there a programme for aspiring directors near Oxford?", Cue.INQUIRY),
        ("I work in Coventry - who can I speak to about coaching?", Cue.INQUIRY),
        ("any mentoring on offer for new band 7s?", Cue.INQUIRY),
        ("how can we sign up for the leadership development sessions", Cue.INQUIRY),
        # Up to two words between "any" and what it is for; "is there X for"; who provides.
        ("any leadership programmes for band 7s?", Cue.INQUIRY),
        ("is there funding for leadership development", Cue.INQUIRY),
        ("I'd like some executive coaching, who provides that", Cue.INQUIRY),
        # "a coach" to have is an offer; coaching one's team is not (below).
        ("can someone help me find a coach", Cue.INQUIRY),
        # "speak to someone about" asks for a person as "who do I speak to" does.
        ("I'd like to speak to someone about coaching support", Cue.INQUIRY),
        ("can I talk to somebody about the leadership programmes?", Cue.INQUIRY),
        ("new ward manager, want some development. who can i ring", Cue.INQUIRY),
        ("any development offers for AHP leads in liverpool", Cue.INQUIRY),
        ("any leadership programmes locally for band 6s?", Cue.INQUIRY),
        ("what courses are there on system leadership?", Cue.INQUIRY),
        ("can I get a coach? just stepped up to team lead lol", Cue.INQUIRY),
        ("Wakefield: who should I ring?", Cue.DIRECT),
        # Development of a service is no offer: who to talk to about it is a leadership question.
        ("we need more development of community services, who can I talk to", Cue.DIRECT),
        # A conversation or a culture is no offer to ask for.
        ("can I have a coaching conversation with my deputy", Cue.STRONG),
        ("a masterclass for clinical directors in Truro", Cue.STRONG),
        ("how do I explain our strategy to local councillors?", Cue.WEAK),
    ],
)
def test_contact_cues_have_a_strength(text, cue):
    intent = route(text)
    assert (intent.kind, intent.cue) == (IntentKind.CONTACT, cue)


@pytest.mark.parametrize(
    "text",
    [
        # Sustaining a network, not asking for contacts.
        "how do we stay in touch as a network when the funding ends",
        # Other people applying: a question about inclusive talent, not about joining.
        "our development schemes never attract applicants from the night shift",
        "how can I be a better coach to my junior doctors",
        "is there time for reflection in our MDT",
        # Wanting to talk something through is not asking for an academy's contacts.
        "I need to talk to someone about the conflict in my team",
    ],
)
def test_cue_words_in_a_leadership_question_are_not_an_inquiry(text):
    assert route(text).cue != Cue.INQUIRY


@pytest.mark.parametrize(
    "text",
    [
        "we need to make the call on closing a minor injuries unit",
        "it was a difficult call but we stopped the trial early",
        "who's on call for the surgical team tonight?",
        "call the patient back about their results",
    ],
)
def test_call_as_a_verb_is_not_a_contact_cue(text):
    assert route(text).kind is not IntentKind.CONTACT


def test_who_do_i_call_is_a_contact_cue():
    assert route("who should I call about courses in Carlisle?").kind is IntentKind.CONTACT


def test_national_voices_anywhere_means_the_principles():
    intent = route("what does National Voices say about fairness")
    assert (intent.kind, intent.cue) == (IntentKind.PRINCIPLES, Cue.PRINCIPLES)


def test_a_principle_by_its_number():
    intent = route("what's principle 3 about?")
    assert (intent.kind, intent.args, intent.cue) == (IntentKind.PRINCIPLES, "3", Cue.NUMBER)


def test_a_short_question_naming_collective_leadership_is_about_it():
    assert route("what's collective leadership?").kind is IntentKind.ABOUT


def test_bare_more_and_greetings():
    assert route("more").kind is IntentKind.MORE
    # Greetings are small talk now (a short reply), not the help card.
    assert route("hello").kind is IntentKind.SEARCH


def test_get_in_touch_asks_for_contacts():
    assert route("is there anyone in Leeds I can get in touch with?").cue == Cue.DIRECT
    assert route("how do I reach out to hard to reach groups?").cue == Cue.WEAK


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("progress", IntentKind.PROGRESS),
        ("Progress!", IntentKind.PROGRESS),
        ("home", IntentKind.HOME),
        # Words that open leadership questions stay questions when more follows.
        ("progress in integrated care", IntentKind.SEARCH),
        ("progressive leadership in the ICS", IntentKind.SEARCH),
        ("home care for older people", IntentKind.SEARCH),
    ],
)
def test_progress_and_home_are_commands_only_on_their_own(text: str, kind: IntentKind) -> None:
    assert route(text).kind is kind


@pytest.mark.parametrize("text", ["what are the four domains?", "remind me of the domains"])
def test_a_short_question_naming_the_domains_lists_them(text):
    assert route(text).kind is IntentKind.DOMAINS


def test_a_long_question_mentioning_domains_is_searched():
    text = "how do I balance the domains when my team only cares about improvement and not learning"
    assert route(text).kind is IntentKind.SEARCH


@pytest.mark.parametrize(
    "text",
    ["system leadership courses in Bristol", "collective leadership training Manchester"],
)
def test_an_offer_on_the_idea_itself_is_a_contact_question(text):
    intent = route(text)
    assert intent.kind is IntentKind.CONTACT
    assert intent.cue in (Cue.INQUIRY, Cue.STRONG)


@pytest.mark.parametrize(
    "text", ["what is system leadership", "who to contact about system leadership"]
)
def test_the_idea_alone_is_still_about_the_briefing(text):
    assert route(text).kind is IntentKind.ABOUT


@pytest.mark.parametrize(
    ("text", "number"), [("tell me about domain 2", "2"), ("what's in domain number 3?", "3")]
)
def test_a_domain_by_its_number(text, number):
    assert route(text) == Intent(kind=IntentKind.DOMAINS, args=number)


@pytest.mark.parametrize(
    "text",
    [
        "who sorts out coaching for consultants",
        "where would i find info on nhs leadership programmes",
        "any mentoring schemes going for new managers?",
        "my deputy wants to do the mary seacole course, how does she apply",
    ],
)
def test_more_ways_of_asking_for_an_offer_are_inquiries(text):
    assert contact_cue(clean(text)) == Cue.INQUIRY


@pytest.mark.parametrize(
    "text",
    [
        "how do people apply their learning from a leadership programme",
        "who looks after the risk register",
        "who covers for me when I'm on leave",
    ],
)
def test_the_same_words_without_an_offer_are_no_inquiry(text):
    assert contact_cue(clean(text)) != Cue.INQUIRY


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("leadership programmes birmingham", "Birmingham", True),
        ("nhs leadership courses newcastle", "Newcastle", True),
        ("mentoring for conflict in my team birmingham", "Birmingham", False),
        ("leadership birmingham", "Birmingham", False),  # no offer at all
    ],
)
def test_only_an_offer_and_a_place(text, place, expected):
    assert only_an_offer(clean(text), place) is expected

"""The coach answers each intent with the right reply model, and handles buttons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.coach import Coach
from bot.models import Action, Audience, Incoming, ResultKind

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def coach():
    return Coach.load()


def test_behaviours_answer_shows_domain_role_and_behaviour(coach):
    reply = coach.answer("behaviours resilience")
    top = reply.results[0].behaviour
    assert top.behaviour == "Patience, persistence and resilience"
    assert reply.intent == "behaviours"
    section = reply.card.sections[0]
    assert section.heading == "Individual Effectiveness"
    assert [f.value for f in section.facts] == [top.role, top.behaviour]
    assert "Patience, persistence and resilience" in reply.text


def test_principles_without_a_topic_lists_all_six(coach):
    reply = coach.answer("principles")
    assert [m.principle.number for m in reply.results] == [1, 2, 3, 4, 5, 6]


def test_principles_with_a_topic_ranks_principles_only(coach):
    reply = coach.answer("principles carers")
    assert reply.results[0].principle.number == 4
    assert all(m.kind is ResultKind.PRINCIPLE for m in reply.results)


def test_contact_leeds(coach):
    reply = coach.answer("contact Leeds")
    academy = reply.results[0].academy
    assert academy.region == "Yorkshire and the Humber"
    assert academy.tel in reply.text
    assert "2016" in reply.text  # the contacts are dated


def test_contact_for_scotland_lists_the_ten_regions(coach):
    reply = coach.answer("contact Glasgow")
    assert reply.results == ()
    for region in ("London", "North East", "Thames Valley and Wessex"):
        assert region in reply.text


def test_unknown_place_gets_regions_not_a_guess(coach):
    reply = coach.answer("contact Atlantis")
    assert reply.results == ()
    assert "Atlantis" in reply.text
    assert "Kent, Surrey and Sussex" in reply.text


def test_unknown_topic_gets_a_helpful_fallback(coach):
    reply = coach.answer("weather tomorrow")
    assert reply.results == ()
    assert "resilience" in reply.text  # suggests topics to try


def test_a_bare_place_name_is_a_contact_question(coach):
    assert coach.answer("Leeds").results[0].academy.region == "Yorkshire and the Humber"


def test_more_like_this_pages_through_matches(coach):
    first = coach.answer("inclusive")
    more = [b for b in first.card.buttons if b.action_id == "more"]
    assert more, "inclusive matches more than one page"
    second = coach.act(Action(action_id="more", value=more[0].value), now=NOW)
    assert second.results
    assert set(second.results).isdisjoint(first.results)


def test_share_makes_the_answer_public_without_buttons(coach):
    first = coach.answer("behaviours resilience")
    share = next(b for b in first.card.buttons if b.action_id == "share")
    shared = coach.act(Action(action_id="share", value=share.value), now=NOW)
    assert shared.audience is Audience.EVERYONE
    assert shared.card.buttons == ()
    assert shared.results == first.results


def test_a_forged_button_value_is_harmless(coach):
    reply = coach.act(Action(action_id="more", value="{not json"), now=NOW)
    assert reply.text


def test_stateful_commands_without_storage_say_so(coach):
    reply = coach.handle(Incoming(text="nudges on monday 9am"), now=NOW)
    assert "Slack or Teams" in reply.text


def test_domains_and_about(coach):
    assert len(coach.answer("domains").card.sections) == 4
    assert len(coach.answer("domains innovation").results) == 7
    about = coach.answer("about")
    assert "collaborative" in about.text
    assert "NHS Leadership Academy" in about.text
    assert "Kings Fund" in coach.answer("about collective").text


@pytest.mark.parametrize("text", ["", "help"])
def test_help(coach, text):
    assert "contact" in coach.answer(text).text


@pytest.mark.parametrize(
    "text",
    ["behaviours resilience", "contact Leeds", "how do I lead without authority?", "help", ""],
)
def test_answer_now_is_handle_routed_once(coach, text):
    incoming = Incoming(text=text)
    assert coach.answer_now(incoming, now=NOW) == coach.handle(incoming, now=NOW)


@pytest.mark.parametrize("text", ["journal", "nudges on monday 09:00", "forget me"])
def test_answer_now_leaves_stateful_commands_to_handle(coach, text):
    assert coach.answer_now(Incoming(text=text), now=NOW) is None

"""Reply builders: small talk, nothing more, not for me, and where the signposts go."""

from __future__ import annotations

from bot.models import Card, Match, Reply, ResultKind, Section
from bot.understanding import answers
from bot.understanding.wellbeing import Wellbeing


def test_small_talk_is_short_plain_and_stable(coach):
    talk = coach.understanding.small_talk("cheers")
    first = answers.small_talk_reply(talk, text="cheers")
    assert first == answers.small_talk_reply(talk, text="cheers")
    assert first.text in talk.replies
    assert first.card is None
    assert first.results == ()


def test_nothing_more_and_not_for_me_offer_topics_as_buttons():
    for reply in (answers.nothing_more_reply(), answers.not_for_me_reply(query="wifi")):
        assert reply.results == ()
        assert reply.card.buttons
        assert {b.action_id for b in reply.card.buttons} == {"ask"}


def _an_answer(coach) -> Reply:
    """A reply with one row, as a search gives."""
    row = coach.content.rows[0]
    return Reply(
        text="An answer.",
        intent="search",
        card=Card(title="Answer", sections=(Section(body="An answer."),)),
        results=(Match(kind=ResultKind.BEHAVIOUR, score=80.0, behaviour=row),),
    )


def test_distress_signpost_follows_the_answer(coach):
    reply = _an_answer(coach)
    signed = answers.with_signpost(reply, state=Wellbeing.DISTRESS, content=coach.content)
    assert signed.text.startswith("An answer.")
    assert signed.text.endswith(coach.content.examples.wellbeing.distress_text)
    assert signed.card.sections[-1].body == coach.content.examples.wellbeing.distress_text
    assert signed.results == reply.results


def test_crisis_signpost_is_the_whole_reply(coach):
    reply = Reply(text="An answer.", intent="search")
    signed = answers.with_signpost(reply, state=Wellbeing.CRISIS, content=coach.content)
    assert signed.text == coach.content.examples.wellbeing.crisis_text
    assert signed.intent == "wellbeing"


def test_a_crisis_that_is_also_a_question_gets_the_signpost_first_then_the_answer(coach):
    reply = _an_answer(coach)
    crisis = coach.content.examples.wellbeing.crisis_text
    signed = answers.with_signpost(
        reply, state=Wellbeing.CRISIS_WITH_QUESTION, content=coach.content
    )
    assert signed.text.startswith(crisis)
    assert signed.text.endswith("An answer.")
    assert signed.card.sections[0].body == crisis
    assert signed.results == reply.results
    # With nothing to answer, the signpost is the whole reply, as for any crisis.
    bare = answers.with_signpost(
        Reply(text="Nothing found.", intent="search"),
        state=Wellbeing.CRISIS_WITH_QUESTION,
        content=coach.content,
    )
    assert bare.text == crisis
    assert bare.intent == "wellbeing"


def test_a_diary_task_is_declined_with_the_nudges_offered():
    reply = answers.task_reply(query="remind me at 3pm to ring estates")
    assert reply.results == ()
    assert reply.intent == "task"
    assert [(b.action_id, b.value) for b in reply.card.buttons] == [("ask", "nudges")]
    assert "nudges" in reply.text

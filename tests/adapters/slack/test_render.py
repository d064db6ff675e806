"""Reply → Block Kit: golden files for real answers, and Slack's limits for any reply at all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.action_ids import OPEN_FORM
from adapters.slack.forms import decode_form
from adapters.slack.limits import MAX_MESSAGE_BLOCKS, MAX_MESSAGE_TEXT
from adapters.slack.render import render_card, render_reply
from bot.models import Button, Card, Fact, Input, Reply, Section
from tests.adapters.slack.golden import assert_golden
from tests.adapters.slack.harness import all_text, coach


@pytest.mark.parametrize(
    ("name", "question"),
    [
        ("behaviours_resilience", "behaviours resilience"),
        ("contact_leeds", "contact Leeds"),
        ("contact_dorset", "contact Dorset"),
        ("principles_carers", "principles carers"),
        ("leadership_development", "leadership development"),
        ("domains", "domains"),
        ("help", "help"),
        ("small_talk", "cheers"),
    ],
)
def test_real_answers_match_their_golden_files(name: str, question: str) -> None:
    rendered = render_reply(coach().answer(question)).as_kwargs()
    assert_golden(f"reply_{name}", rendered)


def test_resilience_answer_shows_domain_role_and_behaviour() -> None:
    rendered = render_reply(coach().answer("behaviours resilience")).as_kwargs()
    text = all_text(rendered["blocks"])
    assert "Individual Effectiveness" in text
    assert "Enabler role, holding people to account for the work" in text
    assert "Patience, persistence and resilience" in text
    assert "Patience, persistence and resilience" in rendered["text"]


def test_user_text_is_escaped_everywhere() -> None:
    sneaky = "<!channel> <@U123> <https://evil.example|click> & co"
    reply = Reply(
        text=f"You asked: {sneaky}",
        intent="search",
        card=Card(
            title=f"About {sneaky}",
            sections=(
                Section(heading=sneaky, body=sneaky, facts=(Fact(label=sneaky, value=sneaky),)),
            ),
            buttons=(Button(label=sneaky, action_id="ask", value=sneaky),),
            suggestions=(sneaky,),
            footer=sneaky,
        ),
    )
    rendered = render_reply(reply).as_kwargs()
    shown = all_text(rendered["blocks"]) + rendered["text"]
    for ping in ("<!channel>", "<@U123>", "<https://evil"):
        assert ping not in shown
    assert "&lt;!channel&gt;" in shown
    assert "&amp; co" in shown
    assert_golden("reply_escaped", rendered)


def test_too_many_sections_are_cut_with_a_note_and_the_buttons_kept() -> None:
    sections = tuple(Section(heading=f"Match {i}", body="x" * 50) for i in range(80))
    reply = Reply(
        text="Many matches",
        intent="search",
        card=Card(
            title="Many",
            sections=sections,
            buttons=(
                Button(label="More like this", action_id="more", value="m"),
                Button(label="Share to channel", action_id="share", value="s"),
            ),
        ),
    )
    blocks = render_reply(reply).as_kwargs()["blocks"]
    assert len(blocks) == MAX_MESSAGE_BLOCKS
    assert blocks[-1]["type"] == "actions"
    note = blocks[-2]
    assert note["type"] == "context"
    assert "more not shown here" in note["elements"][0]["text"]
    assert "More like this" in note["elements"][0]["text"]
    assert_golden("reply_too_many_sections", blocks[-3:])


def test_long_text_and_titles_are_cut_to_slack_limits() -> None:
    reply = Reply(
        text="y" * 50_000,
        intent="about",
        card=Card(
            title="T" * 400,
            sections=(
                Section(body=("word " * 1500).strip()),
                Section(facts=tuple(Fact(label=f"L{i}", value="v" * 2500) for i in range(23))),
            ),
            buttons=(Button(label="B" * 100, action_id="ask", value="v" * 3000),),
        ),
    )
    rendered = render_reply(reply).as_kwargs()
    assert len(rendered["text"]) <= MAX_MESSAGE_TEXT
    header = rendered["blocks"][0]
    assert len(header["text"]["text"]) <= 150
    sections = [b for b in rendered["blocks"] if b["type"] == "section"]
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in sections)
    assert [len(b["fields"]) for b in sections if "fields" in b] == [10, 10, 3]
    button = rendered["blocks"][-1]["elements"][0]
    assert len(button["text"]["text"]) <= 75
    assert len(button["value"]) <= 2000


def test_repeated_action_ids_are_numbered() -> None:
    blocks = render_reply(coach().answer("help")).as_kwargs()["blocks"]
    ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert ids == ["ask", "ask#2", "ask#3"]


def test_link_buttons_get_an_adapter_action_id() -> None:
    card = Card(title="Read", buttons=(Button(label="Open", action_id="x", url="https://x.test"),))
    element = render_card(card)[-1]["elements"][0]
    assert element["action_id"] == "slack.link"
    assert element["url"] == "https://x.test"


def test_a_form_in_a_message_gets_a_button_that_opens_it() -> None:
    form = Card(
        title="Reflect",
        sections=(Section(heading="Enabler role", body="What did you notice?"),),
        inputs=(Input(id="reflection", label="Your reflection", placeholder="Write here"),),
        submit=Button(label="Save to my journal", action_id="journal.save", value="ref-1"),
    )
    blocks = render_reply(Reply(text="Write", intent="reflect", card=form)).as_kwargs()["blocks"]
    opener = blocks[-1]["elements"][0]
    assert opener["action_id"] == OPEN_FORM
    assert decode_form(opener["value"]) == form
    assert_golden("reply_form_in_message", blocks)


def test_extra_cards_follow_a_divider() -> None:
    reply = Reply(
        text="Two",
        intent="contact",
        card=Card(title="First"),
        extra=(Card(title="Second", sections=(Section(body="more"),)),),
    )
    types = [b["type"] for b in render_reply(reply).as_kwargs()["blocks"]]
    assert types == ["header", "divider", "header", "section"]


def test_a_reply_without_a_card_is_its_text() -> None:
    rendered = render_reply(Reply(text="Just *text* & more", intent="help")).as_kwargs()
    assert rendered["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Just *text* &amp; more"}}
    ]


_text = st.text(max_size=400)
_facts = st.lists(st.builds(Fact, label=_text, value=_text), max_size=14).map(tuple)
_sections = st.lists(
    st.builds(Section, heading=_text, body=st.text(max_size=4000), facts=_facts), max_size=70
)
_buttons = st.lists(
    st.builds(
        Button,
        label=_text,
        action_id=st.sampled_from(["more", "share", "ask", "nudge.pause"]),
        value=st.text(max_size=2500),
    ),
    max_size=30,
)
_cards = st.builds(
    Card,
    title=_text,
    sections=_sections.map(tuple),
    buttons=_buttons.map(tuple),
    suggestions=st.lists(_text, max_size=12).map(tuple),
    footer=_text,
)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=45_000),
    card=st.none() | _cards,
    extra=st.lists(_cards, max_size=2).map(tuple),
)
def test_any_reply_renders_within_slack_limits(
    text: str, card: Card | None, extra: tuple[Card, ...]
) -> None:
    message = render_reply(Reply(text=text, intent="x", card=card, extra=extra))
    # slack_sdk's to_dict() validates every field's length and count, raising if one is over.
    rendered = message.as_kwargs()
    assert len(rendered["blocks"]) <= MAX_MESSAGE_BLOCKS
    assert 0 < len(rendered["text"]) <= MAX_MESSAGE_TEXT
    shown = all_text(rendered["blocks"]) + rendered["text"]
    assert "<" not in shown
    assert ">" not in shown


# Situational answers change whenever editors add example situations, so they are checked by
# structure rather than against a golden file.
def test_a_coaching_reply_says_why_and_asks_a_question() -> None:
    reply = coach().answer("My appraiser says I come across as arrogant in meetings")
    rendered = render_reply(reply).as_kwargs()
    text = all_text(rendered["blocks"])
    assert "Why it fits" in text
    assert "A question to reflect on" in text
    ids = [
        e["action_id"] for b in rendered["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert "nudge.reflect" in ids
    assert "Why it fits:" in rendered["text"]


def test_a_distress_signpost_is_rendered_after_the_answer() -> None:
    rendered = render_reply(coach().answer("im knackered and burnt out")).as_kwargs()
    text = all_text(rendered["blocks"])
    assert "116 123" in text
    assert text.index("Patience, persistence and resilience") < text.index("116 123")

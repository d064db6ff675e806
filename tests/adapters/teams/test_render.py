"""Reply → Adaptive Card, compared with golden files.

Set ``UPDATE_GOLDEN=1`` to rewrite the files after an intended change, then review the diff.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from adapters.teams import render
from bot.models import Button, Card, Fact, Input, Reply, Section

GOLDEN = Path(__file__).parent / "golden"

ANSWER = Reply(
    text="What the framework says about “resilience”:\n1. Individual Effectiveness",
    intent="behaviours",
    card=Card(
        title="What the framework says about “resilience”",
        sections=(
            Section(
                heading="Individual Effectiveness",
                facts=(
                    Fact(label="Leadership role", value="Enabler role, holding people to account"),
                    Fact(
                        label="Behaviours demonstrated",
                        value="Patience, persistence and resilience",
                    ),
                ),
            ),
            Section(heading="Relationships and Connectivity", body="A *second* match."),
        ),
        buttons=(
            Button(label="More like this", action_id="more", value='{"q":"resilience","o":2}'),
            Button(label="Share to channel", action_id="share", value='{"q":"resilience","o":0}'),
            Button(
                label="Ask about carers",
                action_id="ask",
                value="principles carers",
                style="primary",
            ),
            Button(label="Stop", action_id="nudge.stop", value="sub-1", style="danger"),
            Button(
                label="Framework", action_id="link", url="https://www.leadershipacademy.nhs.uk/"
            ),
        ),
        suggestions=("behaviours resilience", "contact Leeds"),
        footer="From the System Leadership Framework.",
    ),
)

FORM = Reply(
    text="Reflect on this week's prompt.",
    intent="nudge",
    card=Card(
        title="Reflect",
        sections=(Section(body="How did you hold people to account this week?"),),
        inputs=(
            Input(id="reflection", label="Your reflection", placeholder="Only you can read this"),
            Input(id="title", label="Title", multiline=False, max_length=80),
        ),
        submit=Button(
            label="Save to journal", action_id="journal.save", value="row-7", style="primary"
        ),
        buttons=(Button(label="Skip", action_id="nudge.skip", value="sub-1"),),
    ),
)

# What a person typed, echoed back: none of it may become formatting, links or functions.
HOSTILE = (
    "*hi* [click](https://evil.example) _x_ `code` \\ ~~s~~ {{DATE(2017-02-14T06:08:39Z, SHORT)}}"
)
ESCAPING = Reply(
    text=f"No match for: {HOSTILE}",
    intent="search",
    card=Card(
        title=f"No match for “{HOSTILE}”",
        sections=(
            Section(
                heading="# not a heading",
                body="- not a list\n1. not a numbered list\n> not a quote\n<at>Someone</at>",
                facts=(Fact(label="You asked", value=HOSTILE),),
            ),
        ),
    ),
)

TEXT_ONLY = Reply(text="Nudges are *not* available here.", intent="nudges")

EXTRA = Reply(
    text="Two cards.",
    intent="contact",
    card=Card(title="First"),
    extra=(Card(title="Second", sections=(Section(body="More."),)),),
)

CASES = {
    "answer": ANSWER,
    "form": FORM,
    "escaping": ESCAPING,
    "text_only": TEXT_ONLY,
    "extra_cards": EXTRA,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendered_activity_matches_golden(name: str) -> None:
    activity = render.to_activity(CASES[name])
    rendered = activity.model_dump(by_alias=True, exclude_unset=True, mode="json")
    path = GOLDEN / f"{name}.json"
    text = json.dumps(rendered, indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == rendered


def test_buttons_carry_action_id_and_value_and_share_is_dropped() -> None:
    card = render.card_json(ANSWER.card)  # type: ignore[arg-type]
    actions = [a for a in card["actions"] if a["type"] != "Action.OpenUrl"]
    assert [a["data"] for a in actions] == [
        {"action_id": "more", "value": '{"q":"resilience","o":2}'},
        {"action_id": "ask", "value": "principles carers"},
        {"action_id": "nudge.stop", "value": "sub-1"},
    ]
    assert all(a["data"]["action_id"] != "share" for a in actions)
    # Answers post a new message (Submit); a nudge button updates its card (Execute), with
    # the same Submit as the fallback for clients without Universal Actions.
    assert [a["type"] for a in actions] == ["Action.Submit", "Action.Submit", "Action.Execute"]
    stop = actions[2]
    assert stop["verb"] == "nudge.stop"
    assert stop["fallback"] == {
        "type": "Action.Submit",
        "title": stop["title"],
        "data": stop["data"],
        "style": "destructive",
    }


def test_form_is_inputs_and_a_submit_first() -> None:
    card = render.card_json(FORM.card)  # type: ignore[arg-type]
    inputs = [b for b in card["body"] if b["type"] == "Input.Text"]
    assert [(i["id"], i["isMultiline"], i["maxLength"]) for i in inputs] == [
        ("reflection", True, 3000),
        ("title", False, 80),
    ]
    assert card["actions"][0]["data"] == {"action_id": "journal.save", "value": "row-7"}


def test_reserved_input_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="reserved"):
        render.card_json(Card(title="x", inputs=(Input(id="value", label="v"),)))


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("*bold*", "\\*bold\\*"),
        ("[a](http://b)", "\\[a\\](http://b)"),
        ("snake_case", "snake\\_case"),
        ("back\\slash", "back\\\\slash"),
        ("- item", "\\- item"),
        ("  + item", "  \\+ item"),
        ("# title", "\\# title"),
        ("> quote", "\\> quote"),
        ("12. twelfth", "12\\. twelfth"),
        ("3) third", "3\\) third"),
        ("{{TIME(2017-02-14T06:08:39Z)}}", "{\u200b{TIME(2017-02-14T06:08:39Z)}}"),
        ("behaviours <topic>", "behaviours \\<topic>"),
        ("A&E", "A&E"),
        ("&amp; &#60;", "\\&amp; \\&#60;"),
        ("Patience, persistence and resilience", "Patience, persistence and resilience"),
        ("0113 887 1660", "0113 887 1660"),
    ],
)
def test_escape(typed: str, shown: str) -> None:
    assert render.escape(typed) == shown


def test_core_bold_becomes_markdown_bold_and_lines_become_paragraphs() -> None:
    assert render.to_markdown("a *b_c* d\n- e") == "a **b\\_c** d\n\n\\- e"


def test_oversized_cards_are_shortened_to_fit_teams() -> None:
    long = Section(heading="Row", body="word " * 400)
    reply = Reply(text="Many", intent="search", card=Card(title="Many", sections=(long,) * 40))
    activity = render.to_activity(reply)
    [attachment] = activity.attachments
    size = len(json.dumps(attachment.content, ensure_ascii=False).encode("utf-8"))
    assert size <= render.MAX_CARD_BYTES
    body_texts = [b.get("text", "") for b in attachment.content["body"]]
    assert any(t.startswith("Shortened to fit in Teams") for t in body_texts)
    assert 1 <= sum(t == "Row" for t in body_texts) < 40


def test_summary_is_the_first_line_cut_short() -> None:
    assert render.summary_of("\n  First line  \nsecond") == "First line"
    assert render.summary_of("x" * 500).endswith("…")
    assert len(render.summary_of("x" * 500)) == render.SUMMARY_CHARS


def test_a_coaching_reply_renders_natively_with_a_text_fallback(coach) -> None:
    reply = coach.answer("My appraiser says I come across as arrogant in meetings")
    activity = render.to_activity(reply)
    card = activity.attachments[0].content
    text = json.dumps(card, ensure_ascii=False)
    assert "Why it fits" in text
    assert "A question to reflect on" in text
    titles = [a.get("title") for a in card["actions"]]
    assert "Reflect on this" in titles
    assert "Why it fits:" in reply.text  # the plain-text fallback says it too


def test_the_sdks_deep_copy_of_a_card_message_shares_the_card_and_sends_the_same_json() -> None:
    card = Card(title="Resilience", sections=(Section(heading="Row", body="Stay *steady*."),))
    activity = render.to_activity(Reply(text="Resilience", intent="behaviours", card=card))

    copied = copy.deepcopy(activity)  # what TurnContext.send_activities does to every message

    assert copied.attachments[0].content is activity.attachments[0].content
    sent = copied.model_dump(by_alias=True, exclude_unset=True, exclude_none=True, mode="json")
    content = sent["attachments"][0]["content"]
    assert content == render.card_json(card, fallback_text="Resilience")
    assert json.loads(json.dumps(sent))["attachments"][0]["content"] == content

"""The nudge itself: what a subscriber sees each week, built purely."""

from __future__ import annotations

from dataclasses import replace

from bot.content import Content
from bot.models import Audience, Behaviour, Button, Card, Fact, Reply, Section
from bot.nudges.ref import Ref


def nudge_reply(
    content: Content,
    *,
    row_id: str,
    prompt_index: int,
    channel: bool = False,
    focus: bool = False,
) -> Reply:
    """The weekly nudge: domain, role, behaviour, an open question, and its five buttons.

    ``focus`` marks a nudge about one of the rows the person chose to work on.
    """
    row = content.row(row_id)
    question = question_for(content, row_id, prompt_index)
    ref = Ref(channel=channel, row_id=row_id, prompt_index=prompt_index).encode()
    title = "This week's team reflection" if channel else "Your weekly reflection"
    if focus and not channel:
        title = "Your weekly reflection: your focus"
    card = Card(
        title=title,
        sections=(
            Section(facts=row_facts(row)),
            Section(heading="This week's question", body=question),
        ),
        buttons=(
            Button(label="Reflect", action_id="nudge.reflect", value=ref, style="primary"),
            Button(label="Another prompt", action_id="nudge.another", value=ref),
            Button(label="Skip next week", action_id="nudge.skip", value=ref),
            Button(label="Pause", action_id="nudge.pause", value=ref),
            Button(label="Stop", action_id="nudge.stop", value=ref, style="danger"),
        ),
        footer=(
            "Reflect to write a private note; only you can read your journal."
            if not channel
            else "Talk it over together; Reflect keeps a private note in your own journal."
        ),
    )
    if focus and not channel:
        note = Section(body="A focus nudge: this row is one you chose to work on (type focus).")
        card = replace(card, sections=(note, *card.sections))
    focus_note = (
        "A focus nudge, about a row you chose to work on. " if focus and not channel else ""
    )
    text = (
        f"{title}. {focus_note}{row.domain}: {row.role}. Behaviour: {row.behaviour}. "
        f"This week's question: {question}"
    )
    return Reply(text=text, intent="nudge", card=card, audience=Audience.EVERYONE)


def row_facts(row: Behaviour) -> tuple[Fact, ...]:
    """A framework row as Domain, Role and Behaviour facts, worded as the framework words them."""
    return (
        Fact(label="Domain", value=row.domain),
        Fact(label="Role", value=row.role),
        Fact(label="Behaviour", value=row.behaviour),
    )


def question_for(content: Content, row_id: str, prompt_index: int) -> str:
    prompts = content.prompts_for(row_id)
    if not prompts:
        return "What did this look like in your work this week?"
    return prompts[prompt_index % len(prompts)].question

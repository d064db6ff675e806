"""The nudge itself: what a subscriber sees each week, built purely."""

from __future__ import annotations

from bot.content import Content
from bot.models import Audience, Behaviour, Button, Card, Fact, Reply, Section
from bot.nudges.ref import Ref


def nudge_reply(
    content: Content, *, row_id: str, prompt_index: int, channel: bool = False
) -> Reply:
    """The weekly nudge: domain, role, behaviour, an open question, and its five buttons."""
    row = content.row(row_id)
    question = question_for(content, row_id, prompt_index)
    ref = Ref(channel=channel, row_id=row_id, prompt_index=prompt_index).encode()
    title = "This week's team reflection" if channel else "Your weekly reflection"
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
    text = (
        f"{title}. {row.domain}: {row.role}. Behaviour: {row.behaviour}. "
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

"""This week's reflection prompt for a client that cannot be nudged (the console).

Slack and Teams deliver a weekly nudge; the console only answers, so ``coach chat`` asks for
this week's prompt when it starts and shows it if it is due: no reflection written yet this
week. The row comes from the person's own seeded walk, one step per calendar week, and
follows their focus like a delivered nudge does.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands.shared import Shared
from bot.identity import Who
from bot.models import Audience, Card, Fact, Reply, Section
from bot.nudges.card import question_for
from bot.nudges.walk import Walk, seed_for

ACTION = "journal.week"
# Weeks are counted from a Monday, so every person's walk steps on the same day.
_FIRST_MONDAY = date(2024, 1, 1)


def week_prompt(shared: Shared, owner: Who, *, now: datetime, zone: ZoneInfo) -> Reply:
    """This week's prompt (intent ``nudge.week``), or a short "done" note (``nudge.week.done``)."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    week_start = datetime(monday.year, monday.month, monday.day, tzinfo=zone)
    latest = shared.stores.journal.latest(owner, limit=1)
    if latest and latest[0].created_at >= week_start:
        return Reply(
            text="You have reflected this week already: well done.",
            intent="nudge.week.done",
            audience=Audience.PERSON,
        )
    walk = Walk.of(shared.content)
    seed = seed_for(owner.platform, owner.workspace_id, owner.user_id, "")
    focus = shared.stores.coaching.focus(owner) if shared.stores.coaching.writable else ()
    pick = walk.pick(seed, (monday - _FIRST_MONDAY).days // 7, focus=focus)
    row = shared.content.row(pick.row_id)
    question = question_for(shared.content, pick.row_id, pick.prompt_index)
    lead = "A focus prompt, about a row you chose to work on. " if pick.focus else ""
    how = "Write your reflection with: journal add followed by what you noticed."
    return Reply(
        text=(
            f"This week's reflection. {lead}{row.domain}: {row.role}. Behaviour: {row.behaviour}."
            f"\nThis week's question: {question}\n{how}"
        ),
        intent="nudge.week",
        audience=Audience.PERSON,
        card=Card(
            title="This week's reflection",
            sections=(
                Section(
                    body=lead,
                    facts=(
                        Fact(label="Domain", value=row.domain),
                        Fact(label="Role", value=row.role),
                        Fact(label="Behaviour", value=row.behaviour),
                    ),
                ),
                Section(heading="This week's question", body=question),
            ),
            footer=how,
        ),
    )

"""The nudge itself and the nudge-settings card: what a subscriber sees, built purely."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.content import Content
from bot.identity import Who
from bot.models import Audience, Button, Card, Fact, Reply, Section
from bot.nudges.ref import Ref
from bot.nudges.schedule import (
    DEFAULT_TIME,
    DEFAULT_WEEKDAY,
    WEEKDAYS,
    Schedule,
    describe,
    describe_slot,
    upcoming,
)
from bot.stores import Subscription


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
            Section(
                facts=(
                    Fact(label="Domain", value=row.domain),
                    Fact(label="Role", value=row.role),
                    Fact(label="Behaviour", value=row.behaviour),
                )
            ),
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


def question_for(content: Content, row_id: str, prompt_index: int) -> str:
    prompts = content.prompts_for(row_id)
    if not prompts:
        return "What did this look like in your work this week?"
    return prompts[prompt_index % len(prompts)].question


def settings_reply(
    sub: Subscription | None, *, target: Who, now: datetime, timezone: str, lead: str = ""
) -> Reply:
    """A person's or channel's nudge settings, with buttons to change them.

    ``sub`` is the stored subscription for ``target`` (or ``None``); ``timezone`` is the zone
    to describe the default in when there is none; ``lead`` goes first (what just changed).
    """
    if sub is None or not sub.active:
        return off_reply(target, timezone=timezone, lead=lead)
    nxt = upcoming(sub.schedule, now, hold=sub.hold)
    today = now.astimezone(ZoneInfo(sub.timezone)).date()
    status = "On"
    if sub.paused_until is not None and sub.paused_until > today:
        status = f"Paused until {day_label(sub.paused_until)}"
    elif sub.skip_key is not None and sub.skip_key >= today.isoformat():
        status = f"On, skipping {day_label(date.fromisoformat(sub.skip_key))}"
    value = Ref(channel=target.is_channel).encode()
    facts = (
        Fact(label="Status", value=status),
        Fact(label="When", value=f"{WEEKDAYS[sub.weekday].title()}s at {sub.at:%H:%M}"),
        Fact(label="Timezone", value=sub.timezone),
        Fact(label="Next nudge", value=describe_slot(nxt)),
    )
    buttons: tuple[Button, ...] = (
        Button(label="Skip next", action_id="nudge.skip", value=value),
        Button(label="Pause 2 weeks", action_id="nudge.pause", value=value),
        Button(label="Turn off", action_id="nudge.off", value=value, style="danger"),
    )
    if sub.paused_until is not None or sub.skip_key is not None:
        buttons = (Button(label="Resume", action_id="nudge.resume", value=value), *buttons)
    title = "Team reflection nudges" if target.is_channel else "Your weekly nudges"
    text = f"{lead} " if lead else ""
    text += f"{title}: {status[0].lower()}{status[1:]}, {describe(sub.schedule)}. "
    text += f"Next: {describe_slot(nxt)}."
    return Reply(
        text=text,
        intent="nudges",
        card=Card(
            title=title,
            sections=(*((Section(body=lead),) if lead else ()), Section(facts=facts)),
            buttons=buttons,
            footer="Change with: nudges day friday, nudges time 17:30, nudges tz Europe/London",
        ),
        audience=audience_of(target),
    )


def off_reply(target: Who, *, timezone: str, lead: str = "") -> Reply:
    """Nudges are off for ``target``: how to turn them on, and a button that does."""
    example = Schedule(weekday=DEFAULT_WEEKDAY, at=DEFAULT_TIME, timezone=timezone)
    on = "nudges channel on" if target.is_channel else "nudges on"
    text = (
        f"{lead + ' ' if lead else ''}Weekly nudges are off. Type {on} for a reflection "
        f"prompt {describe(example)}, or choose: {on} friday 5:30pm."
    )
    return Reply(
        text=text,
        intent="nudges",
        card=Card(
            title="Weekly reflection nudges",
            sections=(Section(body=text),),
            buttons=(
                Button(
                    label="Turn on",
                    action_id="nudge.on",
                    value=Ref(channel=target.is_channel).encode(),
                    style="primary",
                ),
            ),
        ),
        audience=audience_of(target),
    )


def audience_of(target: Who) -> Audience:
    """A person's nudge settings are theirs to see; a channel's are the team's."""
    return Audience.EVERYONE if target.is_channel else Audience.ASKER


def day_label(day: date) -> str:
    """``"Mon 2 Jun"``."""
    return f"{day:%a} {day.day} {day:%b}"

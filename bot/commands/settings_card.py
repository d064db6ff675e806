"""The nudge-settings card: a person's or a channel's weekly nudges, with buttons to change them.

It lives with the commands rather than beside the nudge itself (:mod:`bot.nudges.card`) because
it reads a stored :class:`~bot.stores.Subscription`, and :mod:`bot.nudges` stays below the
store protocols.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.identity import Who
from bot.models import Audience, Button, Card, Fact, Reply, Section
from bot.nudges.bank_holidays import region_label
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
        # "nudges pause" and "nudges away" are one hold: time off that ends by itself.
        back = day_label(sub.paused_until)
        if sub.paused_until.year != today.year:
            back += f" {sub.paused_until.year}"  # away over New Year: "Mon 4 Jan 2027"
        status = f"Away until {back}, resuming by itself"
    elif sub.skip_key is not None and sub.skip_key >= today.isoformat():
        status = f"On, skipping {day_label(date.fromisoformat(sub.skip_key))}"
    value = Ref(channel=target.is_channel).encode()
    facts = (
        Fact(label="Status", value=status),
        Fact(label="When", value=f"{WEEKDAYS[sub.weekday].title()}s at {sub.at:%H:%M}"),
        Fact(label="Timezone", value=sub.timezone),
        Fact(label="Bank holidays", value=region_label(sub.holiday_region)),
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
    text += f"Next: {describe_slot(nxt)}. Bank holidays: {region_label(sub.holiday_region)}."
    return Reply(
        text=text,
        intent="nudges",
        card=Card(
            title=title,
            sections=(*((Section(body=lead),) if lead else ()), Section(facts=facts)),
            buttons=buttons,
            footer=(
                "Change with: nudges day friday, nudges time 17:30, nudges tz Europe/London, "
                "nudges holidays scotland, nudges away until 2027-01-04"
            ),
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


def held_reply(sub: Subscription, *, text: str, title: str, body: str, resume: str) -> Reply:
    """Nudges held (paused, away) until a date: ``text``, and a card with a Resume button."""
    return Reply(
        text=text,
        intent="nudges",
        card=Card(
            title=title,
            sections=(Section(body=body),),
            buttons=(
                Button(
                    label=resume,
                    action_id="nudge.resume",
                    value=Ref(channel=sub.target.is_channel).encode(),
                ),
            ),
        ),
        audience=audience_of(sub.target),
    )


def audience_of(target: Who) -> Audience:
    """A person's nudge settings are theirs to see; a channel's are the team's."""
    return Audience.EVERYONE if target.is_channel else Audience.ASKER


def day_label(day: date) -> str:
    """``"Mon 2 Jun"``."""
    return f"{day:%a} {day.day} {day:%b}"

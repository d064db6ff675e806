"""``home``: one card with a person's focus, latest scores, next nudge and its day and time.

Built once, here: Slack shows it on the App Home (the pickers change the nudge at once), Teams
answers ``home`` with it as an Adaptive Card (the pickers and a Save button). The day and time
come back as the ``home.when`` action with ``day`` and ``time`` form entries; either may come
alone (Slack sends each picker as it changes).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.coaching.records import domain_scores
from bot.commands.settings_card import settings_reply
from bot.commands.shared import Shared, error_reply
from bot.commands.subscriptions import Subscriptions
from bot.identity import Who
from bot.models import Action, Audience, Button, Card, Fact, Incoming, Input, Reply, Section
from bot.nudges.schedule import (
    DEFAULT_TIME,
    DEFAULT_WEEKDAY,
    WEEKDAYS,
    describe,
    parse_time,
    parse_weekday,
)

INTENT = "home"
WHEN = "home.when"
DAY_INPUT = "day"
TIME_INPUT = "time"
NO_FOCUS = "No focus yet: type focus to choose up to three rows to work on."
NO_SCORES = "No self-assessment yet: press Assess to see where you are."
BUTTONS = (
    Button(label="Assess", action_id="ask", value="assess", style="primary"),
    Button(label="Progress", action_id="ask", value="progress"),
    Button(label="Journal", action_id="ask", value="journal"),
    Button(label="Export", action_id="ask", value="journal export"),
)


class Home:
    """``home`` typed, and the ``home.when`` pickers."""

    intents: frozenset[str] = frozenset({"home"})
    action_prefixes: tuple[str, ...] = ("home.",)

    def __init__(self, shared: Shared) -> None:
        self._shared = shared

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Answer ``home`` with the person's home card."""
        return self.reply(incoming.who.person, now=now, timezone=incoming.timezone)

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer ``home.when``: set the nudge's day and time, then show the card again."""
        if action.action_id != WHEN:
            return error_reply("That button has expired. Type home to see your home again.")
        form = dict(action.form)
        day_text, time_text = form.get(DAY_INPUT, "").strip(), form.get(TIME_INPUT, "").strip()
        weekday = parse_weekday(day_text) if day_text else None
        at = parse_time(time_text) if time_text else None
        if (day_text and weekday is None) or (time_text and at is None) or not form:
            return error_reply(
                "Choose a day from the list and a time such as 17:30 for your weekly nudge."
            )
        owner = action.who.person
        subs = self._shared.stores.subscriptions
        sub = subs.get(owner)
        if sub is None or not sub.active:
            # Choosing a day or time with nudges off turns them on at that day and time.
            words = [WEEKDAYS[DEFAULT_WEEKDAY if weekday is None else weekday]]
            words.append(f"{at or DEFAULT_TIME:%H:%M}")
            Subscriptions(self._shared).handle(
                Incoming(text="nudges on", who=owner, timezone=action.timezone),
                args="on " + " ".join(words),
                now=now,
            )
        else:
            sub = replace(sub, weekday=sub.weekday if weekday is None else weekday, at=at or sub.at)
            subs.put(sub, now=now)
        stored = subs.get(owner)
        lead = f"Done: nudges come {describe(stored.schedule)}." if stored is not None else ""
        return self.reply(owner, now=now, timezone=action.timezone, lead=lead)

    def reply(self, owner: Who, *, now: datetime, timezone: str | None, lead: str = "") -> Reply:
        """``owner``'s home: focus, latest domain scores, next nudge, pickers and buttons."""
        shared = self._shared
        content = shared.content
        rows = {row.id: row for row in content.rows}
        focus = [rows[i] for i in shared.stores.coaching.focus(owner) if i in rows]
        finished = [a for a in shared.stores.coaching.assessments(owner) if a.finished]
        sections: list[Section] = [Section(body=lead)] if lead else []
        sections.append(
            Section(
                heading="Your focus",
                body="\n".join(f"• {r.role}: {r.behaviour}" for r in focus) or NO_FOCUS,
            )
        )
        if finished:
            latest = max(finished, key=lambda a: (a.finished, a.id))
            assert latest.finished is not None  # filtered above; for the type checker
            zone = shared.zone_for(owner, timezone)
            day = latest.finished.astimezone(zone).date()
            scores = domain_scores(latest, content)
            sections.append(
                Section(
                    heading=f"Latest self-assessment, {day.day} {day:%b %Y}",
                    facts=tuple(
                        Fact(label=name, value="not rated" if s is None else f"{s:.1f} out of 5")
                        for name, s in scores.items()
                    ),
                )
            )
        else:
            sections.append(Section(heading="Self-assessment", body=NO_SCORES))
        sub = shared.stores.subscriptions.get(owner)
        settings = settings_reply(sub, target=owner, now=now, timezone=shared.timezone(timezone))
        facts = settings.card.sections[-1].facts if settings.card and sub and sub.active else ()
        sections.append(
            Section(
                heading="Weekly nudges",
                body="" if facts else "Off: choose a day and time below to turn them on.",
                facts=facts,
            )
        )
        active = sub is not None and sub.active
        weekday = sub.weekday if sub is not None and active else DEFAULT_WEEKDAY
        at = sub.at if sub is not None and active else DEFAULT_TIME
        text = _text(sections, active=active)
        return Reply(
            text=text,
            intent=INTENT,
            audience=Audience.PERSON,
            card=Card(
                title="Your coaching home",
                sections=tuple(sections),
                inputs=(
                    Input(
                        id=DAY_INPUT,
                        label="Nudge day",
                        choices=tuple(d.title() for d in WEEKDAYS),
                        value=WEEKDAYS[weekday].title(),
                    ),
                    Input(id=TIME_INPUT, label="Nudge time", time=True, value=f"{at:%H:%M}"),
                ),
                submit=Button(label="Save day and time", action_id=WHEN),
                buttons=BUTTONS,
                footer="Only you can see this: there is no manager or team view.",
            ),
        )


def _text(sections: list[Section], *, active: bool) -> str:
    """The card as plain text, for screen readers, notifications and the console."""
    lines = ["Your coaching home."]
    for section in sections:
        if section.heading:
            lines.append(f"{section.heading}:")
        if section.body:
            lines.append(section.body)
        lines.extend(f"• {f.label}: {f.value}" for f in section.facts)
    # Where there are no pickers (the console, a notification), the typed way to do the same.
    if active:
        lines.append("Change your nudge: nudges day friday, nudges time 17:30.")
    else:
        lines.append("Or type: nudges on friday 17:30.")
    return "\n".join(lines)

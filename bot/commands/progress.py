"""``progress``: where a person's self-assessments and reflections have got to, with a chart.

A text summary always goes (screen readers, notifications, the console); the chart goes
beside it as a PNG attachment when a chart renderer is wired (``adapters.charts``). Both are
the person's own development data, so the reply is :attr:`Audience.PERSON`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.coaching.progress import (
    CHART_MONTHS,
    ProgressFigures,
    Scored,
    describe,
    month_label,
    progress_figures,
)
from bot.commands.shared import Shared
from bot.identity import Who
from bot.models import Action, Attachment, Audience, Button, Card, Fact, Incoming, Reply, Section

INTENT = "progress"
MEDIA_TYPE = "image/png"
NOTHING_YET = (
    "Nothing to chart yet. Start with assess, a short self-assessment against the System "
    "Leadership Framework, then write a reflection: press Reflect on a nudge, or type "
    "journal add followed by a note. Progress shows both once you have them."
)
NO_ASSESSMENT = "No self-assessment yet: type assess to see where you are."
NO_REFLECTIONS = (
    "No reflections yet: press Reflect on a nudge, or type journal add followed by a note."
)
# Months of reflections the text summary names (the chart shows a year).
SUMMARY_MONTHS = 6


class Progress:
    """``progress`` typed, or the ``progress`` button (the App Home's, say)."""

    intents: frozenset[str] = frozenset({"progress"})
    action_prefixes: tuple[str, ...] = ("progress.",)

    def __init__(self, shared: Shared) -> None:
        self._shared = shared

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Answer ``progress`` (its argument text is ignored: there is one view)."""
        return self.reply(incoming.who.person, now=now, timezone=incoming.timezone)

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a ``progress.*`` button: the same as typing ``progress``."""
        return self.reply(action.who.person, now=now, timezone=action.timezone)

    def figures(self, owner: Who, *, now: datetime, zone: ZoneInfo) -> ProgressFigures:
        """``owner``'s figures, read from the stores (reflection dates only, never their text)."""
        stores = self._shared.stores
        return progress_figures(
            content=self._shared.content,
            assessments=stores.coaching.assessments(owner),
            written=(entry.created_at for entry in stores.journal.everything(owner)),
            focus=stores.coaching.focus(owner),
            zone=zone,
            today=now.astimezone(zone).date(),
        )

    def reply(self, owner: Who, *, now: datetime, timezone: str | None) -> Reply:
        """The summary of ``owner``'s progress, with the chart attached when one can be drawn."""
        zone = self._shared.zone_for(owner, timezone)
        figures = self.figures(owner, now=now, zone=zone)
        data = {"intent": INTENT, **figures.to_json()}
        if figures.empty:
            return Reply(
                text=NOTHING_YET,
                intent=INTENT,
                audience=Audience.PERSON,
                card=Card(title="Your progress", sections=(Section(body=NOTHING_YET),)),
                data=data,
            )
        text = summary_text(figures, focus=self._focus_names(figures.focus))
        attachment = None
        charts = self._shared.charts
        if charts is not None:
            attachment = Attachment(
                filename=f"progress-{now.astimezone(zone):%Y-%m-%d}.png",
                media_type=MEDIA_TYPE,
                data=charts.render(figures),
                description=describe(figures),
            )
        return Reply(
            text=text,
            intent=INTENT,
            audience=Audience.PERSON,
            card=self._card(figures),
            attachment=attachment,
            data=data,
        )

    def _focus_names(self, focus: tuple[str, ...]) -> tuple[str, ...]:
        rows = {row.id: row for row in self._shared.content.rows}
        # A focus row no longer in the content is left out rather than shown as an id.
        return tuple(f"{rows[i].role}: {rows[i].behaviour}" for i in focus if i in rows)

    def _card(self, figures: ProgressFigures) -> Card:
        sections: list[Section] = []
        first, latest = figures.first, figures.latest
        if latest is not None and first is not None:
            heading = (
                f"Self-assessment, {_day(latest)}"
                if first is latest
                else f"Self-assessment, {_day(latest)} against {_day(first)}"
            )
            sections.append(Section(heading=heading, facts=_score_facts(figures)))
        else:
            sections.append(Section(heading="Self-assessment", body=NO_ASSESSMENT))
        focus = self._focus_names(figures.focus)
        if focus:
            sections.append(Section(heading="Your focus", body="\n".join(f"• {f}" for f in focus)))
        months = figures.chart_months[-SUMMARY_MONTHS:]
        if any(count for _, count in months):
            sections.append(
                Section(
                    heading="Reflections per month",
                    facts=tuple(Fact(label=month_label(m), value=str(n)) for m, n in months),
                )
            )
        else:
            sections.append(Section(heading="Reflections", body=NO_REFLECTIONS))
        return Card(
            title="Your progress",
            sections=tuple(sections),
            buttons=(
                Button(label="Assess", action_id="ask", value="assess"),
                Button(label="Focus", action_id="ask", value="focus"),
                Button(label="Journal", action_id="ask", value="journal"),
            ),
            footer=(
                f"The chart shows up to {CHART_MONTHS} months. Only you can see this: there is "
                "no manager or team view."
            ),
        )


def summary_text(figures: ProgressFigures, *, focus: tuple[str, ...]) -> str:
    """The whole summary as plain text: scores against the first, focus, reflections."""
    lines = ["Your progress."]
    first, latest = figures.first, figures.latest
    if first is not None and latest is not None:
        if first is latest:
            lines.append(f"Self-assessment of {_day(latest)} (out of 5):")
        else:
            lines.append(
                f"Latest self-assessment ({_day(latest)}) against your first ({_day(first)}):"
            )
        lines.extend(f"• {fact.label}: {fact.value}" for fact in _score_facts(figures))
        if first is latest:
            lines.append("Take assess again in a few months to see how you have moved.")
    else:
        lines.append(NO_ASSESSMENT)
    if focus:
        lines.append("Your focus: " + "; ".join(focus) + ".")
    months = figures.chart_months[-SUMMARY_MONTHS:]
    if any(count for _, count in months):
        total = sum(figures.reflections)
        lines.append(
            f"Reflections: {total} in all; by month, "
            + ", ".join(f"{month_label(m)} {n}" for m, n in months)
            + "."
        )
    else:
        lines.append(NO_REFLECTIONS)
    return "\n".join(lines)


def _score_facts(figures: ProgressFigures) -> tuple[Fact, ...]:
    first, latest = figures.first, figures.latest
    if first is None or latest is None:
        return ()
    facts: list[Fact] = []
    for index, name in enumerate(figures.domains):
        now_score, then = latest.scores[index], first.scores[index]
        value = _score(now_score)
        if first is not latest:
            value += f" (first {_score(then)}{_change(then, now_score)})"
        facts.append(Fact(label=name, value=value))
    return tuple(facts)


def _change(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return ""
    delta = round(after - before, 1)
    return ", no change" if delta == 0 else f", {delta:+.1f}"


def _score(value: float | None) -> str:
    return "not rated" if value is None else f"{value:.1f}"


def _day(scored: Scored) -> str:
    return f"{scored.day.day} {scored.day:%b %Y}"

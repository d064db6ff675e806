"""The assessment's replies that are not questions: where you are, and the summary."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.coaching.forms import FORM, PRIVATE, SUMMARY, Ref, unanswered_domains
from bot.coaching.records import Assessment
from bot.coaching.summary import Rated, Summary, change
from bot.content import Content
from bot.models import Audience, Button, Card, Fact, Reply, Section

SET_FOCUS = "focus.set"
CHOOSE_FOCUS = "focus.show"


def day(moment: datetime, zone: ZoneInfo) -> str:
    """``3 Dec 2026`` in the person's zone."""
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y}"


def start_reply(
    content: Content,
    *,
    under_way: Assessment | None,
    last: Assessment | None,
    zone: ZoneInfo,
) -> Reply:
    """What ``assess`` says first: carry on with the one under way, or start one."""
    total = len(content.rows)
    buttons: list[Button] = []
    if under_way is not None:
        left = unanswered_domains(under_way, content)
        answered = total - sum(1 for r in content.rows if r.id not in under_way.by_row)
        body = (
            f"You started a self-assessment on {day(under_way.started, zone)} and have "
            f"answered {answered} of {total} rows. Carry on with {left[0].name}."
            if left
            else "Your self-assessment is answered; press Carry on to see the summary."
        )
        buttons.append(
            Button(
                label="Carry on",
                action_id=FORM,
                value=Ref(assessment_id=under_way.id).encode(),
                style="primary",
            )
        )
    else:
        sizes = ", ".join(str(len(d.rows)) for d in content.domains)
        body = (
            f"Rate yourself on the {total} rows of the System Leadership Framework, one "
            f"domain at a time ({len(content.domains)} short forms of {sizes} rows). Stop after "
            "any domain and carry on later; your answers are kept."
        )
        buttons.append(Button(label="Start", action_id=FORM, style="primary"))
    if last is not None:
        body += f" Your last finished assessment was on {day(last.finished or last.started, zone)}."
        buttons.append(Button(label="Last summary", action_id=SUMMARY, value=str(last.id)))
    return Reply(
        text=f"Self-assessment. {body} {PRIVATE}",
        intent="assess",
        audience=Audience.PERSON,
        card=Card(
            title="Self-assessment",
            sections=(Section(body=body),),
            buttons=tuple(buttons),
            footer=PRIVATE,
        ),
    )


def summary_reply(summary: Summary, *, zone: ZoneInfo) -> Reply:
    """The summary: a score per domain (with the change), strengths, rows to grow, a focus."""
    taken = summary.assessment
    when = day(taken.finished or taken.started, zone)
    before = dict(summary.previous_scores)
    compare = (
        f"Compared with {day(summary.previous.finished or summary.previous.started, zone)}."
        if summary.previous is not None
        else "Take it again in a few months to see how you have moved."
    )
    scores = Section(
        heading="Score per domain (mean of the rows you rated, out of 5)",
        body=compare,
        facts=tuple(
            Fact(label=name, value=change(score, before.get(name)))
            for name, score in summary.scores
        ),
    )
    focus = summary.suggested_focus
    sections = [
        scores,
        Section(heading="Strengths", body=_rows(summary.strengths)),
        Section(heading="Where to grow", body=_rows(summary.to_grow)),
    ]
    if focus:
        sections.append(
            Section(
                heading="Suggested focus",
                body="The rows you rated lowest: work on them for the next few months, and "
                "your weekly nudges will ask about them more often.",
            )
        )
    counted = f"{summary.answered} rows rated, {summary.skipped} skipped."
    buttons = []
    if focus:
        buttons.append(
            Button(
                label="Set this focus", action_id=SET_FOCUS, value=" ".join(focus), style="primary"
            )
        )
    buttons.append(Button(label="Choose a focus", action_id=CHOOSE_FOCUS))
    text = "\n".join(
        [
            f"Your self-assessment of {when}. {counted}",
            compare,
            *(f"• {fact.label}: {fact.value}" for fact in scores.facts),
            "Strengths:",
            _rows(summary.strengths) or "(none rated)",
            "Where to grow:",
            _rows(summary.to_grow) or "(none rated)",
            *(["Suggested focus: the rows to grow. Press Set this focus."] if focus else []),
        ]
    )
    return Reply(
        text=text,
        intent="assess.summary",
        audience=Audience.PERSON,
        card=Card(
            title=f"Your self-assessment, {when}",
            sections=(Section(body=counted), *sections),
            buttons=tuple(buttons),
            footer=PRIVATE,
        ),
    )


def _rows(rated: tuple[Rated, ...]) -> str:
    return "\n".join(f"• {r.row.role} — {r.row.behaviour} ({r.label})" for r in rated)

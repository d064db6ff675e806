"""The self-assessments and focus, as parts of the journal export (issue 12's privacy rule:
personal development data goes wherever the person's reflections go, and only there)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.coaching.records import Assessment, domain_scores
from bot.coaching.summary import scale_label
from bot.content import Content
from bot.exports.document import Field, Paragraph, Part


def coaching_parts(
    assessments: Sequence[Assessment],
    focus: Sequence[str],
    *,
    content: Content,
    zone: ZoneInfo,
) -> tuple[Part, ...]:
    """ "My focus" and "My self-assessments" (newest first), or nothing if there is neither."""
    rows = {row.id: row for row in content.rows}
    parts: list[Part] = []
    chosen = [rows[r] for r in focus if r in rows]
    if chosen:
        parts.append(
            Part(
                heading="My focus",
                blocks=(
                    Paragraph(text="The framework rows I chose to work on.", note=True),
                    *(Field(label=row.role, answer=row.behaviour) for row in chosen),
                ),
            )
        )
    if assessments:
        parts.append(
            Part(
                heading="My self-assessments",
                blocks=(
                    Paragraph(
                        text="Rated 1 Not yet, 2 Sometimes, 3 Often, 4 Consistently, 5 Role "
                        "model. A domain's score is the mean of the rows rated in it.",
                        note=True,
                    ),
                ),
            )
        )
        for assessment in sorted(assessments, key=lambda a: a.started, reverse=True):
            parts.append(_assessment_part(assessment, content=content, zone=zone))
    return tuple(parts)


def _assessment_part(assessment: Assessment, *, content: Content, zone: ZoneInfo) -> Part:
    when = (assessment.finished or assessment.started).astimezone(zone)
    heading = f"{when.day} {when:%B %Y}" + ("" if assessment.finished else " (not finished)")
    scores = domain_scores(assessment, content)
    rated = assessment.by_row
    blocks: list[Paragraph | Field] = [
        Field(label=name, answer="not rated" if score is None else f"{score:.1f}")
        for name, score in scores.items()
    ]
    for domain in content.domains:
        for row in domain.rows:
            if row.id not in rated:
                continue
            value = rated[row.id]
            blocks.append(
                Field(
                    label=f"{row.role} — {row.behaviour}",
                    answer="Skipped" if value is None else scale_label(value),
                )
            )
    return Part(heading=heading, level=2, blocks=tuple(blocks))

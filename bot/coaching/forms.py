"""The assessment's questions: a form per domain, or one row at a time, and their answers.

Where forms can be filled in (Slack modals, Teams form cards) each domain is one form of its
rows; elsewhere (the console) each row is one question answered by pressing 1-5, Skip or
Stop. Which of the two is decided in the core, from :attr:`Platform.fills_forms`.

A button or form carries only ids (the assessment's and the domain's or row's), so an answer
to a form made from an older version of the content is matched by row id, never position.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coaching.records import SCALE, Assessment
from bot.coaching.summary import scale_label
from bot.content import Content
from bot.models import Behaviour, Button, Card, Domain, Input, Section

SKIP = "Skip"
# The form's choices: "1 Not yet" … "5 Role model", then Skip.
CHOICES: tuple[str, ...] = (*(scale_label(n) for n in range(1, len(SCALE) + 1)), SKIP)
LEGEND = " · ".join(CHOICES[:-1])
PRIVATE = "Only you can see your answers. There is no manager or team view."

FORM = "assess.form"
SAVE = "assess.save"
RATE = "assess.rate"
STOP = "assess.stop"
SUMMARY = "assess.summary"


@dataclass(frozen=True, slots=True, kw_only=True)
class Ref:
    """What an assessment button carries: the assessment, and a domain or a row and rating."""

    assessment_id: int = 0
    part: str = ""
    rating: int | None = None

    def encode(self) -> str:
        """``"12:rc"`` or ``"12:rc-3:4"`` (``"12:rc-3:0"`` for skip)."""
        if self.rating is None and not self.part:
            return str(self.assessment_id)
        tail = "" if self.rating is None else f":{self.rating}"
        return f"{self.assessment_id}:{self.part}{tail}"

    @classmethod
    def decode(cls, value: str) -> Ref | None:
        """Read a button's value; ``None`` when it is not one of ours (a tampered value)."""
        head, _, rest = value.strip().partition(":")
        part, _, rating = rest.partition(":")
        if not head.isdigit() or len(value) > 64:
            return None
        if rating and not (rating.isdigit() and len(rating) < 4):
            return None
        return cls(assessment_id=int(head), part=part, rating=int(rating) if rating else None)


def read_choice(text: str) -> int | None | str:
    """A form choice as a rating (1-5), ``None`` for skip or no choice, or the text if neither.

    Accepts the choice's full label ("3 Often") or its number alone, so a client that sends
    either is understood; anything else comes back unchanged for the caller to report.
    """
    answer = text.strip()
    if not answer or answer.lower() == SKIP.lower():
        return None
    for number, label in enumerate(CHOICES[:-1], start=1):
        if answer.lower() in {label.lower(), str(number)}:
            return number
    return answer


def unanswered_domains(assessment: Assessment, content: Content) -> tuple[Domain, ...]:
    """The domains with a row not yet rated or skipped, in framework order."""
    answered = assessment.by_row
    return tuple(d for d in content.domains if any(r.id not in answered for r in d.rows))


def next_row(assessment: Assessment, content: Content) -> Behaviour | None:
    """The first row not yet rated or skipped, in framework order."""
    answered = assessment.by_row
    return next((r for r in content.rows if r.id not in answered), None)


def domain_form(
    assessment: Assessment, domain: Domain, content: Content, *, note: str = ""
) -> Card:
    """The form for one domain: each row's role and behaviour word for word, rated 1-5 or Skip."""
    number = content.domains.index(domain) + 1
    total = len(content.domains)
    previous = assessment.by_row
    intro = (
        f"{note}\n" if note else ""
    ) + f"Rate how often each is true of you now. {LEGEND}. Skip any row that does not apply."
    return Card(
        title=f"Self-assessment {number} of {total}",
        sections=(Section(heading=domain.name, body=intro),),
        inputs=tuple(
            Input(
                id=row.id,
                label=f"{row.role} — {row.behaviour}",
                placeholder="Choose",
                optional=True,
                choices=CHOICES,
                value=_chosen(previous.get(row.id, 0)),
            )
            for row in domain.rows
        ),
        submit=Button(
            label="Save" if number == total else "Save and go on",
            action_id=SAVE,
            value=Ref(assessment_id=assessment.id, part=domain.id).encode(),
            style="primary",
        ),
        footer=f"{PRIVATE} Close the form to stop; type assess to carry on later.",
    )


def item_card(assessment: Assessment, row: Behaviour, content: Content, *, note: str = "") -> Card:
    """One row as a question answered by pressing 1-5, Skip or Stop (the console's way)."""
    position = [r.id for r in content.rows].index(row.id) + 1
    domain = next(d for d in content.domains if row in d.rows)
    buttons = tuple(
        Button(
            label=str(n),
            action_id=RATE,
            value=Ref(assessment_id=assessment.id, part=row.id, rating=n).encode(),
        )
        for n in range(1, len(SCALE) + 1)
    )
    return Card(
        title=f"Self-assessment: {position} of {len(content.rows)}",
        sections=(
            Section(heading=domain.name, body=note),
            Section(heading=row.role, body=row.behaviour),
            Section(body=f"How often is this true of you now? {LEGEND}."),
        ),
        buttons=(
            *buttons,
            Button(
                label=SKIP,
                action_id=RATE,
                value=Ref(assessment_id=assessment.id, part=row.id, rating=0).encode(),
            ),
            Button(label="Stop", action_id=STOP, value=str(assessment.id)),
        ),
        footer=PRIVATE,
    )


def _chosen(rating: int | None) -> str:
    # Carrying on or answering again shows what was saved: 0 means never answered.
    if rating == 0:
        return ""
    return SKIP if rating is None else CHOICES[rating - 1]

"""Build the exports from journal entries: the journal, NMC reflective accounts, appraisal notes.

Every builder is pure: entries, content and ``now`` in, a :class:`Document` out. Times are
shown in the person's own zone. The NMC account follows the NMC's reflective account form (its
four questions; see the README's sources); the appraisal notes follow what medical appraisal
asks of supporting information: what it was, the reflection, the learning, and here the
framework behaviour it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.content import Content
from bot.exports.document import Document, Field, Kind, Paragraph, Part
from bot.exports.parts import Theme, split_reflection
from bot.models import Behaviour
from bot.stores import JournalEntry

#: ``journal export nmc`` with no entries chosen takes the latest five: the NMC asks for five.
NMC_DEFAULT: Final[int] = 5
UNREADABLE: Final[str] = "(This entry cannot be decrypted, so it is left out.)"

NMC_QUESTIONS: Final[tuple[str, str, str, str]] = (
    "What was the nature of the CPD activity, practice-related feedback and/or event or "
    "experience in your practice?",
    "What did you learn from the CPD activity, feedback and/or event or experience in your "
    "practice?",
    "How did you change or improve your practice as a result?",
    "How is this relevant to the Code? Select one or more themes: Prioritise people, Practise "
    "effectively, Preserve safety, Promote professionalism and trust.",
)


def build_journal(
    entries: Sequence[JournalEntry], *, content: Content, zone: ZoneInfo, now: datetime
) -> Document:
    """The whole journal, grouped by framework domain in the framework's order, dated.

    Entries not about a framework row (a free ``journal add``) come last, under "Other
    reflections". Within a group, oldest first.
    """
    rows = {row.id: row for row in content.rows}
    groups: dict[str, list[Part]] = {domain.name: [] for domain in content.domains}
    other: list[Part] = []
    for entry in sorted(entries, key=lambda e: e.created_at):
        row = rows.get(entry.row_id)
        blocks: list[Paragraph | Field] = []
        if row is not None:
            blocks.append(Paragraph(text=f"{row.role}. {row.behaviour}.", note=True))
        if entry.question:
            blocks.append(Paragraph(text=entry.question, quote=True))
        blocks.extend(_reflection_blocks(entry))
        part = Part(heading=_when(entry, zone), level=2, blocks=tuple(blocks))
        (groups[row.domain] if row is not None else other).append(part)
    parts: list[Part] = []
    for name, members in groups.items():
        if members:
            parts.append(Part(heading=name, level=1))
            parts.extend(members)
    if other:
        parts.append(Part(heading="Other reflections", level=1))
        parts.extend(other)
    return Document(
        kind=Kind.JOURNAL,
        title="My leadership journal",
        subtitle=_subtitle(len(entries), zone=zone, now=now)
        + " Grouped by the domains of the NHS Leadership Academy's System Leadership Framework.",
        parts=tuple(parts),
        filename_stem=f"leadership-journal-{now.astimezone(zone):%Y-%m-%d}",
    )


def build_nmc(
    entries: Sequence[JournalEntry], *, content: Content, zone: ZoneInfo, now: datetime
) -> Document:
    """One NMC reflective account per entry, in the form's four questions, one to a page.

    Args:
        entries: The chosen entries, in the order to number them.
        content: For the framework row each entry is about.
        zone: The person's time zone.
        now: When the export is made.

    Returns:
        The accounts. What an entry has fills its question; the rest is left as a marked
        blank, never invented.
    """
    rows = {row.id: row for row in content.rows}
    parts = []
    for number, entry in enumerate(entries, start=1):
        parts.append(
            Part(
                heading=f"Reflective account {number}",
                blocks=(
                    Field(label="Date", answer=_day(entry, zone)),
                    *_nmc_answers(entry, rows.get(entry.row_id)),
                ),
                new_page=True,
            )
        )
    return Document(
        kind=Kind.NMC,
        title="NMC revalidation: written reflective accounts",
        subtitle=_subtitle(len(entries), zone=zone, now=now)
        + " Laid out as the NMC's reflective accounts form: copy each account onto the form,"
        " complete the marked blanks, and discuss them with your reflective discussion partner.",
        parts=tuple(parts),
        filename_stem=f"nmc-reflective-accounts-{now.astimezone(zone):%Y-%m-%d}",
    )


def build_appraisal(
    entries: Sequence[JournalEntry], *, content: Content, zone: ZoneInfo, now: datetime
) -> Document:
    """Reflective notes as supporting information for a medical appraisal, oldest first."""
    rows = {row.id: row for row in content.rows}
    parts = []
    for entry in sorted(entries, key=lambda e: e.created_at):
        row = rows.get(entry.row_id)
        if entry.text is None:
            blocks: tuple[Paragraph | Field, ...] = (Paragraph(text=UNREADABLE, note=True),)
        else:
            parts_ = split_reflection(entry.text)
            activity = parts_.happened or (
                f"Reflection prompted by the coach: {entry.question}" if entry.question else ""
            )
            blocks = (
                Field(label="Date", answer=_day(entry, zone)),
                Field(label="Activity", answer=activity),
                Field(label="Reflection", answer=parts_.free),
                Field(label="Learning", answer=parts_.learned),
                Field(label="Changes to practice", answer=parts_.changed),
                Field(label="Framework behaviour", answer=_behaviour(row)),
            )
        parts.append(Part(heading=_when(entry, zone), level=1, blocks=blocks))
    return Document(
        kind=Kind.APPRAISAL,
        title="Reflective notes for medical appraisal",
        subtitle=_subtitle(len(entries), zone=zone, now=now)
        + " Supporting information: each note gives the date, the activity, your reflection and"
        " learning, and the System Leadership Framework behaviour it relates to.",
        parts=tuple(parts),
        filename_stem=f"appraisal-reflective-notes-{now.astimezone(zone):%Y-%m-%d}",
    )


def choose_for_nmc(
    entries: Sequence[JournalEntry], *, chosen: Sequence[int] = ()
) -> tuple[JournalEntry, ...]:
    """The entries for ``journal export nmc``: those chosen by id, or the latest five.

    Args:
        entries: All the person's entries, any order.
        chosen: Entry ids the person named; ids that are not theirs are ignored.

    Returns:
        The entries, oldest first.
    """
    readable = [e for e in entries if e.text is not None]
    if chosen:
        wanted = set(chosen)
        picked = [e for e in readable if e.id in wanted]
    else:
        picked = sorted(readable, key=lambda e: e.created_at)[-NMC_DEFAULT:]
    return tuple(sorted(picked, key=lambda e: e.created_at))


def _nmc_answers(entry: JournalEntry, row: Behaviour | None) -> tuple[Field, ...]:
    if entry.text is None:
        return (Field(label=NMC_QUESTIONS[0], answer=UNREADABLE),)
    parts = split_reflection(entry.text)
    # With no "what happened" part, the free reflection is the account of the experience.
    nature = parts.happened or parts.free
    if parts.happened and parts.free:
        nature = f"{parts.happened}\n\n{parts.free}"
    relevance = ""
    if parts.themes:
        relevance = "Themes: " + ", ".join(t.value for t in parts.themes) + "."
    if relevance and row is not None:
        relevance += f" Leadership behaviour: {row.role}."
    return (
        Field(label=NMC_QUESTIONS[0], answer=nature),
        Field(label=NMC_QUESTIONS[1], answer=parts.learned),
        Field(label=NMC_QUESTIONS[2], answer=parts.changed),
        Field(label=NMC_QUESTIONS[3], answer=relevance),
    )


def _reflection_blocks(entry: JournalEntry) -> tuple[Paragraph | Field, ...]:
    if entry.text is None:
        return (Paragraph(text=UNREADABLE, note=True),)
    parts = split_reflection(entry.text)
    blocks: list[Paragraph | Field] = []
    if parts.free:
        blocks.append(Paragraph(text=parts.free))
    for label, value in (
        ("What happened", parts.happened),
        ("What I learned", parts.learned),
        ("How I changed or will change my practice", parts.changed),
        ("Theme of the NMC Code", ", ".join(t.value for t in parts.themes)),
    ):
        if value:
            blocks.append(Field(label=label, answer=value))
    return tuple(blocks)


def _behaviour(row: Behaviour | None) -> str:
    if row is None:
        return ""
    return f"{row.domain}: {row.role}. {row.behaviour}."


def _when(entry: JournalEntry, zone: ZoneInfo) -> str:
    when = entry.created_at.astimezone(zone)
    return f"{when:%A} {when.day} {when:%B %Y}, {when:%H:%M} {when.tzname()}"


def _day(entry: JournalEntry, zone: ZoneInfo) -> str:
    when = entry.created_at.astimezone(zone)
    return f"{when.day} {when:%B %Y}"


def _subtitle(count: int, *, zone: ZoneInfo, now: datetime) -> str:
    local = now.astimezone(zone)
    noun = "entry" if count == 1 else "entries"
    return f"Exported {local.day} {local:%B %Y} from the System Leadership Coach: {count} {noun}."


__all__ = ["Theme", "build_appraisal", "build_journal", "build_nmc", "choose_for_nmc"]

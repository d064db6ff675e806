"""The export builders: grouping, the NMC form's four questions, appraisal fields, blanks."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.exports.build import (
    NMC_QUESTIONS,
    build_appraisal,
    build_journal,
    build_nmc,
    choose_for_nmc,
)
from bot.exports.document import NOTICE, Field, Format, Kind, Paragraph
from bot.exports.parts import ReflectionParts, Theme, join_reflection, split_reflection
from tests.bot.exports.journal_entries import CONTENT, NOW, STRUCTURED, entries

LONDON = ZoneInfo("Europe/London")


def test_journal_groups_by_domain_in_framework_order_with_rows_and_dates() -> None:
    doc = build_journal(entries(), content=CONTENT, zone=LONDON, now=NOW)
    assert doc.kind is Kind.JOURNAL
    assert doc.notice == NOTICE
    domains = [p.heading for p in doc.parts if p.level == 1]
    order = [d.name for d in CONTENT.domains]
    assert domains[:-1] == sorted(domains[:-1], key=order.index)
    assert domains[-1] == "Other reflections"
    first = doc.parts[1]
    assert first.heading.startswith("Monday 18 January 2027, 09:30")
    row = CONTENT.rows[0]
    assert Paragraph(text=f"{row.role}. {row.behaviour}.", note=True) in first.blocks
    assert Paragraph(text="Who did you hear?", quote=True) in first.blocks
    assert doc.filename(Format.DOCX) == "leadership-journal-2027-03-01.docx"


def test_journal_shows_structured_parts_as_fields() -> None:
    doc = build_journal(entries(), content=CONTENT, zone=LONDON, now=NOW)
    fields = [b for p in doc.parts for b in p.blocks if isinstance(b, Field)]
    assert Field(label="Theme of the NMC Code", answer="Practise effectively, Preserve safety") in (
        fields
    )


def test_nmc_takes_latest_five_readable_and_has_the_four_questions() -> None:
    chosen = choose_for_nmc(entries())
    assert [e.id for e in chosen] == [2, 3, 5, 6, 7]
    doc = build_nmc(chosen, content=CONTENT, zone=LONDON, now=NOW)
    assert [p.heading for p in doc.parts] == [f"Reflective account {n}" for n in range(1, 6)]
    assert all(p.new_page for p in doc.parts)
    for part in doc.parts:
        labels = [b.label for b in part.blocks if isinstance(b, Field)]
        assert labels == ["Date", *NMC_QUESTIONS]
    structured = {b.label: b for b in doc.parts[0].blocks if isinstance(b, Field)}
    assert "handover over-ran" in structured[NMC_QUESTIONS[0]].answer
    assert structured[NMC_QUESTIONS[1]].answer.startswith("we rely on one ward clerk")
    assert structured[NMC_QUESTIONS[2]].answer.startswith("a shared handover list")
    assert "Practise effectively, Preserve safety" in structured[NMC_QUESTIONS[3]].answer
    free = {b.label: b for b in doc.parts[2].blocks if isinstance(b, Field)}
    assert free[NMC_QUESTIONS[0]].answer.startswith("Delegated")
    assert free[NMC_QUESTIONS[1]].blank
    assert free[NMC_QUESTIONS[2]].blank
    assert free[NMC_QUESTIONS[3]].blank
    assert "Prioritise people" in NMC_QUESTIONS[3]
    assert "Promote professionalism and trust" in NMC_QUESTIONS[3]


def test_nmc_chosen_entries_ignores_unknown_and_unreadable_ids() -> None:
    assert [e.id for e in choose_for_nmc(entries(), chosen=(1, 4, 99))] == [1]


def test_appraisal_fields() -> None:
    doc = build_appraisal(entries(), content=CONTENT, zone=LONDON, now=NOW)
    first = {b.label: b.answer for b in doc.parts[0].blocks if isinstance(b, Field)}
    assert list(first) == [
        "Date",
        "Activity",
        "Reflection",
        "Learning",
        "Changes to practice",
        "Framework behaviour",
    ]
    assert first["Activity"] == "Reflection prompted by the coach: Who did you hear?"
    assert first["Framework behaviour"].startswith(CONTENT.rows[0].domain)
    unreadable = doc.parts[3].blocks
    assert isinstance(unreadable[0], Paragraph)
    assert "cannot be decrypted" in unreadable[0].text


def test_parts_round_trip_and_plain_text_is_free() -> None:
    parts = split_reflection(STRUCTURED)
    assert parts.themes == (Theme.PRACTISE_EFFECTIVELY, Theme.PRESERVE_SAFETY)
    assert split_reflection(join_reflection(parts)) == parts
    plain = "Learning is hard: I said so. What happened next surprised me."
    assert split_reflection(plain) == ReflectionParts(free=plain)


def test_parts_on_one_line_after_a_sentence_but_not_mid_sentence() -> None:
    one_line = (
        "Tough week. What happened: the handover over-ran. What I learned: we rely on one "
        "clerk. How I changed or will change my practice: a shared list. Theme: safety"
    )
    parts = split_reflection(one_line)
    assert parts.free == "Tough week."
    assert parts.happened == "the handover over-ran."
    assert parts.learned == "we rely on one clerk."
    assert parts.changed == "a shared list."
    assert parts.themes == (Theme.PRESERVE_SAFETY,)
    mid = "I asked them what I learned: nothing, apparently."
    assert split_reflection(mid) == ReflectionParts(free=mid)

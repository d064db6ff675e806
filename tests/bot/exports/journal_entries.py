"""Journal entries shared by the export tests: structured, free, about no row, unreadable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.content import Content, load_content
from bot.stores import JournalEntry

NOW = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
CONTENT: Content = load_content()
STRUCTURED = (
    "A hard week on the unit.\n\n"
    "What happened: the handover over-ran three days running.\n\n"
    "What I learned: we rely on one ward clerk holding the process together.\n\n"
    "How I changed or will change my practice: a shared handover list, owned by the shift.\n\n"
    "Theme of the NMC Code: Preserve safety; Practise effectively"
)


def entries() -> tuple[JournalEntry, ...]:
    """Seven entries, a week apart, oldest first, across two domains and none."""
    rows = CONTENT.rows
    specs = [
        ("I listened more than I spoke at the complaint meeting.", rows[0].id, "Who did you hear?"),
        (STRUCTURED, rows[8].id, ""),
        ("Free note, no row: # kept as text", "", ""),
        (None, rows[1].id, ""),
        ("Delegated the finance section of the board paper.", rows[2].id, ""),
        ("Asked the band 5s what they need from me.", rows[0].id, ""),
        ("Said no to two new projects. Café — naïve — 🙂", rows[9].id, ""),
    ]
    return tuple(
        JournalEntry(
            id=i, created_at=NOW - timedelta(weeks=len(specs) - i), text=t, row_id=r, question=q
        )
        for i, (t, r, q) in enumerate(specs, start=1)
    )

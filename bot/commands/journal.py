"""``journal …``, the Reflect form and the ``journal.*`` buttons: a person's private journal.

Reflection text never goes into a log line or an error message here; it goes only to the
journal store, keyed by its author.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands import held, week_prompt
from bot.commands.export import export_reply
from bot.commands.shared import Shared, error_reply
from bot.exports.parts import (
    ReflectionParts,
    Theme,
    join_reflection,
    parse_themes,
    split_reflection,
)
from bot.identity import Who
from bot.models import Action, Audience, Button, Card, Incoming, Input, Reply, Section
from bot.nudges.card import question_for
from bot.nudges.ref import Ref
from bot.safety.held import EDIT, SAVE_ANYWAY
from bot.stores import JournalEntry

REFLECTION_INPUT = "reflection"
# Optional parts of a reflection, for NMC accounts and appraisal notes (issue 13 §1). They are
# stored in the reflection's text under headings (bot.exports.parts), so a one-box reflection
# and a structured one live in the same place and export the same way.
_PART_INPUTS = (
    ("happened", "What happened (optional)", "The activity, feedback or event, without names"),
    ("learned", "What I learned (optional)", ""),
    ("changed", "How I changed or will change my practice (optional)", ""),
)
THEME_INPUT = "theme"
_PART_CHARS = 1000
_EVIDENCE_INPUTS = (
    *(
        Input(
            id=input_id,
            label=label,
            placeholder=placeholder,
            multiline=True,
            max_length=_PART_CHARS,
            optional=True,
        )
        for input_id, label, placeholder in _PART_INPUTS
    ),
    Input(
        id=THEME_INPUT,
        label="Theme of the NMC Code (optional)",
        placeholder="Choose a theme",
        optional=True,
        choices=tuple(t.value for t in Theme),
    ),
)
_NOTE = re.compile(r"^\W*\w+\s+(?:add|write)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
# Generous for a weekly reflection, small enough that one entry can never swamp a message.
MAX_REFLECTION_CHARS = 3000
# A structured reflection: the free box, three parts and their headings.
_MAX_SAVED_CHARS = MAX_REFLECTION_CHARS + 3 * _PART_CHARS + 300
JOURNAL_PAGE = 5


class Journal:
    """The private journal: typed ``journal …``, its buttons and the Reflect form."""

    intents: frozenset[str] = frozenset({"journal"})
    action_prefixes: tuple[str, ...] = ("journal.", "nudge.reflect")

    def __init__(self, shared: Shared) -> None:
        self._shared = shared

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer ``journal.*`` buttons and ``nudge.reflect`` (the form to write a reflection)."""
        owner = action.who.person
        ref = Ref.decode(action.value)
        name = action.action_id
        if name in {SAVE_ANYWAY, EDIT}:
            return held.decide(self._shared, action, now=now, save=self._store)
        if name == "nudge.reflect":
            return self._reflect_form(ref)
        if name == week_prompt.ACTION:
            zone = self._shared.zone_for(owner, action.timezone)
            return week_prompt.week_prompt(self._shared, owner, now=now, zone=zone)
        if name == "journal.save":
            text = _form_text(dict(action.form))
            row_id = ref.row_id if self._shared.known(ref.row_id) else ""
            question = self._shared.question(row_id, ref.prompt_index) if row_id else ""
            return self.save(owner, text, row_id=row_id, question=question, now=now)
        zone = self._shared.zone_for(owner, action.timezone)
        if name == "journal.export":
            return export_reply(self._shared, owner, now=now, zone=zone, args=action.value)
        return self._latest(owner, zone=zone)

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Answer ``journal``, ``journal add …`` and ``journal export``."""
        owner = incoming.who.person
        word, _, rest = args.strip().partition(" ")
        zone = self._shared.zone_for(owner, incoming.timezone)
        if word.lower() == "export":
            return export_reply(self._shared, owner, now=now, zone=zone, args=rest)
        if word.lower() in {"add", "write"}:
            # The core cleans and shortens ``args`` for matching; a note wants the raw text.
            raw = _NOTE.match(incoming.text)
            return self.save(owner, raw[1] if raw else rest, row_id="", question="", now=now)
        if word.lower() in {"", "show", "latest", "list"}:
            return self._latest(owner, zone=zone)
        return error_reply(
            "Try journal (your latest entries), journal export (the whole journal as a "
            "Markdown file; add docx or pdf for Word or PDF, nmc for NMC reflective accounts, "
            "appraisal for appraisal notes) or journal add followed by a note."
        )

    def save(self, owner: Who, text: str, *, row_id: str, question: str, now: datetime) -> Reply:
        """Save a reflection, unless the safe-reflection check holds it for the person first."""
        text = text.strip()
        if not text:
            return error_reply("Nothing to save: the reflection was empty.")
        if not self._shared.stores.journal.writable:
            return error_reply(
                "Your reflection was not saved: this coach has no encryption key set up, "
                "and I never store reflections unencrypted. Please tell whoever runs it "
                "(they need to set COACH_DATA_KEY)."
            )
        # The check sees exactly what would be stored, so Save anyway saves what was checked.
        limit = (
            _MAX_SAVED_CHARS
            if split_reflection(text) != ReflectionParts(free=text)
            else (MAX_REFLECTION_CHARS)
        )
        clipped = len(text) > limit
        text = text[:limit].strip()
        warning = held.check(self._shared, owner, text, row_id=row_id, question=question, now=now)
        return warning or self._store(
            owner, text, row_id=row_id, question=question, now=now, clipped=clipped
        )

    def _store(
        self,
        owner: Who,
        text: str,
        *,
        row_id: str,
        question: str,
        now: datetime,
        clipped: bool = False,
    ) -> Reply:
        self._shared.stores.journal.add(owner, text=text, row_id=row_id, question=question, now=now)
        note = f" (kept the first {MAX_REFLECTION_CHARS} characters)" if clipped else ""
        return Reply(
            text=f"Saved to your private journal{note}. Type journal to read it back.",
            intent="journal",
            audience=Audience.PERSON,
            card=Card(
                title="Saved to your journal",
                sections=(Section(body=f"Only you can read it{note}."),),
                buttons=(
                    Button(label="My journal", action_id="journal.show"),
                    Button(label="Export", action_id="journal.export"),
                ),
            ),
        )

    def _latest(self, owner: Who, *, zone: ZoneInfo) -> Reply:
        entries = self._shared.stores.journal.latest(owner, limit=JOURNAL_PAGE)
        if not entries:
            return Reply(
                text=(
                    "Your journal is empty. Press Reflect on a nudge, reply in its thread, "
                    "or type journal add followed by a note."
                ),
                intent="journal",
                audience=Audience.PERSON,
            )
        # Numbered as journal export nmc counts them: 1 is the latest.
        sections = tuple(
            self._entry_section(e, zone, number=n) for n, e in enumerate(entries, start=1)
        )
        text = "Your latest journal entries:\n\n" + "\n\n".join(
            f"{s.heading}\n{s.body}" for s in sections
        )
        return Reply(
            text=text,
            intent="journal",
            audience=Audience.PERSON,
            card=Card(
                title="Your journal",
                sections=sections,
                buttons=(Button(label="Export all", action_id="journal.export"),),
                footer="Only you can see this. journal export gives you every entry.",
            ),
        )

    def _entry_section(self, entry: JournalEntry, zone: ZoneInfo, *, number: int) -> Section:
        when = entry.created_at.astimezone(zone)
        body = entry.text if entry.text is not None else "(cannot be decrypted with current keys)"
        if len(body) > 600:
            body = body[:600].rstrip() + "…"
        about = (
            f"*{self._shared.content.row(entry.row_id).role}*\n"
            if self._shared.known(entry.row_id)
            else ""
        )
        return Section(
            heading=f"{number}. {when:%a} {when.day} {when:%b %Y}, {when:%H:%M}",
            body=about + body,
        )

    def _reflect_form(self, ref: Ref) -> Reply:
        if not self._shared.stores.journal.writable:
            return error_reply(
                "The journal is switched off: this coach has no encryption key set up, and I "
                "never store reflections unencrypted. Please tell whoever runs it "
                "(they need to set COACH_DATA_KEY)."
            )
        sections: tuple[Section, ...] = ()
        if self._shared.known(ref.row_id):
            row = self._shared.content.row(ref.row_id)
            sections = (
                Section(
                    heading=row.role,
                    body=question_for(self._shared.content, ref.row_id, ref.prompt_index),
                ),
            )
        card = Card(
            title="Reflect",
            sections=sections,
            inputs=(
                Input(
                    id=REFLECTION_INPUT,
                    label="Your reflection",
                    placeholder="What happened? What did you notice? What will you try next?",
                    multiline=True,
                    max_length=MAX_REFLECTION_CHARS,
                ),
                *_EVIDENCE_INPUTS,
            ),
            submit=Button(
                label="Save to my journal",
                action_id="journal.save",
                value=replace(ref, channel=False).encode(),
                style="primary",
            ),
            footer="Only you can read your journal.",
        )
        return Reply(
            text="Write your reflection; only you can read it.",
            intent="reflect",
            audience=Audience.PERSON,
            card=card,
        )


def _form_text(form: dict[str, str]) -> str:
    """The Reflect form's boxes as one reflection: the free text, then each part answered."""
    parts = ReflectionParts(
        free=form.get(REFLECTION_INPUT, "").strip(),
        happened=form.get("happened", "").strip()[:_PART_CHARS],
        learned=form.get("learned", "").strip()[:_PART_CHARS],
        changed=form.get("changed", "").strip()[:_PART_CHARS],
        themes=parse_themes(form.get(THEME_INPUT, "")[:200]),
    )
    return join_reflection(parts)

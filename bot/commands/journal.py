"""``journal …``, the Reflect form and the ``journal.*`` buttons: a person's private journal.

Reflection text never goes into a log line or an error message here; it goes only to the
journal store, keyed by its author.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands.export import export_reply
from bot.commands.shared import Shared, error_reply
from bot.identity import Who
from bot.models import Action, Audience, Button, Card, Incoming, Input, Reply, Section
from bot.nudges.card import question_for
from bot.nudges.ref import Ref
from bot.stores import JournalEntry

REFLECTION_INPUT = "reflection"
_NOTE = re.compile(r"^\W*\w+\s+(?:add|write)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
# Generous for a weekly reflection, small enough that one entry can never swamp a message.
MAX_REFLECTION_CHARS = 3000
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
        if name == "nudge.reflect":
            return self._reflect_form(ref)
        if name == "journal.save":
            text = dict(action.form).get(REFLECTION_INPUT, "")
            row_id = ref.row_id if self._shared.known(ref.row_id) else ""
            question = self._shared.question(row_id, ref.prompt_index) if row_id else ""
            return self.save(owner, text, row_id=row_id, question=question, now=now)
        zone = self._shared.zone_for(owner, action.timezone)
        if name == "journal.export":
            return export_reply(self._shared, owner, now=now, zone=zone)
        return self._latest(owner, zone=zone)

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Answer ``journal``, ``journal add …`` and ``journal export``."""
        owner = incoming.who.person
        word, _, rest = args.strip().partition(" ")
        zone = self._shared.zone_for(owner, incoming.timezone)
        if word.lower() == "export":
            return export_reply(self._shared, owner, now=now, zone=zone)
        if word.lower() in {"add", "write"}:
            # The core cleans and shortens ``args`` for matching; a note wants the raw text.
            raw = _NOTE.match(incoming.text)
            return self.save(owner, raw[1] if raw else rest, row_id="", question="", now=now)
        if word.lower() in {"", "show", "latest", "list"}:
            return self._latest(owner, zone=zone)
        return error_reply(
            "Try journal (your latest entries), journal export (the whole journal as a "
            "Markdown file) or journal add followed by a note."
        )

    def save(self, owner: Who, text: str, *, row_id: str, question: str, now: datetime) -> Reply:
        text = text.strip()
        if not text:
            return error_reply("Nothing to save: the reflection was empty.")
        if not self._shared.stores.journal.writable:
            return error_reply(
                "Your reflection was not saved: this coach has no encryption key set up, "
                "and I never store reflections unencrypted. Please tell whoever runs it "
                "(they need to set COACH_DATA_KEY)."
            )
        clipped = len(text) > MAX_REFLECTION_CHARS
        self._shared.stores.journal.add(
            owner, text=text[:MAX_REFLECTION_CHARS], row_id=row_id, question=question, now=now
        )
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
        sections = tuple(self._entry_section(e, zone) for e in entries)
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

    def _entry_section(self, entry: JournalEntry, zone: ZoneInfo) -> Section:
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
            heading=f"{when:%a} {when.day} {when:%b %Y}, {when:%H:%M}", body=about + body
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

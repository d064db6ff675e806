"""``focus …`` and the ``focus.*`` buttons: up to three framework rows a person works on.

The lowest-rated rows of the latest finished self-assessment are suggested; any row can be
chosen from the list or by typing a topic, which goes through the matcher. While a focus is
set, the weekly nudges ask about it more often (:mod:`bot.nudges.walk`).
"""

from __future__ import annotations

from datetime import datetime

from bot.coaching.records import MAX_FOCUS, CoachingStore
from bot.coaching.summary import lowest_rows
from bot.commands.shared import Shared, no_key_reply
from bot.identity import Platform, Who
from bot.models import Action, Audience, Behaviour, Button, Card, Incoming, Input, Reply, Section

PICK_INPUT = "row"
_CLEAR_WORDS = frozenset({"clear", "off", "none", "reset", "stop"})
_SHOW_WORDS = frozenset({"", "show", "mine", "my", "current"})
_LIST_WORDS = frozenset({"list", "all", "rows", "choose"})
# Slack's option text limit; the row id leads, so a cut label still reads back.
_CHOICE_CHARS = 75
FOOTER = "Only you can see your focus. There is no manager or team view."


class Focus:
    """Typed ``focus``, ``focus <topic>``, ``focus list``, ``focus clear`` and their buttons."""

    intents: frozenset[str] = frozenset({"focus"})
    action_prefixes: tuple[str, ...] = ("focus.",)

    def __init__(self, shared: Shared) -> None:
        self._shared = shared

    @property
    def _store(self) -> CoachingStore:
        return self._shared.stores.coaching

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Show, clear, list, or add the row a typed topic is about."""
        owner = incoming.who.person
        if not self._store.writable:
            return no_key_reply("Focus and assessments are")
        topic = args.strip()
        word = topic.lower()
        if word in _SHOW_WORDS:
            return self._show(owner)
        if word in _CLEAR_WORDS:
            return self._clear(owner)
        if word in _LIST_WORDS:
            if Platform(owner.platform).fills_forms:
                # A form opens from a button press (Slack needs its trigger to open a modal,
                # and a 30-row list is too big to pack into a message's button).
                return self._show(owner, note="Press Choose from the list to pick any row.")
            return self._list(owner)
        return self._by_topic(owner, topic, now=now)

    def act(self, action: Action, *, now: datetime) -> Reply:
        """``focus.set|add|remove|clear|show|list|pick``."""
        owner = action.who.person
        if not self._store.writable:
            return no_key_reply("Focus and assessments are")
        name = action.action_id
        if name == "focus.set":
            rows = [r for r in action.value.split() if self._shared.known(r)][:MAX_FOCUS]
            if not rows:
                return self._show(owner, note="That suggestion has expired; nothing was changed.")
            self._store.set_focus(owner, rows, now=now)
            return self._show(owner, note="Your focus is set.")
        if name in {"focus.add", "focus.pick"}:
            chosen = action.value if name == "focus.add" else _picked(dict(action.form))
            return self._add(owner, chosen, now=now)
        if name == "focus.remove":
            kept = [r for r in self._store.focus(owner) if r != action.value]
            self._store.set_focus(owner, kept, now=now)
            return self._show(owner, note="Removed." if kept else "Your focus is now empty.")
        if name == "focus.clear":
            return self._clear(owner)
        if name == "focus.list":
            return self._list(owner)
        return self._show(owner)

    # --- changes ----------------------------------------------------------------------------

    def _add(self, owner: Who, row_id: str, *, now: datetime) -> Reply:
        if not self._shared.known(row_id):
            return self._show(owner, note="That row could not be found; nothing was changed.")
        current = self._store.focus(owner)
        role = self._shared.content.row(row_id).role
        if row_id in current:
            return self._show(owner, note=f"{role} is already in your focus.")
        if len(current) >= MAX_FOCUS:
            return self._show(
                owner,
                note=f"Your focus has {MAX_FOCUS} rows already: remove one to add {role}.",
            )
        self._store.set_focus(owner, [*current, row_id], now=now)
        return self._show(owner, note=f"Added to your focus: {role}.")

    def _clear(self, owner: Who) -> Reply:
        had = self._store.clear_focus(owner)
        return Reply(
            text=(
                "Your focus is cleared; your nudges walk through every row evenly again."
                if had
                else "You had no focus set. Type focus to choose one."
            ),
            intent="focus",
            audience=Audience.PERSON,
        )

    def _by_topic(self, owner: Who, topic: str, *, now: datetime) -> Reply:
        by_id = next((r for r in self._shared.content.rows if r.id == topic.lower()), None)
        if by_id is not None:
            return self._add(owner, by_id.id, now=now)
        matches = [m.behaviour for m in self._shared.rank_rows(topic) if m.behaviour is not None]
        if not matches:
            return self._show(
                owner,
                note=(
                    f"I could not find a framework row about “{topic[:80]}”. Try other words "
                    "(focus resilience, focus community engagement), choose from the list, "
                    "or pick one of the suggestions below."
                ),
                listed=True,
            )
        if len(matches) == 1:
            return self._add(owner, matches[0].id, now=now)
        return self._offer(owner, matches[:MAX_FOCUS], topic=topic)

    # --- replies ----------------------------------------------------------------------------

    def _show(self, owner: Who, *, note: str = "", listed: bool = False) -> Reply:
        content = self._shared.content
        current = tuple(content.row(r) for r in self._store.focus(owner) if self._shared.known(r))
        suggested = self._suggestions(owner, exclude={r.id for r in current})
        sections: list[Section] = [Section(body=note)] if note else []
        buttons: list[Button] = []
        if current:
            sections.append(Section(heading="Your focus", body=_numbered(current)))
            buttons += [
                Button(label=f"Remove {n}", action_id="focus.remove", value=row.id)
                for n, row in enumerate(current, start=1)
            ]
        else:
            sections.append(
                Section(
                    body=f"No focus set. Choose up to {MAX_FOCUS} rows to work on: your weekly "
                    "nudges will then ask about them at least every other week."
                )
            )
        if suggested and len(current) < MAX_FOCUS:
            sections.append(Section(heading="Suggested (rated lowest)", body=_numbered(suggested)))
            buttons += [
                Button(label=f"Add {n}", action_id="focus.add", value=row.id)
                for n, row in enumerate(suggested, start=1)
            ]
        elif not suggested and not current:
            sections.append(Section(body="Take the self-assessment (type assess) for suggestions."))
        buttons.append(Button(label="Choose from the list", action_id="focus.list"))
        if current:
            buttons.append(Button(label="Clear focus", action_id="focus.clear"))
        text = (
            "\n\n".join(f"{s.heading}\n{s.body}".strip() for s in sections)
            + "\n\nType focus followed by a topic (focus resilience) to add a row, or focus clear."
        )
        return Reply(
            text=text,
            intent="focus.unknown" if listed else "focus",
            audience=Audience.PERSON,
            card=Card(
                title="Your focus", sections=tuple(sections), buttons=tuple(buttons), footer=FOOTER
            ),
        )

    def _offer(self, owner: Who, rows: list[Behaviour], *, topic: str) -> Reply:
        body = _numbered(tuple(rows))
        return Reply(
            text=f"Rows about “{topic[:80]}”:\n{body}\nPress Add and the number to choose one.",
            intent="focus",
            audience=Audience.PERSON,
            card=Card(
                title="Which row?",
                sections=(Section(heading=f"Rows about “{topic[:80]}”", body=body),),
                buttons=tuple(
                    Button(label=f"Add {n}", action_id="focus.add", value=row.id)
                    for n, row in enumerate(rows, start=1)
                ),
                footer=FOOTER,
            ),
        )

    def _list(self, owner: Who) -> Reply:
        rows = self._shared.content.rows
        if not Platform(owner.platform).fills_forms:
            listing = "\n".join(f"{r.id}: {r.role}" for r in rows)
            return Reply(
                text=f"Every row, by id:\n{listing}\n\nType focus followed by a row id (focus "
                "rc-3) or a topic to add it.",
                intent="focus",
                audience=Audience.PERSON,
            )
        pick = Input(
            id=PICK_INPUT,
            label="Row to add to your focus",
            placeholder="Choose a row",
            choices=tuple(_choice(r) for r in rows),
        )
        return Reply(
            text="Choose a row to add to your focus.",
            intent="focus",
            audience=Audience.PERSON,
            card=Card(
                title="Choose a focus",
                inputs=(pick,),
                submit=Button(label="Add to my focus", action_id="focus.pick", style="primary"),
                footer=FOOTER,
            ),
        )

    def _suggestions(self, owner: Who, *, exclude: set[str]) -> tuple[Behaviour, ...]:
        done = [a for a in self._store.assessments(owner) if a.finished is not None]
        if not done:
            return ()
        low = [r.row for r in lowest_rows(done[-1], self._shared.content)]
        return tuple(r for r in low if r.id not in exclude)[:MAX_FOCUS]


def _numbered(rows: tuple[Behaviour, ...]) -> str:
    return "\n".join(f"{n}. {r.role} — {r.behaviour}" for n, r in enumerate(rows, start=1))


def _choice(row: Behaviour) -> str:
    text = f"{row.id} · {row.role}"
    return text if len(text) <= _CHOICE_CHARS else text[: _CHOICE_CHARS - 1].rstrip() + "…"


def _picked(form: dict[str, str]) -> str:
    # The choice's text leads with the row id ("rc-3 · Developing shared outcomes").
    return form.get(PICK_INPUT, "").split(" ", 1)[0].strip()

"""The safe-reflection check's conversation: the warning, **Save anyway** and **Edit**.

The journal calls :func:`check` before it saves anything. Found identifiers are named by kind
only ("an NHS number"), never quoted back, and the reply goes to the person alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.commands.shared import Shared
from bot.identity import Who
from bot.models import Action, Audience, Button, Card, Reply, Section
from bot.safety.held import EDIT, SAVE_ANYWAY, Held, parse_button_value
from bot.safety.identifiers import describe, find_identifiers

#: What a save does once the person has decided: the journal's own save, without the check.
Save = Callable[..., Reply]

GONE = (
    "Nothing was saved: that held reflection has expired or been replaced (a held "
    "reflection waits 30 minutes). Send it again if you want to keep it."
)
STALE = (
    "Nothing was saved: that warning is about an earlier version of your reflection. "
    "Use the buttons on the latest warning."
)


def check(
    shared: Shared, owner: Who, text: str, *, row_id: str, question: str, now: datetime
) -> Reply | None:
    """Hold ``text`` and return the warning if it looks identifiable; ``None`` if it is clean.

    A clean save also forgets anything the person had held, so an older warning's Save anyway
    can no longer save text they have since changed.
    """
    kinds = find_identifiers(text)
    if not kinds:
        shared.stores.held.drop(owner)
        return None
    held = shared.stores.held.hold(owner, text=text, row_id=row_id, question=question, now=now)
    found = describe(kinds)
    return Reply(
        text=(
            f"Not saved yet: your reflection looks like it contains {found}. Reflections "
            "should hold no patient-identifiable details, and reflective notes are not "
            "legally privileged. Edit it and send it again, or press Save anyway."
        ),
        intent="journal.held",
        audience=Audience.PERSON,
        card=Card(
            title="Check before saving",
            sections=(
                Section(body=f"Your reflection looks like it contains {found}."),
                Section(
                    body=(
                        "Reflections should focus on your learning, with no patient-"
                        "identifiable details. Reflective notes are not legally privileged."
                    )
                ),
            ),
            buttons=(
                Button(label="Edit", action_id=EDIT, value=held.button_value()),
                Button(
                    label="Save anyway",
                    action_id=SAVE_ANYWAY,
                    value=held.button_value(),
                    style="danger",
                ),
            ),
            footer="Only you can see this. Nothing is saved until you choose; it waits 30 minutes.",
        ),
    )


def decide(shared: Shared, action: Action, *, now: datetime, save: Save) -> Reply:
    """Answer **Save anyway** (save exactly the held text) or **Edit** (save nothing)."""
    owner = action.who.person
    held = _current(shared, owner, action.value, now=now)
    if isinstance(held, str):
        return Reply(text=held, intent="journal.held", audience=Audience.PERSON)
    shared.stores.held.drop(owner)
    if action.action_id == SAVE_ANYWAY:
        return save(owner, held.text, row_id=held.row_id, question=held.question, now=now)
    return Reply(
        text=(
            "Not saved. Send your reflection again without those details: type journal add "
            "followed by your note, press Reflect on a nudge, or reply in its thread."
        ),
        intent="journal.held",
        audience=Audience.PERSON,
    )


def _current(shared: Shared, owner: Who, value: str, *, now: datetime) -> Held | str:
    parsed = parse_button_value(value)
    if parsed is None:
        return GONE
    held_id, digest = parsed
    held = shared.stores.held.get(owner, held_id, now=now)
    if held is None:
        return GONE
    if held.digest != digest:
        return STALE
    return held

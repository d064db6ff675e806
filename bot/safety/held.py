"""Reflections held back by the safe-reflection check until the person says what to do.

When :func:`bot.safety.identifiers.find_identifiers` finds something, the reflection is not
saved. It is *held*: kept encrypted in the store for :data:`HOLD_FOR`, one per person, and the
person gets **Edit** and **Save anyway** buttons.

Why hold it in the store rather than carry it in the button: Slack caps a button's value at
2,000 characters and a reflection may have 3,000; the store already encrypts at rest, and
``forget me`` already deletes every row about a person. The button carries the held row's id
and a digest of its text, so a stale **Save anyway** (pressed on an older warning, after the
person sent a changed text) never saves anything: holding a new text replaces the old one,
and the digest must match what is held. The digest is a plain SHA-256 prefix of text the
server holds anyway; it is never logged and is useless without the text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol

from bot.identity import Who

#: How long a held reflection waits for Save anyway. Long enough to decide, short enough that
#: identifiable text does not sit in the store.
HOLD_FOR: Final[timedelta] = timedelta(minutes=30)
SAVE_ANYWAY: Final[str] = "journal.keep"
EDIT: Final[str] = "journal.edit"
_VALUE: Final[re.Pattern[str]] = re.compile(r"^(\d{1,18}):([0-9a-f]{16})$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Held:
    """A reflection waiting for the person's decision."""

    id: int
    text: str
    row_id: str = ""
    question: str = ""
    expires_at: datetime

    @property
    def digest(self) -> str:
        """A short digest of :attr:`text`, carried in the buttons."""
        return digest(self.text)

    def button_value(self) -> str:
        """The value both buttons carry: which held text, and which version of it."""
        return f"{self.id}:{self.digest}"


class HeldStore(Protocol):
    """Where held reflections wait, encrypted, one per person."""

    def hold(self, owner: Who, *, text: str, row_id: str, question: str, now: datetime) -> Held:
        """Hold ``text`` for ``owner`` until ``now + HOLD_FOR``, replacing any held before."""
        ...

    def get(self, owner: Who, held_id: int, *, now: datetime) -> Held | None:
        """``owner``'s held reflection ``held_id``, unless it is gone, expired or unreadable."""
        ...

    def drop(self, owner: Who) -> None:
        """Forget what ``owner`` has held (after Save anyway, Edit or a clean save)."""
        ...


def digest(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_button_value(value: str) -> tuple[int, str] | None:
    """``(held id, digest)`` from a button value, or ``None`` for anything malformed."""
    match = _VALUE.match(value.strip())
    return (int(match[1]), match[2]) if match else None

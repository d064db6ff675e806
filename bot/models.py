"""Immutable value objects shared by the core and every adapter.

The core only ever sees :class:`Incoming` and :class:`Action` and only ever returns a
:class:`Reply`. Adapters translate platform payloads into the former and render the latter
natively (Block Kit, Adaptive Cards, plain text), so nothing here knows about a platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from bot.identity import CONSOLE_USER, Who

# --- content -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Attribution:
    """Where a piece of content comes from, as the source document attributes it."""

    source: str
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Behaviour:
    """One row of the System Leadership Framework: a role and the behaviours that show it."""

    id: str
    domain: str
    role: str
    behaviour: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Domain:
    """One of the framework's four domains, with its rows in source order."""

    id: str
    name: str
    summary: str
    rows: tuple[Behaviour, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Principle:
    """One of the six National Voices principles."""

    number: int
    title: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Academy:
    """A regional leadership academy and its contacts, exactly as the source document gives them."""

    region: str
    tel: str
    email: str
    web: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Passage:
    """A passage of the source document (what system leadership is, why it matters, ...)."""

    id: str
    title: str
    text: str
    items: tuple[str, ...] = ()
    attribution: Attribution


@dataclass(frozen=True, slots=True, kw_only=True)
class Prompt:
    """An open reflection question about one framework row."""

    row_id: str
    question: str


# --- answers -------------------------------------------------------------------------------


class ResultKind(StrEnum):
    """The kinds of thing the coach can answer with."""

    BEHAVIOUR = "behaviour"
    PRINCIPLE = "principle"
    ACADEMY = "academy"


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """One ranked answer: a behaviour row, a principle or an academy, with a 0-100 score."""

    kind: ResultKind
    score: float
    behaviour: Behaviour | None = None
    principle: Principle | None = None
    academy: Academy | None = None
    # One line on why this answer fits the question (the shared words, or the nearest example
    # situation); empty when the question named the topic itself. Kept out of the JSON
    # contract on purpose: an example's words there would let a scorer credit the wrong row.
    why: str = ""

    def to_json(self) -> dict[str, object]:
        """Return the result in the JSON contract of ``shared/eval/questions.md``."""
        score = round(self.score, 1)
        if self.behaviour is not None:
            b = self.behaviour
            return {
                "kind": "behaviour",
                "id": b.id,
                "domain": b.domain,
                "role": b.role,
                "behaviour": b.behaviour,
                "score": score,
            }
        if self.principle is not None:
            p = self.principle
            return {"kind": "principle", "number": p.number, "title": p.title, "score": score}
        if self.academy is not None:
            a = self.academy
            return {
                "kind": "academy",
                "region": a.region,
                "tel": a.tel,
                "email": a.email,
                "web": a.web,
                "score": score,
            }
        raise ValueError("a Match holds nothing")


# --- conversation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Incoming:
    """Something a person typed to the coach, wherever they typed it.

    ``who``'s platform and workspace only namespace the person; the core never branches on them.
    """

    text: str
    # Who typed it, and in which conversation.
    who: Who = CONSOLE_USER
    is_direct: bool = True
    timezone: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """A button a person pressed on one of the coach's replies."""

    action_id: str
    value: str = ""
    # Who pressed it, and in which conversation.
    who: Who = CONSOLE_USER
    # Text typed into a form's inputs, as (input id, text) pairs.
    form: tuple[tuple[str, str], ...] = ()
    timezone: str | None = None


ButtonStyle = Literal["default", "primary", "danger"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Button:
    """A button on a card. ``action_id`` and ``value`` come back as an :class:`Action`."""

    label: str
    action_id: str
    value: str = ""
    style: ButtonStyle = "default"
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """A label/value pair, rendered as a field (Slack) or a FactSet row (Teams)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A block of a card: an optional heading, body text and facts."""

    heading: str = ""
    body: str = ""
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Input:
    """A text box on a card: a Slack modal input or a Teams ``Input.Text``.

    A card with inputs is a form; its ``submit`` button returns the typed text as
    ``Action.form`` entries keyed by ``id``.
    """

    id: str
    label: str
    placeholder: str = ""
    multiline: bool = True
    max_length: int = 3000
    # May be left empty (Slack marks it "optional"; Teams never requires a box).
    optional: bool = False
    # When given, a single choice among these (a Slack select, a Teams choice set) instead of
    # a text box; the chosen text comes back, or "" for none.
    choices: tuple[str, ...] = ()
    # What the box or choice already holds (an answer saved before), shown pre-filled; for a
    # time input, "HH:MM".
    value: str = ""
    # A time of day (a Slack timepicker, a Teams Input.Time) instead of a text box; the
    # chosen time comes back as "HH:MM".
    time: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    """A structured, platform-neutral message, rendered natively by each adapter."""

    title: str
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    suggestions: tuple[str, ...] = ()
    footer: str = ""
    inputs: tuple[Input, ...] = ()
    # The button that submits the inputs (Slack: the modal's submit; Teams: an Action.Submit).
    submit: Button | None = None


class Audience(StrEnum):
    """Who may see a reply: decided once, in the core, by the command that builds it.

    Adapters only read it, and each renders it with what its platform offers.
    """

    # The person's own data (journal, reflections, forget me, later assessments and progress):
    # only them, and only in a 1:1 place. Slack: ephemeral outside the DM; Teams: sent to the
    # personal chat, with a pointer left in a group conversation.
    PERSON = "person"
    # Only whoever asked, though not secret (their nudge settings): Slack ephemeral; Teams,
    # which has no ephemeral messages, answers in place.
    ASKER = "asker"
    # An answer to a question, in the conversation it was asked in: a mention's thread, a
    # Teams chat. A slash command's answer is shown to the asker, with Share to channel.
    CONVERSATION = "conversation"
    # Everyone in the conversation: a shared answer, a channel's nudge and its settings.
    EVERYONE = "everyone"


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """A file a reply carries: a Markdown journal today; charts (PNG) and DOCX/PDF exports next.

    Adapters deliver it natively (a Slack upload to the person's DM, Teams file consent) and
    fall back to text where the platform cannot take a file; ``description`` is what a
    screen reader or a fallback says about it.
    """

    filename: str
    media_type: str
    data: bytes
    description: str = ""
    # The value of a ``journal.export`` action that makes this file again. Teams' file consent
    # uploads only after the person accepts, and its card must never carry the file itself.
    remake: str = ""

    @property
    def is_text(self) -> bool:
        """True for text files (Markdown, CSV, plain text), which can also be shown inline."""
        return self.media_type.startswith("text/")

    def text(self) -> str:
        """The file as text (only for :attr:`is_text` files).

        Raises:
            ValueError: for a binary file.
        """
        if not self.is_text:
            raise ValueError(f"{self.filename} is not a text file ({self.media_type})")
        return self.data.decode("utf-8")


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """What the coach says back: plain text (fallback and screen readers) plus an optional card."""

    text: str
    intent: str
    card: Card | None = None
    results: tuple[Match, ...] = ()
    query: str = ""
    audience: Audience = Audience.CONVERSATION
    extra: tuple[Card, ...] = field(default=())
    # A file the reply carries (the journal export). Adapters upload it (Slack) or send it
    # through file consent, or as messages where Teams offers no file consent.
    attachment: Attachment | None = None
    # Figures other tools read (``coach ask --json progress``): JSON-ready, built by the
    # command that answers; never rendered to a person (the text and card say it for them).
    data: Mapping[str, object] | None = None

"""What a person wants, as the router (:mod:`bot.intents`) names it: value types only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IntentKind(StrEnum):
    """What the person wants."""

    EMPTY = "empty"
    HELP = "help"
    BEHAVIOURS = "behaviours"
    PRINCIPLES = "principles"
    CONTACT = "contact"
    DOMAINS = "domains"
    ABOUT = "about"
    SEARCH = "search"
    NUDGES = "nudges"
    JOURNAL = "journal"
    FORGET = "forget"
    ASSESS = "assess"
    FOCUS = "focus"
    MORE = "more"
    PROGRESS = "progress"
    HOME = "home"
    # "remind me to chase the strategy paper on friday", "book the board room for thursday",
    # "summarise the attached paper": a task for a calendar, an inbox or a colleague, which the
    # coach does not do (it keeps only its weekly reflection nudges).
    TASK = "task"


@dataclass(frozen=True, slots=True, kw_only=True)
class Intent:
    """An intent and the text it applies to (the command word removed)."""

    kind: IntentKind
    args: str = ""
    # How a free-text intent was recognised (a :class:`Cue`); empty for a command word.
    cue: str = ""


class Cue:
    """How strongly free text asks for an academy's contacts, or about the briefing."""

    # Contact details or "who do I talk to" about a course: a contact question even with no
    # place, which then gets the list of regions rather than a guess.
    INQUIRY = "inquiry"
    # Contact details or "who do I talk to" without a course: a contact question when a place
    # is named anywhere ("middlesbrough, who's the contact?"); else a leadership question
    # ("who do I talk to about our discharge delays").
    DIRECT = "direct"
    # A course, programme or academy: a contact question when a place is named.
    STRONG = "strong"
    # "local", "reach", "in touch": a contact question only when a place is named and no
    # framework row fits ("engage local communities in Bradford" is a leadership question).
    WEAK = "weak"
    # STP or ACS named: about the briefing, unless it is only mentioned in passing.
    ABOUT = "about"
    # "National Voices" inside a question: the principles (all six if no topic fits).
    PRINCIPLES = "principles"
    # "principle 3": one principle by its number.
    NUMBER = "number"

"""Route what a person typed to an intent: explicit subcommands first, then free-text cues."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.text import clean, words


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Intent:
    """An intent and the text it applies to (the command word removed)."""

    kind: IntentKind
    args: str = ""


# Command words and their obvious variants. Misspellings are caught by fuzzy matching below.
COMMANDS: dict[str, IntentKind] = {
    "help": IntentKind.HELP,
    "?": IntentKind.HELP,
    "commands": IntentKind.HELP,
    "menu": IntentKind.HELP,
    "start": IntentKind.HELP,
    "hi": IntentKind.HELP,
    "hello": IntentKind.HELP,
    "hey": IntentKind.HELP,
    "behaviours": IntentKind.BEHAVIOURS,
    "behaviour": IntentKind.BEHAVIOURS,
    "behaviors": IntentKind.BEHAVIOURS,
    "behavior": IntentKind.BEHAVIOURS,
    "behavioural": IntentKind.BEHAVIOURS,
    "principles": IntentKind.PRINCIPLES,
    "principle": IntentKind.PRINCIPLES,
    "contact": IntentKind.CONTACT,
    "contacts": IntentKind.CONTACT,
    "academy": IntentKind.CONTACT,
    "academies": IntentKind.CONTACT,
    "domains": IntentKind.DOMAINS,
    "domain": IntentKind.DOMAINS,
    "framework": IntentKind.DOMAINS,
    "about": IntentKind.ABOUT,
    "nudges": IntentKind.NUDGES,
    "nudge": IntentKind.NUDGES,
    "journal": IntentKind.JOURNAL,
    "reflections": IntentKind.JOURNAL,
}
_MULTI_WORD: dict[tuple[str, ...], IntentKind] = {
    ("national", "voices"): IntentKind.PRINCIPLES,
    ("forget", "me"): IntentKind.FORGET,
    ("delete", "my", "data"): IntentKind.FORGET,
    ("what", "is", "system", "leadership"): IntentKind.ABOUT,
    ("what", "is", "systems", "leadership"): IntentKind.ABOUT,
    ("system", "leadership"): IntentKind.ABOUT,
    ("systems", "leadership"): IntentKind.ABOUT,
    ("collective", "leadership"): IntentKind.ABOUT,
    ("why", "system", "leadership"): IntentKind.ABOUT,
}
# "reflection" is a topic (the framework's reflective practice), not the journal command.
_FUZZY_COMMANDS = tuple(c for c in COMMANDS if len(c) >= 6 and c != "reflections")

# Words that make a free-text question a request for an academy's contacts.
CONTACT_CUES = frozenset(
    [
        "contact",
        "contacts",
        "call",
        "phone",
        "ring",
        "telephone",
        "tel",
        "email",
        "e-mail",
        "mail",
        "number",
        "academy",
        "academies",
        "course",
        "courses",
        "programme",
        "programmes",
        "program",
        "programs",
        "training",
        "trainings",
        "touch",
        "reach",
        "nearest",
        "local",
        "regional",
        "office",
        "address",
        "website",
        "site",
    ]
)
# Questions about the briefing itself rather than a framework row.
ABOUT_CUES = frozenset({"stp", "stps", "footprint", "footprints", "acs", "acss", "5yfv"})


def route(text: str) -> Intent:
    """Route ``text`` to an intent.

    Examples:
        >>> route("behaviors resilience")
        Intent(kind=<IntentKind.BEHAVIOURS: 'behaviours'>, args='resilience')
        >>> route("who do I call about leadership courses in Bristol?").kind
        <IntentKind.CONTACT: 'contact'>
    """
    cleaned = clean(text)
    tokens = words(cleaned)
    if not tokens:
        # A lone "?" is a request for help; nothing readable at all is an empty message.
        return Intent(kind=IntentKind.HELP if "?" in cleaned else IntentKind.EMPTY)
    for phrase, multi in _MULTI_WORD.items():
        if tokens[: len(phrase)] == phrase and (multi is not IntentKind.ABOUT or len(tokens) <= 6):
            return Intent(kind=multi, args=_rest(cleaned, len(phrase)))
    first = tokens[0]
    kind: IntentKind | None = COMMANDS.get(first)
    if kind is None and len(first) >= 6:
        found = process.extractOne(first, _FUZZY_COMMANDS, scorer=fuzz.ratio, score_cutoff=84)
        if found is not None:
            kind = COMMANDS[found[0]]
    if kind is not None:
        return Intent(kind=kind, args=_rest(cleaned, 1))
    if CONTACT_CUES.intersection(tokens):
        return Intent(kind=IntentKind.CONTACT, args=cleaned)
    if ABOUT_CUES.intersection(tokens):
        return Intent(kind=IntentKind.ABOUT, args=cleaned)
    return Intent(kind=IntentKind.SEARCH, args=cleaned)


def _rest(cleaned: str, skip_words: int) -> str:
    """``cleaned`` without its first ``skip_words`` words (and the punctuation around them)."""
    parts = cleaned.split()
    consumed = 0
    i = 0
    while i < len(parts) and consumed < skip_words:
        consumed += len(words(parts[i])) or 0
        i += 1
    return " ".join(parts[i:]).strip(" :,-")

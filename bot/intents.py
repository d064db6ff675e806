"""Route what a person typed to an intent: explicit subcommands first, then free-text cues."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

# The router's vocabulary lives in bot.intent_kinds; importing it from here still works.
from bot.intent_kinds import Cue as Cue
from bot.intent_kinds import Intent as Intent
from bot.intent_kinds import IntentKind as IntentKind
from bot.spoken_commands import spoken_command
from bot.text import STOP_WORDS, clean, words

# Command words and their obvious variants. Misspellings are caught by fuzzy matching below.
COMMANDS: dict[str, IntentKind] = {
    "help": IntentKind.HELP,
    "?": IntentKind.HELP,
    "commands": IntentKind.HELP,
    "menu": IntentKind.HELP,
    "start": IntentKind.HELP,
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
    "progress": IntentKind.PROGRESS,
    "home": IntentKind.HOME,
    "assess": IntentKind.ASSESS,
    "assessment": IntentKind.ASSESS,
    "self-assessment": IntentKind.ASSESS,
    "focus": IntentKind.FOCUS,
}
_MULTI_WORD: dict[tuple[str, ...], IntentKind] = {
    ("national", "voices"): IntentKind.PRINCIPLES,
    ("forget", "me"): IntentKind.FORGET,
    ("delete", "my", "data"): IntentKind.FORGET,
    ("self", "assessment"): IntentKind.ASSESS,
    ("self", "assess"): IntentKind.ASSESS,
    ("what", "is", "system", "leadership"): IntentKind.ABOUT,
    ("what", "is", "systems", "leadership"): IntentKind.ABOUT,
    ("system", "leadership"): IntentKind.ABOUT,
    ("systems", "leadership"): IntentKind.ABOUT,
    ("collective", "leadership"): IntentKind.ABOUT,
    ("why", "system", "leadership"): IntentKind.ABOUT,
}
# Commands that take no argument, so only the word alone is the command: "home care for older
# people" and "progress in integrated care" are questions about leadership.
_BARE = frozenset({IntentKind.PROGRESS, IntentKind.HOME})
# What may follow "help" (or "menu", "start") and still ask for the help card, besides a command.
_HELP_WORDS = frozenset({"me", "us", "please", "pls", "plz", "menu", "options", "again"})
# A question this short that names an ABOUT phrase anywhere is asking about that phrase.
_SHORT = 6
_PRINCIPLE_NUMBER = re.compile(r"\bprinciple\s+(?:number\s+|no\.?\s*)?([1-6])\b")
# "reflection" is a topic (the framework's reflective practice), not the journal command.
_FUZZY_COMMANDS = tuple(c for c in COMMANDS if len(c) >= 6 and c != "reflections")

# Words that make a free-text question a request for an academy's contacts, by strength.
CONTACT_DETAILS = frozenset(
    ["contact", "contacts", "phone", "telephone", "tel", "email", "e-mail", "address", "website"]
)
OFFERS = frozenset(
    [
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
        "scheme",
        "schemes",
        # What the academies offer besides courses. ("coach" stays out: "how do I coach my
        # team" is a leadership question.)
        "coaching",
        "mentor",
        "mentors",
        "mentoring",
        "mentorship",
        "masterclass",
        "masterclasses",
        "workshop",
        "workshops",
        "fellowship",
        "fellowships",
        "apprenticeship",
        "apprenticeships",
        "webinar",
        "webinars",
    ]
)
# "leadership development" and "leadership support" are what an academy offers; "development"
# alone is not ("organisational development").
_OFFER_PHRASE = re.compile(
    r"\bleadership\s+(?:development|support|offer|training|cpd|opportunit\w*)\b"
    r"|\bdevelopment\s+(?:opportunit\w*|offers?)|\bcpd\b|\bbursar(?:y|ies)\b"
    # "want some development": development for oneself, as "service development" is not.
    r"|\b(?:want|need|get|after|looking\s+for)\s+(?:some|more|a\s+bit\s+of)\s+development\b(?!\s+of\b)"
    # "a coach" to have, not coaching to do ("how do I coach my team" keeps the verb).
    r"|\b(?:a|an|my\s+own)\s+(?:executive\s+|leadership\s+|career\s+)?coach\b"
)
# Naming an academy is asking about one: with a place anywhere, it is the academy there.
_ACADEMY = frozenset({"academy", "academies"})
# Whether the academies (or anything in the briefing) are still as described: a question about
# the briefing, answered by our passage on what changed since, not by the list of regions.
CHANGE_WORDS = re.compile(
    r"\b(?:still|current(?:ly)?|changed?|same|up\s+to\s+date|out\s+of\s+date|reorgani[sz]\w*"
    r"|any\s*more|exist)\b"
)
# Asking whether an offer exists or how to join one: "any coaching on offer?", "how do I sign up
# for a programme", "looking for a mentor". With an offer, as plain as asking for its contacts.
# Joining is asked in the first person: "how do I apply", not "people who never apply".
_AVAILABILITY = re.compile(
    r"\b(?:on\s+offer|available|availability|looking\s+for|is\s+there\s+(?:a|an|any|some)"
    r"|(?:is|are)\s+there\s+\w+\s+(?:for|to)\b|are\s+there\s+(?:any|some)"
    r"|any\s+(?:\w+\s+){1,3}?(?:for|near|in|around|going|locally)|recommend"
    r"|find\s+(?:a|an|me)|find\s+out\s+about"
    # "what courses are there on ...", "can I get a coach?" ("what is there to learn from the
    # programme" and "can I have a coaching conversation with my deputy" ask something else).
    r"|what\s+(?:\w+\s+){0,3}?(?:are|is)\s+there(?=\s*(?:$|[?.!,]|(?:on|for|about|near|in)\b))"
    r"|(?:can|could|may)\s+i\s+(?:get|have)\s+(?:a|an|some)\b"
    r"(?!\s+(?:\w+\s+)?(?:conversations?|culture|style|approach|skills|session\s+with))"
    r"|where\s+(?:can|could|do|would|should)\s+(?:i|we)\s+(?:find|get|book|go)\b"
    r"|(?:i|we|me|us)\s+(?:\w+\s+)?(?:apply|sign\s+up|enrol\w*|enroll\w*"
    r"|register|join|get\s+on(?:to)?)"
    # "how does she apply": how someone joins, asked for a colleague.
    # ("how do people apply their learning" is about something else: the verb ends the clause.)
    r"|how\s+(?:do|does|can|could|would|should)\s+\w+\s+(?:apply|sign\s+up|enrol\w*|register)"
    r"(?=\s*(?:$|[?.!,;]|(?:for|to|online)\b)))\b"
)
WEAK_CUES = frozenset(
    ["touch", "reach", "nearest", "local", "regional", "office", "site", "mail", "ring", "number"]
)
CONTACT_CUES = CONTACT_DETAILS | OFFERS | WEAK_CUES | {"call"}
# "who do I talk to", "who should we ring", "who runs": asking for a person or an office; and
# "speak to someone about", which asks the same without "who".
_WHO = re.compile(
    r"\bwho\b(?:\s+\w+){0,3}?\s+(?:talk|speak|contact|ask|ring|call|email|approach|runs|run"
    r"|provides?|offers?|delivers?|organi[sz]es?|funds?|handles?|deals\s+with|sorts|arranges?"
    r"|covers?|looks\s+after)\b"
    r"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:someone|somebody|a\s+person|a\s+human)\b"
)
# "get in touch": asking how to contact someone, like "contact" itself. ("Reach out to
# communities" is a leadership question, so "reach" stays a weak cue; so is "keep in touch
# with the network", which is about sustaining one.)
_IN_TOUCH = re.compile(r"\b(?<!keep\s)(?<!keeping\s)(?<!stay\s)(?<!staying\s)in\s+touch\b")
# "call" is a cue only when someone is to be called: "who do I call", "number to call".
# "make the call", "a difficult call", "on call" and "call the patient back" are not.
_CALL_CUE = re.compile(r"\b(?:i|we|to|you)\s+call\b(?!\s+(?:on|it|that|this)\b)")
_DOMAIN_NUMBER = re.compile(r"\bdomain\s+(?:number\s+|no\.?\s*)?([1-4])\b")
# Up to this many words, a question naming "domains" asks for the four of them.
_SHORT_DOMAINS = 8
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
    present = set(tokens)
    # "system leadership courses in Bristol" names the idea but asks for an academy's offer.
    offer = contact_cue(cleaned) in (Cue.INQUIRY, Cue.STRONG)
    for phrase, multi in _MULTI_WORD.items():
        # Both tests below need the phrase's first word: most messages skip every phrase here.
        if phrase[0] not in present or (offer and multi is IntentKind.ABOUT):
            continue
        if tokens[: len(phrase)] == phrase and (multi is not IntentKind.ABOUT or len(tokens) <= 6):
            return Intent(kind=multi, args=_rest(cleaned, len(phrase)))
        if multi is IntentKind.ABOUT and len(tokens) <= _SHORT and _within(tokens, phrase):
            # "what's collective leadership?": the question is the phrase itself.
            return Intent(kind=multi, args=cleaned)
    if "voices" in present and _within(tokens, ("national", "voices")):
        # "what does National Voices say about fairness": the principles, on that topic.
        return Intent(kind=IntentKind.PRINCIPLES, args=cleaned, cue=Cue.PRINCIPLES)
    if "domains" in present and tokens[0] != "domains" and len(tokens) <= _SHORT_DOMAINS:
        # "what are the four domains?": the framework's four domains, listed.
        return Intent(kind=IntentKind.DOMAINS)
    numbered = _DOMAIN_NUMBER.search(cleaned.lower())
    if numbered and len(tokens) <= _SHORT_DOMAINS:
        # "tell me about domain 2": that domain's rows, by its place in the framework.
        return Intent(kind=IntentKind.DOMAINS, args=numbered.group(1))
    spoken = spoken_command(cleaned.lower())
    if spoken is not None:
        return Intent(kind=spoken)
    number = _PRINCIPLE_NUMBER.search(cleaned.lower())
    if number:
        return Intent(kind=IntentKind.PRINCIPLES, args=number.group(1), cue=Cue.NUMBER)
    first = tokens[0]
    kind: IntentKind | None = COMMANDS.get(first)
    if kind is None and len(first) >= 6:
        found = process.extractOne(first, _FUZZY_COMMANDS, scorer=fuzz.ratio, score_cutoff=84)
        if found is not None:
            kind = COMMANDS[found[0]]
    if kind is IntentKind.HELP and not set(tokens[1:]) <= _HELP_WORDS | COMMANDS.keys():
        # "help patients self manage COPD", "start a QI project": a question, not the menu.
        kind = None
    if kind is not None and (kind not in _BARE or len(tokens) == 1):
        return Intent(kind=kind, args=_rest(cleaned, 1))
    if tokens == ("more",):
        return Intent(kind=IntentKind.MORE)
    cue = contact_cue(cleaned)
    if cue:
        return Intent(kind=IntentKind.CONTACT, args=cleaned, cue=cue)
    if ABOUT_CUES.intersection(tokens):
        return Intent(kind=IntentKind.ABOUT, args=cleaned, cue=Cue.ABOUT)
    return Intent(kind=IntentKind.SEARCH, args=cleaned)


def contact_cue(cleaned: str) -> str:
    """How strongly ``cleaned`` asks for contacts: a :class:`Cue` value, or "" for not at all.

    Examples:
        >>> contact_cue("phone number for the academy")
        'inquiry'
        >>> contact_cue("we need to make the call on it")
        ''
    """
    found = set(words(cleaned))
    lowered = cleaned.lower()
    asks_who = bool(_WHO.search(lowered))
    details = (
        bool(found & CONTACT_DETAILS)
        or {"phone", "number"} <= found
        or bool(_IN_TOUCH.search(lowered))
    )
    offers = bool(found & OFFERS) or bool(_OFFER_PHRASE.search(lowered))
    if offers and (details or asks_who or found & _ACADEMY or _AVAILABILITY.search(lowered)):
        return Cue.INQUIRY
    if details or asks_who:
        return Cue.DIRECT
    if offers:
        return Cue.STRONG
    if found & WEAK_CUES or ("call" in found and _CALL_CUE.search(lowered)):
        return Cue.WEAK
    return ""


# Words that may come with an offer and a place and still only ask for the offer there.
_OFFER_COMPANIONS = frozenset({"leadership", "nhs", "system", "systems", "local", "development"})


def only_an_offer(cleaned: str, place: str) -> bool:
    """Whether ``cleaned`` is an offer, the place and little else: "leadership programmes
    birmingham" asks for the academy there, though "leadership" alone would find rows."""
    named = set(words(place.lower()))
    rest = {w for w in words(cleaned) if w not in named and w not in STOP_WORDS}
    return bool(rest & OFFERS) and rest <= OFFERS | _OFFER_COMPANIONS


def _within(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))


def _rest(cleaned: str, skip_words: int) -> str:
    """``cleaned`` without its first ``skip_words`` words (and the punctuation around them)."""
    parts = cleaned.split()
    consumed = 0
    i = 0
    while i < len(parts) and consumed < skip_words:
        consumed += len(words(parts[i])) or 0
        i += 1
    return " ".join(parts[i:]).strip(" :,-")


def passages_for(text: str) -> tuple[str, ...]:
    """Which ``about`` passages a question asks for (what, why, STPs, collective ...)."""
    tokens = set(words(clean(text)))
    chosen: list[str] = []
    if tokens & {"why", "matter", "matters", "important", "conditions"}:
        chosen.append("why")
    if tokens & {"stp", "stps", "footprint", "footprints", "acs", "acss"}:
        chosen.append("stp")
    if "collective" in tokens:
        chosen.append("collective")
    if tokens & {"involve", "involves", "how"}:
        chosen.append("involves")
    return tuple(chosen) or ("what", "involves", "why")


# The intents answered by a stateful command (bot.commands), by command name: they need
# storage, so adapters answer them off the event loop.
STATEFUL_COMMANDS = {
    IntentKind.NUDGES: "nudges",
    IntentKind.JOURNAL: "journal",
    IntentKind.FORGET: "forget",
    IntentKind.ASSESS: "assess",
    IntentKind.FOCUS: "focus",
    IntentKind.PROGRESS: "progress",
    IntentKind.HOME: "home",
}
# Buttons whose action id starts with one of these are handled by a stateful command.
STATEFUL_ACTIONS = (
    "nudge.",
    "journal.",
    "forget.",
    "assess.",
    "focus.",
    "progress.",
    "home.",
    "feedback.",
)

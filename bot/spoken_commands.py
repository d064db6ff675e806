"""Commands asked for in a sentence rather than by their word: "what can you do?" (help),
"delete everything you have on me" (forget me), "show me my progress".

Each pattern must match the whole message, so a question that only mentions a command's word
("how do I show progress to the board") stays a question for the coach.
"""

from __future__ import annotations

import re

from bot.intent_kinds import IntentKind

# Asking what the coach itself can do ("what can you do?", "how does this work"): the help card.
# Read as free text, "what can you do" came closest to a crisis example and got the crisis
# signpost; a message that is only this question is about the coach, not the sender.
_ASKS_WHAT_YOU_DO = re.compile(
    # ("how do you do" is a greeting)
    r"^(?!how\s+do\s+you\s+do\b)(?:so\s+|ok\s+|hi\s+|hello\s+)?"
    r"(?:(?:what|how)\s+(?:else\s+)?(?:can|could|do|does|will)"
    r"\s+(?:you|u|this(?:\s+bot|\s+thing|\s+coach)?|it)"
    r"|(?:is\s+there\s+)?anything\s+(?:else\s+)?you\s+can)"
    r"\s+(?:do|help(?:\s+(?:me|us))?(?:\s+with)?|work|offer)(?:\s+for\s+(?:me|us))?\W*$"
)
# A stateful command asked for in a sentence ("delete everything you have on me", "show me my
# progress"): the command itself, with no argument, so it only shows or asks (forget me still
# asks to confirm). Each pattern is the whole message, so a question that merely mentions one
# ("how do I show progress to the board") is a question.
_POLITE = (
    r"^(?:please\s+|ok\s+|can\s+you\s+|could\s+you\s+|i\s+(?:want|need)\s+(?:you\s+)?to\s+"
    r"|i'?d\s+like\s+(?:you\s+)?to\s+|i\s+would\s+like\s+(?:you\s+)?to\s+|let'?s\s+|let\s+me\s+)?"
)
_END = r"(?:\s+please)?\W*$"
_NATURAL_COMMANDS: tuple[tuple[re.Pattern[str], IntentKind], ...] = (
    (
        re.compile(
            _POLITE + r"(?:delete|erase|remove|wipe|forget)\s+(?:all\s+(?:of\s+)?)?"
            r"(?:my\s+data|my\s+details|my\s+information|my\s+account|everything|my\s+stuff)"
            r"(?:\s+(?:you\s+(?:have|hold|keep|store|know)|(?:about|on|of)\s+me))*" + _END
        ),
        IntentKind.FORGET,
    ),
    (
        re.compile(
            _POLITE
            + r"(?:(?:show|see|view|check)\s+(?:me\s+)?)?my\s+progress"
            + _END
            + r"|^how\s+am\s+i\s+(?:doing|getting\s+on|progressing)\s*(?:so\s+far)?\W*$"
        ),
        IntentKind.PROGRESS,
    ),
    (
        re.compile(
            _POLITE + r"(?:do|take|start|begin|try|have\s+a\s+go\s+at)\s+(?:the\s+|a\s+|my\s+)?"
            r"self[\s-]?assess(?:ment)?" + _END
        ),
        IntentKind.ASSESS,
    ),
    (
        re.compile(
            _POLITE + r"(?:show|open|see|view|read)\s+(?:me\s+)?my\s+(?:journal|reflections)" + _END
        ),
        IntentKind.JOURNAL,
    ),
    (
        # "show me the six principles": all six (a topic search found rows for "show").
        re.compile(
            _POLITE
            + r"(?:show|list|give|tell)\s+(?:me\s+|us\s+)?(?:all\s+)?(?:the\s+|of\s+the\s+)?"
            r"(?:six\s+|6\s+)?(?:national\s+voices\s+)?principles"
            + _END
            + r"|^what\s+are\s+the\s+(?:six\s+|6\s+)?principles\W*$"
        ),
        IntentKind.PRINCIPLES,
    ),
    (
        re.compile(
            _POLITE + r"(?:remind\s+me|send\s+me|set\s+up|turn\s+on|start|get)\b"
            r"(?:\s+\w+){0,4}?\s+(?:nudges?|to\s+reflect)(?:\s+\w+){0,4}" + _END
        ),
        IntentKind.NUDGES,
    ),
)


# A task for a calendar, an inbox or a colleague: a one-off reminder ("set a reminder to chase
# the strategy paper on friday", "remind me at 3pm to ring estates"), a booking ("book the board
# room for thursday", "move my 1:1 to next week") or a document to handle (below). People ask a
# bot in Teams for these, and the coach does none, so it says so and offers its weekly nudges
# instead. Only the start of the message is read, but "remind me what collective leadership is"
# (a question), the nudges themselves ("remind me every week to reflect", above) and "how do I
# set up a meeting that isn't a waste of time" are not tasks.
_REMINDER = re.compile(
    r"(?:(?:set|put|add|create|make)\s+(?:up\s+|in\s+)?(?:a\s+|an?\s+\w+\s+|some\s+)?"
    r"reminders?\b|remind\s+(?:me|us)\s+(?:to|at|on|in|tomorrow|today|tonight|later|next|before"
    r"|after|this|first\s+thing|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
)
_BOOKING = re.compile(
    r"(?:schedule|book|arrange|organi[sz]e|set\s+up|put|send(?:\s+out)?|move|cancel|reschedule"
    r"|rearrange|postpone|push\s+back)\s+(?:\w+\s+){0,5}?(?:meetings?|catch[\s-]?ups?|1:1s?"
    r"|one[\s-]to[\s-]ones?|calls?|rooms?|slots?|invites?|invitations?|appointments?|diary"
    r"|calendar|huddles?)\b"
)
# A document to send, write or boil down: "fwd this to my team", "summarise the attached
# quality account", "draft an email to the practice managers". ("draft a vision for our team"
# names no document: a leadership question.)
_DOCUMENT = re.compile(
    r"(?:fwd|forward|send|e-?mail|print|summari[sz]e|draft|write|translate|proofread|upload"
    r"|attach|save|copy)\s+(?:(?:me|us)\s+)?(?:this|that|it\b|the\s+attached|(?:the|my|our|an?)"
    r"\s+(?:\w+\s+){0,3}?(?:docs?|documents?|papers?|pack|files?|reports?|minutes|e-?mails?"
    r"|agenda|slides|deck|letters?|leaflets?|polic(?:y|ies)|spreadsheets?|account|summary|notes"
    r"|memo|templates?)\b)"
)
_TASK = re.compile(
    _POLITE + r"(?:" + r"|".join(p.pattern for p in (_REMINDER, _BOOKING, _DOCUMENT)) + r")"
)


# How the framework is laid out ("how is the framework organised, what are the sections"): its
# four domains, listed. Read from the start of the message.
_FRAMEWORK_SHAPE = re.compile(
    r"^(?:so\s+|ok\s+)?(?:how(?:\s+is|'s)\s+(?:the\s+|this\s+)?(?:system\s+leadership\s+)?"
    r"framework\s+(?:organi[sz]ed|structured|laid\s+out|set\s+out|arranged|split|broken\s+down"
    r"|made\s+up)|what\s+(?:are|r)\s+the\s+(?:main\s+)?(?:sections|parts|areas|headings|categories)"
    r"\s+(?:of|in)\s+(?:the\s+|this\s+)?framework)\b"
)


def spoken_command(lowered: str) -> IntentKind | None:
    """The command a whole message asks for in words (lower case), or ``None``."""
    if _ASKS_WHAT_YOU_DO.match(lowered):
        return IntentKind.HELP
    for pattern, command in _NATURAL_COMMANDS:
        if pattern.match(lowered):
            return command
    if _TASK.match(lowered):
        return IntentKind.TASK
    if _FRAMEWORK_SHAPE.match(lowered):
        return IntentKind.DOMAINS
    return None

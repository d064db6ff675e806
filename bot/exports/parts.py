"""The parts of a reflection: what happened, what was learned, what changed, the Code theme.

A reflection is stored as one encrypted text. Structured answers are kept in that text under
plain headings ("What I learned: ..."), so they read naturally in every export and need no
new columns; and a person who types those headings into a one-box reflection gets the same
structure. :func:`split_reflection` finds them again; text outside any heading is the free
reflection. :func:`join_reflection` writes them, for the structured reflect form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Theme(StrEnum):
    """The four themes of the NMC Code."""

    PRIORITISE_PEOPLE = "Prioritise people"
    PRACTISE_EFFECTIVELY = "Practise effectively"
    PRESERVE_SAFETY = "Preserve safety"
    PROMOTE_PROFESSIONALISM = "Promote professionalism and trust"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReflectionParts:
    """A reflection split into the NMC form's parts; any may be empty."""

    free: str = ""
    happened: str = ""
    learned: str = ""
    changed: str = ""
    themes: tuple[Theme, ...] = ()


#: The heading each part is written under by :func:`join_reflection`.
HEADINGS: Final[dict[str, str]] = {
    "happened": "What happened",
    "learned": "What I learned",
    "changed": "How I changed or will change my practice",
    "themes": "Theme of the NMC Code",
}

# Headings people write for each part, matched at the start of a line and followed by a colon
# or a line break. Kept general (what/how/which phrasing), not a list of one person's words.
_CUES: Final[dict[str, str]] = {
    "happened": r"what\s+happened|the\s+(?:activity|event|situation)|activity|event|situation"
    r"|context|background",
    "learned": r"what\s+(?:i|we)\s+(?:have\s+)?learn(?:ed|t)|learning|what\s+i\s+took\s+away"
    r"|learn(?:ed|t)",
    "changed": r"how\s+(?:i|we)\s+(?:have\s+)?(?:changed|will\s+change|changed\s+or\s+will\s+change"
    r"|improved)(?:\s+my|\s+our)?\s+practice|changes?\s+to\s+(?:my\s+|our\s+)?practice"
    r"|what\s+i(?:'ll|\s+will)\s+do\s+differently|next\s+steps|actions?",
    "themes": r"(?:(?:nmc\s+)?code\s+)?themes?(?:\s+of\s+the\s+(?:nmc\s+)?code)?|nmc\s+code"
    r"|the\s+code|relevance\s+to\s+the\s+code",
}
# A heading starts a line, or follows the end of a sentence on the same line: a one-line
# ``journal add`` can carry "... week. What I learned: ...", and a chat box often has no
# line breaks. Mid-sentence ("I asked what I learned: nothing") is not a heading.
_HEADING: Final[re.Pattern[str]] = re.compile(
    r"(?:^|(?<=[.!?])[ \t]+)[ \t]*(?:[#*_>-]+[ \t]*)?(?:"
    + "|".join(f"(?P<{name}>{cue})" for name, cue in _CUES.items())
    + r")[ \t]*[*_]*[ \t]*(?::|\?|[ \t]*$)[ \t]*",
    re.I | re.M,
)
_THEME_WORDS: Final[dict[Theme, re.Pattern[str]]] = {
    Theme.PRIORITISE_PEOPLE: re.compile(r"prioriti[sz]e\s+people|\bpeople\b", re.I),
    Theme.PRACTISE_EFFECTIVELY: re.compile(r"practi[sc]e\s+effectively|\beffective", re.I),
    Theme.PRESERVE_SAFETY: re.compile(r"preserve\s+safety|\bsafety\b", re.I),
    Theme.PROMOTE_PROFESSIONALISM: re.compile(r"professionalism|\btrust\b", re.I),
}


def parse_themes(text: str) -> tuple[Theme, ...]:
    """The Code themes named in ``text``, in the Code's order ("safety" means Preserve safety)."""
    return tuple(theme for theme, words in _THEME_WORDS.items() if words.search(text))


def split_reflection(text: str) -> ReflectionParts:
    """Split a stored reflection into its parts.

    Args:
        text: The reflection as stored.

    Returns:
        The parts; text before the first heading (or with no headings at all) is ``free``.
        A part written twice keeps both, in order.
    """
    matches = list(_HEADING.finditer(text))
    found: dict[str, list[str]] = {name: [] for name in _CUES}
    free = text[: matches[0].start()] if matches else text
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        name = next(k for k, v in match.groupdict().items() if v is not None)
        body = text[match.end() : end].strip()
        if body:
            found[name].append(body)
    themes = parse_themes(" ".join(found["themes"]))
    return ReflectionParts(
        free=free.strip(),
        happened="\n\n".join(found["happened"]),
        learned="\n\n".join(found["learned"]),
        changed="\n\n".join(found["changed"]),
        themes=themes,
    )


def join_reflection(parts: ReflectionParts) -> str:
    """Write ``parts`` as one text that :func:`split_reflection` reads back the same.

    Args:
        parts: The free text and any structured answers.

    Returns:
        The free text, then each non-empty part under its heading, separated by blank lines.
    """
    chunks = [parts.free.strip()] if parts.free.strip() else []
    for name in ("happened", "learned", "changed"):
        value = getattr(parts, name).strip()
        if value:
            chunks.append(f"{HEADINGS[name]}: {value}")
    if parts.themes:
        chunks.append(f"{HEADINGS['themes']}: " + "; ".join(t.value for t in parts.themes))
    return "\n\n".join(chunks)

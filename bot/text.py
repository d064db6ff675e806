"""Text normalisation shared by matching, intent routing and place look-up.

Everything a person types passes through :func:`clean` first, which bounds its length and
strips what can never help a match (control characters, markup, emoji), so every later step
runs in bounded time on tame input.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Questions are short; anything past this is noise and would only slow matching down.
MAX_QUERY_CHARS = 300

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_MARKUP = re.compile(r"<[^>]{0,200}>|&[a-z]{2,8};|[*_~`]+")
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_PUNCTUATION = re.compile(r"[\s.,!?;:'\"()\-]+")

# Words that carry no topic. Kept small and explicit: a topic word here would be unreachable.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me might more most must my myself no nor not now of off on
    once only or other ought our ours ourselves out over own same shall she should so some
    such than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves im ive id dont doesnt cant cannot wont
    isnt arent didnt whats hows please tell show give find know want need like get got
    getting make makes making help helps advice tips tip way ways better best good really
    something anything someone thing things one ones us let lets may also even still yet
    around across within bit lot lots much many go going say said see look looking use using
    try trying stay new question questions ask asking idea leader leaders leadership lead
    leading nhs role roles behaviour behaviours behavior behaviors framework system systems
    work working actually whether sure everyone everybody handle deal cope stuff pls works
    worked
    """.split()  # noqa: SIM905 - one word list is easier to edit than a column of strings
)
# "lead", "system" and "work" appear in nearly every row, so as query words they only add
# noise; they still count inside curated phrases such as "lead without authority".

# PyStemmer is the C build of the Snowball stemmers: the pure-Python snowballstemmer package
# gives the same stems but took ~40 ms to index the content, an eighth of the start-up budget.
_STEMMER = Stemmer.Stemmer("english")


_KEEP_LIMIT = 4096


class _Keep(dict[int, str | None]):
    """What :func:`clean` does with each character, worked out once per character seen.

    Letters, digits, punctuation and `` /+&'-`` stay; other spaces, tabs and line breaks become
    a space; everything else (controls, symbols, emoji) goes. As a ``str.translate`` table the
    per-character test runs in C, where a Python loop over ``unicodedata.category`` cost about
    50 µs for a 140-character question.
    """

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        cat = unicodedata.category(ch)
        if cat[0] in "LNP" or ch in " /+&'-":
            out: str | None = ch
        elif cat[0] == "Z" or ch in "\t\n\r":
            out = " "
        else:
            out = None
        if len(self) < _KEEP_LIMIT:  # odd characters in hostile input must not grow it forever
            self[code] = out
        return out


_KEEP = _Keep()


@lru_cache(maxsize=1024)
def clean(text: str) -> str:
    """Bound, normalise and de-markup raw input: NFKC, ASCII quotes, no controls or emoji.

    Cached: routing, small talk, wellbeing and the rankers each clean the same message.
    """
    text = text[: MAX_QUERY_CHARS * 4]
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _MARKUP.sub(" ", text)
    return " ".join(text.translate(_KEEP).split())[:MAX_QUERY_CHARS]


def words(text: str) -> tuple[str, ...]:
    """Lower-case word tokens of already-cleaned text (hyphens and apostrophes kept inside)."""
    return tuple(_WORD.findall(text.lower()))


def plain(text: str) -> str:
    """Lower case with punctuation turned to single spaces, emoji kept: how small talk is
    compared whole, and the sender's words are read ("I'm" becomes "i m")."""
    return _PUNCTUATION.sub(" ", text.lower()).strip()


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Snowball stem of one word; hyphens go, so "multi-disciplinary" meets "multidisciplinary"."""
    return str(_STEMMER.stemWord(word.replace("-", "").replace("'", "")))


def is_topic(word: str) -> bool:
    """True for a word that can carry a topic (not a stop word, not a bare number)."""
    return word.replace("'", "") not in STOP_WORDS and not word.isdigit()


def topic_words(text: str) -> tuple[str, ...]:
    """The topic words of cleaned ``text``, in order."""
    return tuple(w for w in words(text) if is_topic(w))


def index_stems(text: str) -> tuple[str, ...]:
    """Stems to index for ``text``: each topic word whole, and a hyphenated one by its parts too.

    "multi-disciplinary" is indexed as "multidisciplinari", "multi" and "disciplinari", so a
    question meets it whether it is typed with the hyphen, without, or as two words.
    """
    out: list[str] = []
    for w in topic_words(text):
        out.append(stem(w))
        if "-" in w:
            out.extend(stem(p) for p in w.split("-") if is_topic(p))
    return tuple(out)


def all_stems(text: str) -> tuple[str, ...]:
    """Stems of every word of ``text``, stop words included and hyphens split (for phrases)."""
    return tuple(stem(p) for w in words(text) for p in w.split("-") if p)

"""Load and validate the example files that teach the coach what people mean.

``situations.yaml`` (situations per row, principle and passage, and requests for the
academies' offers), ``no_answer.yaml`` (questions that borrow framework words but need no
framework answer), ``small_talk.yaml`` and ``wellbeing.yaml``. Editors are not programmers,
so a mistake fails at start-up naming the file and the field, the same way :mod:`bot.content`
does; an example filed under a row id, principle number or passage that does not exist is
rejected rather than silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.content_check import Checker, read_yaml

# Longer than this is an essay, not an example; it would dominate its row's neighbours.
MAX_EXAMPLE_CHARS = 300


class Target(StrEnum):
    """What an example situation points at."""

    ROW = "row"
    PRINCIPLE = "principle"
    PASSAGE = "passage"
    # Asking for what the regional academies offer, or how to reach one: answered with the
    # academy for the place named, or the list of regions to choose from.
    ACADEMY = "academy"


@dataclass(frozen=True, slots=True, kw_only=True)
class Situation:
    """One example situation and what it fits: a row id, a principle number or a passage id."""

    text: str
    target: Target
    key: str

    @property
    def ranked(self) -> bool:
        """Whether it teaches the ranker a row or a principle (passages and academy requests
        are answered otherwise, and are never ranked or trained on as rows)."""
        return self.target in (Target.ROW, Target.PRINCIPLE)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoAnswer:
    """A question that must get no framework answer, with the editors' heading for it."""

    text: str
    category: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SmallTalk:
    """One kind of small talk (greeting, thanks, ...): how people say it and what to answer."""

    kind: str
    examples: tuple[str, ...]
    replies: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a wellbeing fact comes from, and when someone last checked it."""

    fact: str
    organisation: str
    url: str
    checked: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Wellbeing:
    """The two signposts and the example messages that decide when each is shown."""

    distress_text: str
    crisis_text: str
    sources: tuple[Source, ...]
    distress: tuple[str, ...]
    crisis: tuple[str, ...]
    not_distress: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Examples:
    """Everything the example files hold, validated."""

    situations: tuple[Situation, ...]
    no_answer: tuple[NoAnswer, ...]
    small_talk: tuple[SmallTalk, ...]
    wellbeing: Wellbeing


def _table(check: Checker, value: Any, where: str) -> dict[Any, Any]:
    """A mapping whose keys are the editors' own (row ids, headings), so none is unknown."""
    if not isinstance(value, dict) or not value:
        check.fail(where or "(top level)", "expected a mapping of headings to lists")
    return value


def _example(check: Checker, value: Any, where: str) -> str:
    text = check.text(value, where)
    if len(text) > MAX_EXAMPLE_CHARS:
        check.fail(where, f"longer than {MAX_EXAMPLE_CHARS} characters: keep examples short")
    return text


def _examples(check: Checker, value: Any, where: str) -> tuple[str, ...]:
    items = check.items(value, where, allow_empty=False)
    return tuple(_example(check, v, f"{where}.{i}") for i, v in enumerate(items))


def _situations(
    directory: Path,
    *,
    row_ids: tuple[str, ...],
    principle_numbers: tuple[int, ...],
    passage_ids: tuple[str, ...],
) -> tuple[Situation, ...]:
    check, raw = read_yaml(directory, "situations.yaml")
    top = check.mapping(raw, "", required=("rows", "principles"), optional=("about", "academies"))
    out: list[Situation] = []
    rows = _table(check, top["rows"], "rows")
    for key, items in rows.items():
        if str(key) not in row_ids:
            check.fail(f"rows.{key}", "no framework row has this id (see framework.yaml)")
        out += [
            Situation(text=t, target=Target.ROW, key=str(key))
            for t in _examples(check, items, f"rows.{key}")
        ]
    principles = _table(check, top["principles"], "principles")
    for key, items in principles.items():
        if isinstance(key, bool) or key not in principle_numbers:
            check.fail(f"principles.{key}", "no principle has this number (see principles.yaml)")
        out += [
            Situation(text=t, target=Target.PRINCIPLE, key=str(key))
            for t in _examples(check, items, f"principles.{key}")
        ]
    about = _table(check, top["about"], "about") if top.get("about") else {}
    for key, items in about.items():
        if str(key) not in passage_ids:
            check.fail(f"about.{key}", "no passage has this id (see passages.yaml)")
        out += [
            Situation(text=t, target=Target.PASSAGE, key=str(key))
            for t in _examples(check, items, f"about.{key}")
        ]
    if top.get("academies"):
        out += [
            Situation(text=t, target=Target.ACADEMY, key="regions")
            for t in _examples(check, top["academies"], "academies")
        ]
    return tuple(out)


def _no_answer(directory: Path) -> tuple[NoAnswer, ...]:
    check, raw = read_yaml(directory, "no_answer.yaml")
    top = _table(check, raw, "")
    return tuple(
        NoAnswer(text=t, category=str(category))
        for category, items in top.items()
        for t in _examples(check, items, str(category))
    )


def _small_talk(directory: Path) -> tuple[SmallTalk, ...]:
    check, raw = read_yaml(directory, "small_talk.yaml")
    top = check.mapping(raw, "", required=("kinds",))
    kinds = _table(check, top["kinds"], "kinds")
    out = []
    for kind, body in kinds.items():
        where = f"kinds.{kind}"
        body = check.mapping(body, where, required=("examples", "replies"))
        out.append(
            SmallTalk(
                kind=str(kind),
                examples=_examples(check, body["examples"], f"{where}.examples"),
                replies=_examples(check, body["replies"], f"{where}.replies"),
            )
        )
    return tuple(out)


def _wellbeing(directory: Path) -> Wellbeing:
    check, raw = read_yaml(directory, "wellbeing.yaml")
    top = check.mapping(raw, "", required=("signposts", "sources", "examples"))
    signposts = check.mapping(top["signposts"], "signposts", required=("distress", "crisis"))
    texts = {
        name: check.text(
            check.mapping(signposts[name], f"signposts.{name}", required=("text",))["text"],
            f"signposts.{name}.text",
        )
        for name in ("distress", "crisis")
    }
    sources = []
    for i, s in enumerate(check.items(top["sources"], "sources", allow_empty=False)):
        where = f"sources.{i}"
        s = check.mapping(s, where, required=("fact", "organisation", "url", "checked"))
        url = check.text(s["url"], f"{where}.url")
        if not url.startswith("https://"):
            check.fail(f"{where}.url", "must be a web address starting with https://")
        sources.append(
            Source(
                fact=check.text(s["fact"], f"{where}.fact"),
                organisation=check.text(s["organisation"], f"{where}.organisation"),
                url=url,
                checked=check.text(str(s["checked"]), f"{where}.checked"),
            )
        )
    examples = check.mapping(
        top["examples"], "examples", required=("distress", "crisis", "not_distress")
    )
    return Wellbeing(
        distress_text=texts["distress"],
        crisis_text=texts["crisis"],
        sources=tuple(sources),
        distress=_examples(check, examples["distress"], "examples.distress"),
        crisis=_examples(check, examples["crisis"], "examples.crisis"),
        not_distress=_examples(check, examples["not_distress"], "examples.not_distress"),
    )


def load_examples(
    directory: Path,
    *,
    row_ids: tuple[str, ...],
    principle_numbers: tuple[int, ...],
    passage_ids: tuple[str, ...],
) -> Examples:
    """Load and validate the four example files in ``directory``.

    Args:
        directory: the content folder.
        row_ids: the framework's row ids; situations filed under any other id are rejected.
        principle_numbers: the principles' numbers (1-6).
        passage_ids: the passages' ids, for the ``about:`` examples.

    Raises:
        ContentError: naming the file and the field at fault.
    """
    return Examples(
        situations=_situations(
            directory,
            row_ids=row_ids,
            principle_numbers=principle_numbers,
            passage_ids=passage_ids,
        ),
        no_answer=_no_answer(directory),
        small_talk=_small_talk(directory),
        wellbeing=_wellbeing(directory),
    )

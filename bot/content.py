"""Load and validate ``content/`` into one immutable :class:`Content` object.

Content is edited by people who are not programmers, so a mistake must fail fast at start-up
with the file and the field named (``framework.yaml: domains.0.rows.2.behaviour: ...``) rather
than surface later as a wrong answer. The core then works with the frozen dataclasses of
:mod:`bot.models`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.content_check import ContentError, read_yaml
from bot.examples import Examples, load_examples
from bot.models import Academy, Attribution, Behaviour, Domain, Passage, Principle, Prompt
from bot.places import Gazetteer
from bot.text import clean

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "content"


_ROW_ID = re.compile(r"^[a-z]+-\d+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Content:
    """Everything the coach knows, validated and immutable."""

    framework_source: str
    domains: tuple[Domain, ...]
    principles_source: str
    principles_intro: str
    principles: tuple[Principle, ...]
    academies_source: str
    academies_caveat: str
    academies: tuple[Academy, ...]
    passages: tuple[Passage, ...]
    prompts: tuple[Prompt, ...]
    places: Gazetteer
    examples: Examples

    @property
    def rows(self) -> tuple[Behaviour, ...]:
        """All framework rows, in source order."""
        return tuple(row for domain in self.domains for row in domain.rows)

    def row(self, row_id: str) -> Behaviour:
        """The framework row with ``row_id``; ``KeyError`` if there is none."""
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)

    def prompts_for(self, row_id: str) -> tuple[Prompt, ...]:
        """The reflection prompts written for one row."""
        return tuple(p for p in self.prompts if p.row_id == row_id)

    def academy(self, region: str) -> Academy:
        """The academy for ``region`` exactly as spelled in the source; ``KeyError`` if none."""
        for academy in self.academies:
            if academy.region == region:
                return academy
        raise KeyError(region)

    def domain_named(self, text: str) -> str:
        """The name of the domain ``text`` names by its name, id or number in the framework
        ("2"), typos allowed; "" if none."""
        if not text:
            return ""
        if text.strip().isdigit():
            number = int(text)
            return self.domains[number - 1].name if 1 <= number <= len(self.domains) else ""
        names = {d.name: d.name for d in self.domains} | {d.id: d.name for d in self.domains}
        found = process.extractOne(
            clean(text).lower(), {k: k.lower() for k in names}, scorer=fuzz.WRatio, score_cutoff=70
        )
        return names[found[2]] if found else ""

    def passage(self, passage_id: str) -> Passage:
        """One passage of the briefing by id: what, involves, why, stp or collective."""
        for passage in self.passages:
            if passage.id == passage_id:
                return passage
        raise KeyError(passage_id)


def _domains(directory: Path) -> tuple[str, tuple[Domain, ...]]:
    check, raw = read_yaml(directory, "framework.yaml")
    top = check.mapping(raw, "", required=("source", "domains"))
    domains = []
    seen: set[str] = set()
    for i, d in enumerate(check.items(top["domains"], "domains", allow_empty=False)):
        where = f"domains.{i}"
        d = check.mapping(d, where, required=("id", "name", "rows"), optional=("summary",))
        name = check.text(d["name"], f"{where}.name")
        rows = []
        for j, r in enumerate(check.items(d["rows"], f"{where}.rows", allow_empty=False)):
            rw = f"{where}.rows.{j}"
            r = check.mapping(r, rw, required=("id", "role", "behaviour"), optional=("keywords",))
            row_id = check.text(r["id"], f"{rw}.id")
            if not _ROW_ID.match(row_id):
                check.fail(
                    f"{rw}.id", "must look like ie-1: lower-case letters, a hyphen, a number"
                )
            if row_id in seen:
                check.fail(f"{rw}.id", f"duplicate row id {row_id!r}")
            seen.add(row_id)
            rows.append(
                Behaviour(
                    id=row_id,
                    domain=name,
                    role=check.text(r["role"], f"{rw}.role"),
                    behaviour=check.text(r["behaviour"], f"{rw}.behaviour"),
                    keywords=check.texts(r.get("keywords"), f"{rw}.keywords"),
                )
            )
        domains.append(
            Domain(
                id=check.text(d["id"], f"{where}.id"),
                name=name,
                summary=check.text(d.get("summary", ""), f"{where}.summary", allow_empty=True),
                rows=tuple(rows),
            )
        )
    return check.text(top["source"], "source"), tuple(domains)


def _principles(directory: Path) -> tuple[str, str, tuple[Principle, ...]]:
    check, raw = read_yaml(directory, "principles.yaml")
    top = check.mapping(raw, "", required=("source", "intro", "principles"))
    principles = []
    for i, p in enumerate(check.items(top["principles"], "principles", allow_empty=False)):
        where = f"principles.{i}"
        p = check.mapping(p, where, required=("number", "title"), optional=("keywords",))
        if p["number"] != i + 1:
            check.fail(
                f"{where}.number", f"must be {i + 1}: principles are numbered 1, 2, 3, ... in order"
            )
        principles.append(
            Principle(
                number=i + 1,
                title=check.text(p["title"], f"{where}.title"),
                keywords=check.texts(p.get("keywords"), f"{where}.keywords"),
            )
        )
    return check.text(top["source"], "source"), check.text(top["intro"], "intro"), tuple(principles)


def _academies(directory: Path) -> tuple[str, str, tuple[Academy, ...]]:
    check, raw = read_yaml(directory, "academies.yaml")
    top = check.mapping(raw, "", required=("source", "caveat", "academies"))
    academies = []
    for i, a in enumerate(check.items(top["academies"], "academies", allow_empty=False)):
        where = f"academies.{i}"
        a = check.mapping(
            a, where, required=("region", "tel", "email", "web"), optional=("aliases",)
        )
        if isinstance(a["tel"], int):
            # YAML reads an unquoted number as an integer, which would drop its leading zero.
            check.fail(f"{where}.tel", "quote telephone numbers so that the leading 0 is kept")
        email = check.text(a["email"], f"{where}.email")
        if not _EMAIL.match(email):
            check.fail(f"{where}.email", "not an email address")
        academies.append(
            Academy(
                region=check.text(a["region"], f"{where}.region"),
                tel=check.text(a["tel"], f"{where}.tel"),
                email=email,
                web=check.text(a["web"], f"{where}.web"),
                aliases=check.texts(a.get("aliases"), f"{where}.aliases"),
            )
        )
    return (
        check.text(top["source"], "source"),
        check.text(top["caveat"], "caveat"),
        tuple(academies),
    )


def _passages(directory: Path) -> tuple[Passage, ...]:
    check, raw = read_yaml(directory, "passages.yaml")
    top = check.mapping(raw, "", required=("passages",))
    passages = []
    for i, p in enumerate(check.items(top["passages"], "passages", allow_empty=False)):
        where = f"passages.{i}"
        p = check.mapping(p, where, required=("id", "title", "source"), optional=("text", "items"))
        passages.append(
            Passage(
                id=check.text(p["id"], f"{where}.id"),
                title=check.text(p["title"], f"{where}.title"),
                text=check.text(p.get("text", ""), f"{where}.text", allow_empty=True),
                items=check.texts(p.get("items"), f"{where}.items"),
                attribution=Attribution(source=check.text(p["source"], f"{where}.source")),
            )
        )
    return tuple(passages)


def _prompts(directory: Path, row_ids: tuple[str, ...]) -> tuple[Prompt, ...]:
    check, raw = read_yaml(directory, "prompts.yaml")
    top = check.mapping(raw, "", required=("prompts",))
    table = check.mapping(top["prompts"], "prompts", required=(), optional=row_ids)
    prompts: list[Prompt] = []
    for row_id in row_ids:
        if row_id not in table:
            check.fail(f"prompts.{row_id}", "every framework row needs at least one prompt")
        items = check.items(table[row_id], f"prompts.{row_id}", allow_empty=False)
        prompts.extend(
            Prompt(row_id=row_id, question=check.text(q, f"prompts.{row_id}.{i}"))
            for i, q in enumerate(items)
        )
    return tuple(prompts)


def load_content(directory: Path | None = None) -> Content:
    """Load and validate every content file.

    Args:
        directory: the content folder; defaults to ``$COACH_CONTENT_DIR``, else ``content/``.

    Raises:
        ContentError: naming the file and the field at fault.
    """
    directory = directory or Path(os.environ.get("COACH_CONTENT_DIR") or DEFAULT_DIR)
    framework_source, domains = _domains(directory)
    principles_source, principles_intro, principles = _principles(directory)
    academies_source, academies_caveat, academies = _academies(directory)
    try:
        places = Gazetteer.load(directory / "places")
    except (OSError, ValueError) as exc:
        raise ContentError(f"{directory / 'places'}: {exc}") from exc
    row_ids = tuple(r.id for d in domains for r in d.rows)
    passages = _passages(directory)
    return Content(
        framework_source=framework_source,
        domains=domains,
        principles_source=principles_source,
        principles_intro=principles_intro,
        principles=principles,
        academies_source=academies_source,
        academies_caveat=academies_caveat,
        academies=academies,
        passages=passages,
        prompts=_prompts(directory, row_ids),
        places=places,
        examples=load_examples(
            directory,
            row_ids=row_ids,
            principle_numbers=tuple(p.number for p in principles),
            passage_ids=tuple(p.id for p in passages),
        ),
    )

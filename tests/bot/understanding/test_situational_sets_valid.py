"""The fresh situational sets are well-formed: ``tests/data/situational_tune.jsonl`` (tuned on),
``tests/data/situational_check.jsonl`` (held out, never tuned on), and the later edges and
fresh sets.

This checks the labels against the content, not the coach's answers: a label that names no row
(a typo, a paraphrased role) could never pass, and would silently lower the score. Every expect
string must name exactly one framework row or principle (or be an academy's region spelled as in
the source), every row and principle must be covered, and no question may appear in both files.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.content import load_content

DATA = Path(__file__).resolve().parents[2] / "data"
TUNE = "situational_tune.jsonl"
CHECK = "situational_check.jsonl"
CATEGORIES = {
    "situation",
    "principle",
    "academy",
    "contact_no_place",
    "no_answer",
    "context",
    "smalltalk",
}
# How often each row and principle must be expected, per file (the brief for these sets).
MIN_COVER = {TUNE: 3, CHECK: 1}


def _norm(text: str) -> str:
    """The scorer's normalisation: case, curly quotes and dashes, runs of spaces."""
    text = text.lower()
    for a, b in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    for dash in ("\u2013", "\u2014"):
        text = text.replace(dash, "-")
    return re.sub(r"\s+", " ", text).strip()


def _cases(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _targets() -> dict[str, str]:
    """Each row id and principle number, with all the text a result of it would carry."""
    content = load_content()
    targets = {row.id: _norm(f"{row.role} | {row.behaviour}") for row in content.rows}
    targets.update({f"p{p.number}": _norm(p.title) for p in content.principles})
    return targets


@pytest.mark.parametrize("name", [TUNE, CHECK])
def test_every_line_has_the_scorer_shape(name: str) -> None:
    regions = {a.region for a in load_content().academies}
    cases = _cases(name)
    assert len(cases) >= (150 if name == TUNE else 75)
    for case in cases:
        assert isinstance(case["q"], str), case
        assert case["q"].strip(), case
        assert case["k"] == 3, case
        assert case["category"] in CATEGORIES, case
        kind = case.get("kind")
        if case["category"] == "academy":
            assert kind == "academy", case
            assert len(case["expect"]) == 1, case
            assert case["expect"][0] in regions, case
        elif case["category"] in {"contact_no_place", "no_answer", "context", "smalltalk"}:
            assert kind == "none", case
            assert case["expect"] == [], case
        else:
            assert kind is None, case
            assert 1 <= len(case["expect"]) <= 6, case
        if case["category"] == "context":
            assert case["expect_intent"] == "about", case
            assert case["expect_reply"], case


@pytest.mark.parametrize("name", [TUNE, CHECK])
def test_every_expect_names_exactly_one_row_or_principle(name: str) -> None:
    targets = _targets()
    cover: Counter[str] = Counter()
    for case in _cases(name):
        if case.get("kind") is not None:
            continue
        for expect in case["expect"]:
            hits = [key for key, text in targets.items() if _norm(expect) in text]
            assert len(hits) == 1, (case["q"], expect, hits)
            cover[hits[0]] += 1
    thin = {key: cover[key] for key in targets if cover[key] < MIN_COVER[name]}
    assert not thin, f"rows or principles expected too rarely in {name}: {thin}"


def test_tune_covers_every_region_and_shares_no_question_with_check() -> None:
    regions = {a.region for a in load_content().academies}
    tune = _cases(TUNE)
    check = _cases(CHECK)
    assert {c["expect"][0] for c in tune if c.get("kind") == "academy"} == regions
    shared = {_norm(str(c["q"])) for c in tune} & {_norm(str(c["q"])) for c in check}
    assert not shared, shared


# Written later, each blind to the content (tests/data/README.md): the same label checks.
NEWER = (
    "situational_edges.jsonl",
    "situational_fresh.jsonl",
    "situational_probe.jsonl",
    "situational_sixth.jsonl",
    "situational_seventh.jsonl",
    "situational_eighth.jsonl",
    "situational_ninth.jsonl",
    "situational_tenth.jsonl",
)


@pytest.mark.parametrize("name", NEWER)
def test_the_newer_sets_name_real_rows_regions_and_kinds(name: str) -> None:
    targets = _targets()
    regions = {a.region for a in load_content().academies}
    for case in _cases(name):
        assert case["q"].strip(), case
        assert case["category"] in CATEGORIES, case
        if case.get("kind") == "academy":
            assert case["expect"], case
            assert all(e in regions for e in case["expect"]), case
        elif case.get("kind") == "none":
            assert case["expect"] == [], case
        else:
            for expect in case["expect"]:
                hits = [key for key, text in targets.items() if _norm(expect) in text]
                assert len(hits) == 1, (case["q"], expect, hits)
        if name in ("situational_edges.jsonl", "situational_probe.jsonl"):
            assert case["split"] in {"tune", "heldout"}, case

"""The situational sets of ``tests/data`` (issue 11), scored as the shared scorer does.

Floors a little under today's scores, so that a content edit or a new setting that undoes the
matching fails here rather than in the hidden sets. The held-out parts are only scored (pooled,
and their misses are never printed, so nobody tunes on them from a failure message); the tune
parts print their misses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.judge import judge
from tests.ask_json import ask_json

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
# (file, split or None for the whole file, floor); today: 0.994, 0.971, 0.952, 0.950, 0.993,
# 0.905, 0.992, 1.000, 0.965, 0.928.
TUNE = (
    ("situational_tune.jsonl", None, 0.96),
    ("situational_dev.jsonl", None, 0.95),
    ("situational_edges.jsonl", "tune", 0.89),
    ("situational_probe.jsonl", "tune", 0.85),
    ("situational_sixth.jsonl", "tune", 0.95),
    ("situational_seventh.jsonl", "tune", 0.87),
    ("situational_eighth.jsonl", "tune", 0.95),
    ("situational_ninth.jsonl", "tune", 0.95),
    ("situational_tenth.jsonl", "tune", 0.92),
    # The tune cases again with typos (0.928 today; 0.851 before the speller).
    ("situational_typos.jsonl", None, 0.9),
)
HELD_OUT = (
    ("situational_check.jsonl", None),
    ("situational_heldout.jsonl", None),
    ("situational_blind.jsonl", None),
    ("situational_edges.jsonl", "heldout"),
    ("situational_fresh.jsonl", None),
    ("situational_probe.jsonl", "heldout"),
    ("situational_sixth.jsonl", "heldout"),
    ("situational_seventh.jsonl", "heldout"),
    ("situational_eighth.jsonl", "heldout"),
    ("situational_ninth.jsonl", "heldout"),
    ("situational_tenth.jsonl", "heldout"),
)
# Today 599/646 = 0.927 (with the three newest writers' sets); issue 11's bar for the hidden
# situational set is 0.90.
HELD_OUT_FLOOR = 0.91

pytestmark = pytest.mark.slow


def _cases(name: str, split: str | None) -> list[dict[str, object]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    return [c for c in cases if split is None or c.get("split") == split]


@pytest.fixture(scope="module")
def scored() -> dict[tuple[str, str | None], list[bool]]:
    parts = [(name, split) for name, split, _ in TUNE] + list(HELD_OUT)
    groups = [_cases(name, split) for name, split in parts]
    answers = iter(ask_json([str(c["q"]) for group in groups for c in group]))
    return {
        part: [judge(case, next(answers)) for case in group]
        for part, group in zip(parts, groups, strict=True)
    }


@pytest.mark.parametrize(("name", "split", "floor"), TUNE)
def test_each_tune_part_keeps_its_score(scored, name, split, floor):
    results = scored[(name, split)]
    misses = [str(c["q"]) for c, ok in zip(_cases(name, split), results, strict=True) if not ok]
    accuracy = sum(results) / len(results)
    assert accuracy >= floor, f"{name}: {accuracy:.3f} < {floor}; misses: {misses}"


def test_the_held_out_parts_pooled_stay_above_the_floor(scored):
    results = [ok for part in HELD_OUT for ok in scored[part]]
    accuracy = sum(results) / len(results)
    # Counts only: the held-out questions are never shown.
    assert accuracy >= HELD_OUT_FLOOR, f"held out: {sum(results)}/{len(results)} = {accuracy:.3f}"

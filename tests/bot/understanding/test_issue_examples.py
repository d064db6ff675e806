"""Issue 11's own illustrations (tests/data/issue11_examples.jsonl), with every extra field the
scorer ignores checked too: the intent, the reply's words, forbidden first kinds, the signpost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CASES = [
    json.loads(line)
    for line in (Path(__file__).resolve().parents[2] / "data" / "issue11_examples.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).lower()


def _fields(result: dict[str, object]) -> str:
    return _norm(" ".join(str(v) for v in result.values() if isinstance(v, str)))


@pytest.mark.parametrize("case", CASES, ids=[c["q"][:40] for c in CASES])
def test_issue_example(coach, case):
    reply = coach.answer(case["q"])
    results = [m.to_json() for m in reply.results]
    if case.get("kind") == "none":
        assert results == []
    else:
        top = " ".join(_fields(r) for r in results[: case["k"]])
        assert any(_norm(e) in top for e in case["expect"]), (case["q"], results)
    if "expect_intent" in case:
        assert reply.intent == case["expect_intent"]
        assert "couldn't find" not in reply.text
    for kind in case.get("forbid_kinds", ()):
        assert not results or results[0]["kind"] != kind
    if case.get("expect_wellbeing") == "distress":
        assert "116 123" in reply.text
        assert "999" in reply.text

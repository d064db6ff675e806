"""The wider question set: different questions of the same kinds as the public eval set.

``tests/data/questions_wider.jsonl`` holds single topic words, short phrases, ``behaviours``
and ``principles`` commands, natural questions (typos, plurals, American spellings, casual
wording), ``contact`` look-ups and off-topic questions that must get no result at all. It is
piped through ``coach ask --json`` exactly as the shared scorer does, and judged by the same
rules (``bench.judge``, so the test does not depend on ``../shared`` being present).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from bench.judge import judge
from tests.ask_json import ask_json

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "tests" / "data" / "questions_wider.jsonl"
MIN_ACCURACY = 0.90


def test_wider_question_set_scores_at_least_ninety_percent():
    cases = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]
    assert len(cases) >= 150
    answers = ask_json([c["q"] for c in cases], timeout=300)

    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    for case, answer in zip(cases, answers, strict=True):
        kind = case.get("kind", "match")
        ok = judge(case, answer)
        per_kind[kind][1] += 1
        per_kind[kind][0] += ok
        if not ok:
            misses.append(f"miss [{kind}] {case['q']!r}: {json.dumps(answer)[:200]}")

    passed = sum(p for p, _ in per_kind.values())
    accuracy = passed / len(cases)
    summary = ", ".join(f"{k} {p}/{t}" for k, (p, t) in sorted(per_kind.items()))
    print("\n".join(misses))
    print(f"wider set: {summary}; accuracy {accuracy:.3f} ({passed}/{len(cases)})")
    assert accuracy >= MIN_ACCURACY, "\n".join([*misses, summary])

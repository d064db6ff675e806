"""The public scorer's rules (``shared/eval/score.py``), for benchmarks and tests.

Kept in step with the scorer by hand because ``../shared`` is not always beside the project.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_QUESTIONS = ROOT.parent / "shared" / "eval" / "questions.jsonl"


def norm(text: str) -> str:
    """Lower-case, straight quotes and dashes, single spaces."""
    text = text.lower()
    for a, b in (
        ("\u2018", "'"),
        ("\u2019", "'"),
        ("\u201c", '"'),
        ("\u201d", '"'),
        ("\u2013", "-"),
        ("\u2014", "-"),
    ):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip()


def _flatten(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_flatten(v) for v in value)
    return value if isinstance(value, str) else ""


def judge(case: dict[str, Any], answer: dict[str, Any]) -> bool:
    """Whether ``answer`` passes ``case`` under the scorer's rules."""
    results = answer.get("results")
    if not isinstance(results, list):
        return False
    kind = case.get("kind", "match")
    if kind == "none":
        return not results
    top = results[: case.get("k", 3)]
    if kind == "academy":
        if not top or top[0].get("kind") != "academy":
            return False
        return any(norm(e) == norm(str(top[0].get("region", ""))) for e in case["expect"])
    text = norm(" | ".join(_flatten(r) for r in top))
    return any(norm(e) in text for e in case["expect"])


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Read a JSON Lines question set."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

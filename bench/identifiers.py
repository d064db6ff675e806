"""``python -m bench.identifiers``: how well the safe-reflection check finds identifiers.

Scores :func:`bot.safety.identifiers.find_identifiers` on ``tests/data/reflections_pii.jsonl``
(145 hand-labelled reflections, written before the check), separately on its ``dev`` and
``heldout`` parts. Per kind and overall: precision, recall and counts; and the false-alarm rate,
the share of clean reflections that would be held. A line is a positive overall when its
``kinds`` list is not empty. Thresholds and word lists are tuned on ``dev`` only.

Also times the check against a baseline in the same run (a ``str.split`` of the same text), so
the ratio holds on a loaded machine. ``--json`` prints one JSON object instead of the table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.safety.identifiers import Kind, find_identifiers

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "reflections_pii.jsonl"


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    """Counts for one kind (or overall) on one part of the set."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """Share of flags that were right (1.0 when nothing was flagged)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of labelled identifiers found (1.0 when there were none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Scores for one part of the set."""

    split: str
    lines: int
    clean: int
    false_alarms: int
    overall: Score
    kinds: dict[str, Score]

    @property
    def false_alarm_rate(self) -> float:
        """Share of clean reflections the check would hold."""
        return self.false_alarms / self.clean if self.clean else 0.0


def load(split: str) -> list[tuple[str, frozenset[str]]]:
    """The ``(text, kinds)`` pairs of one part (``dev`` or ``heldout``)."""
    cases = []
    with DATA.open(encoding="utf-8") as handle:
        for line in handle:
            case = json.loads(line)
            if case["split"] == split:
                cases.append((case["text"], frozenset(case["kinds"])))
    return cases


def score(split: str) -> Report:
    """Score the check on one part of the set."""
    cases = load(split)
    counts = {k.value: [0, 0, 0] for k in Kind}
    overall = [0, 0, 0]
    false_alarms = clean = 0
    for text, expected in cases:
        found = {k.value for k in find_identifiers(text)}
        for kind, tally in counts.items():
            tally[0] += kind in found and kind in expected
            tally[1] += kind in found and kind not in expected
            tally[2] += kind not in found and kind in expected
        overall[0] += bool(found) and bool(expected)
        overall[1] += bool(found) and not expected
        overall[2] += not found and bool(expected)
        if not expected:
            clean += 1
            false_alarms += bool(found)
    return Report(
        split=split,
        lines=len(cases),
        clean=clean,
        false_alarms=false_alarms,
        overall=Score(tp=overall[0], fp=overall[1], fn=overall[2]),
        kinds={k: Score(tp=t[0], fp=t[1], fn=t[2]) for k, t in counts.items()},
    )


def speed(*, repeat: int = 3) -> dict[str, float]:
    """Microseconds per reflection for the check, and for a ``str.split`` baseline."""
    texts = [t for split in ("dev", "heldout") for t, _ in load(split)]
    timings = {}
    for name, fn in (("baseline_split_us", str.split), ("check_us", find_identifiers)):
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            for text in texts:
                fn(text)
            best = min(best, time.perf_counter() - start)
        timings[name] = best / len(texts) * 1e6
    return timings


def run(*, quick: bool = False) -> dict[str, object]:
    """Figures for ``python -m bench``."""
    figures: dict[str, object] = {}
    for split in ("dev", "heldout"):
        report = score(split)
        figures[f"identifiers.{split}.precision"] = round(report.overall.precision, 3)
        figures[f"identifiers.{split}.recall"] = round(report.overall.recall, 3)
        figures[f"identifiers.{split}.false_alarm_rate"] = round(report.false_alarm_rate, 3)
    timings = speed(repeat=1 if quick else 3)
    figures["identifiers.check_us"] = round(timings["check_us"], 1)
    figures["identifiers.check_vs_split"] = round(
        timings["check_us"] / timings["baseline_split_us"], 1
    )
    return figures


def _table(report: Report) -> str:
    lines = [
        f"{report.split}: {report.lines} lines, {report.clean} clean, "
        f"false alarms {report.false_alarms}/{report.clean} ({report.false_alarm_rate:.1%})",
        f"  {'kind':<16} {'precision':>9} {'recall':>7}   tp  fp  fn",
    ]
    rows = [*report.kinds.items(), ("overall (line)", report.overall)]
    for name, s in rows:
        lines.append(
            f"  {name:<16} {s.precision:>9.3f} {s.recall:>7.3f}  {s.tp:>3} {s.fp:>3} {s.fn:>3}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the scores on both parts (and the timing) as a table or JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.identifiers")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.json:
        print(json.dumps(run()))
        return 0
    for split in ("dev", "heldout"):
        print(_table(score(split)))
    timings = speed()
    print(
        f"speed: {timings['check_us']:.0f} us per reflection; "
        f"{timings['check_us'] / timings['baseline_split_us']:.0f}x a str.split baseline"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

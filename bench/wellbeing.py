"""Precision and recall of the wellbeing signpost on ``tests/data/distress.jsonl``.

    python -m bench.wellbeing            # the dev part (thresholds were fitted on it)
    python -m bench.wellbeing --heldout  # the held-out part: report it, never tune on it

A crisis message counts as found only when it gets the crisis signpost (first, before anything
else); a distress message when it gets either signpost. "Positive" below means any signpost.
"""

from __future__ import annotations

import argparse
import json

from bench.judge import ROOT
from bot.content import load_content
from bot.understanding.reader import Understanding
from bot.understanding.wellbeing import Wellbeing

DATA = ROOT / "tests" / "data" / "distress.jsonl"


def main() -> int:
    """Print precision and recall per label and overall for one part of the set."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--heldout", action="store_true", help="score the held-out part")
    args = parser.parse_args()
    split = "heldout" if args.heldout else "dev"
    cases = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    cases = [c for c in cases if c["split"] == split]
    u = Understanding.load(load_content())
    got = [(c["label"], u.wellbeing(c["text"])) for c in cases]
    positive = [(label != "none", state is not None) for label, state in got]
    tp = sum(a and b for a, b in positive)
    fp = sum(b and not a for a, b in positive)
    fn = sum(a and not b for a, b in positive)
    crisis = [state for label, state in got if label == "crisis"]
    crisis_fp = sum(bool(state and state.crisis) for label, state in got if label != "crisis")
    print(f"{split}: {len(cases)} messages")
    print(
        f"  any signpost: precision {tp / max(tp + fp, 1):.3f}  recall {tp / max(tp + fn, 1):.3f}"
    )
    print(
        f"  crisis signpost first: {sum(bool(s and s.crisis) for s in crisis)}/{len(crisis)}"
        f" crisis messages; {crisis_fp} other messages"
    )
    alone = sum(s is Wellbeing.CRISIS for s in crisis)
    print(f"  crisis signpost alone (no framework rows after it): {alone}/{len(crisis)}")
    print(
        f"  crisis messages with any signpost: {sum(s is not None for s in crisis)}/{len(crisis)}"
    )
    none = [state for label, state in got if label == "none"]
    print(f"  'none' messages with a signpost: {sum(s is not None for s in none)}/{len(none)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

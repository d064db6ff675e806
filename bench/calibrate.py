"""Fit the hybrid ranker's weights and thresholds on the situational dev set, and only on it.

    python -m bench.calibrate            # grid search, prints the best settings
    python -m bench.calibrate --show     # the current settings' misses on the dev set

The held-out set (``tests/data/situational_heldout.jsonl``) is never read here: it is scored
once, afterwards, with ``shared/eval/score.py``. Each case's signals are computed once with the
real :class:`~bot.understanding.reader.Understanding`; the grid then only re-weights arrays.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import replace
from typing import Any

import numpy as np

from bench.judge import ROOT
from bot.content import load_content
from bot.models import Behaviour
from bot.understanding.guard import GUARD_MARGIN, GUARD_SIMILARITY, guarded
from bot.understanding.ranker import HYBRID, Signals, Weights, confident
from bot.understanding.reader import Understanding

DEV = ROOT / "tests" / "data" / "situational_dev.jsonl"
# Cases the ranker answers; academy and context cases are routed before it is asked.
RANKED = ("situation", "principle", "no_answer", "contact_no_place")


def _expected(u: Understanding, case: dict[str, Any]) -> set[int]:
    wanted = [e.lower() for e in case["expect"]]
    out = set()
    for i, item in enumerate(u.ranker.items):
        if isinstance(item, Behaviour):
            text = f"{item.role} {item.behaviour}".lower()
        else:
            text = item.title.lower()
        if any(w in text for w in wanted):
            out.add(i)
    return out


def _passes(s: Signals, expected: set[int], w: Weights, guard: tuple[float, float]) -> bool:
    fused = s.fused(w)
    best = int(np.argmax(fused))
    ok = not guarded(s, similarity=guard[0], margin=guard[1]) and confident(
        s, w, best=best, top=float(fused[best])
    )
    if not expected:
        return not ok
    return ok and bool(set(np.argsort(-fused)[:3].tolist()) & expected)


def main() -> int:
    """Print the dev score of the current settings, then the best of a grid around them."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="list the current settings' misses")
    args = parser.parse_args()
    u = Understanding.load(load_content())
    cases = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    cases = [c for c in cases if c.get("category") in RANKED]
    data = [(c, u.ranker.signals(c["q"]), _expected(u, c)) for c in cases]
    guard = (GUARD_SIMILARITY, GUARD_MARGIN)
    current = sum(_passes(s, e, HYBRID, guard) for _, s, e in data)
    print(f"current settings: {current}/{len(data)} of the ranked dev cases")
    if args.show:
        for c, s, e in data:
            if not _passes(s, e, HYBRID, guard):
                print(f"  miss [{c['category']}] {c['q'][:90]}")
        return 0
    results = []
    grid = itertools.product(
        (0.5, 1.0),
        (1.0, 1.5),
        (0.0, 0.5),
        (0.5, 1.0),
        (0.0, 0.25, 0.5),
        np.arange(0.9, 1.4, 0.05),
        (0.4, 0.45, 0.5, 0.55),
        (-0.05, 0.0, 0.05),
    )
    for sem_row, sem_ex, sem_ex2, lex, lexex, threshold, g_sim, g_margin in grid:
        w = replace(
            HYBRID,
            sem_row=sem_row,
            sem_ex=sem_ex,
            sem_ex2=sem_ex2,
            lex=lex,
            lexex=lexex,
            threshold=float(threshold),
        )
        score = sum(_passes(s, e, w, (g_sim, g_margin)) for _, s, e in data)
        results.append((score, w, g_sim, g_margin))
    results.sort(key=lambda r: -r[0])
    for score, w, g_sim, g_margin in results[:10]:
        print(
            f"{score}/{len(data)} sem_row={w.sem_row} sem_ex={w.sem_ex} sem_ex2={w.sem_ex2} "
            f"lex={w.lex} lexex={w.lexex} threshold={w.threshold:.2f} "
            f"guard={g_sim}/{g_margin}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

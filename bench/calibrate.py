"""Fit the hybrid ranker's weights and thresholds on the situational tune parts, and only on them.

    python -m bench.calibrate            # grid search, prints the best settings
    python -m bench.calibrate --show     # the current settings' misses on the dev set

The tune parts are ``situational_dev.jsonl``, ``situational_tune.jsonl``, the ``tune`` split of
``situational_edges.jsonl`` and the topic-style ``questions_wider.jsonl``. The held-out parts
(``tests/data/README.md``) are never read here: they are scored afterwards, with
``shared/eval/score.py``. Each case's signals are computed once with the real
:class:`~bot.understanding.reader.Understanding`; the grid then only re-weights arrays.
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
from bot.text import clean, words
from bot.understanding.guard import GUARD_MARGIN, GUARD_SIMILARITY, guarded
from bot.understanding.ranker import HYBRID, Signals, Weights, confident
from bot.understanding.reader import Understanding

DATA = ROOT / "tests" / "data"
TUNE = (
    ("situational_dev.jsonl", None),
    ("situational_tune.jsonl", None),
    ("situational_edges.jsonl", "tune"),
    # Topic-style questions (the earlier kind): a fit for situations must not lose these.
    ("questions_wider.jsonl", None),
)
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


def _tune_cases() -> list[dict[str, Any]]:
    cases = []
    for name, split in TUNE:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else {}
            ranked = case.get("category", "situation" if case.get("kind") != "academy" else "")
            if ranked in RANKED and (split is None or case.get("split") == split):
                cases.append(case)
    return cases


def _signals(u: Understanding, text: str) -> Signals:
    """The signals as the coach computes them (from its cached vectors of the cleaned text)."""
    return u.ranker.signals(text, u.vector(text), u.ranking_vector(text), shares=u.shares(text))


def _passes(
    s: Signals, expected: set[int], w: Weights, guard: tuple[float, float], words: int
) -> bool:
    fused = s.fused(w)
    best = int(np.argmax(fused))
    ok = not guarded(s, similarity=guard[0], margin=guard[1], words=words) and confident(
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
    data = [
        (c, _signals(u, c["q"]), _expected(u, c), len(words(clean(c["q"])))) for c in _tune_cases()
    ]
    guard = (GUARD_SIMILARITY, GUARD_MARGIN)
    current = sum(_passes(s, e, HYBRID, guard, n) for _, s, e, n in data)
    print(f"current settings: {current}/{len(data)} of the ranked tune cases")
    if args.show:
        for c, s, e, n in data:
            if not _passes(s, e, HYBRID, guard, n):
                print(f"  miss [{c['category']}] {c['q'][:90]}")
        return 0
    results = []
    grid = itertools.product(
        (0.5, 1.0),
        (1.0, 1.5),
        (0.0, 0.5),
        (0.5, 1.0),
        (0.0, 0.25, 0.5),
        np.arange(0.9, 1.6, 0.05),
        np.arange(0.8, 1.3, 0.05),
        (GUARD_SIMILARITY,),
        (GUARD_MARGIN,),
    )
    for sem_row, sem_ex, sem_ex2, lex, lexex, threshold, situational, g_sim, g_margin in grid:
        if situational > threshold:
            continue
        w = replace(
            HYBRID,
            sem_row=sem_row,
            sem_ex=sem_ex,
            sem_ex2=sem_ex2,
            lex=lex,
            lexex=lexex,
            threshold=float(threshold),
            situational_threshold=float(situational),
        )
        score = sum(_passes(s, e, w, (g_sim, g_margin), n) for _, s, e, n in data)
        results.append((score, w, g_sim, g_margin))
    results.sort(key=lambda r: -r[0])
    for score, w, g_sim, g_margin in results[:10]:
        print(
            f"{score}/{len(data)} sem_row={w.sem_row} sem_ex={w.sem_ex} sem_ex2={w.sem_ex2} "
            f"lex={w.lex} lexex={w.lexex} threshold={w.threshold:.2f} "
            f"situational={w.situational_threshold:.2f} "
            f"guard={g_sim}/{g_margin}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m bench [--quick]``: run every benchmark, print a table, then one JSON line.

Each section measures our code beside a baseline in the same run, so ratios hold on a noisy
machine. Sections that need parts not present in this checkout are reported as skipped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SECTIONS = (
    "bench.matching",
    "bench.semantic",
    "bench.slack",
    "bench.teams",
    "bench.fanout",
    "bench.pacing",
    "bench.two_clocks",
    "bench.identifiers",
    "bench.focus_claim",
    "bench.charts",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="a smaller run, under two minutes")
    parser.add_argument("--only", action="append", default=[], help="run only this section")
    args = parser.parse_args(argv)
    figures: dict[str, object] = {}
    for name in SECTIONS:
        if args.only and name.split(".")[-1] not in args.only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"{name}: skipped (not built yet)", file=sys.stderr)
            continue
        start = time.perf_counter()
        figures.update(module.run(quick=args.quick))
        print(f"{name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    width = max(len(k) for k in figures) if figures else 0
    print("figure".ljust(width), "value")
    for key, value in figures.items():
        print(key.ljust(width), value)
    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2) + "\n")
        try:
            from bench.plot import plot

            plot(figures, RESULTS / "latest.png")
        except ModuleNotFoundError:
            pass
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m bench.charts``: what a progress chart costs, beside baselines in the same run.

- ``chart_render_ms``: one warm ``progress`` chart (three assessments, a year of reflections),
  beside ``chart_blank_png_ms``, an empty figure of the same size saved as PNG by the same
  backend: matplotlib's floor on this machine. Their ratio holds on a loaded machine.
- ``chart_png_bytes``: its size (Teams carries it inline, so size matters).
- ``chart_first_import_ms``: importing matplotlib in a fresh process, beside ``python -c pass``:
  what the first chart after a start pays once, and what ``coach ask`` does not pay at all.
- ``ask_startup_s``: ``coach ask help`` end to end, beside ``python -c pass``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from adapters.charts import render
from adapters.charts.progress import DPI, HEIGHT_PX, WIDTH_PX
from bot.coaching.progress import ProgressFigures, Scored

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ProgressFigures(
    domains=(
        "Individual Effectiveness",
        "Relationships and Connectivity",
        "Innovation and Improvement",
        "Learning and Capacity Building",
    ),
    assessments=tuple(
        Scored(day=date(2026, 3 * n + 1, 1), scores=(2.0 + n / 2, 3.0, 2.5 + n / 3, None))
        for n in range(3)
    ),
    months=tuple(f"2026-{m:02d}" for m in range(1, 13)),
    reflections=(1, 0, 2, 3, 1, 0, 4, 2, 2, 3, 5, 1),
)


def _blank_png() -> bytes:
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle("Your progress")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _median_ms(work: Callable[[], object], *, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _process_s(args: list[str], *, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, capture_output=True, check=True, timeout=120)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(*, quick: bool = False) -> dict[str, object]:
    """Measure and return the figures (milliseconds, seconds, bytes, ratios)."""
    runs = 3 if quick else 9
    png = render(FIGURES)  # warm: fonts and matplotlib loaded
    _blank_png()
    chart = _median_ms(lambda: render(FIGURES), runs=runs)
    blank = _median_ms(_blank_png, runs=runs)
    python = _process_s([sys.executable, "-c", "pass"], runs=runs)
    matplotlib = _process_s(
        [sys.executable, "-c", "import matplotlib.figure, matplotlib.backends.backend_agg"],
        runs=runs,
    )
    ask = _process_s([sys.executable, "-m", "app.cli", "ask", "help"], runs=runs)
    return {
        "chart_render_ms": round(chart, 1),
        "chart_blank_png_ms": round(blank, 1),
        "chart_render_ratio": round(chart / blank, 2),
        "chart_png_bytes": len(png),
        "chart_first_import_ms": round((matplotlib - python) * 1000, 1),
        "python_startup_s": round(python, 3),
        "ask_startup_s": round(ask, 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))

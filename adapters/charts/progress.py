"""The progress chart: domain scores (first against latest), a line per domain, reflections.

Drawn with matplotlib's object API on the Agg canvas (no pyplot: no global figure state, so
two requests on two worker threads cannot draw into each other's chart). The output is the
same bytes for the same figures: a fixed size and dpi, matplotlib's bundled DejaVu font, no
"Software" or date metadata, and a fixed palette reduction.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING, Any

from bot.coaching.progress import ProgressFigures, month_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_PX = 800
HEIGHT_PX = 600
DPI = 100
# A palette image: the chart has a handful of flat colours, and Teams carries it inline in
# the message (base64), where every kilobyte counts against the message size limit.
PALETTE_COLOURS = 64

# NHS identity colours: blue for the latest, grey for the first, one colour a domain.
LATEST = "#005EB8"
FIRST = "#AEB7BD"
REFLECTIONS = "#007F3B"
DOMAIN_COLOURS = ("#005EB8", "#ED8B00", "#007F3B", "#330072", "#DA291C", "#768692")
TEXT = "#212B32"
SCORE_MAX = 5

# matplotlib's font cache and rc state are process-wide; one chart at a time is plenty.
_LOCK = threading.Lock()


def render(figures: ProgressFigures) -> bytes:
    """Draw ``figures`` as a ``WIDTH_PX`` x ``HEIGHT_PX`` PNG.

    Panels: the domains as bars (the latest assessment beside the first), a line per domain
    when there are three or more assessments, and reflections per month. A panel with no
    data says what to do first.
    """
    # Imported here, not at the top: matplotlib takes a few hundred milliseconds to import,
    # and only a progress chart needs it (``coach ask`` must start in under a second).
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    style: dict[str, Any] = {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "text.color": TEXT,
        "axes.edgecolor": TEXT,
    }
    with _LOCK, rc_context(style):  # type: ignore[arg-type]  # keys are valid rc names
        # Fixed margins rather than a layout engine: a layout engine draws the chart twice.
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
        canvas = FigureCanvasAgg(figure)
        figure.suptitle("Your progress", fontsize=13, fontweight="bold")
        grid = figure.add_gridspec(
            2,
            2 if figures.has_trend else 1,
            height_ratios=(3, 2),
            left=0.17,
            right=0.97,
            top=0.88,
            bottom=0.09,
            hspace=0.55,
            wspace=0.22,
        )
        _domain_bars(figure.add_subplot(grid[0, 0]), figures)
        if figures.has_trend:
            _domain_lines(figure.add_subplot(grid[0, 1]), figures)
        _reflections(figure.add_subplot(grid[1, :]), figures)
        canvas.draw()  # type: ignore[no-untyped-call]  # matplotlib leaves it unannotated
        # The drawn pixels straight to Pillow: no PNG written by matplotlib and read back.
        width, height = canvas.get_width_height()
        rgba = canvas.buffer_rgba()  # type: ignore[no-untyped-call]  # unannotated upstream
        pixels = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1)
        reduced = pixels.convert("RGB").quantize(
            colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    # Pillow writes no text or time chunks unless asked: the same pixels give the same bytes.
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _domain_bars(axes: Axes, figures: ProgressFigures) -> None:
    axes.set_title("Domain scores (1 to 5)", loc="left", fontweight="bold")
    first, latest = figures.first, figures.latest
    names = [_wrap(name) for name in figures.domains]
    positions = list(range(len(names)))
    axes.set_yticks(positions, names)
    axes.set_ylim(len(names) - 0.5, -0.5)  # framework order, top to bottom
    axes.set_xlim(0, SCORE_MAX)
    axes.set_xticks(range(SCORE_MAX + 1))
    axes.grid(axis="x", color="#E8EDEE")
    axes.set_axisbelow(True)
    if first is None or latest is None:
        _say(axes, "No self-assessment yet.\nType assess to see where you are.")
        return
    height = 0.38 if first is not latest else 0.6
    if first is not latest:
        _bars(
            axes,
            [p - height / 2 for p in positions],
            first.scores,
            height,
            FIRST,
            f"First, {first.day:%d %b %Y}",
        )
        shift = height / 2
    else:
        shift = 0.0
    _bars(
        axes,
        [p + shift for p in positions],
        latest.scores,
        height,
        LATEST,
        f"Latest, {latest.day:%d %b %Y}",
    )
    # Below the bars, where it cannot cover one.
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, fontsize=8, frameon=False)


def _bars(
    axes: Axes,
    where: list[float],
    scores: tuple[float | None, ...],
    height: float,
    colour: str,
    label: str,
) -> None:
    values = [0.0 if s is None else s for s in scores]
    bars = axes.barh(where, values, height=height, color=colour, label=label)
    texts = ["not rated" if s is None else f"{s:.1f}" for s in scores]
    axes.bar_label(bars, labels=texts, padding=3, fontsize=8)


def _domain_lines(axes: Axes, figures: ProgressFigures) -> None:
    axes.set_title("Each domain over time", loc="left", fontweight="bold")
    xs = list(range(len(figures.assessments)))
    for index, name in enumerate(figures.domains):
        points = [(x, a.scores[index]) for x, a in zip(xs, figures.assessments, strict=True)]
        kept = [(x, s) for x, s in points if s is not None]
        if not kept:
            continue
        axes.plot(
            [x for x, _ in kept],
            [s for _, s in kept],
            marker="o",
            color=DOMAIN_COLOURS[index % len(DOMAIN_COLOURS)],
            label=name,
        )
    axes.set_ylim(0.5, SCORE_MAX + 0.5)
    axes.set_xticks(xs, [f"{a.day:%b %Y}" for a in figures.assessments], fontsize=8)
    axes.grid(axis="y", color="#E8EDEE")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, fontsize=7, frameon=False)


def _reflections(axes: Axes, figures: ProgressFigures) -> None:
    from matplotlib.ticker import MaxNLocator

    axes.set_title("Reflections per month", loc="left", fontweight="bold")
    shown = figures.chart_months
    if not any(count for _, count in shown):
        axes.set_xticks([])
        axes.set_yticks([])
        _say(axes, "No reflections yet. Press Reflect on a nudge,\nor type journal add and a note.")
        return
    xs = list(range(len(shown)))
    bars = axes.bar(xs, [n for _, n in shown], color=REFLECTIONS, width=0.6)
    axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_xticks(xs, [month_label(m).replace(" ", "\n") for m, _ in shown], fontsize=8)
    top = max(n for _, n in shown)
    axes.set_ylim(0, top * 1.25 + 1)
    # A few months draw as narrow bars too, rather than as two wide blocks.
    axes.set_xlim(-0.6, max(len(xs), 6) - 0.4)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)


def _say(axes: Axes, text: str) -> None:
    kwargs: dict[str, Any] = {"ha": "center", "va": "center", "transform": axes.transAxes}
    axes.text(0.5, 0.5, text, fontsize=10, color=TEXT, **kwargs)


def _wrap(name: str) -> str:
    # "Individual Effectiveness" on two lines keeps the bars wide in an 800 px chart.
    words = name.split()
    if len(words) < 2:
        return name
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])

"""The benchmark plot: latency percentiles, request throughput and fan-out throughput.

``python -m bench`` calls :func:`plot` after a full run. Any figure may be missing (a section
not built yet, or skipped with ``--only``); its bar is left out and the rest is drawn.
Rendering uses the Agg canvas directly, so no display and no pyplot global state is needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# (group label, p50 key, p99 key): one pair of bars per group.
LATENCY_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("matching", "match_p50_ms", "match_p99_ms"),
    ("Slack ack\n50 concurrent", "ack_p50_ms_c50", "ack_p99_ms_c50"),
    ("Slack ack\n200 concurrent", "ack_p50_ms", "ack_p99_ms"),
    ("bare Bolt ack\n200 concurrent", "bare_bolt_ack_p50_ms", "bare_bolt_ack_p99_ms"),
    ("Slack answer\n200 concurrent", "slash_answer_p50_ms", "slash_answer_p99_ms"),
    ("Teams turn\n50 concurrent", "teams_p50_ms", "teams_p99_ms"),
    ("bare Agents turn\n50 concurrent", "bare_agents_p50_ms", "bare_agents_p99_ms"),
)
# (label, key) per bar; a pair of bars per concurrency, then Teams.
REQUEST_BARS: tuple[tuple[str, str], ...] = (
    ("coach\n50", "slash_rps_c50"),
    ("bare Bolt\n50", "bare_bolt_rps_c50"),
    ("coach\n200", "slash_rps"),
    ("bare Bolt\n200", "bare_bolt_rps"),
    ("Teams\n50", "teams_rps"),
    ("bare Agents\n50", "bare_agents_rps"),
    ("Teams\n200", "teams_rps_c200"),
)
FANOUT_BARS: tuple[tuple[str, str], ...] = (
    ("Slack nudges", "fanout_per_s"),
    ("Slack nudges,\n10% 429", "fanout_per_s_with_429"),
    ("one Teams tenant,\npaced", "tenant_paced_per_s"),
)
# Issue 14's goals, drawn as dashed lines where they apply.
ACK_P99_GOAL_MS = 300.0
FANOUT_GOAL_PER_S = 1000.0
# NHS identity colours: blue and orange for percentiles, green for ours, grey for baselines.
P50_COLOUR, P99_COLOUR, BAR_COLOUR, BASE_COLOUR = "#005eb8", "#ed8b00", "#007f3b", "#768692"
GOAL_COLOUR = "#da291c"


def _number(figures: Mapping[str, object], key: str) -> float | None:
    value = figures.get(key)
    # bool is an int, but a True/False figure is not something to draw.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _empty(axes: Axes, title: str) -> None:
    axes.set_title(title)
    axes.text(0.5, 0.5, "not measured in this run", ha="center", va="center")
    axes.set_axis_off()


def _latency(axes: Axes, figures: Mapping[str, object]) -> None:
    title = "Latency percentiles (ms, log scale)"
    groups = [
        (label, _number(figures, p50), _number(figures, p99))
        for label, p50, p99 in LATENCY_GROUPS
        if _number(figures, p50) is not None or _number(figures, p99) is not None
    ]
    if not groups:
        _empty(axes, title)
        return
    width = 0.38
    series = (
        ("p50", -width / 2, P50_COLOUR, [p50 for _, p50, _ in groups]),
        ("p99", width / 2, P99_COLOUR, [p99 for _, _, p99 in groups]),
    )
    for name, offset, colour, values in series:
        present = [(i + offset, y) for i, y in enumerate(values) if y is not None]
        drawn = axes.bar([x for x, _ in present], [y for _, y in present], width, color=colour)
        drawn.set_label(name)
        axes.bar_label(drawn, labels=[_short(y) for _, y in present], fontsize=7, padding=2)
    _goal(axes, ACK_P99_GOAL_MS, "ack p99 goal")
    axes.set_yscale("log")
    axes.set_xticks(range(len(groups)), [g[0] for g in groups], fontsize=8)
    axes.set_title(title)
    axes.legend(loc="upper left", fontsize=8)


def _goal(axes: Axes, value: float, label: str) -> None:
    axes.axhline(value, color=GOAL_COLOUR, linestyle="--", linewidth=1)
    # At the left edge, on a white ground, so that no bar hides it.
    axes.text(
        -0.45,
        value,
        label,
        color=GOAL_COLOUR,
        fontsize=7,
        ha="left",
        va="bottom",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
    )


def _bars(
    axes: Axes,
    figures: Mapping[str, object],
    bars: Sequence[tuple[str, str]],
    *,
    title: str,
    goal: float | None = None,
    goal_label: str = "",
) -> None:
    shown = [
        (label, value, key) for label, key in bars if (value := _number(figures, key)) is not None
    ]
    if not shown:
        _empty(axes, title)
        return
    colours = [BASE_COLOUR if "bare" in key else BAR_COLOUR for _, _, key in shown]
    values = [value for _, value, _ in shown]
    drawn = axes.bar(range(len(shown)), values, color=colours)
    axes.bar_label(drawn, labels=[_short(v) for v in values], fontsize=8, padding=2)
    if goal is not None:
        _goal(axes, goal, goal_label)
    axes.set_xticks(range(len(shown)), [label for label, _, _ in shown], fontsize=8)
    # A lone bar would otherwise fill the whole panel.
    axes.set_xlim(-0.6, max(len(shown), 3) - 0.4)
    axes.set_title(title)


def _short(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.1f}"
    return f"{value:.2f}"


def plot(figures: Mapping[str, object], path: Path) -> None:
    """Draw the benchmark figures into a PNG at ``path``.

    Args:
        figures: the benchmark's figures (``python -m bench``'s JSON line); missing keys are
            left out of the plot.
        path: where to write the PNG; its folder must exist.
    """
    figure = Figure(figsize=(15, 5), layout="constrained")
    FigureCanvasAgg(figure)
    latency, requests, fanout = figure.subplots(1, 3, width_ratios=(3, 2, 1.4))
    _latency(latency, figures)
    _bars(requests, figures, REQUEST_BARS, title="Requests/s by concurrency (grey: bare SDKs)")
    _bars(
        fanout,
        figures,
        FANOUT_BARS,
        title="Nudge fan-out (nudges/s)",
        goal=FANOUT_GOAL_PER_S,
        goal_label="goal 1,000/s",
    )
    figure.suptitle("System Leadership Coach: benchmark (one run, one machine)")
    figure.savefig(path, dpi=110)

"""Draw the core's progress figures (``bot.coaching.progress``) as a PNG, with matplotlib.

matplotlib is imported inside :func:`render`, never at module import: ``coach ask`` and every
process start stay fast, and only a person asking for ``progress`` pays for it (once).
"""

from __future__ import annotations

from adapters.charts.progress import HEIGHT_PX, WIDTH_PX, render
from bot.coaching.progress import ProgressFigures


class MatplotlibCharts:
    """The core's chart port (:class:`bot.coaching.progress.ChartRenderer`), backed by matplotlib.

    Example:
        >>> png = MatplotlibCharts().render(figures)  # doctest: +SKIP
    """

    def render(self, figures: ProgressFigures) -> bytes:
        """Draw ``figures`` (see :func:`adapters.charts.progress.render`)."""
        return render(figures)


__all__ = ["HEIGHT_PX", "WIDTH_PX", "MatplotlibCharts", "render"]

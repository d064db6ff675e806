"""The progress chart, checked without looking at pixels: a PNG of the right size, made the same
way every time, from known figures, and matplotlib loaded only when a chart is drawn."""

from __future__ import annotations

import io
import subprocess
import sys
import zlib
from datetime import date

import pytest
from PIL import Image

from adapters.charts import HEIGHT_PX, WIDTH_PX, MatplotlibCharts
from bot.coaching.progress import ProgressFigures, Scored

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DOMAINS = (
    "Individual Effectiveness",
    "Relationships and Connectivity",
    "Innovation and Improvement",
    "Learning and Capacity Building",
)


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The PNG's chunks as (type, data), each CRC checked."""
    assert png[:8] == PNG_SIGNATURE
    chunks, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        crc = int.from_bytes(png[at + 8 + length : at + 12 + length], "big")
        assert zlib.crc32(kind + data) == crc, kind
        chunks.append((kind, data))
        at += 12 + length
    return chunks


def _figures(assessments: int, months: int) -> ProgressFigures:
    scored = tuple(
        Scored(day=date(2026, n + 1, 1), scores=(2.0 + n * 0.5, 3.0, None, 1.5 + n))
        for n in range(assessments)
    )
    names = tuple(f"2026-{m:02d}" for m in range(1, months + 1))
    return ProgressFigures(
        domains=DOMAINS,
        assessments=scored,
        months=names,
        reflections=tuple(m % 4 for m in range(months)),
    )


@pytest.mark.parametrize(
    ("assessments", "months"), [(0, 0), (1, 0), (0, 3), (2, 12), (3, 12), (6, 12)]
)
def test_every_kind_of_chart_is_a_valid_png_of_the_fixed_size(
    assessments: int, months: int
) -> None:
    png = MatplotlibCharts().render(_figures(assessments, months))
    chunks = _chunks(png)
    assert chunks[0][0] == b"IHDR"
    assert int.from_bytes(chunks[0][1][:4], "big") == WIDTH_PX
    assert int.from_bytes(chunks[0][1][4:8], "big") == HEIGHT_PX
    assert chunks[-1][0] == b"IEND"
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    # Small enough to travel inline in a Teams message (adapters/teams/render.py).
    assert len(png) < 40_000


def test_the_same_figures_make_the_same_bytes_with_no_metadata() -> None:
    figures = _figures(3, 12)
    first = MatplotlibCharts().render(figures)
    assert MatplotlibCharts().render(figures) == first
    kinds = {kind for kind, _ in _chunks(first)}
    # No text chunks: no "Software", no creation time, nothing that changes run to run.
    assert not kinds & {b"tEXt", b"iTXt", b"zTXt", b"tIME"}


def test_different_data_draws_a_different_chart() -> None:
    assert MatplotlibCharts().render(_figures(2, 12)) != MatplotlibCharts().render(_figures(3, 12))


def test_importing_the_renderer_does_not_import_matplotlib() -> None:
    code = "import sys, adapters.charts, app.wiring, app.cli; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "False"

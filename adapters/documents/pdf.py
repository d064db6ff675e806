"""PDF exports, with fpdf2.

Why fpdf2 rather than reportlab: it is pure Python with a small footprint (reportlab brings C
extensions and a much larger API), it is actively maintained, it embeds and subsets TrueType
fonts for full Unicode text, and our documents are flowing text with headings, which its
``multi_cell`` handles directly. The DejaVu Sans fonts ship in ``fonts/`` (see its LICENSE), so
a PDF looks the same on every machine and any script a reflection is written in renders.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path
from typing import Final

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.exports.document import BLANK, Document, Field, Paragraph

# fontTools logs each subset's glyph names at INFO, which spells out what a reflection is made
# of, and fpdf2 logs missing characters: reflection text never goes to a log, in any form.
for _name in ("fontTools", "fpdf"):
    logging.getLogger(_name).setLevel(logging.ERROR)

FONTS: Final[Path] = Path(__file__).resolve().parent / "fonts"
_FAMILY: Final[str] = "DejaVu"
# Control characters have no glyph; fpdf2 would draw boxes for them.
_CONTROL: Final[re.Pattern[str]] = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
#: Shown instead of a character the fonts cannot draw (emoji, CJK): a visible box, and the
#: title page says why. fpdf2 would otherwise log the missing characters, and reflections'
#: text never goes to a log.
MISSING: Final[str] = "\u25a1"
MISSING_NOTE: Final[str] = (
    "Some characters (such as emoji) cannot be shown in this PDF and appear as \u25a1. "
    "The Word and Markdown exports keep them."
)
_SIZES: Final[dict[int, float]] = {0: 22, 1: 16, 2: 13, 3: 12}


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(_FAMILY, "I", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def render(document: Document) -> bytes:
    """The document as PDF bytes."""
    pdf = _Pdf(format="A4")
    pdf.set_title(document.title)
    pdf.set_creator("System Leadership Coach")
    pdf.set_author("")
    pdf.add_font(_FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(_FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font(_FAMILY, "I", str(FONTS / "DejaVuSans-Oblique.ttf"))
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    _heading(pdf, document.title, level=0)
    _text(pdf, document.subtitle)
    pdf.ln(4)
    _heading(pdf, "Before you use these notes", level=1)
    for text in document.notice:
        _text(pdf, f"\u2022 {text}")
    if _has_missing(document):
        _text(pdf, MISSING_NOTE, style="I", size=9, grey=True)
    first = True
    for part in document.parts:
        if part.level == 1 and (part.new_page or first):
            pdf.add_page()  # the notice has the first page to itself; one NMC account a page
        first = False
        _heading(pdf, part.heading, level=part.level)
        for block in part.blocks:
            if isinstance(block, Field):
                _text(pdf, block.label, style="B")
                if block.blank:
                    _text(pdf, BLANK, style="I", grey=True)
                else:
                    _text(pdf, block.answer)
            elif isinstance(block, Paragraph):
                if block.quote:
                    _text(pdf, block.text, style="I", indent=8)
                elif block.note:
                    _text(pdf, block.text, style="I", size=9, grey=True)
                else:
                    _text(pdf, block.text)
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str, *, level: int) -> None:
    pdf.ln(2 if level > 1 else 4)
    pdf.set_font(_FAMILY, "B", _SIZES.get(level, 12))
    pdf.set_text_color(0, 48, 135)  # NHS blue
    pdf.multi_cell(
        0, _SIZES.get(level, 12) * 0.5, _clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
    )
    pdf.ln(1)


def _text(
    pdf: FPDF,
    text: str,
    *,
    style: str = "",
    size: float = 11,
    grey: bool = False,
    indent: float = 0,
) -> None:
    pdf.set_font(_FAMILY, style, size)
    pdf.set_text_color(*((90, 90, 90) if grey else (0, 0, 0)))
    if indent:
        pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, size * 0.5, _clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(1.5)


@cache
def _drawable() -> frozenset[int]:
    # The code points all three shipped fonts can draw (they cover the same set but for a few).
    points: set[int] | None = None
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        with TTFont(FONTS / name, lazy=True) as font:
            cmap = set(font.getBestCmap())
        points = cmap if points is None else points & cmap
    return frozenset(points or ())


def _clean(text: str) -> str:
    drawable = _drawable()
    text = _CONTROL.sub("", text)
    return "".join(c if ord(c) in drawable or c in "\n\t" else MISSING for c in text)


def _has_missing(document: Document) -> bool:
    drawable = _drawable()
    texts = [document.title, document.subtitle]
    for part in document.parts:
        texts.append(part.heading)
        for block in part.blocks:
            texts += [block.label, block.answer] if isinstance(block, Field) else [block.text]
    return any(
        ord(c) not in drawable and c not in "\n\t" for t in texts for c in _CONTROL.sub("", t)
    )

"""Word documents for exports, with python-docx (the library the guide names for Word).

Built on python-docx's default template, so headings, "Quote" and list styles are Word's own
and the file opens cleanly in Word, LibreOffice and Google Docs, and is editable: NMC blanks
are meant to be filled in.
"""

from __future__ import annotations

import io
import re

from docx import Document as new_document
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor

from bot.exports.document import BLANK, Document, Field, Paragraph

# XML 1.0 forbids most control characters; python-docx would raise on them.
_CONTROL: re.Pattern[str] = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_GREY = RGBColor(0x59, 0x59, 0x59)


def render(document: Document) -> bytes:
    """The document as a .docx file's bytes."""
    doc = new_document()
    props = doc.core_properties
    props.title = document.title
    # No author: the template's default would name the library, and a user id must not leak.
    props.author = ""
    props.comments = "Exported from the System Leadership Coach"
    doc.add_heading(_clean(document.title), level=0)
    doc.add_paragraph(_clean(document.subtitle))
    doc.add_heading("Before you use these notes", level=1)
    for text in document.notice:
        doc.add_paragraph(_clean(text), style="List Bullet")
    first = True
    for part in document.parts:
        heading = doc.add_heading(_clean(part.heading), level=min(part.level, 3))
        if (part.new_page or first) and part.level == 1:
            # The notice has the first page to itself; each NMC account starts a page.
            heading.paragraph_format.page_break_before = True
        first = False
        for block in part.blocks:
            if isinstance(block, Field):
                label = doc.add_paragraph()
                label.add_run(_clean(block.label)).bold = True
                if block.blank:
                    run = doc.add_paragraph().add_run(BLANK)
                    run.italic = True
                    run.font.color.rgb = _GREY
                else:
                    _add_text(doc, block.answer)
            elif isinstance(block, Paragraph):
                if block.quote:
                    doc.add_paragraph(_clean(block.text), style="Quote")
                elif block.note:
                    run = doc.add_paragraph().add_run(_clean(block.text))
                    run.italic = True
                    run.font.size = Pt(9)
                else:
                    _add_text(doc, block.text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _add_text(doc: object, text: str) -> None:
    # One Word paragraph per paragraph typed; single line breaks stay breaks within it.
    for chunk in _clean(text).split("\n\n"):
        paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
        for i, line in enumerate(chunk.split("\n")):
            if i:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            paragraph.add_run(line)


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)

"""Render export documents (``bot.exports``) as Markdown, Word or PDF files.

One entry point, :func:`render`, used through :class:`DocumentRenderer` (the core's
``bot.exports.document.Renderer`` port). Each format lives in its own module and uses a
maintained library: python-docx for Word, fpdf2 for PDF; Markdown is plain text.
"""

from __future__ import annotations

from typing import Final

from adapters.documents import docx, markdown, pdf
from bot.exports.document import Document, File, Format, TooLarge

MEDIA_TYPES: Final[dict[Format, str]] = {
    Format.MARKDOWN: "text/markdown; charset=utf-8",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.PDF: "application/pdf",
}

#: Larger files are refused with a reason: chat file uploads and OneDrive consent uploads are
#: slow past a few MB on NHS networks, and a journal that large is better exported in parts.
MAX_BYTES: Final[int] = 4 * 1024 * 1024


def render(document: Document, *, fmt: Format, max_bytes: int = MAX_BYTES) -> File:
    """Render ``document`` as ``fmt``.

    Args:
        document: What to render.
        fmt: The file format.
        max_bytes: The largest file to hand back.

    Returns:
        The file, with its name and media type.

    Raises:
        TooLarge: The rendered file is over ``max_bytes``.
    """
    if fmt is Format.DOCX:
        data = docx.render(document)
    elif fmt is Format.PDF:
        data = pdf.render(document)
    else:
        data = markdown.render(document).encode("utf-8")
    if len(data) > max_bytes:
        raise TooLarge(size=len(data), limit=max_bytes)
    return File(filename=document.filename(fmt), media_type=MEDIA_TYPES[fmt], data=data)


class DocumentRenderer:
    """The core's renderer port, backed by :func:`render`."""

    def __init__(self, *, max_bytes: int = MAX_BYTES) -> None:
        self._max_bytes = max_bytes

    def render(self, document: Document, *, fmt: Format) -> File:
        """Render ``document`` as ``fmt`` (see :func:`render`)."""
        return render(document, fmt=fmt, max_bytes=self._max_bytes)

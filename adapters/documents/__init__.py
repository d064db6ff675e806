"""Render export documents (``bot.exports``) as Markdown, Word or PDF files.

One entry point, :func:`render`, used through :class:`DocumentRenderer` (the core's
``bot.exports.document.Renderer`` port). Word and PDF each live in their own module and use a
maintained library: python-docx for Word, fpdf2 for PDF. Markdown is plain text, written in
the core (``bot.exports.markdown``), so ``journal export`` works with no renderer wired.
"""

from __future__ import annotations

from adapters.documents import docx, pdf
from bot.exports import markdown
from bot.exports.document import MAX_BYTES, MEDIA_TYPES, Document, File, Format, TooLarge


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


__all__ = ["MAX_BYTES", "MEDIA_TYPES", "DocumentRenderer", "render"]

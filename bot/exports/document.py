"""A neutral document model for exports: parts, paragraphs and question-and-answer fields.

Renderers (``adapters/documents``) lay these out natively for Markdown, Word and PDF. Nothing
here knows about a file format, and every value is frozen, so a document can be built in the
core and rendered anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Protocol

#: How a field the entry has no answer for is shown: visibly, so it is filled in before use.
BLANK: Final[str] = "[to complete: not in this journal entry]"

#: The first page of every export says these three things (issue 13 §2). The regulators' joint
#: statement and the GMC's guidance after Bawa-Garba are cited in the README.
NOTICE: Final[tuple[str, ...]] = (
    "These reflections are your own: you wrote them in the System Leadership Coach, and only "
    "you can export them.",
    "They should contain no patient-identifiable information: no names, NHS or hospital "
    "numbers, dates of birth, addresses, phone numbers or email addresses of patients or "
    "anyone else. Focus on what you learned, not on who was involved.",
    "Reflective notes are not legally privileged: a court or coroner can order their "
    "disclosure. The UK health and care regulators have said they will not ask for your "
    "personal reflective notes to investigate a concern about you.",
)


class Format(StrEnum):
    """The file formats an export can be rendered to."""

    MARKDOWN = "md"
    DOCX = "docx"
    PDF = "pdf"


MEDIA_TYPES: Final[dict[Format, str]] = {
    Format.MARKDOWN: "text/markdown",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.PDF: "application/pdf",
}

#: Larger files are refused with a reason: chat file uploads and OneDrive consent uploads are
#: slow past a few MB on NHS networks, and a journal that large is better exported in parts.
MAX_BYTES: Final[int] = 4 * 1024 * 1024


class Kind(StrEnum):
    """What an export is, which decides its layout and default format."""

    JOURNAL = "journal"
    NMC = "nmc"
    APPRAISAL = "appraisal"


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """Running text. ``quote`` sets it apart (a prompt); ``note`` makes it small print."""

    text: str
    quote: bool = False
    note: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """A labelled answer, such as one of the NMC form's questions. Empty ``answer`` is blank."""

    label: str
    answer: str = ""

    @property
    def blank(self) -> bool:
        """True when the answer is still to be written (rendered as :data:`BLANK`)."""
        return not self.answer.strip()


Block = Paragraph | Field


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    """A headed part of a document: a framework domain, an entry, one reflective account.

    ``level`` 1 is a top heading (a domain, an account), 2 a heading within it (an entry).
    ``new_page`` starts the part on a new page where the format has pages (one NMC account a
    page, as the form is laid out).
    """

    heading: str
    level: int = 1
    blocks: tuple[Block, ...] = ()
    new_page: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One export: a title page (title, subtitle, notice) and its parts in order."""

    kind: Kind
    title: str
    subtitle: str
    notice: tuple[str, ...] = NOTICE
    parts: tuple[Part, ...] = ()
    filename_stem: str

    def filename(self, fmt: Format) -> str:
        """The file name for this document rendered as ``fmt``."""
        return f"{self.filename_stem}.{fmt.value}"


@dataclass(frozen=True, slots=True, kw_only=True)
class File:
    """A rendered export: what the person receives."""

    filename: str
    media_type: str
    data: bytes


class TooLarge(Exception):
    """A rendered export is over the size limit; the person is told, and nothing is sent."""

    def __init__(self, *, size: int, limit: int) -> None:
        super().__init__(f"export is {size} bytes, over the {limit}-byte limit")
        self.size = size
        self.limit = limit


class Renderer(Protocol):
    """Turns a document into a file. The adapter (``adapters.documents``) implements it."""

    def render(self, document: Document, *, fmt: Format) -> File:
        """Render ``document`` as ``fmt``; raise :class:`TooLarge` past the size limit."""
        ...

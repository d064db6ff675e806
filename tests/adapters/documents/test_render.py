"""Every export format, opened with its own library: python-docx for Word, pypdf for PDF."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import docx
import pytest
from pypdf import PdfReader

from adapters.documents import MEDIA_TYPES, render
from adapters.documents.pdf import MISSING
from bot.exports.build import (
    NMC_QUESTIONS,
    build_appraisal,
    build_journal,
    build_nmc,
    choose_for_nmc,
)
from bot.exports.document import BLANK, NOTICE, Document, Format, Kind, Paragraph, Part, TooLarge
from tests.bot.exports.journal_entries import CONTENT, NOW, entries

LONDON = ZoneInfo("Europe/London")


def _docs():
    return {
        "journal": build_journal(entries(), content=CONTENT, zone=LONDON, now=NOW),
        "nmc": build_nmc(choose_for_nmc(entries()), content=CONTENT, zone=LONDON, now=NOW),
        "appraisal": build_appraisal(entries(), content=CONTENT, zone=LONDON, now=NOW),
    }


def _pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("name", ["journal", "nmc", "appraisal"])
def test_pdf_opens_with_notice_alone_on_first_page(name: str) -> None:
    document = _docs()[name]
    file = render(document, fmt=Format.PDF)
    assert file.media_type == MEDIA_TYPES[Format.PDF]
    assert file.filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(file.data))
    assert reader.metadata.title == document.title
    pages = _pdf_pages(file.data)
    first = " ".join(pages[0].split())
    assert "own" in first
    assert "no patient-identifiable information" in first
    assert "not legally privileged" in first
    assert "Reflective account 1" not in first
    assert f"Page 1 of {len(pages)}" in first


def test_nmc_pdf_one_account_a_page_with_the_four_questions_and_blanks() -> None:
    pages = _pdf_pages(render(_docs()["nmc"], fmt=Format.PDF).data)
    assert len(pages) == 1 + 5
    for number, page in enumerate(pages[1:], start=1):
        flat = " ".join(page.split())
        assert f"Reflective account {number}" in flat
        for question in NMC_QUESTIONS:
            assert " ".join(question.split()) in flat
    assert BLANK in " ".join(pages[3].split())
    assert "Themes: Practise effectively, Preserve safety." in " ".join(pages[1].split())


def test_pdf_keeps_accents_and_boxes_what_the_font_cannot_draw() -> None:
    pages = _pdf_pages(render(_docs()["journal"], fmt=Format.PDF).data)
    text = " ".join(" ".join(pages).split())
    assert "Café — naïve —" in text
    assert MISSING in text
    assert "cannot be shown in this PDF" in " ".join(pages[0].split())


@pytest.mark.parametrize("name", ["journal", "nmc", "appraisal"])
def test_docx_opens_with_headings_notice_and_entries(name: str) -> None:
    document = _docs()[name]
    file = render(document, fmt=Format.DOCX)
    assert file.filename.endswith(".docx")
    doc = docx.Document(io.BytesIO(file.data))
    assert doc.core_properties.title == document.title
    assert doc.core_properties.author == ""
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs[0] == ("Title", document.title)
    bullets = [t for s, t in paragraphs if s == "List Bullet"]
    assert bullets == list(NOTICE)
    headings = [t for s, t in paragraphs if s.startswith("Heading")]
    assert headings[1:] == [p.heading for p in document.parts]
    first_part = next(p for p in doc.paragraphs if p.text == document.parts[0].heading)
    assert first_part.paragraph_format.page_break_before


def test_docx_journal_by_domain_and_nmc_blanks() -> None:
    journal = docx.Document(io.BytesIO(render(_docs()["journal"], fmt=Format.DOCX).data))
    texts = [p.text for p in journal.paragraphs]
    assert CONTENT.domains[0].name in texts
    assert "Said no to two new projects. Café — naïve — 🙂" in texts
    assert "Who did you hear?" in texts
    quote = next(p for p in journal.paragraphs if p.text == "Who did you hear?")
    assert quote.style.name == "Quote"
    nmc = docx.Document(io.BytesIO(render(_docs()["nmc"], fmt=Format.DOCX).data))
    texts = [p.text for p in nmc.paragraphs]
    assert texts.count(NMC_QUESTIONS[1]) == 5
    assert texts.count(BLANK) >= 9


def test_markdown_has_notice_and_keeps_typed_markup_as_text() -> None:
    file = render(_docs()["journal"], fmt=Format.MARKDOWN)
    text = file.data.decode("utf-8")
    assert text.startswith("# My leadership journal\n")
    assert "not legally privileged" in text
    assert "Free note, no row: # kept as text" in text
    assert file.media_type.startswith("text/markdown")


def test_too_large_is_refused_with_sizes() -> None:
    with pytest.raises(TooLarge) as caught:
        render(_docs()["journal"], fmt=Format.PDF, max_bytes=1000)
    assert caught.value.limit == 1000
    assert caught.value.size > 1000


def test_control_characters_do_not_break_either_format() -> None:
    doc = Document(
        kind=Kind.JOURNAL,
        title="t",
        subtitle="s",
        parts=(Part(heading="h\x00", blocks=(Paragraph(text="a\x0bb\x1f\ufffe c"),)),),
        filename_stem="x",
    )
    word = docx.Document(io.BytesIO(render(doc, fmt=Format.DOCX).data))
    assert "ab c" in word.paragraphs[-1].text
    assert "ab c" in _pdf_pages(render(doc, fmt=Format.PDF).data)[1]


def test_rendering_logs_nothing_of_the_text(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    for fmt in Format:
        render(_docs()["journal"], fmt=fmt)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "Glyph" not in logged
    assert "listened" not in logged
    assert "\U0001f642" not in logged

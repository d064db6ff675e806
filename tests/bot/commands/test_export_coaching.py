"""``journal export`` carries the self-assessments and the focus, in every format."""

from __future__ import annotations

import io

import docx
import pytest
from cryptography.fernet import Fernet
from pypdf import PdfReader

from adapters.documents import DocumentRenderer
from adapters.store.crypto import Cipher
from adapters.store.repositories import sql_stores
from bot.commands.router import build
from tests.bot.commands.test_assess import take_all
from tests.bot.test_nudge_commands import press, say


@pytest.fixture
def full(engine, content):
    stores = sql_stores(engine, cipher=Cipher([Fernet.generate_key().decode()]))
    return build(stores, content=content, documents=DocumentRenderer())


def test_the_markdown_export_holds_focus_and_every_assessment(full, content):
    assert "Nothing to export" in say(full, "journal export").text
    take_all(full, content, lambda row: "2" if row == "rc-9" else "4")
    press(full, "focus.add", "rc-9")
    exported = say(full, "journal export")
    text = exported.attachment.text()
    assert "## My focus" in text or "# My focus" in text
    assert content.row("rc-9").role in text
    assert "My self-assessments" in text
    assert f"{content.row('rc-9').role} — {content.row('rc-9').behaviour}" in text
    assert "2 Sometimes" in text
    assert "4 Consistently" in text
    assert "Individual Effectiveness" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_word_and_pdf_exports_hold_them_too(full, content, fmt):
    take_all(full, content, lambda row: "3")
    say(full, "focus resilience")
    say(full, "journal add A note so the journal has an entry too.")
    exported = say(full, f"journal export {fmt}")
    data = exported.attachment.data
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    else:
        text = " ".join(
            " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages
        )
    assert "My focus" in text
    assert "My self-assessments" in text
    assert "Patience, persistence and resilience" in text
    assert "3 Often" in text

"""``journal export …`` in the core: which export, which entries, empty and bad requests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.commands.export import Request, parse_request
from bot.exports.document import Format, Kind
from tests.bot.test_nudge_commands import NOW, press, say


def _fill(commands, count: int) -> None:
    for i in range(1, count + 1):
        say(commands, f"journal add note number {i}", now=NOW + timedelta(days=i))


@pytest.mark.parametrize(
    ("args", "request_"),
    [
        ("", Request()),
        ("docx", Request(fmt=Format.DOCX)),
        ("PDF", Request(fmt=Format.PDF)),
        ("nmc", Request(kind=Kind.NMC, fmt=Format.DOCX)),
        ("nmc 1 3-4 pdf", Request(kind=Kind.NMC, fmt=Format.PDF, chosen=(1, 3, 4))),
        ("appraisal pdf", Request(kind=Kind.APPRAISAL, fmt=Format.PDF)),
    ],
)
def test_requests_are_read_and_round_trip(args: str, request_: Request) -> None:
    assert parse_request(args) == request_
    assert parse_request(request_.encode()) == request_


@pytest.mark.parametrize("args", ["xlsx", "nmc 0", "nmc 5-2", "docx pdf pdf", "3", "nmc 1-999"])
def test_bad_requests_are_refused(args: str) -> None:
    assert parse_request(args) is None


def test_empty_journal_has_nothing_to_export(commands):
    for args in ("", "docx", "nmc", "appraisal pdf"):
        reply = say(commands, f"journal export {args}".strip())
        assert reply.attachment is None
        assert "Nothing to export yet" in reply.text


def test_nmc_counts_back_from_the_latest_and_markdown_needs_no_renderer(commands):
    _fill(commands, 7)
    reply = say(commands, "journal export nmc 1 7 md", now=NOW + timedelta(days=9))
    markdown = reply.attachment.text()
    assert markdown.count("## Reflective account") == 2
    assert markdown.index("note number 1") < markdown.index("note number 7")
    assert "note number 4" not in markdown
    # Word and PDF need the renderer, which these commands were built without.
    word = say(commands, "journal export nmc")
    assert word.attachment is None
    assert "not set up" in word.text
    unknown = say(commands, "journal export nmc 9")
    assert "You have 7 journal entries" in unknown.text


def test_the_export_button_remakes_the_same_export(commands):
    _fill(commands, 2)
    first = say(commands, "journal export nmc 2 md")
    again = press(commands, "journal.export", first.attachment.remake)
    assert again.attachment.data == first.attachment.data
    assert "usage" not in again.text.lower()
    assert "Try journal export" in press(commands, "journal.export", "nonsense").text

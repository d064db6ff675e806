"""``journal export …``: the journal as Markdown, Word or PDF; NMC accounts; appraisal notes.

What each export holds is built in the core (``bot.exports``). Markdown is written here; Word
and PDF go through the renderer port, wired in ``app`` (``adapters.documents``). The file goes
to the person only (:attr:`Audience.PERSON`); adapters deliver it privately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands.shared import Shared, error_reply
from bot.exports import markdown
from bot.exports.build import build_appraisal, build_journal, build_nmc, choose_for_nmc
from bot.exports.coaching import coaching_parts
from bot.exports.document import (
    MAX_BYTES,
    MEDIA_TYPES,
    Document,
    File,
    Format,
    Kind,
    TooLarge,
)
from bot.identity import Who
from bot.models import Attachment, Audience, Card, Reply, Section

USAGE = (
    "Try journal export (Markdown), journal export docx or pdf (the whole journal by "
    "framework domain), journal export nmc (NMC reflective accounts of your latest five; "
    "or name entries, 1 being your latest, as journal lists them: journal export nmc 1 3 4) "
    "or journal export appraisal (notes for a medical appraisal). Add pdf or docx to choose."
)
EMPTY = (
    "Nothing to export yet: your journal is empty. Press Reflect on a nudge, reply in its "
    "thread, or type journal add followed by a note."
)
_KINDS = {"nmc": Kind.NMC, "revalidation": Kind.NMC, "appraisal": Kind.APPRAISAL}
_FORMATS = {
    "md": Format.MARKDOWN,
    "markdown": Format.MARKDOWN,
    "docx": Format.DOCX,
    "word": Format.DOCX,
    "pdf": Format.PDF,
}
_NUMBERS = re.compile(r"^(\d{1,4})(?:-(\d{1,4}))?$")
_MAX_CHOSEN = 50
_DESCRIBED = {
    Kind.JOURNAL: "Your leadership journal",
    Kind.NMC: "Your NMC reflective accounts",
    Kind.APPRAISAL: "Your reflective notes for appraisal",
}
_FORMAT_NAMES = {Format.MARKDOWN: "Markdown", Format.DOCX: "Word", Format.PDF: "PDF"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """What ``journal export …`` asked for. ``chosen`` counts back from the latest entry (1)."""

    kind: Kind = Kind.JOURNAL
    fmt: Format = Format.MARKDOWN
    chosen: tuple[int, ...] = ()

    def encode(self) -> str:
        """The words that ask for this export again (a button's or a file consent's value)."""
        words = [] if self.kind is Kind.JOURNAL else [self.kind.value]
        words += [str(n) for n in self.chosen]
        if self.fmt is not _default_format(self.kind):
            words.append(self.fmt.value)
        return " ".join(words)


def parse_request(args: str) -> Request | None:
    """Read ``nmc 1 3 pdf``, ``docx``, ``appraisal`` …; ``None`` when a word is not understood."""
    kind: Kind | None = None
    fmt: Format | None = None
    chosen: list[int] = []
    for word in args.lower().replace(",", " ").split():
        if word in _KINDS and kind is None:
            kind = _KINDS[word]
        elif word in _FORMATS and fmt is None:
            fmt = _FORMATS[word]
        elif (numbers := _NUMBERS.match(word)) and kind is Kind.NMC:
            low = int(numbers[1])
            high = int(numbers[2] or low)
            if not 1 <= low <= high or high - low >= _MAX_CHOSEN:
                return None
            chosen.extend(n for n in range(low, high + 1) if n not in chosen)
        else:
            return None
    kind = kind or Kind.JOURNAL
    if len(chosen) > _MAX_CHOSEN:
        return None
    return Request(kind=kind, fmt=fmt or _default_format(kind), chosen=tuple(chosen))


def export_reply(
    shared: Shared, owner: Who, *, now: datetime, zone: ZoneInfo, args: str = ""
) -> Reply:
    """The export ``args`` asks for, of ``owner``'s journal, as a file attached to the reply."""
    request = parse_request(args)
    if request is None:
        return error_reply(USAGE)
    entries = shared.stores.journal.everything(owner)
    coaching = shared.stores.coaching
    assessments = coaching.assessments(owner) if request.kind is Kind.JOURNAL else ()
    focus = coaching.focus(owner) if request.kind is Kind.JOURNAL else ()
    if not entries and not assessments and not focus:
        return Reply(text=EMPTY, intent="journal.export", audience=Audience.PERSON)
    if request.kind is Kind.NMC:
        newest_first = sorted(entries, key=lambda e: (e.created_at, e.id), reverse=True)
        ids = tuple(newest_first[n - 1].id for n in request.chosen if n <= len(newest_first))
        if request.chosen and not ids:
            return error_reply(
                f"You have {len(entries)} journal entries; 1 is your latest. {USAGE}"
            )
        picked = choose_for_nmc(entries, chosen=ids)
        if not picked:
            return error_reply("None of those entries can be read, so there is nothing to export.")
        document = build_nmc(picked, content=shared.content, zone=zone, now=now)
    elif request.kind is Kind.APPRAISAL:
        document = build_appraisal(entries, content=shared.content, zone=zone, now=now)
    else:
        document = build_journal(entries, content=shared.content, zone=zone, now=now)
        # The assessments and focus are the person's too: the journal export carries them.
        extra = coaching_parts(assessments, focus, content=shared.content, zone=zone)
        document = replace(document, parts=document.parts + extra)
    try:
        file = _render(shared, document, fmt=request.fmt)
    except TooLarge as too_large:
        return error_reply(
            f"That export would be {too_large.size / 1_000_000:.1f} MB, over the "
            f"{too_large.limit / 1_000_000:.0f} MB a chat file can reliably carry, so nothing "
            "was sent. Try journal export nmc with chosen entries, or the Markdown export."
        )
    if file is None:
        return error_reply(
            "Word and PDF exports are not set up on this coach; journal export gives Markdown."
        )
    count = len(document.parts) if request.kind is not Kind.JOURNAL else len(entries)
    what = f"{_DESCRIBED[request.kind]} ({count} {'entry' if count == 1 else 'entries'})"
    kind_of_file = _FORMAT_NAMES[request.fmt]
    return replace(
        Reply(
            text=f"{what}, as a {kind_of_file} file: {file.filename}.",
            intent="journal.export",
            audience=Audience.PERSON,
            card=Card(
                title="Your export",
                sections=(
                    Section(body=f"{what}, as a {kind_of_file} file: {file.filename}."),
                    Section(
                        body="Check it holds no patient-identifiable details before you share "
                        "it: reflective notes are not legally privileged."
                    ),
                ),
            ),
        ),
        attachment=Attachment(
            filename=file.filename,
            media_type=file.media_type,
            data=file.data,
            description=f"{what}, as {kind_of_file}",
            remake=request.encode(),
        ),
    )


def _render(shared: Shared, document: Document, *, fmt: Format) -> File | None:
    if fmt is Format.MARKDOWN:
        data = markdown.render(document).encode("utf-8")
        if len(data) > MAX_BYTES:
            raise TooLarge(size=len(data), limit=MAX_BYTES)
        return File(filename=document.filename(fmt), media_type=MEDIA_TYPES[fmt], data=data)
    if shared.documents is None:
        return None
    return shared.documents.render(document, fmt=fmt)


def _default_format(kind: Kind) -> Format:
    # The NMC form and appraisal notes are filled in and edited, so they default to Word.
    return Format.MARKDOWN if kind is Kind.JOURNAL else Format.DOCX

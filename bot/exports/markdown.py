"""Markdown for an export document: readable as plain text, and in any Markdown viewer.

Plain text needs no library, so it is written here in the core and `journal export` works
wherever the coach runs; Word and PDF need the renderer port (`adapters/documents`).
"""

from __future__ import annotations

import re

from bot.exports.document import BLANK, Document, Field, Paragraph

# Characters that would start Markdown structure at the start of a line the person typed.
_LEADING: re.Pattern[str] = re.compile(r"^(\s*)([#>*+\-=|`]|\d+[.)])", re.M)


def render(document: Document) -> str:
    """The document as Markdown text, title page first, parts in order."""
    lines = [f"# {document.title}", "", document.subtitle, ""]
    lines += [f"> **{text}**" if i == 0 else f"> {text}" for i, text in enumerate(document.notice)]
    lines.append("")
    for part in document.parts:
        if part.new_page:
            lines += ["---", ""]
        lines += [f"{'#' * (part.level + 1)} {part.heading}", ""]
        for block in part.blocks:
            if isinstance(block, Field):
                answer = f"_{BLANK}_" if block.blank else _escape(block.answer)
                lines += [f"**{block.label}**", "", answer, ""]
            elif isinstance(block, Paragraph):
                text = _escape(block.text)
                if block.quote:
                    text = "\n".join(f"> {line}" for line in text.splitlines())
                elif block.note:
                    text = f"*{text}*"
                lines += [text, ""]
    return "\n".join(lines)


def _escape(text: str) -> str:
    # A reflection is shown as written: a line starting "# " or "- " stays text, not structure.
    return _LEADING.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)

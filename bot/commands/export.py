"""``journal export``: the whole journal as a Markdown file, in the owner's time zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands.shared import Shared
from bot.content import Content
from bot.identity import Who
from bot.models import Attachment, Audience, Card, Reply, Section
from bot.stores import JournalEntry

MARKDOWN = "text/markdown"


def export_reply(shared: Shared, owner: Who, *, now: datetime, zone: ZoneInfo) -> Reply:
    """The whole journal of ``owner`` as a Markdown file attached to the reply."""
    entries = shared.stores.journal.everything(owner)
    filename = f"leadership-journal-{now.astimezone(zone):%Y-%m-%d}.md"
    markdown = render_journal(entries, content=shared.content, zone=zone, now=now)
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    return with_attachment(
        Reply(
            text=f"Your journal ({count}) is attached as {filename}.",
            intent="journal.export",
            audience=Audience.PERSON,
            card=Card(
                title="Your journal export",
                sections=(Section(body=f"{count}, as a Markdown file: {filename}."),),
            ),
        ),
        Attachment(
            filename=filename,
            media_type=MARKDOWN,
            data=markdown.encode("utf-8"),
            description=f"Your leadership journal, {count}, as Markdown",
        ),
    )


def render_journal(
    entries: tuple[JournalEntry, ...], *, content: Content, zone: ZoneInfo, now: datetime
) -> str:
    """The whole journal as Markdown, oldest entry first, times in the owner's zone."""
    local_now = now.astimezone(zone)
    lines = [
        "# My leadership journal",
        "",
        f"Exported {local_now:%A} {local_now.day} {local_now:%B %Y} from the System "
        "Leadership Coach. Private to you: reflections on the NHS Leadership Academy's "
        "System Leadership Framework.",
        "",
    ]
    if not entries:
        lines += ["No entries yet.", ""]
    rows = {r.id: r for r in content.rows}
    for entry in entries:
        when = entry.created_at.astimezone(zone)
        lines += [f"## {when:%A} {when.day} {when:%B %Y}, {when:%H:%M} {when.tzname()}", ""]
        row = rows.get(entry.row_id)
        if row is not None:
            lines += [f"*{row.domain} · {row.role}*", ""]
        if entry.question:
            lines += [f"> {entry.question}", ""]
        lines += [entry.text if entry.text is not None else "_(cannot be decrypted)_", ""]
    return "\n".join(lines)


def with_attachment(reply: Reply, attachment: Attachment) -> Reply:
    """``reply`` carrying ``attachment``."""
    return replace(reply, attachment=attachment)

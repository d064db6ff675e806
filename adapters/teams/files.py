"""A file for the person (the journal export), the two ways Teams allows a bot to give one.

* **File consent** (personal chats in Teams only): the bot sends a
  ``application/vnd.microsoft.teams.card.file.consent`` card; when the person accepts, Teams
  creates an empty file in their OneDrive and sends a ``fileConsent/invoke`` with an
  ``uploadInfo.uploadUrl``; the bot PUTs the bytes there, then posts a
  ``application/vnd.microsoft.teams.card.file.info`` card that opens the file.
* **As messages** (channels, group chats, and hosts without file consent such as the Agents
  Playground): the Markdown itself, split under Teams' message size limit.

The consent card carries no journal text: accepting it exports the journal again for whoever
accepted (Teams says who), so nothing private waits in the card or in this process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from microsoft_agents.activity import Activity, ActivityTypes, Attachment
from yarl import URL

from adapters import outbound
from adapters.teams.urls import is_local_url
from bot.models import Attachment as BotAttachment

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
FILE_CONSENT_INVOKE = "fileConsent/invoke"
# What the consent card's contexts say, so that the invoke knows which file to make again.
JOURNAL_EXPORT = "journal.export"
# Teams refuses messages over about 28 KB; leave room for the envelope and JSON escaping.
MAX_MESSAGE_BYTES = 24_000
# A journal of years fits; a bound keeps one turn inside Teams' 15-second reply window.
MAX_MESSAGES = 20
UPLOAD_TIMEOUT_SECONDS = 8.0


def consent_for(attachment: BotAttachment) -> Activity:
    """The consent card for a reply's file (which export to remake rides in its context)."""
    return consent_activity(
        filename=attachment.filename,
        data=attachment.data,
        description=attachment.description,
        remake=attachment.remake,
    )


def consent_activity(
    *, filename: str, data: bytes, description: str = "", remake: str = ""
) -> Activity:
    """The card asking the person to accept ``filename`` into their OneDrive.

    ``remake`` says which export to make again on accepting (``nmc 1 3 pdf``); the card never
    carries the file itself.
    """
    context = {"file": JOURNAL_EXPORT, "export": remake}
    card = Attachment(
        content_type=FILE_CONSENT,
        name=filename,
        content={
            "description": f"{description or 'Your leadership journal'}. Only you can read it.",
            "sizeInBytes": len(data),
            "acceptContext": context,
            "declineContext": context,
        },
    )
    return Activity(
        type=ActivityTypes.message,
        attachments=[card],
        summary=f"Save {filename} to your OneDrive?",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Consent:
    """A ``fileConsent/invoke``: accepted (with where to upload) or declined."""

    accepted: bool
    file: str
    # Which export to make again (``Attachment.remake``); "" is the Markdown journal.
    export: str = ""
    upload_url: str = ""
    content_url: str = ""
    name: str = ""
    unique_id: str = ""
    file_type: str = ""


def consent_of(activity: Activity) -> Consent | None:
    """The person's answer to a consent card, or None when the invoke is not one."""
    value = activity.value
    if activity.name != FILE_CONSENT_INVOKE or not isinstance(value, Mapping):
        return None
    action = value.get("action")
    context = value.get("context")
    file = context.get("file") if isinstance(context, Mapping) else None
    export = context.get("export", "") if isinstance(context, Mapping) else ""
    if action not in {"accept", "decline"} or not isinstance(file, str):
        return None
    if not isinstance(export, str) or len(export) > 200:
        return None
    if action == "decline":
        return Consent(accepted=False, file=file, export=export)
    info = value.get("uploadInfo")
    if not isinstance(info, Mapping):
        return None
    fields = {k: info.get(k) for k in ("uploadUrl", "contentUrl", "name", "uniqueId", "fileType")}
    if not all(isinstance(v, str) and v for v in fields.values()):
        return None
    return Consent(
        accepted=True,
        file=file,
        export=export,
        upload_url=str(fields["uploadUrl"]),
        content_url=str(fields["contentUrl"]),
        name=str(fields["name"]),
        unique_id=str(fields["uniqueId"]),
        file_type=str(fields["fileType"]),
    )


def upload_allowed(url: str, *, local_only: bool) -> bool:
    """Whether the bot may PUT a private file to ``url``.

    With credentials the invoke is signed by Teams, whose upload URLs are always HTTPS.
    Anonymously anyone can post an invoke, so only this machine (local tools, tests) is used.
    """
    try:
        parsed = URL(url)
    except ValueError:
        return False
    if local_only:
        return parsed.scheme in {"http", "https"} and is_local_url(url)
    return parsed.scheme == "https" and bool(parsed.host)


async def upload(url: str, data: bytes, *, seconds: float = UPLOAD_TIMEOUT_SECONDS) -> None:
    """PUT ``data`` to a OneDrive upload session URL in one request (raises on failure)."""
    headers = {
        "Content-Length": str(len(data)),
        "Content-Range": f"bytes 0-{max(len(data) - 1, 0)}/{len(data)}",
        "Content-Type": "application/octet-stream",
    }
    # The upload URL is pre-authorised; no bot token goes to it.
    client_timeout = aiohttp.ClientTimeout(total=seconds)
    async with (
        # A redirect would carry the private file to an origin nobody checked.
        outbound.session(timeout=client_timeout) as session,
        session.put(url, data=data, headers=headers) as response,
    ):
        response.raise_for_status()


def file_info_activity(consent: Consent) -> Activity:
    """The card that shows the uploaded file in the chat (Teams opens it from OneDrive)."""
    card = Attachment(
        content_type=FILE_INFO,
        content_url=consent.content_url,
        name=consent.name,
        content={"uniqueId": consent.unique_id, "fileType": consent.file_type},
    )
    return Activity(type=ActivityTypes.message, attachments=[card], summary=consent.name)


def message_activities(*, filename: str, markdown: str) -> list[Activity]:
    """The file as Markdown messages, each under Teams' size limit, at most ``MAX_MESSAGES``."""
    parts = split_markdown(markdown, limit=MAX_MESSAGE_BYTES)
    shown = parts[:MAX_MESSAGES]
    activities: list[Activity] = []
    for index, part in enumerate(shown, start=1):
        head = f"**{filename}**" + (f" ({index} of {len(parts)})" if len(parts) > 1 else "")
        activities.append(
            Activity(
                type=ActivityTypes.message,
                text=f"{head}\n\n{part}",
                text_format="markdown",
                summary=f"{filename} ({index} of {len(parts)})",
            )
        )
    if len(parts) > len(shown):
        rest = len(parts) - len(shown)
        activities.append(
            Activity(
                type=ActivityTypes.message,
                text=(
                    f"{rest} more part(s) did not fit in chat messages. Type journal export in "
                    "our personal chat in Teams to get the whole file."
                ),
                text_format="plain",
            )
        )
    return activities


def _encoded_size(text: str) -> int:
    # As the text travels: a JSON string, UTF-8 (escaping makes quotes and newlines longer).
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8"))


def split_markdown(markdown: str, *, limit: int) -> list[str]:
    """``markdown`` in parts of at most ``limit`` encoded bytes, split between lines.

    ``"\n".join(parts) == markdown`` whenever every line fits in a part; a longer line is
    split between characters (into parts of its own), so no input is ever lost.
    """
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in _pieces(markdown, limit=limit):
        cost = _encoded_size(line + "\n")
        if current and size + cost > limit:
            parts.append("".join(current)[:-1])  # without the newline that joins the parts
            current, size = [], 0
        current.append(line + "\n")
        size += cost
    if current:
        parts.append("".join(current)[:-1])
    return parts or [""]


def _pieces(markdown: str, *, limit: int) -> list[str]:
    pieces: list[str] = []
    for line in markdown.split("\n"):
        while _encoded_size(line + "\n") > limit:
            cut = _longest_prefix(line, limit=limit)
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    return pieces


def _longest_prefix(line: str, *, limit: int) -> int:
    low, high = 1, len(line)
    while low < high:  # the longest prefix that still fits, found by bisection
        mid = (low + high + 1) // 2
        if _encoded_size(line[:mid] + "\n") <= limit:
            low = mid
        else:
            high = mid - 1
    return low

"""The search-based message extension: ``composeExtension/query`` → shareable cards.

From the compose box (or Microsoft 365 Copilot, which calls the same command as a plugin) a
person searches the framework, the principles and the academies; each result has a thumbnail
preview for the list and a full Adaptive Card that is inserted into the conversation. The
results come from the core (:func:`bot.search.search`): content only, nothing personal, so the
card can be shown to everyone who reads the conversation.

Bad input never becomes an error in the compose box: an unknown command, a malformed value or
an over-long query gets an empty result list (Teams then shows "No results").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, InvokeResponse

from adapters.teams import render
from bot.ports import AsyncCoach
from bot.search import MAX_QUERY_CHARS, MAX_RESULTS, Found

log = logging.getLogger(__name__)

QUERY_INVOKE = "composeExtension/query"
# The command and its one parameter, as the manifest declares them (adapters.teams.package).
SEARCH_COMMAND = "searchContent"
QUERY_PARAMETER = "query"
# Teams sends this (value "true") when the extension opens, before anything is typed.
INITIAL_RUN = "initialRun"
THUMBNAIL_CARD = "application/vnd.microsoft.card.thumbnail"
# Teams pages with skip; anything past the results we could ever offer is just empty.
MAX_SKIP = 1_000
# How Teams marks, in a message's text, a card inserted from a message extension.
INSERTED_CARD_TYPE = "http://schema.skype.com/InputExtension"
_TAG = re.compile(r"<[^>]*>")
# Teams truncates preview lines anyway; a short one keeps the response small.
PREVIEW_TEXT_CHARS = 140


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchQuery:
    """What a ``composeExtension/query`` asks for."""

    text: str
    skip: int = 0
    count: int = MAX_RESULTS


def query_of(activity: Activity) -> SearchQuery | None:
    """The search in a ``composeExtension/query`` invoke, or None when it is not ours or malformed.

    Documented shape: ``value = {commandId, parameters: [{name, value}], queryOptions: {skip,
    count}}``. The initial run (the extension opened) is an empty search.
    """
    value = activity.value
    if not isinstance(value, Mapping) or value.get("commandId") != SEARCH_COMMAND:
        return None
    parameters = value.get("parameters")
    if not isinstance(parameters, list) or not parameters:
        return None
    text: str | None = None
    for parameter in parameters:
        if not isinstance(parameter, Mapping):
            return None
        name, raw = parameter.get("name"), parameter.get("value")
        if name == INITIAL_RUN:
            text = text or ""
        elif name == QUERY_PARAMETER:
            if not isinstance(raw, str):
                return None
            text = raw
    if text is None:
        return None
    options = value.get("queryOptions")
    options = options if isinstance(options, Mapping) else {}
    skip = _whole(options.get("skip"), default=0)
    count = _whole(options.get("count"), default=MAX_RESULTS)
    if skip is None or count is None or skip > MAX_SKIP:
        return None
    return SearchQuery(text=text.strip(), skip=skip, count=min(count, MAX_RESULTS))


def _whole(raw: object, *, default: int) -> int | None:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        return None
    return raw


def is_inserted_card(activity: Activity) -> bool:
    """True for a message that is only a card someone inserted from the extension.

    In the personal chat with the coach, sharing a search result sends it to the coach too;
    nothing was asked, so the agent stays quiet instead of answering an empty message.
    """
    text = activity.text or ""
    return (
        activity.type == "message"
        and INSERTED_CARD_TYPE in text
        and not _TAG.sub("", text).strip()
        and any(a.content_type == render.CARD_CONTENT_TYPE for a in activity.attachments or [])
    )


async def answer_query(activity: Activity, *, coach: AsyncCoach) -> InvokeResponse:
    """Answer the search with up to ten results; an empty list for anything we cannot read."""
    query = query_of(activity)
    found: tuple[Found, ...] = ()
    if query is not None and len(query.text) <= MAX_QUERY_CHARS and query.count > 0:
        # The ranking is in-memory work of a few milliseconds: no thread hop needed.
        found = coach.search(query.text, limit=query.skip + query.count)[query.skip :]
    elif query is None:
        log.info("teams: message extension query not understood; answered with no results")
    return InvokeResponse(status=200, body=results_body(found))


def results_body(found: tuple[Found, ...]) -> dict[str, Any]:
    """The invoke response body: a ``result`` list of cards, each with a thumbnail preview."""
    return {
        "composeExtension": {
            "type": "result",
            "attachmentLayout": "list",
            "attachments": [_attachment(item) for item in found],
        }
    }


def _attachment(item: Found) -> dict[str, Any]:
    summary = item.summary
    if len(summary) > PREVIEW_TEXT_CHARS:
        summary = summary[: PREVIEW_TEXT_CHARS - 1].rstrip() + "…"
    return {
        "contentType": render.CARD_CONTENT_TYPE,
        "content": render.card_json(item.card, fallback_text=f"{item.title}. {item.summary}"),
        "preview": {
            "contentType": THUMBNAIL_CARD,
            "content": {"title": item.title, "text": summary},
        },
    }

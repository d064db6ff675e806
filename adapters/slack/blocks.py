"""The pieces of a card as Block Kit blocks, each cut to Slack's limits.

These are the building blocks of :mod:`adapters.slack.render` (messages), :mod:`.forms`
(modals) and :mod:`.home` (the App Home); each function renders one part of a ``Card``.

Blocks are built as the JSON Slack reads (plain dictionaries), not as slack_sdk's model
objects, and that is deliberate: every slash command's answer is rendered while its
acknowledgement waits, and under the Slack bench building the models and turning them back
into dictionaries was about a tenth of the server's CPU (more than the JSON encoding of the
answer). The dictionaries are exactly what the models' ``to_dict()`` gives; the property test
in ``tests/adapters/slack/test_render.py`` parses random rendered replies back into slack_sdk's
models and validates every field against Slack's limits. Modals and the App Home still wrap
them in slack_sdk's ``View``, which accepts either form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block

from adapters.slack.action_ids import LINK, ActionIds
from adapters.slack.escape import ELLIPSIS, mrkdwn, plain, split, truncate
from adapters.slack.limits import (
    MAX_ACTIONS_ELEMENTS,
    MAX_BUTTON_TEXT,
    MAX_BUTTON_URL,
    MAX_BUTTON_VALUE,
    MAX_CONTEXT_TEXT,
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
)
from bot.models import Button, Fact, Section

# One block or element as Slack's JSON.
BlockJson = dict[str, Any]
# What a view's ``blocks`` may hold: slack_sdk's models, or their JSON.
AnyBlock = Block | BlockJson


def divider_block() -> BlockJson:
    """A divider line."""
    return {"type": "divider"}


def _plain_text(text: str) -> BlockJson:
    return {"type": "plain_text", "text": text}


def _mrkdwn_text(text: str) -> BlockJson:
    return {"type": "mrkdwn", "text": text}


def _section(*, text: str | None = None, fields: Sequence[BlockJson] = ()) -> BlockJson:
    """A section block: mrkdwn ``text``, two-column ``fields``, or both."""
    block: BlockJson = {"type": "section"}
    if text:
        block["text"] = _mrkdwn_text(text)
    if fields:
        block["fields"] = list(fields)
    return block


def header_block(title: str) -> BlockJson:
    """A header with the card's title (plain text, at most 150 characters)."""
    return {
        "type": "header",
        "text": _plain_text(truncate(plain(title).strip() or ELLIPSIS, MAX_HEADER_TEXT)),
    }


def text_blocks(text: str) -> list[BlockJson]:
    """Sections holding ``text`` as mrkdwn, split into pieces of at most 3,000 characters."""
    pieces = split(mrkdwn(text), MAX_SECTION_TEXT)
    return [_section(text=piece) for piece in pieces if piece.strip()]


def section_blocks(section: Section) -> list[BlockJson]:
    """One card section: a bold heading over its body, then its facts as two-column fields."""
    heading = mrkdwn(section.heading.replace("*", "").strip())
    body = mrkdwn(section.body.strip())
    text = "\n".join(part for part in (f"*{heading}*" if heading else "", body) if part)
    pieces = split(text, MAX_SECTION_TEXT) if text else []
    fields = [_fact_field(fact) for fact in section.facts]
    chunks = [fields[start : start + MAX_FIELDS] for start in range(0, len(fields), MAX_FIELDS)]
    blocks = [_section(text=p) for p in pieces[:-1]]
    if pieces:
        # The last piece of text and the first ten facts share a block: fewer blocks, and
        # Slack lays the facts out under their heading.
        blocks.append(_section(text=pieces[-1], fields=chunks[0] if chunks else ()))
        chunks = chunks[1:]
    blocks.extend(_section(fields=chunk) for chunk in chunks)
    return blocks


def _fact_field(fact: Fact) -> BlockJson:
    label = mrkdwn(fact.label.replace("*", "").strip())
    text = f"*{label}*\n{mrkdwn(fact.value)}" if label else mrkdwn(fact.value)
    return _mrkdwn_text(truncate(text or ELLIPSIS, MAX_FIELD_TEXT))


def suggestions_block(suggestions: Sequence[str]) -> BlockJson | None:
    """The card's suggested questions as one line of context (``Try: `…` · `…```)."""
    tried = [f"`{mrkdwn(s.replace('`', '').strip())}`" for s in suggestions if s.strip()]
    if not tried:
        return None
    return note_block("Try: " + " · ".join(tried))


def footer_block(footer: str) -> BlockJson | None:
    """The card's footer as small print."""
    if not footer.strip():
        return None
    return note_block(mrkdwn(footer.strip()))


def button_element(button: Button, *, ids: ActionIds) -> BlockJson:
    """One button. Link buttons get an adapter id: opening a page needs no answer from the core."""
    label = truncate(plain(button.label) or ELLIPSIS, MAX_BUTTON_TEXT)
    if button.url:
        return button_json(label, action_id=ids.unique(LINK), url=button.url[:MAX_BUTTON_URL])
    return button_json(
        label,
        action_id=ids.unique(button.action_id),
        # A cut value would silently change what the button does, so the core keeps them short;
        # the cut only stops one oversized value from sinking the whole message.
        value=button.value[:MAX_BUTTON_VALUE],
        style=button.style if button.style in ("primary", "danger") else "",
    )


def button_json(
    label: str, *, action_id: str, value: str = "", url: str = "", style: str = ""
) -> BlockJson:
    """A button element (``label`` already cut to Slack's 75 characters); empty parts left out."""
    element: BlockJson = {"type": "button", "text": _plain_text(label), "action_id": action_id}
    if value:
        element["value"] = value
    if url:
        element["url"] = url
    if style:
        element["style"] = style
    return element


def actions_blocks(elements: Sequence[BlockJson]) -> list[BlockJson]:
    """Buttons in rows of at most 25, Slack's limit per actions block."""
    return [
        {"type": "actions", "elements": list(elements[start : start + MAX_ACTIONS_ELEMENTS])}
        for start in range(0, len(elements), MAX_ACTIONS_ELEMENTS)
    ]


def note_block(text: str) -> BlockJson:
    """A line of small print written by the adapter (already mrkdwn)."""
    return {"type": "context", "elements": [_mrkdwn_text(truncate(text, MAX_CONTEXT_TEXT))]}

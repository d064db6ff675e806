"""The pieces of a card as Block Kit blocks, each cut to Slack's limits.

These are the building blocks of :mod:`adapters.slack.render` (messages), :mod:`.forms`
(modals) and :mod:`.home` (the App Home); each function renders one part of a ``Card``.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

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


def header_block(title: str) -> HeaderBlock:
    """A header with the card's title (plain text, at most 150 characters)."""
    return HeaderBlock(
        text=PlainTextObject(text=truncate(plain(title).strip() or ELLIPSIS, MAX_HEADER_TEXT))
    )


def text_blocks(text: str) -> list[Block]:
    """Sections holding ``text`` as mrkdwn, split into pieces of at most 3,000 characters."""
    return [
        SectionBlock(text=MarkdownTextObject(text=piece))
        for piece in split(mrkdwn(text), MAX_SECTION_TEXT)
        if piece.strip()
    ]


def section_blocks(section: Section) -> list[Block]:
    """One card section: a bold heading over its body, then its facts as two-column fields."""
    heading = mrkdwn(section.heading.replace("*", "").strip())
    body = mrkdwn(section.body.strip())
    text = "\n".join(part for part in (f"*{heading}*" if heading else "", body) if part)
    pieces = split(text, MAX_SECTION_TEXT) if text else []
    fields = [_fact_field(fact) for fact in section.facts]
    chunks = [fields[start : start + MAX_FIELDS] for start in range(0, len(fields), MAX_FIELDS)]
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=p)) for p in pieces[:-1]]
    if pieces:
        # The last piece of text and the first ten facts share a block: fewer blocks, and
        # Slack lays the facts out under their heading.
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=pieces[-1]), fields=chunks[0] if chunks else None
            )
        )
        chunks = chunks[1:]
    blocks.extend(SectionBlock(fields=chunk) for chunk in chunks)
    return blocks


def _fact_field(fact: Fact) -> MarkdownTextObject:
    label = mrkdwn(fact.label.replace("*", "").strip())
    text = f"*{label}*\n{mrkdwn(fact.value)}" if label else mrkdwn(fact.value)
    return MarkdownTextObject(text=truncate(text or ELLIPSIS, MAX_FIELD_TEXT))


def suggestions_block(suggestions: Sequence[str]) -> ContextBlock | None:
    """The card's suggested questions as one line of context (``Try: `…` · `…```)."""
    tried = [f"`{mrkdwn(s.replace('`', '').strip())}`" for s in suggestions if s.strip()]
    if not tried:
        return None
    text = truncate("Try: " + " · ".join(tried), MAX_CONTEXT_TEXT)
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def footer_block(footer: str) -> ContextBlock | None:
    """The card's footer as small print."""
    if not footer.strip():
        return None
    return ContextBlock(
        elements=[MarkdownTextObject(text=truncate(mrkdwn(footer.strip()), MAX_CONTEXT_TEXT))]
    )


def button_element(button: Button, *, ids: ActionIds) -> ButtonElement:
    """One button. Link buttons get an adapter id: opening a page needs no answer from the core."""
    if button.url:
        return ButtonElement(
            text=PlainTextObject(text=truncate(plain(button.label) or ELLIPSIS, MAX_BUTTON_TEXT)),
            action_id=ids.unique(LINK),
            url=button.url[:MAX_BUTTON_URL],
        )
    return ButtonElement(
        text=PlainTextObject(text=truncate(plain(button.label) or ELLIPSIS, MAX_BUTTON_TEXT)),
        action_id=ids.unique(button.action_id),
        # A cut value would silently change what the button does, so the core keeps them short;
        # the cut only stops one oversized value from sinking the whole message.
        value=button.value[:MAX_BUTTON_VALUE] or None,
        style=button.style if button.style in ("primary", "danger") else None,
    )


def actions_blocks(elements: Sequence[ButtonElement]) -> list[Block]:
    """Buttons in rows of at most 25, Slack's limit per actions block."""
    return [
        ActionsBlock(elements=list(elements[start : start + MAX_ACTIONS_ELEMENTS]))
        for start in range(0, len(elements), MAX_ACTIONS_ELEMENTS)
    ]


def note_block(text: str) -> ContextBlock:
    """A line of small print written by the adapter (already mrkdwn)."""
    return ContextBlock(elements=[MarkdownTextObject(text=truncate(text, MAX_CONTEXT_TEXT))])

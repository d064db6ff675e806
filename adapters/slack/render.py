"""Render a :class:`Reply` as a Slack message: Block Kit blocks plus a plain-text fallback.

The fallback ``text`` is what notifications and screen readers use, so it is always set. Every
field is cut to Slack's limits; when a reply has more than fits in 50 blocks, the tail of its
body is dropped and a line says how much more there is and how to see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block

from adapters.slack.action_ids import OPEN_FORM, ActionIds
from adapters.slack.blocks import (
    BlockJson,
    actions_blocks,
    button_element,
    button_json,
    divider_block,
    footer_block,
    header_block,
    note_block,
    section_blocks,
    suggestions_block,
    text_blocks,
)
from adapters.slack.escape import ELLIPSIS, escape, plain, truncate
from adapters.slack.forms import encode_form, is_form
from adapters.slack.limits import MAX_BUTTON_TEXT, MAX_MESSAGE_BLOCKS, MAX_MESSAGE_TEXT
from bot.models import Card, Reply

MORE_ACTION = "more"


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackMessage:
    """A rendered message, ready for ``chat.postMessage``, ``respond`` or a ``response_url``."""

    text: str
    blocks: tuple[BlockJson, ...]

    def as_kwargs(self, *, validate: bool = True) -> dict[str, Any]:
        """The ``text`` and ``blocks`` arguments of a Web API call or ``respond``.

        ``validate=True`` first parses every block back into slack_sdk's models, which check
        it against Slack's limits (raising on a field that is too long), and checks that the
        models give back exactly the same JSON. Sending code skips it: the renderer cuts every
        field to those limits, and the property test in ``tests/adapters/slack/test_render.py``
        renders random replies with validation on.
        """
        if validate:
            for block in self.blocks:
                parsed = Block.parse(block)
                if parsed is None or parsed.to_dict() != block:
                    raise ValueError(f"not a Block Kit block as slack_sdk writes it: {block}")
        return {"text": self.text, "blocks": list(self.blocks)}


@dataclass(frozen=True, slots=True, kw_only=True)
class _CardParts:
    head: list[BlockJson]
    body: list[BlockJson]
    tail: list[BlockJson]
    has_more_button: bool


def render_reply(reply: Reply, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> SlackMessage:
    """Render ``reply`` (its card and any extra cards) within ``max_blocks`` blocks."""
    ids = ActionIds()
    if reply.card is not None:
        main = _card_parts(reply.card, ids=ids)
    else:
        main = _CardParts(head=[], body=text_blocks(reply.text), tail=[], has_more_button=False)
    body = list(main.body)
    for extra in reply.extra:
        parts = _card_parts(extra, ids=ids)
        body.extend([divider_block(), *parts.head, *parts.body, *parts.tail])
    blocks = _fit(
        head=main.head,
        body=body,
        tail=main.tail,
        max_blocks=max_blocks,
        has_more_button=main.has_more_button,
    )
    return SlackMessage(text=fallback_text(reply), blocks=tuple(blocks))


def render_card(card: Card, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[BlockJson]:
    """Render one card on its own (the App Home's nudge section, for example)."""
    parts = _card_parts(card, ids=ActionIds())
    return _fit(
        head=parts.head,
        body=parts.body,
        tail=parts.tail,
        max_blocks=max_blocks,
        has_more_button=parts.has_more_button,
    )


def fallback_text(reply: Reply) -> str:
    """The plain-text version: escaped, and within Slack's 40,000 characters."""
    text = reply.text.strip() or (reply.card.title if reply.card else "") or ELLIPSIS
    return truncate(escape(text), MAX_MESSAGE_TEXT)


def _card_parts(card: Card, *, ids: ActionIds) -> _CardParts:
    head = [header_block(card.title)] if card.title.strip() else []
    body: list[BlockJson] = []
    for section in card.sections:
        body.extend(section_blocks(section))
    tail: list[BlockJson] = []
    suggestions = suggestions_block(card.suggestions)
    if suggestions is not None:
        tail.append(suggestions)
    buttons: list[BlockJson] = []
    if is_form(card):
        packed = encode_form(card)
        if packed is not None and card.submit is not None:
            label = truncate(plain(card.submit.label).strip() or "Open", MAX_BUTTON_TEXT)
            buttons.append(
                button_json(label, action_id=ids.unique(OPEN_FORM), value=packed, style="primary")
            )
    buttons.extend(button_element(b, ids=ids) for b in card.buttons)
    tail.extend(actions_blocks(buttons))
    footer = footer_block(card.footer)
    if footer is not None:
        tail.append(footer)
    has_more = any(b.action_id == MORE_ACTION for b in card.buttons)
    return _CardParts(head=head, body=body, tail=tail, has_more_button=has_more)


def _fit(
    *,
    head: list[BlockJson],
    body: list[BlockJson],
    tail: list[BlockJson],
    max_blocks: int,
    has_more_button: bool,
) -> list[BlockJson]:
    """Keep the header and the buttons; drop the end of the body if there are too many blocks."""
    if len(head) + len(body) + len(tail) <= max_blocks:
        return [*head, *body, *tail]
    room = max(max_blocks - len(head) - len(tail) - 1, 0)
    kept, dropped = body[:room], body[room:]
    while kept and kept[-1]["type"] == "divider":
        dropped.insert(0, kept.pop())
    hidden = sum(1 for block in dropped if block["type"] == "section" and "text" in block)
    how = "press *More like this* or ask" if has_more_button else "ask"
    note = note_block(
        f"{ELLIPSIS}and {max(hidden, 1)} more not shown here; {how} a narrower question."
    )
    blocks = [*head, *kept, note, *tail]
    return blocks[:max_blocks]

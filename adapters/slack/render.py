"""Render a :class:`Reply` as a Slack message: Block Kit blocks plus a plain-text fallback.

The fallback ``text`` is what notifications and screen readers use, so it is always set. Every
field is cut to Slack's limits; when a reply has more than fits in 50 blocks, the tail of its
body is dropped and a line says how much more there is and how to see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.basic_objects import EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST, JsonObject
from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    DividerBlock,
    PlainTextObject,
    SectionBlock,
)

from adapters.slack.action_ids import OPEN_FORM, ActionIds
from adapters.slack.blocks import (
    actions_blocks,
    button_element,
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
    blocks: tuple[Block, ...]

    def as_kwargs(self, *, validate: bool = True) -> dict[str, Any]:
        """The ``text`` and ``blocks`` arguments of a Web API call or ``respond``.

        ``validate=False`` skips slack_sdk's per-field validation, which walks every block's
        validators and under load costs more than rendering the reply did. Sending code uses it:
        the renderer cuts every field to Slack's limits, and the property test in
        ``tests/adapters/slack/test_render.py`` renders random replies with validation on.
        """
        if validate:
            return {"text": self.text, "blocks": [block.to_dict() for block in self.blocks]}
        return {"text": self.text, "blocks": [_json_of(block) for block in self.blocks]}


def _json_of(value: Any) -> Any:
    """What slack_sdk's ``to_dict()`` gives, without its validation.

    The same walk as ``JsonObject.get_non_null_attributes``: attributes in sorted order, with
    ``None`` and empty values left out. Classes with their own ``to_dict`` keep it. What to do
    with each class is worked out once (:func:`_plan_of`): the ``attributes`` property builds
    a new set on every call and ``isinstance`` against an ABC is slow, and both used to be
    paid for every node of every message.
    """
    kind = type(value)
    plan = _PLANS.get(kind)
    if plan is None:
        plan = _PLANS[kind] = _plan_of(kind, value)
    if plan is _AS_IS:
        return value
    if plan is _SEQUENCE:
        return [_json_of(item) for item in value]
    if plan is _OWN_TO_DICT:
        return {key: _json_of(item) for key, item in value.to_dict().items()}
    block_type = getattr(value, "type", None)
    fields: dict[str, Any] = {}
    for key in plan:
        item = getattr(value, key, None)
        if item is None:
            continue
        if type(item) is str:  # most fields: kept unless empty, with no walk below
            if item:
                fields[key] = item
            continue
        if hasattr(item, "__len__") and not len(item) and (block_type, key) not in _EMPTY_ALLOWED:
            continue
        fields[key] = _json_of(item)
    return fields


_AS_IS: tuple[str, ...] = ("<as is>",)
_SEQUENCE: tuple[str, ...] = ("<sequence>",)
_OWN_TO_DICT: tuple[str, ...] = ("<own to_dict>",)
# Per class: one of the markers above, or a JsonObject's attribute names in sorted order.
_PLANS: dict[type, tuple[str, ...]] = {}


def _plan_of(kind: type, value: Any) -> tuple[str, ...]:
    if issubclass(kind, list | tuple):
        return _SEQUENCE
    if not issubclass(kind, JsonObject):
        return _AS_IS
    if kind.to_dict is not JsonObject.to_dict:
        return _OWN_TO_DICT
    if kind.get_object_attribute is not JsonObject.get_object_attribute:
        # Never the case in slack_sdk today; such a class would need its own walk.
        return _OWN_TO_DICT
    # Every slack_sdk model's attributes are fixed per class (unions of class constants).
    return tuple(sorted(value.attributes))


# The few (type, property) pairs where slack_sdk keeps an empty list.
_EMPTY_ALLOWED = frozenset((e["type"], e["property"]) for e in EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST)


@dataclass(frozen=True, slots=True, kw_only=True)
class _CardParts:
    head: list[Block]
    body: list[Block]
    tail: list[Block]
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
        body.extend([DividerBlock(), *parts.head, *parts.body, *parts.tail])
    blocks = _fit(
        head=main.head,
        body=body,
        tail=main.tail,
        max_blocks=max_blocks,
        has_more_button=main.has_more_button,
    )
    return SlackMessage(text=fallback_text(reply), blocks=tuple(blocks))


def render_card(card: Card, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[Block]:
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
    head: list[Block] = [header_block(card.title)] if card.title.strip() else []
    body: list[Block] = []
    for section in card.sections:
        body.extend(section_blocks(section))
    tail: list[Block] = []
    suggestions = suggestions_block(card.suggestions)
    if suggestions is not None:
        tail.append(suggestions)
    buttons: list[ButtonElement] = []
    if is_form(card):
        packed = encode_form(card)
        if packed is not None and card.submit is not None:
            label = truncate(plain(card.submit.label).strip() or "Open", MAX_BUTTON_TEXT)
            buttons.append(
                ButtonElement(
                    text=PlainTextObject(text=label),
                    action_id=ids.unique(OPEN_FORM),
                    value=packed,
                    style="primary",
                )
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
    head: list[Block],
    body: list[Block],
    tail: list[Block],
    max_blocks: int,
    has_more_button: bool,
) -> list[Block]:
    """Keep the header and the buttons; drop the end of the body if there are too many blocks."""
    if len(head) + len(body) + len(tail) <= max_blocks:
        return [*head, *body, *tail]
    room = max(max_blocks - len(head) - len(tail) - 1, 0)
    kept, dropped = body[:room], body[room:]
    while kept and isinstance(kept[-1], DividerBlock):
        dropped.insert(0, kept.pop())
    hidden = sum(
        1 for block in dropped if isinstance(block, SectionBlock) and block.text is not None
    )
    how = "press *More like this* or ask" if has_more_button else "ask"
    note = note_block(
        f"{ELLIPSIS}and {max(hidden, 1)} more not shown here; {how} a narrower question."
    )
    blocks = [*head, *kept, note, *tail]
    return blocks[:max_blocks]

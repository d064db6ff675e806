"""The core's ``home`` card on the App Home: its pickers change the nudge as soon as they move.

A message renders a form as an *Open* button and a modal (:mod:`.forms`). On the App Home the
day and time pickers are shown in place instead, as input blocks with ``dispatch_action``:
Slack sends a ``block_actions`` for each change, which :mod:`.translate` turns into the card's
submit action carrying that one input (``home.when`` with ``day=Friday``), so there is no
Save button to forget to press.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    InputBlock,
    InputInteractiveElement,
    Option,
    PlainTextObject,
    StaticSelectElement,
    TimePickerElement,
)

from adapters.slack.action_ids import INPUT_BLOCK_PREFIX, ActionIds
from adapters.slack.blocks import (
    AnyBlock,
    actions_blocks,
    button_element,
    footer_block,
    header_block,
    section_blocks,
)
from adapters.slack.forms import plain_field
from adapters.slack.limits import MAX_INPUT_LABEL, MAX_OPTION_TEXT, MAX_OPTION_VALUE, MAX_OPTIONS
from bot.models import Card, Input


def render_home_card(card: Card, *, ids: ActionIds | None = None) -> list[AnyBlock]:
    """``card`` as App Home blocks: title, sections, live pickers, buttons and footer."""
    ids = ids or ActionIds()
    blocks: list[AnyBlock] = [header_block(card.title)]
    for section in card.sections:
        blocks.extend(section_blocks(section))
    if card.submit is not None:
        for field in card.inputs:
            blocks.append(
                InputBlock(
                    block_id=f"{INPUT_BLOCK_PREFIX}{field.id}",
                    label=PlainTextObject(text=plain_field(field.label, MAX_INPUT_LABEL)),
                    element=_picker(field, action_id=ids.unique(card.submit.action_id)),
                    dispatch_action=True,
                    optional=True,
                )
            )
    blocks.extend(actions_blocks([button_element(b, ids=ids) for b in card.buttons]))
    footer = footer_block(card.footer)
    if footer is not None:
        blocks.append(footer)
    return blocks


def _picker(field: Input, *, action_id: str) -> InputInteractiveElement:
    if field.time:
        return TimePickerElement(action_id=action_id, initial_time=field.value or None)
    options = [
        Option(text=plain_field(c, MAX_OPTION_TEXT), value=c[:MAX_OPTION_VALUE])
        for c in field.choices[:MAX_OPTIONS]
    ]
    initial = next((o for o in options if field.value and o.value == field.value), None)
    return StaticSelectElement(action_id=action_id, options=options, initial_option=initial)

"""Forms: a :class:`Card` with inputs becomes a Slack modal, and its submission an ``Action``.

Slack only opens a modal in answer to a ``trigger_id``, which a slash command or a button press
carries and a message event does not. So a form reached from a message is shown as a card with
an *Open* button whose value carries the form itself (:func:`encode_form`); pressing it brings
the ``trigger_id`` we need.

Where the form came from (the channel, thread and ``response_url``) and which button submits it
travel in the modal's ``private_metadata``, so the answer goes back to the same place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from adapters.slack.blocks import AnyBlock, section_blocks
from adapters.slack.escape import ELLIPSIS, plain, truncate
from adapters.slack.limits import (
    MAX_BUTTON_VALUE,
    MAX_INPUT_LABEL,
    MAX_INPUT_LENGTH,
    MAX_INPUT_PLACEHOLDER,
    MAX_OPTION_TEXT,
    MAX_OPTION_VALUE,
    MAX_OPTIONS,
    MAX_PRIVATE_METADATA,
    MAX_VIEW_BLOCKS,
    MAX_VIEW_BUTTON,
    MAX_VIEW_TITLE,
)
from bot.models import Button, Card, Input, Section

FORM_CALLBACK_ID = "coach.form"


@dataclass(frozen=True, slots=True, kw_only=True)
class FormOrigin:
    """Where a form was opened from and what submitting it means, kept in ``private_metadata``."""

    action_id: str
    value: str = ""
    channel_id: str = ""
    thread_ts: str = ""
    response_url: str = ""

    def to_metadata(self) -> str:
        """Serialise for ``private_metadata``, dropping what does not fit its 3,000 characters."""
        data = {k: v for k, v in asdict(self).items() if v}
        text = json.dumps(data, separators=(",", ":"))
        if len(text) > MAX_PRIVATE_METADATA:
            # The response_url only saves a conversations.open; the answer can go by DM.
            data.pop("response_url", None)
            data.pop("thread_ts", None)
            text = json.dumps(data, separators=(",", ":"))
        return text[:MAX_PRIVATE_METADATA]

    @classmethod
    def from_metadata(cls, text: str) -> FormOrigin | None:
        """Parse ``private_metadata``; None when it is not one of ours."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("action_id"), str):
            return None
        return cls(**{k: str(data.get(k, "")) for k in cls.__dataclass_fields__})


def is_form(card: Card | None) -> bool:
    """True when ``card`` asks the person to type something."""
    return card is not None and bool(card.inputs) and card.submit is not None


def build_modal(card: Card, *, origin: FormOrigin) -> View:
    """Render a form card as a modal: its sections as text, each input as a text box."""
    blocks: list[AnyBlock] = []
    for section in card.sections:
        blocks.extend(section_blocks(section))
    for field in card.inputs:
        blocks.append(
            InputBlock(
                block_id=field.id,
                label=PlainTextObject(text=plain_field(field.label, MAX_INPUT_LABEL)),
                element=_element(field),
                optional=True if field.optional else None,
            )
        )
    # Inputs come last and must all survive, so any cut falls on the text above them.
    overflow = len(blocks) - MAX_VIEW_BLOCKS
    if overflow > 0:
        blocks = blocks[: len(blocks) - len(card.inputs) - overflow] + blocks[-len(card.inputs) :]
    submit = card.submit or Button(label="Submit", action_id=origin.action_id)
    return View(
        type="modal",
        callback_id=FORM_CALLBACK_ID,
        title=PlainTextObject(text=plain_field(card.title or "Leadership coach", MAX_VIEW_TITLE)),
        submit=PlainTextObject(text=plain_field(submit.label, MAX_VIEW_BUTTON)),
        close=PlainTextObject(text="Cancel"),
        blocks=blocks,
        private_metadata=origin.to_metadata(),
    )


def _element(field: Input) -> PlainTextInputElement | StaticSelectElement | TimePickerElement:
    placeholder = (
        PlainTextObject(text=plain_field(field.placeholder, MAX_INPUT_PLACEHOLDER))
        if field.placeholder
        else None
    )
    if field.time:
        return TimePickerElement(action_id=field.id, initial_time=field.value or None)
    if field.choices:
        options = [
            Option(text=plain_field(c, MAX_OPTION_TEXT), value=c[:MAX_OPTION_VALUE])
            for c in field.choices[:MAX_OPTIONS]
        ]
        # A saved answer shows as chosen; Slack refuses an initial option not among the options.
        initial = next((o for o in options if field.value and o.value == field.value), None)
        return StaticSelectElement(
            action_id=field.id, placeholder=placeholder, options=options, initial_option=initial
        )
    return PlainTextInputElement(
        action_id=field.id,
        multiline=field.multiline,
        max_length=max(1, min(field.max_length, MAX_INPUT_LENGTH)),
        placeholder=placeholder,
        initial_value=field.value[:MAX_INPUT_LENGTH] or None,
    )


def plain_field(text: str, limit: int) -> str:
    """A non-empty plain-text field no longer than ``limit``."""
    return truncate(plain(text).strip() or ELLIPSIS, limit)


def form_values(view: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Read a submitted modal's text boxes as ``(input id, text)`` pairs, in the modal's order."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        return ()
    order = [b.get("block_id") for b in view.get("blocks") or [] if isinstance(b, dict)]
    ids = [i for i in order if i in values] + [i for i in values if i not in order]
    pairs: list[tuple[str, str]] = []
    for block_id in ids:
        elements = values.get(block_id)
        if not isinstance(elements, dict):
            continue
        for action_id, element in elements.items():
            text = element.get("value") if isinstance(element, dict) else None
            chosen = element.get("selected_option") if isinstance(element, dict) else None
            if isinstance(chosen, dict):
                text = chosen.get("value")
            elif isinstance(element, dict) and "selected_time" in element:
                text = element.get("selected_time")
            pairs.append((str(action_id), text if isinstance(text, str) else ""))
    return tuple(pairs)


def encode_form(card: Card) -> str | None:
    """Pack a form card into a button value; None if even a trimmed form exceeds 2,000 chars."""
    submit = card.submit
    if submit is None:
        return None
    for keep_text in (True, False):
        data = {
            "t": card.title,
            "s": [[s.heading, s.body] for s in card.sections] if keep_text else [],
            "i": [
                [
                    i.id,
                    i.label,
                    i.placeholder if keep_text else "",
                    int(i.multiline),
                    i.max_length,
                    int(i.optional),
                    list(i.choices),
                    # A saved value only when there is one: every character counts here. A
                    # time picker always carries its time and a ninth field saying so.
                    *([i.value, 1] if i.time else [i.value] if i.value and keep_text else []),
                ]
                for i in card.inputs
            ],
            "b": [submit.label, submit.action_id, submit.value],
        }
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if len(text) <= MAX_BUTTON_VALUE:
            return text
    return None


def decode_form(value: str) -> Card | None:
    """Unpack :func:`encode_form`'s value; None when it is not a form we packed."""
    try:
        data = json.loads(value)
        label, action_id, submit_value = data["b"]
        return Card(
            title=str(data["t"]),
            sections=tuple(Section(heading=str(h), body=str(b)) for h, b in data["s"]),
            inputs=tuple(_decode_input(i) for i in data["i"]),
            submit=Button(label=str(label), action_id=str(action_id), value=str(submit_value)),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _decode_input(packed: list[Any]) -> Input:
    # Five fields before optional inputs and choices existed, seven before saved values,
    # eight before time pickers; nine since.
    field_id, label, placeholder, multiline, max_length, *rest = packed
    optional, choices, value, is_time = (rest + [0, [], "", 0][len(rest) :])[:4]
    return Input(
        id=str(field_id),
        label=str(label),
        placeholder=str(placeholder),
        multiline=bool(multiline),
        max_length=int(max_length),
        optional=bool(optional),
        choices=tuple(str(c) for c in choices),
        value=str(value),
        time=bool(is_time),
    )

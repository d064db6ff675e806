"""The core's :class:`~bot.models.Reply` → a Teams message: an Adaptive Card 1.5 plus fallbacks.

The card is the rich answer; ``fallbackText`` (clients that cannot draw cards) and the
activity ``summary`` (notifications, the activity feed) carry the plain text.

Card text from the core is plain text with ``*bold*`` as its only markup. Adaptive Card
TextBlocks and FactSets render a Markdown subset, so everything else that Markdown would
interpret is escaped: a question echoed back cannot turn into a link, a list or bold text.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment

from adapters.teams.translate import ACTION_KEY, RESERVED_KEYS, VALUE_KEY
from bot.models import Attachment as BotAttachment
from bot.models import Button, Card, Input, Reply, Section

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
# Teams refuses messages over about 28 KB; leave room for the activity envelope.
MAX_CARD_BYTES = 24_000
SUMMARY_CHARS = 120
# An image (the progress chart, about 20 KB) travels inside the message as a base64 data URL in
# an Adaptive Card Image, which Teams shows inline. Teams takes messages up to 100 KB; with the
# answer card's 24 KB and base64's third more, 40 KB of image keeps well inside. A larger one
# goes by file consent like any other file.
MAX_INLINE_IMAGE_BYTES = 40_000
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
# In Teams every answer is already visible in the conversation it was asked in, so a
# "Share to channel" button would only repeat it: the renderer drops it.
DROPPED_ACTIONS = frozenset({"share"})

# Buttons whose answer replaces their own card for whoever pressed them (Universal Actions):
# the nudge's and the settings card's. They render as Action.Execute with an Action.Submit
# fallback; every other button still posts its answer as a new message.
EXECUTE_ACTIONS = frozenset(
    {"nudge.skip", "nudge.pause", "nudge.resume", "nudge.off", "nudge.stop", "nudge.on"}
)

_BOLD = re.compile(r"\*([^*\n]+)\*")
# Characters that start inline Markdown anywhere in a line; "<" starts an HTML tag (which
# card hosts drop: "<topic>" would vanish) and "&name;" an entity.
_INLINE = re.compile(r"([\\*_\[\]`~<]|&(?=#?\w+;))")
# Line starts that Markdown reads as a heading, quote or list item.
_BLOCK_START = re.compile(r"^(\s*)([#>+-])", re.MULTILINE)
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)
_NEWLINES = re.compile(r"\n+")
_STYLES = {"primary": "positive", "danger": "destructive", "default": "default"}


def escape(text: str) -> str:
    """Escape ``text`` so that an Adaptive Card TextBlock shows it literally."""
    return _escape_blocks(_escape_inline(text))


# The same escaping as _INLINE with a backslash before each match, but at C speed: every card
# escapes a few dozen strings, and re.sub with a template costs more than the text is worth.
_INLINE_TABLE = str.maketrans({c: "\\" + c for c in "\\*_[]`~<"})


def _escape_inline(text: str) -> str:
    # "&" only matters before an entity name; the regex handles that rare case, as before.
    text = _INLINE.sub(_backslashed, text) if "&" in text else text.translate(_INLINE_TABLE)
    # "{{DATE(...)}}" and "{{TIME(...)}}" are card functions; a zero-width space disarms them.
    return text.replace("{{", "{\u200b{") if "{{" in text else text


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group(1)


def _after_indent(match: re.Match[str]) -> str:
    return f"{match.group(1)}\\{match.group(2)}"


def _escape_blocks(text: str) -> str:
    # A function, not a template, as the replacement: most texts have no match, and a template
    # is parsed on every call.
    text = _BLOCK_START.sub(_after_indent, text)
    return _ORDERED_START.sub(_after_indent, text)


def to_markdown(text: str) -> str:
    """The core's light markup (``*bold*`` only) as escaped card Markdown.

    Single line breaks become paragraph breaks, because card Markdown joins adjacent lines.
    """
    out: list[str] = []
    last = 0
    for match in _BOLD.finditer(text):
        out.append(_escape_inline(text[last : match.start()]))
        out.append(f"**{_escape_inline(match.group(1))}**")
        last = match.end()
    out.append(_escape_inline(text[last:]))
    joined = _escape_blocks("".join(out).replace("\r\n", "\n").strip())
    return _NEWLINES.sub("\n\n", joined) if "\n" in joined else joined


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": to_markdown(text), "wrap": True, **style}


def _section(section: Section, *, first: bool) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    spacing = {} if first else {"spacing": "Medium", "separator": True}
    if section.heading:
        blocks.append(_text_block(section.heading, weight="Bolder", **spacing))
        spacing = {"spacing": "Small"}
    if section.body:
        blocks.append(_text_block(section.body, **spacing))
        spacing = {"spacing": "Small"}
    if section.facts:
        facts = [
            {"title": to_markdown(f.label), "value": to_markdown(f.value)} for f in section.facts
        ]
        blocks.append({"type": "FactSet", "facts": facts, **spacing})
    return blocks


def _input(field: Input) -> dict[str, Any]:
    if field.id in RESERVED_KEYS:
        # Teams merges input values into the button's data; these names would collide.
        raise ValueError(f"input id {field.id!r} is reserved for button data")
    if field.time:
        return {
            "type": "Input.Time",
            "id": field.id,
            "label": field.label,
            **({"value": field.value} if field.value else {}),
        }
    if field.choices:
        return {
            "type": "Input.ChoiceSet",
            "id": field.id,
            "label": field.label,
            "style": "compact",
            "choices": [{"title": c, "value": c} for c in field.choices],
            # Long choices and labels (a framework row) wrap rather than being cut off.
            "wrap": True,
            **({"placeholder": field.placeholder} if field.placeholder else {}),
            **({"value": field.value} if field.value in field.choices else {}),
        }
    block: dict[str, Any] = {
        "type": "Input.Text",
        "id": field.id,
        "label": field.label,
        "isMultiline": field.multiline,
        "maxLength": field.max_length,
    }
    if field.placeholder:
        block["placeholder"] = field.placeholder
    if field.value:
        block["value"] = field.value[: field.max_length]
    return block


def _action(button: Button) -> dict[str, Any]:
    # Action titles are plain text in every host: no Markdown, so no escaping.
    if button.url:
        return {"type": "Action.OpenUrl", "title": button.label, "url": button.url}
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": button.label,
        "data": {ACTION_KEY: button.action_id, VALUE_KEY: button.value},
    }
    if button.style != "default":
        action["style"] = _STYLES[button.style]
    if button.action_id in EXECUTE_ACTIONS:
        # Clients without Universal Actions (card schema < 1.4) use the fallback, which the
        # agent answers as before (a message carrying ``value``).
        return {**action, "type": "Action.Execute", "verb": button.action_id, "fallback": action}
    return action


def card_json(card: Card, *, fallback_text: str = "") -> dict[str, Any]:
    """Render ``card`` as Adaptive Card 1.5 JSON (a ``dict`` ready for an attachment)."""
    body: list[dict[str, Any]] = [
        _text_block(card.title, size="Large", weight="Bolder", style="heading")
    ]
    for index, section in enumerate(card.sections):
        body.extend(_section(section, first=index == 0))
    body.extend(_input(field) for field in card.inputs)
    if card.suggestions:
        tries = " · ".join(f"*{s}*" for s in card.suggestions)
        body.append(_text_block(f"Try: {tries}", isSubtle=True, spacing="Medium"))
    if card.footer:
        body.append(_text_block(card.footer, isSubtle=True, size="Small", spacing="Medium"))

    actions = [_action(b) for b in card.buttons if b.action_id not in DROPPED_ACTIONS]
    if card.submit is not None:
        actions.insert(0, _action(card.submit))
    rendered: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": body,
    }
    if actions:
        rendered["actions"] = actions
    if fallback_text:
        rendered["fallbackText"] = fallback_text
    rendered["msteams"] = {"width": "Full"}
    return rendered


def _size(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def fitted_card(card: Card, *, fallback_text: str = "") -> dict[str, Any]:
    """Render ``card`` as Adaptive Card JSON that fits in a Teams message (see :func:`_fit`)."""
    return _fit(card, fallback_text=fallback_text)[0]


def _fit(card: Card, *, fallback_text: str) -> tuple[dict[str, Any], int]:
    """Render ``card``, dropping trailing sections until it fits; the card and its size."""
    rendered = card_json(card, fallback_text=fallback_text)
    sections = card.sections
    # Measured once per rendering: the JSON encoding is a good part of a card's cost.
    while (size := _size(rendered)) > MAX_CARD_BYTES and sections:
        sections = sections[:-1]
        note = "Shortened to fit in Teams: ask a narrower question for the rest."
        shorter = Card(
            title=card.title,
            sections=sections,
            buttons=card.buttons,
            suggestions=card.suggestions,
            footer=note,
            inputs=card.inputs,
            submit=card.submit,
        )
        rendered = card_json(shorter, fallback_text=fallback_text[: MAX_CARD_BYTES // 4])
    return rendered, size


class CardContent(dict[str, Any]):
    """A rendered card as an attachment's content: a deep copy shares it rather than copying.

    SDK workaround. ``TurnContext.send_activities`` deep-copies every outgoing activity before
    it fills in the conversation reference, and a card is most of an answer's activity: the
    copy cost about as much as rendering the card. A card is rendered afresh for each message
    and nothing writes into it afterwards (neither this package nor the SDK, which only
    serialises attachment content), so the copy may share it.

    Upstream (microsoft/Agents-for-Python): copy the activity shallowly and replace only the
    fields ``apply_conversation_reference`` sets, instead of ``deepcopy``.
    """

    __slots__ = ()

    def __deepcopy__(self, _memo: dict[int, object]) -> CardContent:
        return self


def summary_of(text: str) -> str:
    """The first line of ``text``, cut to fit a notification."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= SUMMARY_CHARS:
        return first
    return first[: SUMMARY_CHARS - 1].rstrip() + "…"


def to_activity(reply: Reply) -> Activity:
    """Render ``reply`` as a message activity: cards when there are any, plain text otherwise."""
    cards = [c for c in (reply.card, *reply.extra) if c is not None]
    if not cards:
        # "plain" stops Teams reading Markdown in the fallback text, as the card escaping does.
        return Activity(type=ActivityTypes.message, text=reply.text, text_format="plain")
    attachments: list[Attachment] = []
    used = 0
    for index, card in enumerate(cards):
        content, size = _fit(card, fallback_text=reply.text if index == 0 else "")
        used += size
        if index > 0 and used > MAX_CARD_BYTES:
            break  # extra cards are a bonus; never let them push the answer over the limit
        attachments.append(Attachment(content_type=CARD_CONTENT_TYPE, content=CardContent(content)))
    image = reply.attachment
    if image is not None and shows_inline(image):
        attachments.append(inline_image(image))
    activity = Activity(type=ActivityTypes.message, attachments=attachments)
    summary = summary_of(reply.text)
    if summary:
        activity.summary = summary
    return activity


def shows_inline(attachment: BotAttachment) -> bool:
    """True for a small image, which goes inside the message rather than as a file."""
    return (
        attachment.media_type in INLINE_IMAGE_TYPES
        and len(attachment.data) <= MAX_INLINE_IMAGE_BYTES
    )


def inline_image(attachment: BotAttachment) -> Attachment:
    """``attachment`` as a card holding the image as a data URL, with its description as alt text.

    A card rather than a bare ``image/png`` attachment: the Image element carries ``altText``
    for screen readers, and every Teams client (and the Agents Playground) draws cards. Nothing
    is hosted, stored or expired: the image exists only inside the message.
    """
    encoded = base64.b64encode(attachment.data).decode("ascii")
    image: dict[str, Any] = {
        "type": "Image",
        "url": f"data:{attachment.media_type};base64,{encoded}",
        "altText": attachment.description or attachment.filename,
        "size": "Stretch",
    }
    content = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": [image],
        "msteams": {"width": "Full"},
    }
    return Attachment(content_type=CARD_CONTENT_TYPE, content=content, name=attachment.filename)


def file_of(reply: Reply) -> BotAttachment | None:
    """The reply's file still to deliver as a file (consent or messages): not one shown inline."""
    attachment = reply.attachment
    if attachment is None or shows_inline(attachment):
        return None
    return attachment

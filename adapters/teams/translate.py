"""Teams Activity → the core's :class:`~bot.models.Incoming` and :class:`~bot.models.Action`.

Pure functions over the SDK's ``Activity`` model: no I/O, so every rule here is tested on
recorded payloads alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from microsoft_agents.activity import Activity

from bot.identity import Platform, Who
from bot.models import Action, Incoming

PLATFORM = Platform.TEAMS
# Keys the renderer puts in every Action.Submit's data; everything else a card submits is a
# form input (Teams merges the inputs' values into the same object).
ACTION_KEY = "action_id"
VALUE_KEY = "value"
RESERVED_KEYS = frozenset({ACTION_KEY, VALUE_KEY, "msteams"})

_AT_TAG = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_LEADING_AT_TAG = re.compile(r"^\s*<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"[ \t\u00a0]+")


def tenant_of(activity: Activity) -> str:
    """The Entra tenant the activity came from ("" when the channel does not say)."""
    if activity.conversation is not None and activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    tenant = _channel_data(activity).get("tenant")
    if isinstance(tenant, Mapping) and isinstance(tenant.get("id"), str):
        return str(tenant["id"])
    return ""


def team_of(activity: Activity) -> str | None:
    """The team id for channel activities, else None."""
    team = _channel_data(activity).get("team")
    if isinstance(team, Mapping) and isinstance(team.get("id"), str):
        return str(team["id"])
    return None


def conversation_type_of(activity: Activity) -> str:
    """``personal``, ``channel`` or ``groupChat``; Teams always says, other channels may not."""
    conversation = activity.conversation
    if conversation is not None and conversation.conversation_type:
        return conversation.conversation_type
    if conversation is not None and conversation.is_group:
        return "groupChat"
    return "personal"


def user_id_of(activity: Activity) -> str:
    """The sender's Teams user id (``29:…``), the id a proactive message is addressed to."""
    sender = activity.from_property
    return sender.id if sender is not None and sender.id else ""


def timezone_of(activity: Activity) -> str | None:
    """The sender's IANA timezone from the ``clientInfo`` entity, if it names a real zone."""
    candidates: list[object] = []
    for entity in activity.entities or []:
        if entity.type.lower() == "clientinfo":
            candidates.append(entity.model_dump().get("timezone"))
    candidates.append(activity.local_timezone)
    for name in candidates:
        if isinstance(name, str) and _is_zone(name):
            return name
    return None


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def clean_text(activity: Activity) -> str:
    """The message text without the bot's own @mention, with other mentions as plain names.

    Teams puts ``<at>Coach</at>`` in the text of a channel message that mentions the bot; the
    mention entity's ``text`` is that exact markup, which is what gets removed.
    """
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient is not None else None
    stripped = False
    for mention in activity.get_mentions():
        mentioned = mention.mentioned
        if bot_id and mentioned is not None and mentioned.id == bot_id and mention.text:
            stripped = stripped or mention.text in text
            text = text.replace(mention.text, " ")
    if not stripped and conversation_type_of(activity) != "personal":
        # Outside a personal chat the bot only hears messages that @mention it; without a
        # mention entity, the leading tag is that mention.
        text = _LEADING_AT_TAG.sub(" ", text, count=1)
    # Any other <at>Name</at> (a colleague) reads as the name itself.
    text = _AT_TAG.sub(lambda m: m.group(1), text)
    text = text.replace("&nbsp;", " ")
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def who_of(activity: Activity) -> Who:
    """Who sent ``activity``, and in which conversation (tenant "" when the channel sends none)."""
    return Who(
        platform=PLATFORM,
        workspace_id=tenant_of(activity),
        user_id=user_id_of(activity),
        conversation_id=activity.conversation.id if activity.conversation else "",
    )


def to_incoming(activity: Activity) -> Incoming:
    """Translate a message activity into what the person typed."""
    return Incoming(
        text=clean_text(activity),
        who=who_of(activity),
        is_direct=conversation_type_of(activity) == "personal",
        timezone=timezone_of(activity),
    )


def submitted_data(activity: Activity) -> Mapping[str, Any] | None:
    """The data of a card button, for both ways Teams delivers it.

    ``Action.Submit`` arrives as a message whose ``value`` is the data; ``Action.Execute``
    (and hosts that route Submit through Universal Actions) arrives as an ``adaptiveCard/action``
    invoke whose ``value.action.data`` is the data. Only data the renderer made (with an
    ``action_id``) counts.
    """
    value = activity.value
    if activity.type == "invoke":
        action = value.get("action") if isinstance(value, Mapping) else None
        if not isinstance(action, Mapping):
            return None
        data = action.get("data")
        data = dict(data) if isinstance(data, Mapping) else {}
        if not isinstance(data.get(ACTION_KEY), str) and isinstance(action.get("verb"), str):
            data[ACTION_KEY] = action["verb"]
        value = data
    if isinstance(value, Mapping) and isinstance(value.get(ACTION_KEY), str):
        return value
    return None


def to_action(activity: Activity) -> Action | None:
    """Translate a card submission into a button press, or None when it is not one of ours."""
    data = submitted_data(activity)
    if data is None or not str(data[ACTION_KEY]).strip():
        return None
    raw_value = data.get(VALUE_KEY, "")
    form = tuple(
        (key, text)
        for key, text in data.items()
        if key not in RESERVED_KEYS and isinstance(text, str)
    )
    return Action(
        action_id=str(data[ACTION_KEY]),
        value=raw_value if isinstance(raw_value, str) else "",
        who=who_of(activity),
        form=form,
        timezone=timezone_of(activity),
    )


def _channel_data(activity: Activity) -> Mapping[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, Mapping) else {}

"""Slack payloads in, the core's :class:`Incoming` and :class:`Action` out.

Pure functions over the documented payload shapes (slash command form bodies, ``event_callback``
events, ``block_actions`` and ``view_submission``), so each can be tested on a recorded payload.
Text arrives in Slack's markup (``<@U123>``, ``<https://…|label>``, ``&lt;``); the core gets what
the person actually typed, with the bot's own mention removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.slack.action_ids import INPUT_BLOCK_PREFIX, core_action_id, is_adapter_action
from adapters.slack.escape import unescape
from adapters.slack.forms import FormOrigin, form_values
from bot.identity import Platform, Who
from bot.models import Action, Incoming

PLATFORM = Platform.SLACK

# Subtypes that are still a person writing to the coach; edits, joins and bot posts are not.
_PERSON_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})

_MARKUP = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where an interaction happened, so that the answer goes back to the same place."""

    workspace_id: str
    user_id: str
    channel_id: str = ""
    thread_ts: str = ""
    response_url: str = ""
    trigger_id: str = ""
    # True for a button on the App Home (or in a modal): there is no message to answer under.
    in_view: bool = False


def workspace_of(body: Mapping[str, Any]) -> str:
    """The Slack team id a payload belongs to (or the org id for an org-wide install)."""
    for candidate in (
        body.get("team_id"),
        _get(body, "team", "id"),
        _get(body, "user", "team_id"),
        _get(body, "event", "team"),
        body.get("enterprise_id"),
        _get(body, "enterprise", "id"),
    ):
        if isinstance(candidate, str) and candidate:
            return candidate
    return ""


def clean_text(text: str, *, bot_user_id: str | None = None) -> str:
    """Turn Slack's markup into what the person typed, dropping mentions of the bot.

    ``<https://x|label>`` becomes ``label``, ``<#C1|general>`` becomes ``#general``, other
    people's mentions and ``<!here>``-style commands are dropped (they carry no question), and
    the three escaped characters are unescaped last.
    """

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return ""
        if target.startswith("!"):
            return ""
        if target.startswith("#"):
            return f"#{label}" if label else ""
        return label or target

    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    return " ".join(unescape(_MARKUP.sub(replace, text)).split())


def incoming_from_command(body: Mapping[str, Any], *, timezone: str | None) -> Incoming:
    """``/leadership <text>``: the text after the command, from the person who typed it."""
    channel = str(body.get("channel_id") or "")
    return Incoming(
        text=clean_text(str(body.get("text") or "")),
        who=Who(
            platform=PLATFORM,
            workspace_id=workspace_of(body),
            user_id=str(body.get("user_id") or ""),
            conversation_id=channel,
        ),
        is_direct=channel.startswith("D") or body.get("channel_name") == "directmessage",
        timezone=timezone,
    )


def is_person_dm(event: Mapping[str, Any]) -> bool:
    """True for a ``message.im`` event a person wrote (not an edit, a join or a bot's post)."""
    return (
        event.get("type") == "message"
        and event.get("channel_type") == "im"
        and event.get("subtype") in _PERSON_SUBTYPES
        and not event.get("bot_id")
        and isinstance(event.get("user"), str)
    )


def is_channel_mention(event: Mapping[str, Any]) -> bool:
    """True for an ``app_mention`` outside a DM (a DM arrives as ``message.im`` too)."""
    channel = str(event.get("channel") or "")
    return (
        event.get("type") == "app_mention"
        and not channel.startswith("D")
        and not event.get("bot_id")
        and isinstance(event.get("user"), str)
    )


def incoming_from_event(
    event: Mapping[str, Any], *, workspace_id: str, bot_user_id: str | None, timezone: str | None
) -> Incoming:
    """A DM or a mention: the message text, the bot's mention removed."""
    channel = str(event.get("channel") or "")
    return Incoming(
        text=clean_text(str(event.get("text") or ""), bot_user_id=bot_user_id),
        who=Who(
            platform=PLATFORM,
            workspace_id=workspace_id,
            user_id=str(event.get("user") or ""),
            conversation_id=channel,
        ),
        is_direct=event.get("channel_type") == "im" or channel.startswith("D"),
        timezone=timezone,
    )


def reply_thread(event: Mapping[str, Any]) -> str | None:
    """The thread to answer in: a mention's own thread (started on it if need be); a DM's if any."""
    thread = event.get("thread_ts")
    if isinstance(thread, str) and thread:
        return thread
    if event.get("type") == "app_mention":
        ts = event.get("ts")
        return ts if isinstance(ts, str) else None
    return None


def origin_of(body: Mapping[str, Any]) -> Origin:
    """Where a ``block_actions`` or ``view_submission`` payload came from."""
    container = _mapping(body.get("container"))
    message = _mapping(body.get("message"))
    channel = _get(body, "channel", "id") or container.get("channel_id") or ""
    thread = container.get("thread_ts") or message.get("thread_ts") or ""
    return Origin(
        workspace_id=workspace_of(body),
        user_id=str(_get(body, "user", "id") or ""),
        channel_id=str(channel),
        thread_ts=str(thread),
        response_url=str(body.get("response_url") or ""),
        trigger_id=str(body.get("trigger_id") or ""),
        in_view=container.get("type") == "view" or body.get("type") == "view_submission",
    )


def action_from_block_action(
    body: Mapping[str, Any], action: Mapping[str, Any], *, timezone: str | None
) -> Action | None:
    """One pressed button as the core's ``Action``; None for the adapter's own buttons."""
    raw = action.get("action_id")
    if not isinstance(raw, str) or is_adapter_action(raw):
        return None
    value = action.get("value")
    if not isinstance(value, str):
        selected = action.get("selected_option")
        value = (
            selected.get("value") if isinstance(selected, Mapping) else action.get("selected_time")
        )
    value = value if isinstance(value, str) else ""
    block_id = action.get("block_id")
    form: tuple[tuple[str, str], ...] = ()
    if isinstance(block_id, str) and block_id.startswith(INPUT_BLOCK_PREFIX):
        # A picker shown in place (the App Home's day or time): the one input it changed.
        form = ((block_id.removeprefix(INPUT_BLOCK_PREFIX), value),)
    origin = origin_of(body)
    return Action(
        action_id=core_action_id(raw),
        value=value,
        who=Who(
            platform=PLATFORM,
            workspace_id=origin.workspace_id,
            user_id=origin.user_id,
            conversation_id=origin.channel_id,
        ),
        form=form,
        timezone=timezone,
    )


def action_from_submission(
    body: Mapping[str, Any], *, form: FormOrigin, timezone: str | None
) -> Action:
    """A submitted modal as the ``Action`` of its submit button, carrying what was typed."""
    view = body.get("view")
    return Action(
        action_id=form.action_id,
        value=form.value,
        who=Who(
            platform=PLATFORM,
            workspace_id=workspace_of(body),
            user_id=str(_get(body, "user", "id") or ""),
            conversation_id=form.channel_id,
        ),
        form=form_values(view) if isinstance(view, Mapping) else (),
        timezone=timezone,
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _get(body: Mapping[str, Any], *path: str) -> Any:
    node: Any = body
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node

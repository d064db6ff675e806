"""Direct messages to the app and @mentions in channels, answered by the same core.

A mention is answered in its thread, so a channel is not flooded; a DM is answered in the DM
(in its thread when the person wrote in one).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.deliver import apologise, post, post_ephemeral, send_attachment
from adapters.slack.deps import SlackDeps
from adapters.slack.translate import (
    Origin,
    incoming_from_event,
    is_channel_mention,
    is_person_dm,
    reply_thread,
    workspace_of,
)
from bot.models import Audience, Incoming, Reply

log = logging.getLogger(__name__)

# What a mention's answer shows only to the asker (an ephemeral message in the channel).
ONLY_FOR_THE_ASKER = frozenset({Audience.PERSON, Audience.ASKER})

# Called with a question (not a reflection) before the coach answers it: the assistant view
# shows "is thinking…" and titles its thread there.
Working = Callable[[Incoming], Awaitable[None]]


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Listen for ``message.im`` and ``app_mention``."""

    @app.event("message")
    async def answer_dm(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        if is_person_dm(event):
            await answer_message(deps, event=event, body=body, client=client, context=context)

    @app.event("app_mention")
    async def answer_mention(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        if is_channel_mention(event):
            await answer_message(deps, event=event, body=body, client=client, context=context)


def register_catch_all(app: AsyncApp) -> None:
    """Acknowledge every other event, so Slack does not retry what we chose to ignore."""

    @app.event(re.compile(".*"))
    async def ignore_event() -> None:
        return None


def is_personal(reply: Reply) -> bool:
    """True for a reply the core keeps to the asker, which a mention answers ephemerally."""
    return reply.audience in ONLY_FOR_THE_ASKER


async def answer_message(
    deps: SlackDeps,
    *,
    event: dict[str, Any],
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
    working: Working | None = None,
) -> None:
    """Answer a DM, a mention or a message in the assistant view, once per event."""
    if await deps.dedupe.is_repeat(body):
        return
    workspace = workspace_of(body)
    user = str(event.get("user") or "")
    channel = str(event.get("channel") or "")
    thread = reply_thread(event)
    try:
        timezone = await deps.timezones.lookup(client, workspace_id=workspace, user_id=user)
        incoming = incoming_from_event(
            event, workspace_id=workspace, bot_user_id=context.bot_user_id, timezone=timezone
        )
        reply = await _reflection(deps, incoming, event=event)
        if reply is None:
            if working is not None:
                await working(incoming)
            reply = await deps.coach.handle(incoming)
        if not incoming.is_direct and is_personal(reply):
            await post_ephemeral(
                client, channel=channel, user_id=user, reply=reply, thread_ts=thread
            )
        else:
            await post(client, channel=channel, reply=reply, thread_ts=thread)
        await send_attachment(client, user_id=user, reply=reply)
    except Exception:
        log.exception("Could not answer a message")
        await apologise(
            client,
            origin=Origin(
                workspace_id=workspace, user_id=user, channel_id=channel, thread_ts=thread or ""
            ),
        )


async def _reflection(
    deps: SlackDeps, incoming: Incoming, *, event: dict[str, Any]
) -> Reply | None:
    """A DM reply in a nudge's thread is a reflection for the journal, if the nudges say so."""
    thread = event.get("thread_ts")
    if not incoming.is_direct or not isinstance(thread, str):
        return None
    return await deps.coach.reflection(incoming, thread_ref=thread)

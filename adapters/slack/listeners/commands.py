"""``/leadership <text>``: answered in the acknowledgement when it can be, else afterwards.

Slack shows the body of a slash command's acknowledgement as the answer. A question that needs
no storage is answered in well under a millisecond and needs no timezone, so its answer goes in
the ack: one HTTP exchange instead of two, and the person sees it sooner. Stateful commands
(nudges, journal) need the person's timezone from ``users.info`` and the database, so they are
acknowledged at once and answered through the ``response_url``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.authorize import SLACK_UNREACHABLE, UNREACHABLE_TEXT
from adapters.slack.deliver import apologise, deliver, in_acknowledgement
from adapters.slack.deps import SlackDeps
from adapters.slack.translate import Origin, incoming_from_command, workspace_of
from bot.ports import AsyncCoach

log = logging.getLogger(__name__)


def answer_in_ack(coach: AsyncCoach, body: Mapping[str, Any]) -> dict[str, Any] | None:
    """A slash command's answer as its acknowledgement's body, when it can go there.

    ``None`` when it needs storage (or a modal, or a file): then it is acknowledged empty and
    answered afterwards.

    Stateless: answered inline, routed once, no thread hop and no database. Used by the Bolt
    listener below and by the HTTP handler's shortcut (``adapters/slack/handler.py``).
    """
    try:
        reply = coach.answer_now(incoming_from_command(body, timezone=None))
        return None if reply is None else in_acknowledgement(reply)
    except Exception:
        log.exception("Could not answer a slash command in its acknowledgement")
        return None


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Answer every slash command the app has with the coach (the manifest has one)."""

    # Any command name: a second copy of the app (a staging workspace, say) may need another.
    @app.command(re.compile(r"^/"))
    async def answer_command(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        message = answer_in_ack(deps.coach, body)
        if message is not None:
            await ack(message)
            return
        if context.get(SLACK_UNREACHABLE):
            # Everything below needs the Web API (users.info at least): say so now, briefly.
            await ack(text=UNREACHABLE_TEXT, response_type="ephemeral")
            return
        # Acknowledge first: Slack allows three seconds and users.info may be slow.
        await ack()
        origin = Origin(
            workspace_id=workspace_of(body),
            user_id=str(body.get("user_id") or ""),
            channel_id=str(body.get("channel_id") or ""),
            response_url=str(body.get("response_url") or ""),
            trigger_id=str(body.get("trigger_id") or ""),
        )
        try:
            timezone = await deps.timezones.lookup(
                client, workspace_id=origin.workspace_id, user_id=origin.user_id
            )
            incoming = incoming_from_command(body, timezone=timezone)
            # Off the event loop (the facade's workers): stateful commands wait on the
            # database, and the loop must keep acknowledging everyone else meanwhile.
            reply = await deps.coach.handle(incoming)
            await deliver(client, origin=origin, reply=reply)
        except Exception:
            log.exception("Could not answer a slash command")
            await apologise(client, origin=origin)

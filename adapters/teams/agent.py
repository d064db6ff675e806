"""The Teams bot: an SDK ``ActivityHandler`` that hands each activity to the core.

It only translates. Messages become :class:`~bot.models.Incoming`, card buttons become
:class:`~bot.models.Action`, and the core's :class:`~bot.models.Reply` is rendered back into
the same conversation. Around that it keeps the conversation references the nudges need and
welcomes people when the app is installed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ChannelAccount,
    InvokeResponse,
    TurnContextProtocol,
)
from microsoft_agents.hosting.core import ActivityHandler

from adapters.teams import render, translate
from adapters.teams.dedupe import SeenActivities, welcome_key
from adapters.teams.references import ReferenceStore
from bot.coach import Coach
from bot.models import Action, Incoming, Reply

log = logging.getLogger(__name__)

ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
# The SDK types handlers with its generic turn-context protocol; every turn here is an Activity.
Context = TurnContextProtocol[Activity]
# Only a first install greets; "add-upgrade" is the same app updated.
INSTALL_ACTIONS = frozenset({"add"})


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CoachAgent(ActivityHandler):
    """Routes Teams activities to the coach and its answers back to Teams."""

    def __init__(
        self,
        *,
        coach: Coach,
        references: ReferenceStore,
        seen: SeenActivities,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._coach = coach
        self._references = references
        self._seen = seen
        self._now = now

    async def on_turn(self, turn_context: Context) -> None:
        """Refresh the sender's conversation reference, then handle the activity by type."""
        activity = turn_context.activity
        if not _is_departure(activity):
            await asyncio.to_thread(self._references.save, activity, now=self._now())
        await super().on_turn(turn_context)

    # --- messages and buttons -------------------------------------------------------------

    async def on_message_activity(self, turn_context: Context) -> None:
        """A typed message, or an ``Action.Submit`` button (a message carrying ``value``)."""
        activity = turn_context.activity
        action = translate.to_action(activity)
        if action is not None:
            reply = await self._act(action)
        else:
            reply = await self._handle(translate.to_incoming(activity))
        await turn_context.send_activity(render.to_activity(reply))

    async def on_invoke_activity(self, turn_context: Context) -> InvokeResponse | None:
        """``adaptiveCard/action`` (``Action.Execute``) buttons; other invokes as the SDK does."""
        activity = turn_context.activity
        if activity.name != ADAPTIVE_CARD_ACTION:
            return await super().on_invoke_activity(turn_context)
        action = translate.to_action(activity)
        if action is None:
            body = AdaptiveCardInvokeResponse(
                status_code=400,
                type="application/vnd.microsoft.error",
                value={"code": "BadRequest", "message": "Not a button from this app."},
            )
            return InvokeResponse(
                status=400, body=body.model_dump(by_alias=True, exclude_none=True)
            )
        reply = await self._act(action)
        await turn_context.send_activity(render.to_activity(reply))
        # The answer is posted as its own message; the invoke only acknowledges the press.
        body = AdaptiveCardInvokeResponse(
            status_code=200,
            type="application/vnd.microsoft.activity.message",
            value=render.summary_of(reply.text) or "Done",
        )
        return InvokeResponse(status=200, body=body.model_dump(by_alias=True, exclude_none=True))

    # --- install and uninstall ------------------------------------------------------------

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: Context
    ) -> None:
        """Welcome when the bot itself joined (an install in a chat or team)."""
        bot = turn_context.activity.recipient
        if bot is not None and any(m.id == bot.id for m in members_added):
            await self._welcome(turn_context)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: Context
    ) -> None:
        """The bot removed from a chat or team: forget how to reach that conversation."""
        bot = turn_context.activity.recipient
        if bot is not None and any(m.id == bot.id for m in members_removed):
            await self._forget(turn_context.activity)

    async def on_installation_update_add(self, turn_context: Context) -> None:
        """App installed (personal, chat or team): welcome, once per conversation."""
        if turn_context.activity.action in INSTALL_ACTIONS:
            await self._welcome(turn_context)

    async def on_installation_update_remove(self, turn_context: Context) -> None:
        """App uninstalled: delete the conversation's references (and the welcome claim)."""
        await self._forget(turn_context.activity)

    # --- helpers --------------------------------------------------------------------------

    async def _welcome(self, turn_context: Context) -> None:
        activity = turn_context.activity
        conversation_id = activity.conversation.id if activity.conversation else ""
        # Teams signals one install twice (conversationUpdate and installationUpdate).
        claimed = await asyncio.to_thread(
            self._seen.claim, welcome_key(conversation_id=conversation_id)
        )
        if not claimed:
            return
        incoming = translate.to_incoming(activity)
        welcome = Incoming(
            text="help",
            user_id=incoming.user_id,
            platform=incoming.platform,
            workspace_id=incoming.workspace_id,
            conversation_id=incoming.conversation_id,
            is_direct=incoming.is_direct,
            timezone=incoming.timezone,
        )
        reply = await self._handle(welcome)
        await turn_context.send_activity(render.to_activity(reply))

    async def _forget(self, activity: Activity) -> None:
        removed = await asyncio.to_thread(self._references.forget, activity)
        if activity.conversation is not None:
            key = welcome_key(conversation_id=activity.conversation.id)
            await asyncio.to_thread(self._seen.release, key)
        log.info("teams: app removed from a conversation; %d reference(s) deleted", removed)

    async def _handle(self, incoming: Incoming) -> Reply:
        # The core is synchronous; its stateful commands may touch the database.
        return await asyncio.to_thread(self._coach.handle, incoming, now=self._now())

    async def _act(self, action: Action) -> Reply:
        return await asyncio.to_thread(self._coach.act, action, now=self._now())


def _is_departure(activity: Activity) -> bool:
    """True for activities that remove the bot, after which nothing may be sent there."""
    if activity.type == ActivityTypes.installation_update:
        return (activity.action or "").startswith("remove")
    if activity.type == ActivityTypes.conversation_update and activity.recipient is not None:
        return any(m.id == activity.recipient.id for m in activity.members_removed or [])
    return False

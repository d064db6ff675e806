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
from dataclasses import replace
from datetime import UTC, datetime

import aiohttp
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    InvokeResponse,
    TurnContextProtocol,
)
from microsoft_agents.hosting.core import ActivityHandler

from adapters.store.outage import OUTAGE_ERRORS, OutageLog
from adapters.teams import extension, files, render, translate, universal
from adapters.teams.dedupe import SeenActivities, welcome_key
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.references import ReferenceStore
from adapters.teams.reflections import NudgeThreads, explicit_thread
from adapters.teams.turnbatch import TurnBatcher
from adapters.teams.turnstart import CURRENT, Runner, TurnStart, TurnStarter
from bot.models import Action, Audience, Incoming, Reply
from bot.ports import AsyncCoach, SendStatus

log = logging.getLogger(__name__)

# The SDK types handlers with its generic turn-context protocol; every turn here is an Activity.
Context = TurnContextProtocol[Activity]
# Only a first install greets; "add-upgrade" is the same app updated.
INSTALL_ACTIONS = frozenset({"add"})
# turn_state key: what the turn's transaction found (adapters.teams.turnstart.TurnStart).
TURN_START = "coach.turn_start"
GUESSED_NOTE = (
    "I took that as your reflection on this week's nudge. If you meant to ask me something, "
    "send it again."
)
FILE_ELSEWHERE = "ask for it in our personal chat in Microsoft Teams to get the file."
MOVED_NOTE = "That is just for you, so I have sent it to our personal chat."
UNREACHABLE_NOTE = (
    "That is just for you, and I could not reach our personal chat: open the coach's chat "
    "in Teams and ask there."
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CoachAgent(ActivityHandler):
    """Routes Teams activities to the coach and its answers back to Teams."""

    def __init__(
        self,
        *,
        coach: AsyncCoach,
        references: ReferenceStore,
        seen: SeenActivities,
        messenger: TeamsMessenger | None = None,
        threads: NudgeThreads | None = None,
        uploads_local_only: bool = True,
        now: Callable[[], datetime] = _utc_now,
        outage: OutageLog | None = None,
        run: Runner | None = None,
    ) -> None:
        self._outage = outage or OutageLog()
        self._run: Runner = run or asyncio.to_thread
        self._starter = TurnStarter(
            references.engine, seen=seen, references=references, threads=threads, outage=outage
        )
        self._batcher = TurnBatcher(self._starter, run=self._run)
        self._coach = coach
        self._references = references
        self._seen = seen
        self._messenger = messenger
        self._threads = threads
        # Anonymous (no credentials): anyone can post an invoke, so upload only to loopback.
        self._uploads_local_only = uploads_local_only
        self._now = now

    async def on_turn(self, turn_context: Context) -> None:
        """Refresh the sender's conversation reference, then handle the activity by type."""
        # The endpoint has usually run the turn's database work already (with the dedupe
        # claim, in the same transaction); otherwise do it here, without a claim.
        start = CURRENT.get()
        if start is None:
            start = await self.start_turn(turn_context.activity, key=None)
        turn_context.turn_state[TURN_START] = start
        await super().on_turn(turn_context)

    async def start_turn(self, activity: Activity, *, key: str | None) -> TurnStart:
        """The turn's database work, in one transaction (shared with the turns arriving with it)."""
        return await self._batcher.start(activity, key=key, now=self._now())

    # --- messages and buttons -------------------------------------------------------------

    async def on_message_activity(self, turn_context: Context) -> None:
        """A typed message, or an ``Action.Submit`` button (a message carrying ``value``)."""
        activity = turn_context.activity
        if extension.is_inserted_card(activity):
            return  # a search result shared into our own chat: nothing was asked
        action = translate.to_action(activity)
        if action is not None:
            reply = await self._act(action)
        else:
            incoming = translate.to_incoming(activity)
            reply = await self._reflection(turn_context, incoming) or await self._handle(incoming)
        await self._answer(turn_context, reply)

    async def on_invoke_activity(self, turn_context: Context) -> InvokeResponse | None:
        """Card buttons, message-extension searches and file consent; others as the SDK (501)."""
        activity = turn_context.activity
        if activity.name == files.FILE_CONSENT_INVOKE:
            return await self._file_consent(turn_context)
        if activity.name == extension.QUERY_INVOKE:
            return await extension.answer_query(activity, coach=self._coach)
        if activity.name == universal.ADAPTIVE_CARD_ACTION:
            return await universal.answer_action(turn_context, act=self._act, answer=self._answer)
        return await super().on_invoke_activity(turn_context)

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

    # --- replies to a nudge ----------------------------------------------------------------

    async def _reflection(self, turn_context: Context, incoming: Incoming) -> Reply | None:
        """A reply to a nudge, saved as a reflection (see :mod:`adapters.teams.reflections`)."""
        if not incoming.is_direct or not self._coach.keeps_state:
            return None
        try:
            return await self._reply_to_nudge(turn_context, incoming)
        except OUTAGE_ERRORS as exc:
            # The database is down: answer as usual, which says so for what needs it.
            self._outage.down(exc, where="teams reflection reply")
            return None

    async def _reply_to_nudge(self, turn_context: Context, incoming: Incoming) -> Reply | None:
        activity = turn_context.activity
        explicit = explicit_thread(activity)
        if explicit is not None:
            thread_ref, text = explicit
            answered = replace(incoming, text=text)
            return await self._coach.reflection(answered, thread_ref=thread_ref)
        start = turn_context.turn_state.get(TURN_START)
        thread_ref = start.nudge_ref if isinstance(start, TurnStart) and start.rule3 else ""
        if not thread_ref:
            return None
        reply = await self._coach.reflection(incoming, thread_ref=thread_ref)
        # Only a saved reflection counts: a guess that failed (no key) answers as usual.
        if reply is None or reply.intent != "journal":
            return None
        card = replace(reply.card, footer=GUESSED_NOTE) if reply.card is not None else None
        return replace(reply, text=f"{reply.text} {GUESSED_NOTE}", card=card)

    # --- answering, and files -------------------------------------------------------------

    async def _answer(self, turn_context: Context, reply: Reply) -> None:
        """Post ``reply`` (and its file) where it belongs: private answers never in a channel."""
        activity = turn_context.activity
        personal = translate.conversation_type_of(activity) == "personal"
        # Teams has no "only visible to you" message: outside the personal chat, an answer
        # about the person's own data goes to that chat and the conversation gets a pointer.
        if not personal and reply.audience is Audience.PERSON:
            await self._answer_privately(turn_context, reply)
            return
        await turn_context.send_activity(render.to_activity(reply))
        attachment = render.file_of(reply)  # an inline image (a chart) is in the message
        if attachment is not None:
            if personal and activity.channel_id == "msteams":
                # File consent exists only in Teams' personal scope.
                await turn_context.send_activity(files.consent_for(attachment))
            elif attachment.is_text:
                await turn_context.send_activities(
                    list(
                        files.message_activities(
                            filename=attachment.filename, markdown=attachment.text()
                        )
                    )
                )
            else:
                # No file consent here and no way to show a binary file as messages.
                await turn_context.send_activity(
                    _plain(f"{attachment.description or attachment.filename}: {FILE_ELSEWHERE}")
                )

    async def _answer_privately(self, turn_context: Context, reply: Reply) -> None:
        activity = turn_context.activity
        if self._messenger is None:
            await turn_context.send_activity(_plain(UNREACHABLE_NOTE))
            return
        recipient = translate.who_of(activity).person
        result = await self._messenger.send(recipient=recipient, reply=reply)
        if result.status == SendStatus.SENT and (file := render.file_of(reply)) is not None:
            consent = files.consent_for(file)
            result = await self._messenger.send_activity(recipient=recipient, activity=consent)
        note = MOVED_NOTE if result.status == SendStatus.SENT else UNREACHABLE_NOTE
        await turn_context.send_activity(_plain(note))

    async def _file_consent(self, turn_context: Context) -> InvokeResponse:
        """The person accepted or declined a file: upload it and show it, or say so."""
        activity = turn_context.activity
        consent = files.consent_of(activity)
        if consent is None or consent.file != files.JOURNAL_EXPORT:
            return InvokeResponse(status=400, body={"error": "Not a file from this app."})
        if not consent.accepted:
            await turn_context.send_activity(
                _plain("No file was saved. Type journal export whenever you want it.")
            )
            return InvokeResponse(status=200)
        if not files.upload_allowed(consent.upload_url, local_only=self._uploads_local_only):
            log.warning("teams: refused a file upload URL that Teams would never send")
            return InvokeResponse(status=400, body={"error": "Upload URL refused."})
        # Export again for whoever accepted: the card never carries the journal itself.
        export = Action(
            action_id=files.JOURNAL_EXPORT,
            value=consent.export,
            who=translate.who_of(activity),
            timezone=translate.timezone_of(activity),
        )
        reply = await self._act(export)
        if reply.attachment is None:
            await turn_context.send_activity(render.to_activity(reply))
            return InvokeResponse(status=200)
        try:
            await files.upload(consent.upload_url, reply.attachment.data)
        except (aiohttp.ClientError, TimeoutError) as exc:
            # Never the content: only that the upload failed, and how.
            log.warning("teams: journal upload failed (%s)", type(exc).__name__)
            await turn_context.send_activity(
                _plain("OneDrive did not take the file just now. Type journal export to try again.")
            )
            return InvokeResponse(status=200)
        await turn_context.send_activity(files.file_info_activity(consent))
        return InvokeResponse(status=200)

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
        welcome = replace(incoming, text="help")
        reply = await self._handle(welcome)
        await self._answer(turn_context, reply)

    async def _forget(self, activity: Activity) -> None:
        removed = await asyncio.to_thread(self._references.forget, activity)
        if activity.conversation is not None:
            key = welcome_key(conversation_id=activity.conversation.id)
            await asyncio.to_thread(self._seen.release, key)
        log.info("teams: app removed from a conversation; %d reference(s) deleted", removed)

    async def _handle(self, incoming: Incoming) -> Reply:
        # The facade answers stateless questions inline and runs the rest off the loop.
        return await self._coach.handle(incoming)

    async def _act(self, action: Action) -> Reply:
        reply = await self._coach.act(action)
        if action.action_id.startswith("forget."):
            # "forget me" may have deleted references: the next turn must write them again.
            self._references.drop_cached()
        return reply


def _plain(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, text_format="plain")

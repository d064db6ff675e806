"""Slack's assistant view (Agents & AI apps): the same coach, in the split-view thread.

Bolt's ``AsyncAssistant`` middleware picks out the assistant's events before any other
listener sees them:

- ``assistant_thread_started``: the thread gets suggested prompts drawn from content
  (:func:`bot.starters.starters`);
- ``assistant_thread_context_changed``: the channel the person is now viewing is kept in a
  bounded in-process store (Bolt's default store would cost a ``conversations.replies`` and a
  ``chat.update`` per change; the coach does not need the context to answer);
- a person's message in a DM thread: answered by the same code as a DM
  (:func:`~adapters.slack.listeners.messages.answer_message`), so a reply in a nudge's thread
  is still a reflection, stateful commands work, and the answer is posted in the thread. The
  assistant thread is a DM between the person and the app, so the core's audience rules for a
  DM apply unchanged. While the coach works the thread shows "is thinking…", and the first
  question titles the thread.

Workspaces that have not turned the assistant view on never send these events, and a
message outside a thread falls through to the classic DM listener.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.assistant.thread_context import AssistantThreadContext
from slack_bolt.context.assistant.thread_context_store.async_store import (
    AsyncAssistantThreadContextStore,
)
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.assistant.async_assistant import AsyncAssistant
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.deps import SlackDeps
from adapters.slack.listeners.messages import answer_message
from adapters.slack.translate import is_person_dm
from bot.models import Incoming
from bot.starters import starters

log = logging.getLogger(__name__)

THINKING = "is thinking…"
PROMPTS_TITLE = "Ask about leadership behaviours, the principles or your academy"
# Slack truncates long titles in the history list; a title is a reminder, not the question.
MAX_TITLE_CHARS = 60
THREAD_EVENTS = frozenset({"assistant_thread_started", "assistant_thread_context_changed"})
# Threads remembered per process (context, or already titled): bounded, oldest forgotten first.
MAX_THREADS = 10_000

Failure = (SlackApiError, SlackClientError, OSError, TimeoutError)


class BoundedLru:
    """The last ``MAX_THREADS`` threads' values, so memory stays flat however many open."""

    def __init__(self, size: int = MAX_THREADS) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str], dict[str, str]] = OrderedDict()

    def put(self, key: tuple[str, str], value: dict[str, str]) -> None:
        """Remember ``value`` for ``key``, forgetting the oldest entry when full."""
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def get(self, key: tuple[str, str]) -> dict[str, str] | None:
        """The value for ``key``, if it is still remembered."""
        return self._items.get(key)


class ThreadContexts(AsyncAssistantThreadContextStore):
    """Where each assistant thread's viewing context is kept: in process, bounded."""

    def __init__(self) -> None:
        self._contexts = BoundedLru()

    async def save(self, *, channel_id: str, thread_ts: str, context: dict[str, str]) -> None:
        """Keep the context's ids (channel, team, enterprise); nothing personal is in it."""
        self._contexts.put((channel_id, thread_ts), dict(context))

    async def find(self, *, channel_id: str, thread_ts: str) -> AssistantThreadContext | None:
        """The last context saved for the thread, if any."""
        found = self._contexts.get((channel_id, thread_ts))
        return AssistantThreadContext(found) if found and found.get("channel_id") else None


class EventsOnlyAssistant(AsyncAssistant):
    """Bolt's assistant middleware, skipped at once for anything but an event.

    As middleware it runs on every request, and its matchers cost a few dozen microseconds
    each; a slash command or a button press can never be an assistant event.
    """

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # noqa: A002 (Bolt's own name)
    ) -> BoltResponse | None:
        if req.body.get("type") != "event_callback":
            return await next()
        event = req.body.get("event")
        if isinstance(event, dict) and event.get("type") in THREAD_EVENTS:
            thread = _thread(event)
            if not (thread["channel_id"] and thread["thread_ts"]):
                # Bolt's own helpers raise (a 500) on a thread event missing either id;
                # Slack never sends one, so acknowledge it and do nothing.
                return BoltResponse(status=200, body="")
        return await super().async_process(req=req, resp=resp, next=next)


def build_assistant(deps: SlackDeps) -> AsyncAssistant:
    """The assistant middleware with the coach's three listeners."""
    assistant = EventsOnlyAssistant(thread_context_store=ThreadContexts())
    titled = BoundedLru()

    @assistant.thread_started
    async def started(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if await deps.dedupe.is_repeat(body):
            return
        thread = _thread(event)
        await _quietly(
            "set suggested prompts",
            client.assistant_threads_setSuggestedPrompts(
                channel_id=thread["channel_id"],
                thread_ts=thread["thread_ts"],
                title=PROMPTS_TITLE,
                prompts=[
                    {"title": s.title, "message": s.message}
                    for s in starters(deps.coach.content, seed=thread["thread_ts"])
                ],
            ),
        )

    @assistant.thread_context_changed
    async def context_changed(event: dict[str, Any]) -> None:
        thread = _thread(event)
        found = thread.get("context")
        if isinstance(found, dict) and assistant.thread_context_store is not None:
            await assistant.thread_context_store.save(
                channel_id=thread["channel_id"], thread_ts=thread["thread_ts"], context=found
            )

    @assistant.user_message
    async def user_message(
        event: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        if not is_person_dm(event):  # the same test as the classic DM's
            return
        channel = str(event.get("channel") or "")
        thread_ts = str(event.get("thread_ts") or "")

        async def working(incoming: Incoming) -> None:
            await _quietly(
                "set the status",
                client.assistant_threads_setStatus(
                    channel_id=channel, thread_ts=thread_ts, status=THINKING
                ),
            )
            key = (channel, thread_ts)
            if titled.get(key) is None and incoming.text.strip():
                titled.put(key, {})
                await _quietly(
                    "set the title",
                    client.assistant_threads_setTitle(
                        channel_id=channel, thread_ts=thread_ts, title=title_of(incoming.text)
                    ),
                )

        await answer_message(
            deps, event=event, body=body, client=client, context=context, working=working
        )

    return assistant


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Put the assistant middleware in front of every listener."""
    app.assistant(build_assistant(deps))


def title_of(text: str) -> str:
    """A thread title from a question: one line, cut at a word near ``MAX_TITLE_CHARS``."""
    line = " ".join(text.split())
    if len(line) <= MAX_TITLE_CHARS:
        return line
    cut = line[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] or line[:MAX_TITLE_CHARS]
    return cut + "…"


def _thread(event: dict[str, Any]) -> dict[str, Any]:
    found = event.get("assistant_thread")
    if not isinstance(found, dict):
        return {"channel_id": "", "thread_ts": ""}
    channel, thread_ts = found.get("channel_id"), found.get("thread_ts")
    return {
        "channel_id": channel if isinstance(channel, str) else "",
        "thread_ts": thread_ts if isinstance(thread_ts, str) else "",
        "context": found.get("context"),
    }


async def _quietly(what: str, call: Any) -> None:
    """Make an assistant call whose failure must not stop the answer (status, title, prompts).

    A DM thread in a workspace without the assistant view rejects them, for one. The error's
    name is logged, never the text of the question.
    """
    try:
        await call
    except Failure as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else error
        log.warning("Slack assistant: could not %s (%s)", what, reason)

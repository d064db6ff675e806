"""Button presses and form submissions, passed to ``coach.act`` unchanged.

Every button the core emitted comes back here with its ``action_id`` and ``value``; the core
decides what *More like this*, *Share to channel* or a nudge button means. The adapter only
keeps its own buttons (links, opening a form) to itself.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.action_ids import OPEN_FORM, core_action_id
from adapters.slack.deliver import apologise, deliver, form_origin, open_form
from adapters.slack.deps import SlackDeps
from adapters.slack.forms import FORM_CALLBACK_ID, FormOrigin, build_modal, decode_form, is_form
from adapters.slack.listeners.home_tab import publish_home
from adapters.slack.translate import (
    Origin,
    action_from_block_action,
    action_from_submission,
    origin_of,
    workspace_of,
)

log = logging.getLogger(__name__)

HOME_INTENT = "home"

# Seconds to wait for users.info before answering without a timezone: a modal must open within
# three seconds of the press (its trigger_id expires), and a submission be acknowledged in three.
TIMEZONE_BUDGET = 1.5
# What is left of Slack's three seconds for the answer to a form before it must be acked.
FORM_ACK_BUDGET = 1.0


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Listen for ``block_actions`` (any action id) and our modals' ``view_submission``."""

    @app.action(re.compile(".*"))
    async def press(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        origin = origin_of(body)
        raw = str(action.get("action_id") or "")
        try:
            if core_action_id(raw) == OPEN_FORM:
                card = decode_form(str(action.get("value") or ""))
                if card is not None and origin.trigger_id:
                    await open_form(client, trigger_id=origin.trigger_id, card=card, origin=origin)
                return
            timezone = await deps.timezones.lookup(
                client,
                workspace_id=origin.workspace_id,
                user_id=origin.user_id,
                budget=TIMEZONE_BUDGET,
            )
            pressed = action_from_block_action(body, action, timezone=timezone)
            if pressed is None:  # a link button: Slack opened the page, nothing to answer
                return
            reply = await deps.coach.act(pressed)
            on_home = _on_home(body)
            if not (on_home and reply.intent == HOME_INTENT):
                # A change made on the Home (its day and time pickers) shows on the Home
                # itself, published below: a DM for every pick would only be noise.
                await deliver(client, origin=origin, reply=reply)
            if on_home:
                # Settings shown on the Home may have changed (a nudge button, say).
                await publish_home(
                    client, deps, workspace_id=origin.workspace_id, user_id=origin.user_id
                )
        except Exception:
            log.exception("Could not answer a button press")
            await apologise(client, origin=origin)

    @app.view(FORM_CALLBACK_ID)
    async def submit(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        form = FormOrigin.from_metadata(str(view.get("private_metadata") or ""))
        if form is None:
            await ack()
            return
        workspace = workspace_of(body)
        user = origin_of(body).user_id
        origin = Origin(
            workspace_id=workspace,
            user_id=user,
            channel_id=form.channel_id,
            thread_ts=form.thread_ts,
            response_url=form.response_url,
            in_view=True,
        )
        acknowledged = False
        try:
            timezone = await deps.timezones.lookup(
                client, workspace_id=workspace, user_id=user, budget=TIMEZONE_BUDGET
            )
            work = asyncio.ensure_future(
                deps.coach.act(action_from_submission(body, form=form, timezone=timezone))
            )
            done, _pending = await asyncio.wait({work}, timeout=FORM_ACK_BUDGET)
            if not done:
                # The database is slow: close the form inside Slack's three seconds, and
                # send the answer when the work is done.
                await ack()
                acknowledged = True
            reply = await work
        except Exception:
            log.exception("Could not answer a form submission")
            if not acknowledged:
                await ack()
            await apologise(client, origin=origin)
            return
        if not acknowledged and reply.card is not None and is_form(reply.card):
            # A follow-up form replaces this one in place rather than stacking another modal.
            view_dict = build_modal(reply.card, origin=form_origin(reply.card, origin)).to_dict()
            await ack(response_action="update", view=view_dict)
            return
        if not acknowledged:
            await ack()
        try:
            await deliver(client, origin=origin, reply=reply)
        except Exception:
            log.exception("Could not deliver the answer to a form")


def _on_home(body: dict[str, Any]) -> bool:
    view = body.get("view")
    return isinstance(view, dict) and view.get("type") == "home"

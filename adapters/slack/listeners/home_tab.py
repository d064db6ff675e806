"""The App Home: published whenever a person opens it, and a welcome DM on their first visit."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.deliver import direct_message
from adapters.slack.deps import SlackDeps
from adapters.slack.home import build_home_view, core_nudge_section, home_domains
from adapters.slack.translate import workspace_of
from adapters.store.slack_tables import record_home_visit

log = logging.getLogger(__name__)

WELCOME = "Welcome! I'm your leadership coach."


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Listen for ``app_home_opened``."""

    @app.event("app_home_opened")
    async def opened(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        user = str(event.get("user") or "")
        workspace = workspace_of(body)
        if not user or await deps.dedupe.is_repeat(body):
            return
        if event.get("tab", "home") == "home":
            await publish_home(client, deps, workspace_id=workspace, user_id=user)
        first = await asyncio.to_thread(
            record_home_visit, deps.engine, team_id=workspace, user_id=user, now=datetime.now(UTC)
        )
        if first:
            await greet(client, deps, user_id=user)


async def publish_home(
    client: AsyncWebClient, deps: SlackDeps, *, workspace_id: str, user_id: str
) -> None:
    """Build and publish a person's App Home, with their nudge settings when there are any."""
    provider = deps.nudge_section() or core_nudge_section(deps.coach)
    section = None
    if provider is not None:
        try:
            section = await provider(workspace_id=workspace_id, user_id=user_id)
        except Exception:
            # A broken settings section must not take the rest of the Home down with it.
            log.exception("Could not build the nudge section of the App Home")
    view = build_home_view(domains=home_domains(deps.coach), nudge_section=section)
    await client.views_publish(user_id=user_id, view=view.to_dict())


async def greet(client: AsyncWebClient, deps: SlackDeps, *, user_id: str) -> None:
    """Say hello in the person's DM with the app, with the core's own help card."""
    help_reply = deps.coach.answer("help")
    welcome = replace(help_reply, text=f"{WELCOME} {help_reply.text}".strip(), intent="welcome")
    await direct_message(client, user_id=user_id, reply=welcome)

"""``app_uninstalled`` and ``tokens_revoked``: forget the workspace, everything about it.

Deletes the workspace's installation (OAuth mode), the Slack adapter's own rows, and whatever
the rest of the coach stored for it, through ``adapters.store.cleanup.forget_workspace`` (part
of the nudges work; skipped, with a log line, until it exists).
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import inspect
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.deps import SlackDeps
from adapters.slack.translate import PLATFORM
from adapters.store.slack_tables import delete_workspace

log = logging.getLogger(__name__)

CLEANUP_MODULE = "adapters.store.cleanup"


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Listen for the two events that end a workspace's use of the app."""

    @app.event("app_uninstalled")
    async def uninstalled(body: dict[str, Any]) -> None:
        await forget_workspace(
            deps, team_id=_str(body.get("team_id")), enterprise_id=_str(body.get("enterprise_id"))
        )

    @app.event("tokens_revoked")
    async def revoked(body: dict[str, Any], event: dict[str, Any]) -> None:
        team_id = _str(body.get("team_id"))
        enterprise_id = _str(body.get("enterprise_id"))
        found = event.get("tokens")
        tokens: dict[str, Any] = found if isinstance(found, dict) else {}
        if tokens.get("bot"):
            # Without its bot token the coach can do nothing in that workspace.
            await forget_workspace(deps, team_id=team_id, enterprise_id=enterprise_id)
            return
        store = deps.installation_store
        for user_id in tokens.get("oauth") or []:
            if store is not None and isinstance(user_id, str):
                await store.async_delete_installation(
                    enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
                )


async def forget_workspace(
    deps: SlackDeps, *, team_id: str | None, enterprise_id: str | None
) -> None:
    """Delete the installation and every row stored for one workspace."""
    log.info("Forgetting Slack workspace %s", team_id or enterprise_id)
    if deps.installation_store is not None:
        await deps.installation_store.async_delete_all(enterprise_id=enterprise_id, team_id=team_id)
    await asyncio.to_thread(
        delete_workspace, deps.engine, team_id=team_id, enterprise_id=enterprise_id
    )
    if team_id:
        deps.timezones.forget_workspace(team_id)
        await _forget_elsewhere(deps, team_id)


async def _forget_elsewhere(deps: SlackDeps, team_id: str) -> None:
    # find_spec first, so that a broken cleanup module fails loudly instead of being skipped.
    if importlib.util.find_spec(CLEANUP_MODULE) is None:
        log.info("%s does not exist yet; only Slack's own rows were deleted", CLEANUP_MODULE)
        return
    cleanup = importlib.import_module(CLEANUP_MODULE)
    forget = cleanup.forget_workspace
    if inspect.iscoroutinefunction(forget):
        await forget(deps.engine, platform=PLATFORM, workspace_id=team_id)
    else:
        await asyncio.to_thread(forget, deps.engine, platform=PLATFORM, workspace_id=team_id)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None

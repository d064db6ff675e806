"""Bolt listeners, one module per kind of Slack request; :func:`register_all` wires them up."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from adapters.slack.deps import SlackDeps
from adapters.slack.listeners import (
    assistant,
    commands,
    home_tab,
    interactions,
    messages,
    uninstall,
)


def register_all(app: AsyncApp, deps: SlackDeps) -> None:
    """Register every listener on ``app``; the catch-all for other events goes last."""
    # Middleware: picks the assistant view's events out before the listeners below see them.
    assistant.register(app, deps)
    commands.register(app, deps)
    messages.register(app, deps)
    interactions.register(app, deps)
    home_tab.register(app, deps)
    uninstall.register(app, deps)
    messages.register_catch_all(app)

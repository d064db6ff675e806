"""Render a :class:`Reply` as plain text for a terminal."""

from __future__ import annotations

from bot.models import Reply


def render(reply: Reply) -> str:
    """The reply's plain text, then its buttons as commands the person can type."""
    lines = [reply.text]
    if reply.card is not None:
        typed = [b.value for b in reply.card.buttons if b.action_id == "ask"]
        labels = [b.label for b in reply.card.buttons if b.action_id == "more"]
        if labels:
            lines.append("(type `more` for the next matches)")
        if typed:
            lines.append("Try: " + " · ".join(typed))
    return "\n".join(lines)

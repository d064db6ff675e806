"""``forget me`` and its buttons: delete everything held about one person, after asking."""

from __future__ import annotations

from datetime import datetime

from bot.commands.shared import Shared
from bot.models import Action, Audience, Button, Card, Incoming, Reply, Section


class Forget:
    """``forget me`` asks first; ``forget.confirm`` deletes, ``forget.cancel`` does not."""

    intents: frozenset[str] = frozenset({"forget"})
    action_prefixes: tuple[str, ...] = ("forget.",)

    def __init__(self, shared: Shared) -> None:
        self._shared = shared

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Ask for confirmation, whatever followed ``forget me``: deleting is not undoable."""
        return self._ask()

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Delete on ``forget.confirm``; say nothing was deleted otherwise."""
        if action.action_id != "forget.confirm":
            return Reply(text="Nothing was deleted.", intent="forget", audience=Audience.PERSON)
        removed = self._shared.stores.forget.forget_user(action.who.person)
        return Reply(
            text=(
                "Done. I have deleted everything I held about you in this workspace "
                f"({removed} records): subscriptions, conversation references, journal, "
                "self-assessments, focus and delivery records. Type nudges on if you ever "
                "want nudges again."
            ),
            intent="forget",
            audience=Audience.PERSON,
        )

    def _ask(self) -> Reply:
        body = (
            "This deletes everything I hold about you in this workspace: your nudge "
            "subscription, your conversation references, your journal, your self-assessments "
            "and focus, and the record of nudges sent to you. It cannot be undone."
        )
        return Reply(
            text=f"{body} Press Forget me to confirm.",
            intent="forget",
            audience=Audience.PERSON,
            card=Card(
                title="Forget me?",
                sections=(Section(body=body),),
                buttons=(
                    Button(label="Forget me", action_id="forget.confirm", style="danger"),
                    Button(label="Cancel", action_id="forget.cancel"),
                ),
            ),
        )

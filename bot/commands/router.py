"""The stateful commands, each declaring what it handles, and the router that dispatches.

The split is python-telegram-bot's ``check_update`` / ``handle_update``: a command says which
typed intents and which button ids it handles (:meth:`Command.handles_intent`,
:meth:`Command.handles_action`); the router asks each in turn and hands the message to the
first that says yes. Adding a command is adding a module and one line in :func:`build`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.coaching.progress import ChartRenderer
from bot.commands.assess import Assess
from bot.commands.feedback import Feedback
from bot.commands.focus import Focus
from bot.commands.forget import Forget
from bot.commands.home import Home
from bot.commands.journal import Journal
from bot.commands.progress import Progress
from bot.commands.reflections import Reflections
from bot.commands.shared import Shared
from bot.commands.subscriptions import HELP, Subscriptions
from bot.content import Content
from bot.exports.document import Renderer
from bot.matching import Matcher
from bot.models import Action, Audience, Incoming, Reply
from bot.nudges.schedule import DEFAULT_TIMEZONE
from bot.stores import Stores


class Command(Protocol):
    """One stateful concept: the typed intents and the button ids it answers.

    Example:
        >>> class Focus:  # doctest: +SKIP
        ...     intents = frozenset({"focus"})
        ...     action_prefixes = ("focus.",)
        ...     def handle(self, incoming, *, args, now): ...
        ...     def act(self, action, *, now): ...
    """

    intents: frozenset[str]
    action_prefixes: tuple[str, ...]

    def handle(self, incoming: Incoming, *, args: str, now: datetime) -> Reply:
        """Answer the typed command with its argument text."""
        ...

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a button press or form submission."""
        ...


class Router:
    """Implements :class:`bot.ports.StatefulCommands` by dispatching to the commands.

    Example:
        >>> router = build(stores)  # doctest: +SKIP
        >>> coach = Coach.load(stateful=router)  # doctest: +SKIP
    """

    def __init__(
        self, shared: Shared, *, commands: Sequence[Command], reflections: Reflections
    ) -> None:
        self.shared = shared
        self._commands = tuple(commands)
        self._reflections = reflections

    @property
    def content(self) -> Content:
        """The framework content the commands answer from."""
        return self.shared.content

    def handle(self, incoming: Incoming, *, command: str, args: str, now: datetime) -> Reply:
        """Answer ``command`` ("nudges", "journal", "forget", …) with its argument text."""
        name = command.strip().lower()
        for candidate in self._commands:
            if name in candidate.intents:
                return candidate.handle(incoming, args=args, now=now)
        return Reply(text=HELP, intent="nudges", audience=Audience.ASKER)

    def act(self, action: Action, *, now: datetime) -> Reply:
        """Answer a button press or form submission."""
        for candidate in self._commands:
            if action.action_id.startswith(candidate.action_prefixes):
                return candidate.act(action, now=now)
        return Reply(
            text="That button has expired. Type nudges to see your settings.",
            intent="nudges.error",
            audience=Audience.ASKER,
        )

    def reflection_reply(
        self, incoming: Incoming, *, thread_ref: str, now: datetime
    ) -> Reply | None:
        """Save a reply to one of our nudges as a reflection; ``None`` if it is not one."""
        return self._reflections.reflection_reply(incoming, thread_ref=thread_ref, now=now)


def build(
    stores: Stores,
    *,
    content: Content | None = None,
    default_timezone: str = DEFAULT_TIMEZONE,
    documents: Renderer | None = None,
    charts: ChartRenderer | None = None,
    matcher: Matcher | None = None,
) -> Router:
    """Every stateful command over ``stores``, registered in the order they are asked.

    ``documents`` renders Word and PDF exports (``adapters.documents.DocumentRenderer``);
    ``charts`` draws progress charts (``adapters.charts.MatplotlibCharts``).
    ``matcher`` reads typed topics (``focus resilience``), the coach's own when given.
    """
    shared = Shared(
        stores,
        content=content,
        default_timezone=default_timezone,
        documents=documents,
        charts=charts,
        matcher=matcher,
    )
    journal = Journal(shared)
    return Router(
        shared,
        # Journal before Subscriptions: it also takes nudge.reflect (the Reflect form).
        commands=(
            journal,
            Subscriptions(shared),
            Forget(shared),
            Assess(shared),
            Focus(shared),
            Progress(shared),
            Home(shared),
            *((Feedback(shared, store=stores.feedback),) if stores.feedback else ()),
        ),
        reflections=Reflections(shared, journal=journal),
    )

"""One :class:`bot.ports.Messenger` per configured platform, for the delivery pass.

Messengers are built only for platforms that have subscribers, so a Slack-only deployment
never loads the Teams SDK (and ``coach nudges send-due`` starts quickly).

Each platform adapter provides ``adapters.<platform>.messenger.<Name>Messenger`` with a
``from_env(env, *, engine)`` class method that raises ``ValueError`` (or returns ``None``)
when the platform is not configured, and optionally ``async aclose()`` to release its HTTP
session. A platform left out here keeps its subscriptions owed until it is configured.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Engine, select

from adapters.store.nudge_tables import nudge_subscriptions
from bot.ports import Messenger

log = logging.getLogger(__name__)

PLATFORMS = {
    "slack": ("adapters.slack.messenger", "SlackMessenger"),
    "teams": ("adapters.teams.messenger", "TeamsMessenger"),
}


def active_platforms(engine: Engine) -> set[str]:
    """The platforms that have at least one active subscription."""
    query = select(nudge_subscriptions.c.platform).where(nudge_subscriptions.c.active.is_(True))
    with engine.connect() as conn:
        return set(conn.execute(query.distinct()).scalars())


def messengers_from_env(
    env: Mapping[str, str], *, engine: Engine, platforms: Iterable[str] | None = None
) -> dict[str, Messenger]:
    """The messengers of every platform (of ``platforms``, if given) configured in ``env``."""
    found: dict[str, Messenger] = {}
    wanted = set(PLATFORMS if platforms is None else platforms)
    for platform, (module_name, class_name) in PLATFORMS.items():
        if platform not in wanted:
            continue
        try:
            cls: Any = getattr(importlib.import_module(module_name), class_name)
            messenger = cls.from_env(env, engine=engine)
        except (ImportError, AttributeError) as exc:
            log.warning("nudges: no %s messenger in this build (%s)", platform, exc)
            continue
        except (ValueError, KeyError) as exc:
            log.warning("nudges: %s is not configured, its nudges stay owed (%s)", platform, exc)
            continue
        if messenger is not None:
            found[platform] = messenger
    return found


async def close_all(messengers: Mapping[str, Messenger]) -> None:
    """Release each messenger's HTTP session, where it has one to release."""
    for messenger in messengers.values():
        closer = getattr(messenger, "aclose", None) or getattr(messenger, "close", None)
        if closer is None:
            continue
        result = closer()
        if inspect.isawaitable(result):
            await result

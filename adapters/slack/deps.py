"""What every listener needs, gathered once when the Bolt app is built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from sqlalchemy import Engine

from adapters.slack.dedupe import EventDedupe
from adapters.slack.home import NudgeSectionProvider
from adapters.slack.timezones import UserTimezones
from bot.ports import AsyncCoach


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackDeps:
    """The coach, the database and the caches the listeners share."""

    coach: AsyncCoach
    engine: Engine
    timezones: UserTimezones
    dedupe: EventDedupe
    installation_store: AsyncInstallationStore | None = None
    # Asked at each App Home publish, so a provider registered after start-up is still found.
    nudge_section: Callable[[], NudgeSectionProvider | None] = lambda: None

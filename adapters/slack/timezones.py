"""A person's timezone from ``users.info``, cached, for ``Incoming.timezone``.

The core needs a timezone only for nudges, but it cannot ask Slack itself, so the adapter looks
it up on every message. The cache keeps that to one ``users.info`` call per person per few
hours, well inside Slack's rate limits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class UserTimezones:
    """Looks up and caches people's ``tz`` (an IANA name such as ``Europe/London``)."""

    def __init__(
        self,
        *,
        ttl_seconds: float = 6 * 3600,
        failure_ttl_seconds: float = 300,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._failure_ttl = failure_ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._cache: OrderedDict[tuple[str, str], tuple[float, str | None]] = OrderedDict()

    async def lookup(
        self,
        client: AsyncWebClient,
        *,
        workspace_id: str,
        user_id: str,
        budget: float | None = None,
    ) -> str | None:
        """Return the person's timezone, or None if Slack will not say (the core then defaults).

        ``budget`` caps the wait in seconds, for answers that must beat a deadline (a modal's
        ``trigger_id`` lasts three seconds); past it the answer goes without a timezone.
        """
        if budget is None:
            return await self._lookup(client, workspace_id=workspace_id, user_id=user_id)
        try:
            return await asyncio.wait_for(
                self._lookup(client, workspace_id=workspace_id, user_id=user_id), budget
            )
        except TimeoutError:
            log.warning("users.info was too slow for a user in %s", workspace_id)
            return None

    async def _lookup(
        self, client: AsyncWebClient, *, workspace_id: str, user_id: str
    ) -> str | None:
        if not user_id:
            return None
        key = (workspace_id, user_id)
        now = self._clock()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            self._cache.move_to_end(key)
            return cached[1]
        tz: str | None = None
        ttl = self._failure_ttl
        try:
            response = await client.users_info(user=user_id)
            user = response.get("user") or {}
            found = user.get("tz") if isinstance(user, dict) else None
            tz = found if isinstance(found, str) and found else None
            ttl = self._ttl
        except (SlackApiError, SlackClientError, TimeoutError, OSError) as err:
            # A missing timezone only changes a nudge's default; never fail a reply over it.
            log.warning("users.info failed for a user in %s: %s", workspace_id, type(err).__name__)
        self._cache[key] = (now + ttl, tz)
        self._cache.move_to_end(key)
        while len(self._cache) > self._max:
            self._cache.popitem(last=False)
        return tz

    def forget_workspace(self, workspace_id: str) -> None:
        """Drop every cached entry of an uninstalled workspace."""
        for key in [k for k in self._cache if k[0] == workspace_id]:
            del self._cache[key]

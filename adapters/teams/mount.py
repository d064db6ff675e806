"""Wire the Teams adapter into the shared aiohttp app: ``POST /api/messages``.

Called by :func:`app.serve.build_app`. It builds the SDK's ``CloudAdapter`` (JWT and
outbound tokens from the app's credentials, or anonymous for local runs), the coach agent,
the database-backed references and dedupe, and a :class:`TeamsMessenger` for the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web
from microsoft_agents.hosting.core import OutboundHostValidator, TurnContext
from sqlalchemy import Engine

from adapters.store import teams_tables  # noqa: F401 - registers the tables on metadata
from adapters.store.outage import OutageLog
from adapters.teams.adapter import CoachAdapter
from adapters.teams.agent import CoachAgent
from adapters.teams.auth import Authorizer
from adapters.teams.config import (
    ALLOW_ANONYMOUS,
    CREDENTIALS,
    TeamsConfig,
    connection_manager,
    load_config,
)
from adapters.teams.connector import ConnectorClients, NoRedirectClientFactory
from adapters.teams.dedupe import SeenActivities
from adapters.teams.endpoint import TeamsEndpoint
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.references import ReferenceStore
from adapters.teams.reflections import NudgeThreads
from adapters.teams.sdk_logs import quiet_sdk_logs
from adapters.teams.turnstart import Runner
from bot.ports import AsyncCoach

log = logging.getLogger(__name__)

ROUTE = "/api/messages"
TEAMS_ENDPOINT = web.AppKey("teams_endpoint", TeamsEndpoint)
# The clock (in this process) looks the Teams sender up here.
TEAMS_MESSENGER = web.AppKey("teams_messenger", TeamsMessenger)


async def _reraise(_context: TurnContext, error: Exception) -> None:
    # The SDK's default handler posts the exception text into the chat; let the endpoint
    # answer with a status instead, and say nothing internal to the user.
    raise error


def mount(
    app: web.Application,
    *,
    coach: AsyncCoach,
    env: Mapping[str, str],
    engine: Engine,
    outage: OutageLog,
    run: Runner | None = None,
) -> None:
    """Add ``POST /api/messages`` to ``app``.

    ``engine`` (already migrated, or retried by the caller) holds conversation references
    and seen activities; the caller owns and disposes of it. ``run`` puts blocking work on
    the coach's worker threads (``CoachService.run``; default: ``asyncio.to_thread``).
    """
    config = load_config(env)
    _log_mode(config)
    connections = connection_manager(config)
    # One factory for turn replies and proactive sends: its clients never follow redirects.
    factory = NoRedirectClientFactory(connections)
    adapter = CoachAdapter(
        connection_manager=connections,
        channel_service_client_factory=factory,
        # With real credentials only Microsoft's service URLs may receive our token.
        host_validator=OutboundHostValidator(enabled=config.authenticated),
    )
    adapter.on_turn_error = _reraise
    references = ReferenceStore(engine)
    seen = SeenActivities(engine, outage=outage)
    authorizer = Authorizer(
        configuration=connections.get_default_connection_configuration()
        if config.authenticated
        else None,
        jwks_url=config.jwks_url,
        allow_anonymous=config.allow_anonymous,
    )
    clients = ConnectorClients(
        factory=factory,
        app_id=config.client_id,
        anonymous=not config.authenticated,
    )
    messenger = TeamsMessenger(references=references, clients=clients, bot_id=config.client_id)
    agent = CoachAgent(
        coach=coach,
        references=references,
        seen=seen,
        messenger=messenger,
        # Replies to nudges need the nudge ledger, which only the stateful commands keep.
        threads=NudgeThreads(engine) if coach.keeps_state else None,
        uploads_local_only=not config.authenticated,
        outage=outage,
        run=run,
    )

    async def close_clients(_app: web.Application) -> None:
        await factory.pool.aclose()

    app.on_cleanup.append(close_clients)
    endpoint = TeamsEndpoint(adapter=adapter, agent=agent, authorizer=authorizer, seen=seen)
    app[TEAMS_ENDPOINT] = endpoint
    app[TEAMS_MESSENGER] = messenger
    app.router.add_post(ROUTE, endpoint.handle)


def _log_mode(config: TeamsConfig) -> None:
    quiet_sdk_logs(anonymous=not config.authenticated)
    if config.allow_anonymous:
        log.warning(
            "Teams: %s=1 and no credentials, so %s accepts ANONYMOUS requests that name a "
            "local serviceUrl (Agents Playground and tests only; the server listens on "
            "127.0.0.1 unless HOST is set). To connect Microsoft Teams, set %s.",
            ALLOW_ANONYMOUS,
            ROUTE,
            ", ".join(CREDENTIALS),
        )
        return
    if not config.authenticated:
        log.info(
            "Teams: off; %s answers 401 to every request. To connect Microsoft Teams, set %s "
            "(or %s=1 for the Agents Playground on this machine).",
            ROUTE,
            ", ".join(CREDENTIALS),
            ALLOW_ANONYMOUS,
        )
        return
    if config.missing:
        log.error("Teams: incomplete credentials; also set %s", ", ".join(config.missing))
    else:
        log.info("Teams: %s validates tokens for the configured app registration", ROUTE)
    if config.jwks_url:
        log.warning("Teams: TEAMS_JWKS_URL is set; tokens are checked against that key set")

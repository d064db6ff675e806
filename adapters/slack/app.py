"""Build the slack-bolt ``AsyncApp`` with every listener, for HTTP and Socket Mode alike."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from sqlalchemy import Engine

from adapters.slack.authorize import AUTH_TEST_TIMEOUT_SECONDS, SingleWorkspaceAuthorize
from adapters.slack.client import make_web_client
from adapters.slack.config import SlackConfig
from adapters.slack.dedupe import EventDedupe
from adapters.slack.deps import SlackDeps
from adapters.slack.home import NudgeSectionProvider
from adapters.slack.installation import oauth_settings
from adapters.slack.listeners import register_all
from adapters.slack.sdk_logs import quiet_client_token_warning
from adapters.slack.timezones import UserTimezones
from adapters.store.outage import OutageLog
from bot.ports import AsyncCoach

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackApp:
    """The Bolt app and the dependencies its listeners share."""

    bolt: AsyncApp
    deps: SlackDeps


def build_bolt_app(
    *,
    coach: AsyncCoach,
    config: SlackConfig,
    engine: Engine,
    nudge_section: Callable[[], NudgeSectionProvider | None] = lambda: None,
    outage: OutageLog | None = None,
) -> SlackApp:
    """Build the ``AsyncApp``: single-workspace with a bot token, or OAuth for many workspaces.

    Args:
        coach: the core every listener answers with.
        config: the Slack settings (see :class:`SlackConfig`).
        engine: the database for installations, seen events and Home visits.
        nudge_section: returns the App Home's nudge-settings provider, if one is registered.
        outage: the process's database outage log.
    """
    settings = oauth_settings(config, engine=engine) if config.oauth else None
    if config.oauth and config.bot_token:
        log.info("Slack: OAuth credentials are set, so SLACK_BOT_TOKEN is not used")
    # The client carries no token: Bolt gives each request a copy with the token the
    # authorize step chose (a workspace's installation, or the one bot token).
    client = make_web_client(token=None, base_url=config.api_url)
    authorize = (
        None
        if config.oauth
        else SingleWorkspaceAuthorize(
            token=config.bot_token,
            client=make_web_client(
                token=config.bot_token,
                base_url=config.api_url,
                timeout=AUTH_TEST_TIMEOUT_SECONDS,
                server_error_retries=0,
                connection_error_retries=0,
                rate_limit_retries=0,
            ),
        )
    )
    bolt_logger = logging.getLogger("slack_bolt.leadership-coach")
    quiet_client_token_warning(bolt_logger)
    bolt = AsyncApp(
        name="leadership-coach",
        # Socket Mode needs no signing secret; Bolt skips verification for it.
        signing_secret=config.signing_secret,
        client=client,
        # An AsyncAuthorize is the callable Bolt wants; its stubs only name plain functions.
        authorize=authorize,  # type: ignore[arg-type]
        oauth_settings=settings,
        # Listeners run after the ack, so Slack's three seconds never wait on the coach.
        process_before_response=False,
        # Every HTTP request's signature and timestamp are checked once, before the body is
        # parsed, by adapters/slack/handler.py (a bad one is a 401 there); Bolt checking the
        # same HMAC again cost a second pass over every body. Socket Mode needs no signature.
        request_verification_enabled=False,
        logger=bolt_logger,
    )
    deps = SlackDeps(
        coach=coach,
        engine=engine,
        timezones=UserTimezones(),
        dedupe=EventDedupe(engine, outage=outage),
        installation_store=settings.installation_store if settings is not None else None,
        nudge_section=nudge_section,
    )
    register_all(bolt, deps)
    return SlackApp(bolt=bolt, deps=deps)

"""Keep slack_sdk's and slack_bolt's DEBUG records out of the logs: they quote message text.

At DEBUG, slack_sdk logs every Web API and ``response_url`` request and response with its
body ("Sending a request - url: …, body: {…}"), and Bolt logs skipped events whole. Those
bodies hold what people typed and their journal reflections, and ``LOG_LEVEL=DEBUG`` must
never put those in the logs. Raising the two libraries' parent loggers to INFO stops the
records from being made at all, whatever the root level is; their INFO and above still flow.
"""

from __future__ import annotations

import logging

_QUOTING_LOGGERS = ("slack_sdk", "slack_bolt")
# slack_sdk's Web API clients decide whether to build their DEBUG request and response text
# from their own logger's *own* level (``logger.level <= DEBUG``), not the effective one: left
# NOTSET (0) they format every body on every call, then drop the record. Measured at about a
# tenth of the nudge pass's event-loop time; giving those loggers a level of their own skips it.
_CLIENT_LOGGERS = ("slack_sdk.web.async_base_client", "slack_sdk.web.base_client")


def quiet_sdk_logs() -> None:
    """Raise slack_sdk's and slack_bolt's loggers to at least INFO (idempotent)."""
    for name in _QUOTING_LOGGERS + _CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:  # NOTSET (0) too: it would inherit the root's DEBUG
            logger.setLevel(logging.INFO)


class _DropClientTokenWarning(logging.Filter):
    """Drops Bolt's "As you gave `client` as well, `token` will be unused." warning.

    Bolt reads ``SLACK_BOT_TOKEN`` from ``os.environ`` by itself and warns when a client is
    given too, although the client we give it (built by :func:`adapters.slack.client.
    make_web_client` for its base URL and retry handlers) carries that very token. The
    warning is about nothing, and new users took it for a misconfiguration.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "will be unused" not in record.getMessage()


def quiet_client_token_warning(logger: logging.Logger) -> None:
    """Install the filter on ``logger`` (the one the Bolt app is given) once."""
    if not any(isinstance(f, _DropClientTokenWarning) for f in logger.filters):
        logger.addFilter(_DropClientTokenWarning())

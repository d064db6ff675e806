"""Two SDK log records this adapter silences, and why.

Filters on the SDK's own loggers, added once: they drop those records and nothing else.
"""

from __future__ import annotations

import logging


class _NoAppIdNoise(logging.Filter):
    """The SDK warns on every anonymous turn that its user-token client has no app id.

    Anonymous turns never have one, and this bot uses no user tokens (no sign-in).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("App ID is not provided")


class _NoActivityDumps(logging.Filter):
    """The SDK logs an Activity that fails validation, quoting the offending values.

    The endpoint answers those with a 400 itself, and the values can be what a person typed:
    message text is never logged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Validation error for Activity")


_USER_TOKEN_LOG = "microsoft_agents.hosting.core.connector.client.user_token_client"
_ACTIVITY_LOG = "microsoft_agents.activity.activity"


def _add_once(logger_name: str, kind: type[logging.Filter]) -> None:
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, kind) for f in logger.filters):
        logger.addFilter(kind())


def quiet_sdk_logs(*, anonymous: bool) -> None:
    """Install the filters (idempotent); the app-id one only matters when anonymous."""
    _add_once(_ACTIVITY_LOG, _NoActivityDumps)
    if anonymous:
        _add_once(_USER_TOKEN_LOG, _NoAppIdNoise)

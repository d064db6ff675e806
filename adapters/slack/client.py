"""Every Slack Web API client the adapter makes: one base URL, and retries on transient errors.

``SLACK_API_URL`` (default Slack's own) is the base of every call, so that operators and tests
can point the whole adapter at another server. Each client carries slack_sdk's retry handlers
for connection errors, 5xx answers and 429 rate limits (which honour ``Retry-After``).

A client without a session makes a new aiohttp session, and so a new connection (and TLS
handshake), for every call; :func:`pool_connections` gives the server's clients one pooled
session instead.
"""

from __future__ import annotations

import aiohttp
from aiohttp import ClientSession, ClientTimeout
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters import outbound
from adapters.slack.sdk_logs import quiet_sdk_logs

DEFAULT_TIMEOUT = 30


def retry_handlers(
    *, rate_limit: int = 1, server_error: int = 1, connection_error: int = 1
) -> list[AsyncRetryHandler]:
    """slack_sdk's three async retry handlers, each allowed the given number of retries."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=connection_error),
        AsyncServerErrorRetryHandler(max_retry_count=server_error),
        AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit),
    ]


def make_web_client(
    *,
    token: str | None,
    base_url: str,
    timeout: int = DEFAULT_TIMEOUT,
    rate_limit_retries: int = 1,
    server_error_retries: int = 1,
    connection_error_retries: int = 1,
    session: aiohttp.ClientSession | None = None,
) -> AsyncWebClient:
    """An ``AsyncWebClient`` on ``base_url`` with the retry handlers installed.

    Example:
        >>> client = make_web_client(token="xoxb-…", base_url="http://127.0.0.1:8080/api/")
        >>> client.base_url
        'http://127.0.0.1:8080/api/'
    """
    quiet_sdk_logs()  # every Slack client (Bolt's, the messengers') passes through here
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        session=session,
        retry_handlers=retry_handlers(
            rate_limit=rate_limit_retries,
            server_error=server_error_retries,
            connection_error=connection_error_retries,
        ),
    )


def pool_connections(client: AsyncWebClient, *, timeout: int = DEFAULT_TIMEOUT) -> ClientSession:
    """Give ``client``, and every per-request copy Bolt makes of it, one pooled HTTP session.

    Call it inside the running event loop (an aiohttp ``on_startup`` hook) and close the session
    on clean-up. Under load this keeps connections to Slack (and to ``response_url`` hosts, see
    :func:`adapters.slack.deliver.respond`) open instead of opening one per call.
    """
    # slack_sdk applies its timeout only to sessions it makes itself, so this one carries it;
    # and it refuses redirects (response_url posts and file uploads go through it too).
    session = outbound.session(timeout=ClientTimeout(total=timeout))
    client.session = session
    return session

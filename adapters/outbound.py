"""Outbound HTTP that never follows a redirect.

Every URL we post to is one we were handed (a ``serviceUrl``, a ``response_url``, an upload
URL): following a redirect would let whoever answers there send our request (its body, and
for the Bot Connector its bearer token) to an origin nobody checked. aiohttp follows
redirects by default and the SDKs do not say otherwise, so every session they use gets this
middleware, which turns a 3xx into an error before aiohttp can follow it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import ClientHandlerType, ClientRequest, ClientResponse, ClientSession
from aiohttp.client_exceptions import ClientResponseError

REDIRECTS = frozenset({301, 302, 303, 307, 308})


class RedirectRefused(ClientResponseError):
    """The server answered with a redirect, which we do not follow."""


async def refuse_redirects(request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """aiohttp client middleware: raise :class:`RedirectRefused` on any 3xx redirect."""
    response = await handler(request)
    if response.status in REDIRECTS:
        response.release()
        raise RedirectRefused(
            response.request_info,
            (response,),
            status=response.status,
            message="redirect not followed",
        )
    return response


def session(**kwargs: Any) -> ClientSession:
    """A ``ClientSession`` (same arguments) that refuses redirects. Call it inside a loop."""
    return ClientSession(middlewares=(refuse_redirects,), **kwargs)

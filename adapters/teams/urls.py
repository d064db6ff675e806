"""Which URLs name this machine (the only ones an unauthenticated caller may make us use), and
which can be a Bot Connector base URL at all."""

from __future__ import annotations

import ipaddress

from yarl import URL


def is_local_url(url: str) -> bool:
    """True when ``url`` names this machine (a loopback host)."""
    try:
        host = URL(url).host or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_service_url(url: str) -> bool:
    """True when ``url`` can be a Bot Connector base: http(s), a host, no query or fragment."""
    try:
        parsed = URL(url)
    except ValueError:
        return False
    return (
        parsed.scheme in {"http", "https"}
        and bool(parsed.host)
        and not parsed.raw_query_string
        and not parsed.raw_fragment
        and parsed.user is None
        and parsed.password is None
        and "?" not in url
        and "#" not in url
    )

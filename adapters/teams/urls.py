"""Which URLs name this machine: the only ones an unauthenticated caller may make us use."""

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

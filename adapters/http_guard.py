"""How ``coach serve`` faces the network: the address it binds by default.

Kept apart from the server's wiring so that the rule lives in one place and the composition
root only asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping

from adapters.teams.config import anonymous_allowed

PUBLIC_HOST = "0.0.0.0"  # a platform's router must reach the process
LOCAL_HOST = "127.0.0.1"


def bind_host(env: Mapping[str, str]) -> str:
    """The address to listen on: ``HOST`` when set, else loopback in anonymous Teams mode.

    Anonymous mode (``TEAMS_ALLOW_ANONYMOUS=1``) accepts unauthenticated activities, so unless
    the operator says otherwise only this machine may reach the server at all.
    """
    host = env.get("HOST", "").strip()
    if host:
        return host
    return LOCAL_HOST if anonymous_allowed(env) else PUBLIC_HOST

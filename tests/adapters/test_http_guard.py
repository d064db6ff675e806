"""The address ``coach serve`` binds by default (issue 9, item 1)."""

from __future__ import annotations

import pytest

from adapters.http_guard import bind_host


@pytest.mark.parametrize(
    ("env", "host"),
    [
        ({}, "0.0.0.0"),
        ({"TEAMS_ALLOW_ANONYMOUS": "1"}, "127.0.0.1"),
        ({"TEAMS_ALLOW_ANONYMOUS": "1", "HOST": "0.0.0.0"}, "0.0.0.0"),
        ({"HOST": "::1"}, "::1"),
        ({"TEAMS_ALLOW_ANONYMOUS": "0"}, "0.0.0.0"),
    ],
)
def test_bind_host(env: dict[str, str], host: str) -> None:
    assert bind_host(env) == host

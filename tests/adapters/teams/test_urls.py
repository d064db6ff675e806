"""Which ``serviceUrl`` values can be a Bot Connector base (issue 9, item 5)."""

from __future__ import annotations

import pytest

from adapters.teams.urls import is_service_url


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://smba.trafficmanager.net/uk/", True),
        ("http://127.0.0.1:9/x", True),
        ("http://127.0.0.1:9/x?y=1", False),
        ("http://127.0.0.1:9/x#y", False),
        ("http://user:pass@127.0.0.1:9/", False),
        ("ftp://127.0.0.1/", False),
    ],
)
def test_service_urls_must_be_plain_bases(url: str, ok: bool) -> None:
    assert is_service_url(url) is ok

"""Which ``response_url`` values the adapter posts to (issue 9, item 6)."""

from __future__ import annotations

import pytest

from adapters.slack.deliver import response_url_allowed


@pytest.mark.parametrize(
    ("url", "api_url", "allowed"),
    [
        ("https://hooks.slack.com/commands/T1/2/abc", "https://slack.com/api/", True),
        ("https://hooks.slack.com:443/actions/T1/2/abc", "https://slack.com/api/", True),
        ("http://hooks.slack.com/commands/T1/2/abc", "https://slack.com/api/", False),
        ("https://hooks.slack.com.evil.example/x", "https://slack.com/api/", False),
        ("https://user@hooks.slack.com/x", "https://slack.com/api/", False),
        ("https://slack.com/api/chat.postMessage", "https://slack.com/api/", False),
        ("file:///etc/passwd", "https://slack.com/api/", False),
        ("not a url", "https://slack.com/api/", False),
        ("", "https://slack.com/api/", False),
        ("http://127.0.0.1:8080/response/x", "http://127.0.0.1:8080/api/", True),
        ("http://127.0.0.1:8081/response/x", "http://127.0.0.1:8080/api/", False),
        ("https://hooks.slack.com/commands/x", "http://127.0.0.1:8080/api/", True),
    ],
)
def test_response_url_allowed(url: str, api_url: str, allowed: bool) -> None:
    assert response_url_allowed(url, api_url=api_url) is allowed

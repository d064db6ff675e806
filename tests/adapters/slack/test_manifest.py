"""manifest.yml creates an app with exactly what the adapter uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from adapters.slack.config import DEFAULT_SCOPES

MANIFEST = Path(__file__).resolve().parents[3] / "manifest.yml"


def _manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def test_scopes_match_what_the_adapter_asks_for_on_install() -> None:
    assert sorted(_manifest()["oauth_config"]["scopes"]["bot"]) == sorted(DEFAULT_SCOPES)


def test_events_are_the_ones_the_listeners_handle() -> None:
    events = _manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == [
        "app_home_opened",
        "app_mention",
        "app_uninstalled",
        "assistant_thread_context_changed",
        "assistant_thread_started",
        "message.im",
        "tokens_revoked",
    ]


def test_everything_goes_to_one_request_url() -> None:
    manifest = _manifest()
    urls = {
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
        *(c["url"] for c in manifest["features"]["slash_commands"]),
    }
    assert len(urls) == 1
    assert urls.pop().endswith("/slack/events")
    assert manifest["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")


def test_the_command_home_and_slack_length_limits() -> None:
    manifest = _manifest()
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/leadership"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    info = manifest["display_information"]
    assert len(info["name"]) <= 35
    assert len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert len(command["description"]) <= 2000


def test_the_assistant_view_is_described_with_prompts_the_coach_answers() -> None:
    view = _manifest()["features"]["assistant_view"]
    assert 0 < len(view["assistant_description"]) <= 500
    assert 1 <= len(view["suggested_prompts"]) <= 4
    assert all(p["title"] and p["message"] for p in view["suggested_prompts"])
    assert "assistant:write" in _manifest()["oauth_config"]["scopes"]["bot"]

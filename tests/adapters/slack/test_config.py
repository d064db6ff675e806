"""Which Slack mode the environment selects, and what it says when something is missing."""

from __future__ import annotations

from adapters.slack.config import DEFAULT_API_URL, SlackConfig


def test_single_workspace() -> None:
    config = SlackConfig.from_env({"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"})
    assert config.http_enabled
    assert not config.oauth
    assert not config.socket_mode
    assert config.api_url == DEFAULT_API_URL


def test_oauth_needs_both_client_settings() -> None:
    assert not SlackConfig.from_env({"SLACK_CLIENT_ID": "1"}).oauth
    config = SlackConfig.from_env(
        {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2"}
    )
    assert config.oauth
    assert config.http_enabled


def test_socket_mode_needs_an_app_token_and_a_token_source() -> None:
    assert not SlackConfig.from_env({"SLACK_APP_TOKEN": "xapp-1"}).socket_mode
    assert SlackConfig.from_env(
        {"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb"}
    ).socket_mode


def test_api_url_gets_its_trailing_slash() -> None:
    config = SlackConfig.from_env({"SLACK_API_URL": "http://127.0.0.1:9/api"})
    assert config.api_url == "http://127.0.0.1:9/api/"


def test_missing_settings_are_named_never_valued() -> None:
    message = SlackConfig.from_env({"SLACK_BOT_TOKEN": "xoxb-secret"}).explain_missing()
    assert "SLACK_SIGNING_SECRET" in message
    assert "xoxb-secret" not in message
    nothing = SlackConfig.from_env({}).explain_missing()
    assert "SLACK_BOT_TOKEN" in nothing
    assert "SLACK_CLIENT_ID" in nothing

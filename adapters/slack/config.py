"""Slack settings, read once from the environment into one immutable value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_API_URL = "https://slack.com/api/"

# What the coach needs and nothing more; manifest.yml lists the same scopes.
DEFAULT_SCOPES: tuple[str, ...] = (
    "app_mentions:read",
    # The assistant view: suggested prompts, status and title of its threads.
    "assistant:write",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SlackConfig:
    """Every Slack setting the adapter reads. Secrets live here only in memory, never in logs."""

    signing_secret: str = ""
    bot_token: str = ""
    client_id: str = ""
    client_secret: str = ""
    app_token: str = ""
    api_url: str = DEFAULT_API_URL
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    redirect_uri: str | None = None
    database_url: str = ""
    # COACH_DATA_KEY: OAuth installations' tokens are stored encrypted with it.
    data_key: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackConfig:
        """Read the ``SLACK_*`` variables (and ``DATABASE_URL``) from ``env``."""
        scopes = tuple(s.strip() for s in env.get("SLACK_SCOPES", "").split(",") if s.strip())
        return cls(
            signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
            client_id=env.get("SLACK_CLIENT_ID", "").strip(),
            client_secret=env.get("SLACK_CLIENT_SECRET", "").strip(),
            app_token=env.get("SLACK_APP_TOKEN", "").strip(),
            api_url=normalise_api_url(env.get("SLACK_API_URL", "")),
            scopes=scopes or DEFAULT_SCOPES,
            redirect_uri=env.get("SLACK_REDIRECT_URI", "").strip() or None,
            database_url=env.get("DATABASE_URL", "").strip(),
            data_key=env.get("COACH_DATA_KEY", "").strip(),
        )

    @property
    def oauth(self) -> bool:
        """True for a multi-workspace app installed through ``/slack/install``."""
        return bool(self.client_id and self.client_secret)

    @property
    def has_token_source(self) -> bool:
        """True when there is a bot token, or the OAuth credentials to obtain one per workspace."""
        return bool(self.bot_token) or self.oauth

    @property
    def http_enabled(self) -> bool:
        """True when ``POST /slack/events`` can verify and answer requests."""
        return bool(self.signing_secret) and self.has_token_source

    @property
    def socket_mode(self) -> bool:
        """True when the listeners should run over Socket Mode (an ``xapp-`` token is set)."""
        return bool(self.app_token) and self.has_token_source

    def explain_missing(self) -> str:
        """Say, in one line, what to set to enable Slack (names only, never values)."""
        missing = []
        if not self.signing_secret and not self.app_token:
            missing.append("SLACK_SIGNING_SECRET")
        if not self.has_token_source:
            missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
        return (
            "Slack is off: set "
            + " and ".join(missing)
            + " to enable it (SLACK_APP_TOKEN as well for Socket Mode)."
            + " See the Slack section of README.md."
        )


def normalise_api_url(raw: str) -> str:
    """Return the Web API base URL with the trailing slash slack_sdk joins method names onto."""
    url = raw.strip() or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"

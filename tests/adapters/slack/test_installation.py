"""Multi-workspace install: the install page, the OAuth redirect, then the installed token."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from cryptography.fernet import Fernet
from sqlalchemy import select

from adapters.store import slack_tables
from adapters.store.crypto import Cipher
from adapters.store.db import make_engine
from tests.adapters.slack.harness import SlackServer, payload, slack_server
from tests.fakes.slack_api import INSTALLED_TEAM_ID, INSTALLED_TOKEN

DATA_KEY = Fernet.generate_key().decode()
OAUTH_ENV = {
    "SLACK_BOT_TOKEN": "",
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "client-secret",
    # Installed tokens are stored only encrypted (issue 9, item 8).
    "COACH_DATA_KEY": DATA_KEY,
}


async def _install(server: SlackServer) -> str:
    """Open the install page, follow its link's state back to the redirect; return the page."""
    async with server.session.get(server.url + "/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        cookie = page.headers["Set-Cookie"]
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', html)
    assert link is not None
    query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
    assert query["client_id"] == ["1111.2222"]
    assert "commands" in query["scope"][0].split(",")
    state = query["state"][0]
    assert f"slack-app-oauth-state={state}" in cookie
    async with server.session.get(
        server.url + "/slack/oauth_redirect",
        params={"code": "one-time-code", "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    ) as done:
        assert done.status == 200
        return await done.text()


async def _token_used_in_installed_team(server: SlackServer) -> str:
    """Mention the app in the installed workspace; return the token its answer was sent with."""
    mention = payload("app_mention")
    mention["team_id"] = INSTALLED_TEAM_ID
    mention["authorizations"][0]["team_id"] = INSTALLED_TEAM_ID
    mention["event"]["team"] = INSTALLED_TEAM_ID
    await server.event(mention)
    [post] = await server.fake.wait_for("/chat.postMessage")
    return post.token


async def test_install_stores_the_workspace_token_and_uses_it(tmp_path: Path) -> None:
    async with slack_server(tmp_path, env=OAUTH_ENV) as server:
        await _install(server)
        [exchange] = server.fake.received("/oauth.v2.access")
        assert exchange.body["code"] == "one-time-code"
        engine = make_engine(server.env["DATABASE_URL"])
        with engine.connect() as conn:
            bots = conn.execute(select(slack_tables.slack_bots)).mappings().all()
        cipher = Cipher([DATA_KEY])
        assert [(b["team_id"], cipher.decrypt(b["bot_token"])) for b in bots] == [
            (INSTALLED_TEAM_ID, INSTALLED_TOKEN)
        ]

        assert await _token_used_in_installed_team(server) == INSTALLED_TOKEN

        uninstall = payload("app_uninstalled")
        uninstall["team_id"] = INSTALLED_TEAM_ID
        await server.event(uninstall)
        await server.fake.quiet()
        with engine.connect() as conn:
            assert conn.execute(select(slack_tables.slack_bots)).all() == []
            assert conn.execute(select(slack_tables.slack_installations)).all() == []
        engine.dispose()


async def test_a_redirect_without_its_state_is_refused(tmp_path: Path) -> None:
    async with slack_server(tmp_path, env=OAUTH_ENV) as server:
        async with server.session.get(
            server.url + "/slack/oauth_redirect", params={"code": "c", "state": "forged"}
        ) as response:
            assert response.status == 400
        async with server.session.get(
            server.url + "/slack/oauth_redirect",
            params={"code": "c", "state": "forged"},
            headers={"Cookie": "slack-app-oauth-state=forged"},
        ) as response:
            assert response.status == 401
        assert server.fake.received("/oauth.v2.access") == []


async def test_events_from_a_workspace_that_never_installed_are_not_answered(
    tmp_path: Path,
) -> None:
    async with slack_server(tmp_path, env=OAUTH_ENV) as server:
        answer = await server.event(payload("app_mention"))
        assert answer.status < 500
        await server.fake.quiet()
        assert server.fake.received("/chat.postMessage") == []


async def test_single_workspace_mode_has_no_install_pages(tmp_path: Path) -> None:
    async with (
        slack_server(tmp_path) as server,
        server.session.get(server.url + "/slack/install") as response,
    ):
        assert response.status == 404

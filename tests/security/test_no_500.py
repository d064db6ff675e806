"""Issue 9, item 5: no request from outside gets a 500, authenticated or not.

Two inputs used to reach code that raised: a Slack timestamp too large to subtract from the
clock (``OverflowError`` inside slack_sdk's verifier), and an anonymous Teams ``serviceUrl``
with a query string (``ValueError`` from aiohttp, via the SDK's connector client). Each is
sent, with neighbours of the same kind, to the whole app.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import aiohttp

from tests.adapters.slack.harness import BOT_TOKEN, SIGNING_SECRET, payload, sign
from tests.adapters.teams.harness import payload as teams_payload
from tests.fakes.bot_connector import FakeBotConnector
from tests.security.served import whole_app


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "TEAMS_ALLOW_ANONYMOUS": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'no500.db'}",
    }


def test_huge_slack_timestamps_are_401_not_500(tmp_path: Path) -> None:
    async def scenario() -> None:
        body = json.dumps(payload("url_verification")).encode()
        async with whole_app(_env(tmp_path)) as url, aiohttp.ClientSession() as http:
            for stamp in ("9" * 400, "1" * 20, str(10**19), "0" * 400 + str(int(time.time()))):
                headers = {
                    "Content-Type": "application/json",
                    "X-Slack-Request-Timestamp": stamp,
                    "X-Slack-Signature": sign(body, timestamp=stamp),
                }
                async with http.post(f"{url}/slack/events", data=body, headers=headers) as got:
                    assert got.status == 401, (stamp[:30], got.status, await got.text())
            # Positive control: the same body with a current timestamp is answered.
            now = str(int(time.time()))
            good = {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": now,
                "X-Slack-Signature": sign(body, timestamp=now),
            }
            async with http.post(f"{url}/slack/events", data=body, headers=good) as got:
                assert got.status == 200

    asyncio.run(scenario())


def test_service_urls_that_are_not_plain_bases_are_400_not_500(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (
            FakeBotConnector() as connector,
            whole_app(_env(tmp_path)) as url,
            aiohttp.ClientSession() as http,
        ):
            port = connector.url.rsplit(":", 1)[1].rstrip("/")
            for n, service_url in enumerate(
                [
                    "http://127.0.0.1:9/x?y=1",
                    f"http://127.0.0.1:{port}/?y=1",
                    f"http://127.0.0.1:{port}/#frag",
                    f"http://user:pw@127.0.0.1:{port}/",
                ]
            ):
                body = teams_payload("personal_message", service_url=service_url)
                body["id"] = f"q{n}"
                async with http.post(f"{url}/api/messages", json=body) as got:
                    assert got.status == 400, (service_url, got.status, await got.text())
            assert connector.activities() == []
            # Positive control: the plain base URL is answered.
            body = teams_payload("personal_message", service_url=connector.url)
            async with http.post(f"{url}/api/messages", json=body) as got:
                assert got.status in (200, 202)
            assert len(connector.activities()) == 1

    asyncio.run(scenario())

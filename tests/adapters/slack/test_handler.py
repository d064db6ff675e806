"""POST /slack/events as Slack (and attackers) call it: verification, bad bodies, no 500s."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.mount import mount
from adapters.store.db import make_engine
from adapters.store.outage import OutageLog
from tests.adapters.slack.harness import payload, sign, slack_server
from tests.fakes.slack_api import FakeSlackApi

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


async def test_url_verification_echoes_the_challenge(tmp_path: Path) -> None:
    async with slack_server(tmp_path) as server:
        answer = await server.post(json.dumps(payload("url_verification")), content_type=JSON)
        assert answer.status == 200
        assert answer.json() == {"challenge": payload("url_verification")["challenge"]}


async def test_bad_signatures_and_stale_timestamps_get_401(tmp_path: Path) -> None:
    body = json.dumps(payload("app_mention"))
    now = int(time.time())
    async with slack_server(tmp_path) as server:
        forged = await server.post(body, content_type=JSON, signature="v0=" + "0" * 64)
        other_secret = await server.post(
            body,
            content_type=JSON,
            timestamp=str(now),
            signature=sign(body.encode(), timestamp=str(now), secret="not-the-secret"),
        )
        stale_ts = str(now - 6 * 60)
        stale = await server.post(
            body,
            content_type=JSON,
            timestamp=stale_ts,
            signature=sign(body.encode(), timestamp=stale_ts),
        )
        future_ts = str(now + 6 * 60)
        future = await server.post(
            body,
            content_type=JSON,
            timestamp=future_ts,
            signature=sign(body.encode(), timestamp=future_ts),
        )
        unsigned = await server.post(body, content_type=JSON, signature="", timestamp="")
        garbage_ts = await server.post(body, content_type=JSON, timestamp="yesterday")
        assert [a.status for a in (forged, other_secret, stale, future, unsigned, garbage_ts)] == [
            401
        ] * 6
        await server.fake.settle(0.2)
        assert server.fake.received("/chat.postMessage") == []


async def test_a_timestamp_within_five_minutes_is_accepted(tmp_path: Path) -> None:
    body = json.dumps(payload("url_verification"))
    ts = str(int(time.time()) - 4 * 60)
    async with slack_server(tmp_path) as server:
        answer = await server.post(body, content_type=JSON, timestamp=ts)
        assert answer.status == 200


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe{\x00}", JSON),
        ('{"type": "event_callback", "event": ', JSON),
        ("[1, 2, 3]", JSON),
        ("null", JSON),
        ('"just a string"', JSON),
        ("", JSON),
        ("{}", JSON),
        ('{"type": "event_callback", "event": "not an object"}', JSON),
        ('{"type": "event_callback", "event": {"no": "type"}}', JSON),
        ('{"type": "block_actions", "actions": "nope"}', JSON),
        ('{"type": "something_else"}', JSON),
        ("payload=not-json", FORM),
        ("payload=%5B1%5D", FORM),
        ("a=b&c=d", FORM),
        ("payload=%7B%22type%22%3A%22view_submission%22%7D", FORM),
    ],
)
async def test_malformed_bodies_get_400(
    tmp_path: Path, body: bytes | str, content_type: str
) -> None:
    async with slack_server(tmp_path) as server:
        answer = await server.post(body, content_type=content_type)
        assert answer.status == 400, answer.text
        assert answer.json()["ok"] is False


async def test_unconfigured_slack_answers_503_and_logs_what_to_set(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeSlackApi() as fake:
        app = web.Application()
        with caplog.at_level(logging.WARNING):
            mount(
                app,
                coach=None,  # type: ignore[arg-type]
                env={"SLACK_API_URL": fake.api_url},
                engine=make_engine(f"sqlite:///{tmp_path / 'unused.db'}"),
                outage=OutageLog(),
            )
        assert "SLACK_SIGNING_SECRET" in caplog.text
        assert "SLACK_BOT_TOKEN" in caplog.text
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            import aiohttp

            async with (
                aiohttp.ClientSession() as session,
                session.post(f"http://127.0.0.1:{port}/slack/events", data="{}") as response,
            ):
                assert response.status == 503
                assert "SLACK_SIGNING_SECRET" in (await response.json())["error"]
        finally:
            await runner.cleanup()


# --- no body Slack could sign makes the server fail -------------------------------------------


class _ThreadedServer:
    """The adapter on its own event loop in a thread, so that hypothesis can drive it."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.url = ""
        self.response_url = ""
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with slack_server(self.tmp_path) as server:
            self.url = server.url
            self.response_url = server.fake.response_url("fuzz")
            self._ready.set()
            await self._stop.wait()

    def __enter__(self) -> _ThreadedServer:
        self._thread.start()
        assert self._ready.wait(20), "server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None
        assert self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(20)

    def post(self, body: bytes, content_type: str) -> int:
        ts = str(int(time.time()))
        request = urllib.request.Request(
            self.url + "/slack/events",
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sign(body, timestamp=ts),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as err:
            return int(err.code)


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_ThreadedServer]:
    with _ThreadedServer(tmp_path_factory.mktemp("fuzz")) as server:
        yield server


_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=30)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
_keys = st.sampled_from(
    [
        "type",
        "event",
        "actions",
        "view",
        "command",
        "text",
        "user",
        "team",
        "channel",
        "container",
        "challenge",
        "event_id",
        "user_id",
        "team_id",
        "trigger_id",
        "api_app_id",
        "tab",
        "tokens",
    ]
)
_slackish = st.dictionaries(
    _keys,
    _json
    | st.sampled_from(
        [
            "event_callback",
            "block_actions",
            "view_submission",
            "url_verification",
            "app_mention",
            "message",
            "app_home_opened",
            "/leadership",
        ]
    ),
    max_size=8,
)


def _with_safe_urls(body: Any, response_url: str) -> Any:
    """Point any response_url at the fake, so no fuzzed URL is ever fetched."""
    if isinstance(body, dict):
        return {
            k: response_url if k == "response_url" else _with_safe_urls(v, response_url)
            for k, v in body.items()
        } | ({"response_url": response_url} if "type" in body else {})
    if isinstance(body, list):
        return [_with_safe_urls(v, response_url) for v in body]
    return body


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shape=st.sampled_from(["json", "payload", "form", "bytes"]),
    data=_slackish,
    event=st.dictionaries(
        _keys, _json | st.sampled_from(["message", "app_mention", "im"]), max_size=6
    ),
    raw=st.binary(max_size=200),
)
def test_no_signed_body_gets_a_5xx(
    fuzz_server: _ThreadedServer,
    shape: str,
    data: dict[str, Any],
    event: dict[str, Any],
    raw: bytes,
) -> None:
    if data.get("type") == "event_callback" and "event" not in data:
        data["event"] = event
    data = _with_safe_urls(data, fuzz_server.response_url)
    if shape == "json":
        status = fuzz_server.post(json.dumps(data).encode(), JSON)
    elif shape == "payload":
        status = fuzz_server.post(urlencode({"payload": json.dumps(data)}).encode(), FORM)
    elif shape == "form":
        flat = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in data.items()}
        flat["response_url"] = fuzz_server.response_url
        status = fuzz_server.post(urlencode(flat).encode(), FORM)
    else:
        status = fuzz_server.post(raw, JSON)
    assert status < 500, (shape, data)


_RECORDED = [
    "app_mention",
    "message_im",
    "message_changed_im",
    "block_actions",
    "block_actions_home",
    "view_submission",
    "app_home_opened",
    "url_verification",
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _mutate(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    node = body
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return body


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(_RECORDED),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=3),
    values=st.lists(_json, min_size=3, max_size=3),
)
def test_no_mutated_recorded_payload_gets_a_5xx(
    fuzz_server: _ThreadedServer, name: str, picks: list[int], values: list[Any]
) -> None:
    body = payload(name)
    for pick, value in zip(picks, values, strict=False):
        paths = _paths(body)
        if not paths:
            break
        body = _mutate(body, paths[pick % len(paths)], value)
    if isinstance(body, dict):
        body = _with_safe_urls(body, fuzz_server.response_url)
        if body.get("event_id"):
            body["event_id"] = f"Ev{time.monotonic_ns()}"  # never a replay: every one runs
    if name.startswith(("block_actions", "view_submission")):
        status = fuzz_server.post(urlencode({"payload": json.dumps(body)}).encode(), FORM)
    else:
        status = fuzz_server.post(json.dumps(body).encode(), JSON)
    assert status < 500, (name, body)

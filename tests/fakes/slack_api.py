"""A loopback fake of Slack's Web API, response URLs, file uploads and Socket Mode.

Point ``SLACK_API_URL`` at :attr:`FakeSlackApi.api_url`. The fake answers the methods the coach
calls with canned, documented shapes (``auth.test``, ``users.info`` with a ``tz``,
``conversations.open``, ``chat.postMessage``, ``chat.postEphemeral``, ``views.publish``,
``views.open``, the ``files.uploadV2`` flow, ``oauth.v2.access``, ``apps.connections.open``),
records every request, and can be told to misbehave for the next N calls of a method: answer
429 with ``Retry-After``, a 5xx, an ``ok: false`` error, or hang.

Paths are recorded without the ``/api`` prefix (``/chat.postMessage``); posts to a response
URL are recorded as ``/response`` and uploads as ``/upload``; ``/redirect/{name}`` answers 307
to ``/response/{name}`` (recorded as ``/redirect``), for tests that redirects are not followed.

Example:
    >>> async with FakeSlackApi() as slack:  # doctest: +SKIP
    ...     env["SLACK_API_URL"] = slack.api_url
    ...     ...  # send the app a signed slash command with response_url=slack.response_url()
    ...     await slack.wait_for("/response")
    ...     slack.assert_received_request_count(path="/response", min_count=1)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.eventually import eventually_async, steady
from tests.servers import served

TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
INSTALLED_TEAM_ID = "T0002"
INSTALLED_TOKEN = "xoxb-installed"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the fake answered."""

    method: str
    path: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes

    @property
    def token(self) -> str:
        """The bearer token the caller sent, if any."""
        auth = self.headers.get("Authorization", "")
        return (
            auth[len("Bearer ") :]
            if auth.startswith("Bearer ")
            else str(self.body.get("token", ""))
        )

    @property
    def text_everywhere(self) -> str:
        """The whole request body as text, for "does this appear anywhere" assertions."""
        return self.raw.decode("utf-8", errors="replace")


@dataclass(slots=True)
class _Fault:
    status: int = 200
    error: str = ""
    retry_after: int | None = None
    hang_seconds: float = 0.0


@dataclass(slots=True)
class _SocketSession:
    ws: web.WebSocketResponse
    acks: list[dict[str, Any]] = field(default_factory=list)


class FakeSlackApi:
    """The fake server: an async context manager listening on an ephemeral loopback port."""

    def __init__(
        self,
        *,
        team_id: str = TEAM_ID,
        bot_user_id: str = BOT_USER_ID,
        timezones: dict[str, str] | None = None,
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.timezones = dict(timezones or {})
        self.requests: list[RecordedRequest] = []
        # What each Web API call was answered, in order, for tests that need the ts it gave.
        self.answers: list[tuple[RecordedRequest, dict[str, Any]]] = []
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._ts = itertools.count(1)
        self._changed = asyncio.Condition()
        self._stopping = asyncio.Event()
        self._serving = contextlib.AsyncExitStack()
        self._sockets: list[_SocketSession] = []
        self.base_url = ""
        self._in_flight = 0
        app = web.Application(middlewares=[self._count_in_flight])
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        # A response URL that answers 307 to /response/{name}: a client that follows it is seen.
        app.router.add_post("/redirect/{name}", self._redirect)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._app = app

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> FakeSlackApi:
        """Listen on 127.0.0.1 on a free port."""
        self.base_url = await self._serving.enter_async_context(served(self._app))
        return self

    async def stop(self) -> None:
        """Close sockets and stop listening."""
        self._stopping.set()
        for session in self._sockets:
            await session.ws.close()
        await self._serving.aclose()

    async def __aenter__(self) -> FakeSlackApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        """The value for ``SLACK_API_URL``."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "hook") -> str:
        """A ``response_url`` to put in a payload; posts to it are recorded as ``/response``."""
        return f"{self.base_url}/response/{name}"

    # --- what was received -----------------------------------------------------------------

    def received(self, path: str) -> list[RecordedRequest]:
        """Every request received at ``path`` (``/chat.postMessage``, ``/response``, ...)."""
        return [r for r in self.requests if r.path == path]

    def assert_received_request_count(self, *, path: str, min_count: int) -> None:
        """Fail unless at least ``min_count`` requests reached ``path``."""
        count = len(self.received(path))
        assert count >= min_count, f"{path}: {count} request(s), expected at least {min_count}"

    async def wait_for(
        self, path: str, *, count: int = 1, within: float = 5.0
    ) -> list[RecordedRequest]:
        """Wait until ``count`` requests have reached ``path``; return them."""

        def enough() -> bool:
            return len(self.received(path)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(enough), within)
            except TimeoutError:
                raise AssertionError(
                    f"{path}: {len(self.received(path))} request(s) after {within}s, "
                    f"expected {count}; received {[r.path for r in self.requests]}"
                ) from None
        return self.received(path)

    def answer_to(self, request: RecordedRequest) -> dict[str, Any]:
        """The JSON the fake answered ``request`` with (a posted message's ``ts``, say)."""
        return next(data for recorded, data in self.answers if recorded is request)

    @property
    def in_flight(self) -> int:
        """Requests received and not yet answered."""
        return self._in_flight

    async def quiet(self, *, within: float = 10.0) -> None:
        """Wait until nothing more can arrive, for "nothing more was sent" checks.

        That is: no request is being handled here, no acknowledged listener work (Bolt's
        tasks, which send the answers) is left running in this event loop, and the count of
        requests has held still for a few polls (for senders in other processes).
        """
        held = steady(lambda: len(self.requests))
        await eventually_async(
            lambda: self._in_flight == 0 and not background_work() and held(),
            within,
            what=f"the fake Slack API to go quiet ({self._in_flight} in flight)",
        )

    # --- faults ----------------------------------------------------------------------------

    def rate_limit_next(self, path: str, *, times: int = 1, retry_after: int = 0) -> None:
        """Answer the next ``times`` calls of ``path`` with 429 and ``Retry-After``."""
        for _ in range(times):
            self._faults[path].append(
                _Fault(status=429, error="ratelimited", retry_after=retry_after)
            )

    def server_error_next(self, path: str, *, times: int = 1, status: int = 500) -> None:
        """Answer the next ``times`` calls of ``path`` with a 5xx."""
        for _ in range(times):
            self._faults[path].append(_Fault(status=status))

    def error_next(self, path: str, *, error: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``path`` with ``{"ok": false, "error": error}``."""
        for _ in range(times):
            self._faults[path].append(_Fault(error=error))

    def hang_next(self, path: str, *, times: int = 1, seconds: float = 30.0) -> None:
        """Hold the next ``times`` calls of ``path`` for ``seconds`` before answering."""
        for _ in range(times):
            self._faults[path].append(_Fault(hang_seconds=seconds))

    # --- Socket Mode -----------------------------------------------------------------------

    async def wait_for_socket(self, *, within: float = 5.0) -> None:
        """Wait until a Socket Mode client has connected."""
        await eventually_async(lambda: self._sockets, within, what="a Socket Mode client")

    async def send_envelope(
        self, *, envelope_type: str, payload: dict[str, Any], within: float = 5.0
    ) -> dict[str, Any]:
        """Push one Socket Mode envelope to the client; return its acknowledgement."""
        await self.wait_for_socket(within=within)
        session = self._sockets[-1]
        envelope_id = f"env-{next(self._ts)}"
        await session.ws.send_json(
            {
                "envelope_id": envelope_id,
                "type": envelope_type,
                "payload": payload,
                "accepts_response_payload": envelope_type != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return await eventually_async(
            lambda: next((a for a in session.acks if a.get("envelope_id") == envelope_id), None),
            within,
            what=f"an acknowledgement for {envelope_id}",
        )

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = _SocketSession(ws=ws)
        self._sockets.append(session)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                try:
                    session.acks.append(json.loads(message.data))
                except ValueError:
                    continue
        return ws

    # --- handlers --------------------------------------------------------------------------

    @web.middleware
    async def _count_in_flight(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        self._in_flight += 1
        try:
            return await handler(request)
        finally:
            self._in_flight -= 1

    async def _record(self, request: web.Request, path: str) -> RecordedRequest:
        raw = await request.read()
        body = _parse(raw, request.content_type, dict(request.query))
        recorded = RecordedRequest(
            method=request.method,
            path=path,
            url=str(request.url),
            headers=dict(request.headers),
            body=body,
            raw=raw,
        )
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()
        return recorded

    async def _fault(self, path: str) -> web.Response | None:
        queue = self._faults.get(path)
        if not queue:
            return None
        fault = queue.popleft()
        if fault.hang_seconds:
            # Wait out the hang, or until the fake stops, so a test's teardown never waits.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), fault.hang_seconds)
            return None
        if fault.status == 429:
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(fault.retry_after or 0)},
            )
        if fault.status >= 500:
            return web.Response(status=fault.status, text="upstream trouble")
        return web.json_response({"ok": False, "error": fault.error})

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        path = f"/{method}"
        recorded = await self._record(request, path)
        faulty = await self._fault(path)
        if faulty is not None:
            return faulty
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        data = answer(recorded) if answer is not None else {"ok": True}
        self.answers.append((recorded, data))
        return web.json_response(data)

    async def _response_url(self, request: web.Request) -> web.Response:
        await self._record(request, "/response")
        faulty = await self._fault("/response")
        return faulty if faulty is not None else web.Response(text="ok")

    async def _redirect(self, request: web.Request) -> web.Response:
        await self._record(request, "/redirect")
        raise web.HTTPTemporaryRedirect(f"/response/{request.match_info['name']}")

    async def _upload(self, request: web.Request) -> web.Response:
        recorded = await self._record(request, "/upload")
        return web.Response(text=f"OK - {len(recorded.raw)}")

    # --- canned Web API answers --------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _auth_test(self, request: RecordedRequest) -> dict[str, Any]:
        installed = request.token == INSTALLED_TOKEN
        return {
            "ok": True,
            "url": "https://fake.slack.test/",
            "team": "Installed team" if installed else "Fake team",
            "user": "coach",
            "team_id": INSTALLED_TEAM_ID if installed else self.team_id,
            "user_id": "UBOT2" if installed else self.bot_user_id,
            "bot_id": "BBOT2" if installed else BOT_ID,
            "is_enterprise_install": False,
        }

    def _users_info(self, request: RecordedRequest) -> dict[str, Any]:
        user = str(request.body.get("user", ""))
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": self.team_id,
                "name": user.lower(),
                "tz": self.timezones.get(user, "Europe/London"),
                "tz_label": "Greenwich Mean Time",
                "tz_offset": 0,
            },
        }

    def _conversations_open(self, request: RecordedRequest) -> dict[str, Any]:
        users = str(request.body.get("users", ""))
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("U")}}

    def _chat_postMessage(self, request: RecordedRequest) -> dict[str, Any]:  # noqa: N802
        channel = str(request.body.get("channel", ""))
        if channel.startswith(("U", "W")):
            # As Slack does: a person's user id means the app's DM with them, and the answer
            # names that DM (the same id conversations.open gives).
            channel = "D" + channel.lstrip("U")
        ts = self._next_ts()
        return {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts, "text": ""}}

    def _chat_postEphemeral(self, request: RecordedRequest) -> dict[str, Any]:  # noqa: N802
        return {"ok": True, "message_ts": self._next_ts()}

    def _views_publish(self, request: RecordedRequest) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "VHOME", "type": "home"}}

    def _views_open(self, request: RecordedRequest) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "VMODAL", "type": "modal"}}

    def _files_getUploadURLExternal(self, request: RecordedRequest) -> dict[str, Any]:  # noqa: N802
        file_id = f"F{next(self._ts):06d}"
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, request: RecordedRequest) -> dict[str, Any]:  # noqa: N802
        files = request.body.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        listed = [{"id": f.get("id"), "title": f.get("title", "")} for f in files or []]
        return {"ok": True, "files": listed}

    def _files_info(self, request: RecordedRequest) -> dict[str, Any]:
        return {"ok": True, "file": {"id": request.body.get("file", "")}}

    def _oauth_v2_access(self, request: RecordedRequest) -> dict[str, Any]:
        return {
            "ok": True,
            "app_id": "A0001",
            "authed_user": {"id": "UINSTALLER"},
            "scope": "chat:write,commands,im:history",
            "token_type": "bot",
            "access_token": INSTALLED_TOKEN,
            "bot_user_id": "UBOT2",
            "team": {"id": INSTALLED_TEAM_ID, "name": "Installed team"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    # The assistant view's three calls check their arguments as Slack does, so a call made
    # without the thread (or with too many prompts) fails here as it would there.
    def _assistant_threads_setSuggestedPrompts(  # noqa: N802
        self, request: RecordedRequest
    ) -> dict[str, Any]:
        prompts = request.body.get("prompts")
        if isinstance(prompts, str):
            prompts = json.loads(prompts)
        if not isinstance(prompts, list) or not 1 <= len(prompts) <= 4:
            return {"ok": False, "error": "invalid_arguments"}
        if not all(isinstance(p, dict) and p.get("title") and p.get("message") for p in prompts):
            return {"ok": False, "error": "invalid_arguments"}
        return _in_a_thread(request)

    def _assistant_threads_setStatus(self, request: RecordedRequest) -> dict[str, Any]:  # noqa: N802
        if "status" not in request.body:
            return {"ok": False, "error": "invalid_arguments"}
        return _in_a_thread(request)

    def _assistant_threads_setTitle(self, request: RecordedRequest) -> dict[str, Any]:  # noqa: N802
        if not request.body.get("title"):
            return {"ok": False, "error": "invalid_arguments"}
        return _in_a_thread(request)

    def _apps_connections_open(self, request: RecordedRequest) -> dict[str, Any]:
        return {"ok": True, "url": self.base_url.replace("http://", "ws://") + "/socket"}


def _in_a_thread(request: RecordedRequest) -> dict[str, Any]:
    """Slack's answer to an assistant call: ok only when it names a DM and a thread."""
    channel = str(request.body.get("channel_id") or "")
    if not channel.startswith("D") or not request.body.get("thread_ts"):
        return {"ok": False, "error": "invalid_arguments"}
    return {"ok": True}


def _parse(raw: bytes, content_type: str, query: dict[str, str]) -> dict[str, Any]:
    """Parse a JSON or form body (plus the query string); decode JSON-valued form fields."""
    body: dict[str, Any] = dict(query)
    text = raw.decode("utf-8", errors="replace")
    if content_type == "application/json" and text:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            body.update(parsed)
    elif content_type == "application/x-www-form-urlencoded":
        body.update(dict(parse_qsl(text, keep_blank_values=True)))
    for key in ("blocks", "view", "files"):
        value = body.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                body[key] = json.loads(value)
    return body


def background_work() -> list[asyncio.Task[object]]:
    """Unfinished tasks in this event loop that may still send to Slack.

    Bolt acknowledges a request at once and answers it from a task it starts itself; the
    adapters start their own for deliveries. Neither is visible to the test otherwise.
    """
    try:
        tasks = asyncio.all_tasks()
    except RuntimeError:  # no running loop: the fake runs in a thread of its own
        return []
    current = asyncio.current_task()
    return [t for t in tasks if t is not current and not t.done() and _sends(t)]


def _sends(task: asyncio.Task[object]) -> bool:
    code = getattr(task.get_coro(), "cr_code", None)
    name = code.co_filename if code is not None else ""
    return "slack_bolt" in name or f"{os.sep}adapters{os.sep}" in name

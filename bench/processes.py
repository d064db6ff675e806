"""Processes for the Slack and Teams benchmarks: the server under test, fakes and load runs.

Everything measured runs in a process of its own, so that no figure includes the work of
whatever measures it. All of it listens on 127.0.0.1 and is stopped in ``finally`` blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bench.loadgen import PAUSE_SECONDS, REQUEST_TIMEOUT_SECONDS, WARM

ROOT = Path(__file__).resolve().parent.parent
# What a developer's shell may hold that would change what a server under test does.
SCRUBBED = ("CONNECTIONS__", "SLACK_", "TEAMS_", "DATABASE_URL", "PORT", "HOST", "LOG_LEVEL")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(settings: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without platform settings, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED)}
    return env | dict(settings)


class ServerProcess:
    """A server in its own process on a loopback port, its output kept in a log file.

    Example:
        >>> server = ServerProcess(  # doctest: +SKIP
        ...     name="bare", args=["-m", "bench.bare_bolt", "--port", "8000"], port=8000,
        ...     env=clean_env({...}), log_dir=Path("/tmp"))
        >>> with serving(server):  # doctest: +SKIP
        ...     run_load("slack", url=server.url + "/slack/events", ...)
    """

    def __init__(
        self,
        *,
        name: str,
        args: Sequence[str],
        port: int,
        env: Mapping[str, str],
        log_dir: Path,
    ) -> None:
        self.name = name
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_dir / f"{name}.log"
        self._args = [sys.executable, *args]
        self._env = dict(env)
        self._log: IO[bytes] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process (without waiting for it to listen)."""
        self._log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            self._args, cwd=ROOT, env=self._env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, *, within: float = 30.0) -> None:
        """Wait until ``GET /healthz`` answers 200; fail with the server's log if it never does."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                break
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.url + "/healthz", timeout=1) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not start:\n{self.log_tail()}")

    def cpu_seconds(self) -> float | None:
        """User plus system CPU time the process (all its threads) has used; None off Linux."""
        if self._process is None:
            return None
        try:
            fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        # utime and stime are fields 14 and 15 of proc(5), counted from after the ")".
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the server printed, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM, a grace period for a clean shutdown, then SIGKILL."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        if self._log is not None:
            self._log.close()


class FakeProcess:
    """A loopback fake in its own process, asked questions over its stdin and stdout.

    The child (``python -m <module> <argument>``) prints its base URL on the first line, then
    answers each JSON line ``[command, argument]`` on stdin with one JSON line on stdout, and
    exits at end of input; see :func:`answer_commands`.
    """

    def __init__(self, *, module: str, argument: str, log_dir: Path) -> None:
        self._args = [sys.executable, "-m", module, argument]
        self._log_path = log_dir / f"{module}.{argument}.log"
        self._log: IO[bytes] | None = None
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> FakeProcess:
        self._log = self._log_path.open("wb")
        self._process = subprocess.Popen(
            self._args,
            cwd=ROOT,
            env=clean_env({}),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        try:
            self.base_url = self._read_line(within=30.0)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._process is not None:
            if self._process.stdin is not None:
                with contextlib.suppress(OSError):
                    self._process.stdin.close()  # end of input: the child stops listening
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        if self._log is not None:
            self._log.close()

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        if self._process is None or self._process.stdin is None or self._process.stdout is None:
            raise RuntimeError("the fake's process is not running")
        return self._process.stdin, self._process.stdout

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()

    def ask(self, command: str, argument: str = "") -> Any:
        """Send one command; return the child's answer, decoded from JSON."""
        stdin = self._pipes()[0]
        stdin.write(json.dumps([command, argument]) + "\n")
        stdin.flush()
        return json.loads(self._read_line(within=30.0))

    def _read_line(self, *, within: float) -> str:
        stdout = self._pipes()[1]
        # A child that hangs must not hang the benchmark: kill it after ``within``.
        watchdog = threading.Timer(within, self._kill)
        watchdog.start()
        try:
            line = stdout.readline()
        finally:
            watchdog.cancel()
        if not line:
            tail = self._log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(self._args[1:])} stopped answering:\n{tail}")
        return line.strip()


async def answer_commands(base_url: str, answer: Callable[[str, str], object]) -> None:
    """The child's side of :class:`FakeProcess`; returns at end of input.

    Stdin is read in a worker thread so that the fake's event loop keeps serving meanwhile.
    """
    print(base_url, flush=True)
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        command, argument = json.loads(line)
        print(json.dumps(answer(command, argument)), flush=True)


@dataclass(slots=True)
class CpuWindow:
    """A server's CPU time over a measured window: :meth:`start` it, then ask per request."""

    server: ServerProcess
    started: float | None = None

    def start(self) -> None:
        """Note the CPU time used so far (call it as the measured window begins)."""
        self.started = self.server.cpu_seconds()

    def used(self) -> float | None:
        """CPU seconds used since :meth:`start`; None if unknown (not Linux, not started)."""
        now = self.server.cpu_seconds()
        if self.started is None or now is None:
            return None
        return now - self.started

    def ms_per_request(self, count: int) -> float | None:
        """CPU milliseconds used since :meth:`start`, per request; None if unknown."""
        used = self.used()
        if used is None or count <= 0:
            return None
        return round(used * 1000 / count, 3)


@contextlib.contextmanager
def serving(*servers: ServerProcess) -> Iterator[None]:
    """Start every server at once (they load in parallel), wait for all, stop all afterwards."""
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        yield
    finally:
        for server in servers:
            server.stop()


def run_load(
    kind: str,
    *,
    url: str,
    concurrency: int,
    requests: int,
    seconds: float,
    warmup: int = 0,
    tag: str = "run",
    env: Mapping[str, str] | None = None,
    response_base: str = "",
    service_url: str = "",
    between: Callable[[Mapping[str, Any]], None] = lambda _warm: None,
) -> dict[str, Any]:
    """Run this module in a new process and return its summary.

    ``between`` runs after the warm-up and before the measured window, which waits for it:
    the place to let the server finish warm-up work and to read its CPU time. It gets the
    warm-up's summary (``count``, ``answered``, ``errors``; no throughput).
    """
    command = [
        sys.executable, "-m", "bench.loadgen", kind, "--url", url,
        "--concurrency", str(concurrency), "--requests", str(requests),
        "--seconds", str(seconds), "--warmup", str(warmup), "--tag", tag,
        "--pause", "--samples",
    ]  # fmt: skip
    if response_base:
        command += ["--response-base", response_base]
    if service_url:
        command += ["--service-url", service_url]
    # stderr goes to a file: a full pipe that nobody reads would stall the load generator.
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=clean_env(env or {}),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        # Warm-up and measurement are each bounded by ``seconds``; this bounds a stuck process.
        limit = 2 * seconds + 2 * REQUEST_TIMEOUT_SECONDS + PAUSE_SECONDS + 30
        watchdog = threading.Timer(limit, process.kill)
        watchdog.start()
        try:
            if process.stdin is None or process.stdout is None:
                raise RuntimeError("no pipes to the load generator")
            last = ""
            for line in process.stdout:
                word, _, rest = line.strip().partition(" ")
                if word == WARM:
                    between(json.loads(rest or "{}"))
                    process.stdin.write("go\n")
                    process.stdin.flush()
                elif line.strip():
                    last = line
            if process.wait() != 0 or not last:
                errors.seek(0)
                raise RuntimeError(
                    f"the load generator failed ({process.returncode}):\n{errors.read()[-2000:]}"
                )
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
    summary: dict[str, Any] = json.loads(last)
    return summary

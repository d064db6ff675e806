"""``coach chat``: an interactive console session over the same core as Slack and Teams."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from adapters.console.render import render
from bot.models import Action, Incoming
from bot.ports import AsyncCoach


def run(coach: AsyncCoach, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read questions until end of input or ``quit``; ``more`` pages the last answer."""
    return asyncio.run(_session(coach, stdin=stdin, stdout=stdout))


async def _session(coach: AsyncCoach, *, stdin: TextIO, stdout: TextIO) -> int:
    interactive = stdin.isatty()
    if interactive:
        print(
            "System Leadership Coach. Ask a question, `help` for commands, `quit` to leave.",
            file=stdout,
        )
    loop = asyncio.get_running_loop()
    last_more = ""
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        # Reading a terminal blocks; it waits on a thread like any other blocking call.
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            return 0
        text = line.strip()
        if text.lower() in {"quit", "exit", "bye"}:
            return 0
        if text.lower() == "more" and last_more:
            reply = await coach.act(Action(action_id="more", value=last_more))
        else:
            reply = await coach.handle(Incoming(text=text))
        more = [
            b.value for b in (reply.card.buttons if reply.card else ()) if b.action_id == "more"
        ]
        last_more = more[0] if more else ""
        print(render(reply), file=stdout, flush=True)
        print(file=stdout)

"""``coach chat``: an interactive console session over the same core as Slack and Teams."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TextIO

from adapters.console.render import render
from bot.coach import Coach
from bot.models import Action, Incoming


def run(coach: Coach, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read questions until end of input or ``quit``; ``more`` pages the last answer."""
    interactive = stdin.isatty()
    if interactive:
        print(
            "System Leadership Coach. Ask a question, `help` for commands, `quit` to leave.",
            file=stdout,
        )
    last_more = ""
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        text = line.strip()
        if text.lower() in {"quit", "exit", "bye"}:
            return 0
        now = datetime.now(UTC)
        if text.lower() == "more" and last_more:
            reply = coach.act(Action(action_id="more", value=last_more), now=now)
        else:
            reply = coach.handle(Incoming(text=text), now=now)
        more = [
            b.value for b in (reply.card.buttons if reply.card else ()) if b.action_id == "more"
        ]
        last_more = more[0] if more else ""
        print(render(reply), file=stdout, flush=True)
        print(file=stdout)

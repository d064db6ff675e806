"""``coach chat``: an interactive console session over the same core as Slack and Teams.

Buttons are typed: a reply's buttons are listed by label, and typing a label (``Save anyway``)
presses it. A reply's file is written to disk and its path shown (see :mod:`files`).
"""

from __future__ import annotations

import asyncio
import functools
import sys
from pathlib import Path
from typing import TextIO

from adapters.console import files
from adapters.console.render import render
from bot.identity import CONSOLE_USER, Who
from bot.models import Action, Incoming, Reply
from bot.ports import AsyncCoach

# Asked at start: this week's reflection prompt, shown only if one is due.
WEEK_PROMPT = "journal.week"

# Buttons handled in other ways: "ask" repeats a question, "more" pages, links are printed.
_NOT_PRESSABLE = {"ask", "more"}


def run(
    coach: AsyncCoach,
    *,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    export_dir: Path | None = None,
    who: Who = CONSOLE_USER,
) -> int:
    """Read questions until end of input or ``quit``; ``more`` pages the last answer.

    ``who`` is the person at the terminal (:func:`adapters.console.identity.console_who`).
    """
    directory = export_dir if export_dir is not None else files.export_dir()
    return asyncio.run(_session(coach, stdin=stdin, stdout=stdout, export_dir=directory, who=who))


async def _session(
    coach: AsyncCoach, *, stdin: TextIO, stdout: TextIO, export_dir: Path, who: Who
) -> int:
    interactive = stdin.isatty()
    if interactive:
        print(
            "System Leadership Coach. Ask a question, `help` for commands, `quit` to leave.",
            file=stdout,
        )
    if coach.keeps_state:
        week = await coach.act(Action(action_id=WEEK_PROMPT, who=who))
        if week.intent == "nudge.week":
            print(render(week), file=stdout, end="\n\n", flush=True)
    loop = asyncio.get_running_loop()
    last_more = ""
    pressable: dict[str, Action] = {}
    last = Reply(text="", intent="")
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
            reply = await coach.act(Action(action_id="more", value=last_more, who=who))
        elif text.lower() in pressable:
            reply = await coach.act(pressable[text.lower()])
        elif _is_number(text) and any(_is_number(label) for label in pressable):
            # A number that is none of the numbered buttons (a rating of 7): say what to
            # type and keep the question, rather than read "7" as a question.
            labels = " · ".join(f"`{b}`" for b in _labels(last))
            print(f"That is not one of the answers. Type {labels}.\n", file=stdout, flush=True)
            continue
        else:
            reply = await coach.handle(Incoming(text=text, who=who))
        last = reply
        more = [
            b.value for b in (reply.card.buttons if reply.card else ()) if b.action_id == "more"
        ]
        last_more = more[0] if more else ""
        pressable = _pressable(reply, who)
        print(render(reply), file=stdout, flush=True)
        if pressable:
            labels = " · ".join(f"`{b}`" for b in _labels(reply))
            print(f"(type {labels})", file=stdout, flush=True)
        if reply.attachment is not None:
            path = await loop.run_in_executor(
                None, functools.partial(files.save, reply.attachment, directory=export_dir)
            )
            print(f"File saved: {path}", file=stdout, flush=True)
        print(file=stdout)


def _is_number(text: str) -> bool:
    return text.strip().lstrip("-").isdigit()


def _pressable(reply: Reply, who: Who) -> dict[str, Action]:
    if reply.card is None:
        return {}
    return {
        b.label.lower(): Action(action_id=b.action_id, value=b.value, who=who)
        for b in reply.card.buttons
        if b.action_id not in _NOT_PRESSABLE and b.url is None
    }


def _labels(reply: Reply) -> list[str]:
    buttons = reply.card.buttons if reply.card else ()
    return [b.label for b in buttons if b.action_id not in _NOT_PRESSABLE and b.url is None]

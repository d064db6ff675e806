"""The ``coach`` command: ask, chat, serve, clock, db, feedback, nudges and teams-package.

Platform modules are imported inside the subcommand that needs them, so ``coach ask``
starts fast and works even where the Slack or Teams SDK is not configured.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.coach import Coach
    from bot.models import Reply


def _ask(args: argparse.Namespace) -> int:
    from bot.coach import Coach

    coach = Coach.load()
    query = " ".join(args.query)
    if query:
        print(_answer_one(coach, query, as_json=args.json))
        return 0
    if not args.json:
        print(
            "coach ask: give a question, or use --json to read one per line from standard input",
            file=sys.stderr,
        )
        return 2
    # JSON Lines: one answer per input line, in order, flushed so pipes see each answer at once.
    out = sys.stdout
    for line in sys.stdin:
        out.write(_answer_one(coach, line.rstrip("\r\n"), as_json=True) + "\n")
        out.flush()
    return 0


def _answer_one(coach: Coach, text: str, *, as_json: bool) -> str:
    """One answer, as JSON or as a person reads it; a reply's file is saved, its path given."""
    from adapters.console import files
    from adapters.console.json_contract import to_json
    from adapters.console.render import render

    reply = _stateful_answer(text) if coach.needs_state(text) else coach.answer(text)
    saved = None
    if reply.attachment is not None:
        saved = files.save(reply.attachment, directory=files.export_dir())
    if as_json:
        return to_json(reply, query=text, chart=saved)
    return render(reply) + (f"\nFile saved: {saved}" if saved is not None else "")


def _stateful_answer(query: str) -> Reply:
    """Answer a command that keeps state (journal, assess, focus…) as the OS user.

    Only these open the database, so a plain question stays as quick as ever.
    """
    from datetime import UTC, datetime

    from adapters.console.identity import console_who
    from bot.models import Incoming

    return _stateful_coach().handle(Incoming(text=query, who=console_who()), now=datetime.now(UTC))


@functools.cache
def _stateful_coach() -> Coach:
    # Built once, on the first line that needs it (JSON Lines may send many).
    from app.wiring import build_coach

    return build_coach()


def _chat(_args: argparse.Namespace) -> int:
    from adapters.console.identity import console_who
    from adapters.console.repl import run
    from app.wiring import CoachService, build_coach

    # The whole coach, journal included, on $DATABASE_URL (embedded SQLite by default), as
    # the OS user on the console platform.
    service = CoachService(build_coach())
    try:
        return run(service, who=console_who())
    finally:
        service.close()


def _serve(args: argparse.Namespace) -> int:
    from app.serve import run

    return run(port=args.port, clock=not args.no_clock)


def _clock(args: argparse.Namespace) -> int:
    from app.clock import main_clock

    return main_clock(args.rest)


def _send_due(args: argparse.Namespace) -> int:
    from app.clock import main_send_due

    return main_send_due(args.rest)


def _db(args: argparse.Namespace) -> int:
    from app.db_command import main

    return main(args.rest)


def _feedback(args: argparse.Namespace) -> int:
    from app.feedback_command import main

    return main(args.rest)


def _teams_package(args: argparse.Namespace) -> int:
    from adapters.teams.package import main

    return main(args.rest)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="coach", description="The System Leadership Coach.")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer one question (or JSON Lines from stdin with --json)")
    ask.add_argument("--json", action="store_true", help="print the JSON answer")
    ask.add_argument("query", nargs="*", help="the question")
    ask.set_defaults(func=_ask)

    chat = sub.add_parser("chat", help="an interactive console session")
    chat.set_defaults(func=_chat)

    serve = sub.add_parser("serve", help="run the web server for Slack and Teams")
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3978")))
    serve.add_argument(
        "--no-clock", action="store_true", help="do not run the nudge clock in-process"
    )
    serve.set_defaults(func=_serve)

    clock = sub.add_parser("clock", help="run the weekly nudge scheduler")
    clock.add_argument("rest", nargs=argparse.REMAINDER)
    clock.set_defaults(func=_clock)

    db = sub.add_parser("db", help="database maintenance: coach db upgrade")
    db.add_argument("rest", nargs=argparse.REMAINDER)
    db.set_defaults(func=_db)

    feedback = sub.add_parser(
        "feedback", help="Helpful / Not quite: the not-quite rate per intent and per row"
    )
    feedback.add_argument("rest", nargs=argparse.REMAINDER)
    feedback.set_defaults(func=_feedback)

    nudges = sub.add_parser("nudges", help="nudge operations: coach nudges send-due [--now ISO]")
    nudges_sub = nudges.add_subparsers(dest="nudges_command", required=True)
    send_due = nudges_sub.add_parser(
        "send-due", help="run one delivery pass and exit", add_help=False
    )
    send_due.add_argument("rest", nargs=argparse.REMAINDER)
    send_due.set_defaults(func=_send_due)

    package = sub.add_parser(
        "teams-package", help="build the Teams app package zip", add_help=False
    )
    package.add_argument("rest", nargs=argparse.REMAINDER)
    package.set_defaults(func=_teams_package)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``coach`` console script."""
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Alembic logs every plugin it loads at INFO; only its warnings help an operator.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    parser = build_parser()
    # Subcommands owned by other modules parse their own options: argparse.REMAINDER alone
    # does not capture a leading "--now ...", so unknown options are handed on with it.
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if not hasattr(args, "rest"):
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.rest = [*unknown, *args.rest]
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except ValueError as error:
        # A malformed COACH_DATA_KEY is an operator's slip with a clear message: say it, with no
        # traceback. Imported here so that `coach ask` never pays for importing cryptography.
        from adapters.store.crypto import DataKeyError

        if not isinstance(error, DataKeyError):
            raise
        print(f"coach: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

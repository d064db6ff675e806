"""``coach feedback``: the "Not quite" rate per intent and per row, for content editors.

A row with a high rate is one whose example situations (``content/situations.yaml``) draw
questions it does not answer well: the place to look first.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from adapters.store.db import make_engine
from adapters.store.feedback import SqlFeedback
from adapters.store.schema import ensure_schema
from bot.content import Content, load_content
from bot.feedback.votes import Tally, tallies


def main(argv: Sequence[str]) -> int:
    """``coach feedback [--url URL]``: print the report; 0 even when there are no votes."""
    parser = argparse.ArgumentParser(
        prog="coach feedback", description="Helpful / Not quite votes, per intent and per row."
    )
    parser.add_argument("--url", default=None, help="database URL (default: $DATABASE_URL)")
    args = parser.parse_args(list(argv))
    engine = make_engine(args.url)
    try:
        ensure_schema(engine)
        votes = SqlFeedback(engine).votes()
    finally:
        engine.dispose()
    print(report(votes=tallies(votes), content=load_content()))
    return 0


def report(*, votes: tuple[tuple[Tally, ...], tuple[Tally, ...]], content: Content) -> str:
    """The two tables as text: intents, then rows (highest "Not quite" rate first)."""
    by_intent, by_row = votes
    if not by_intent:
        return "No votes yet: Helpful / Not quite appear under every answer with results."
    names = {r.id: f"{r.role} / {r.behaviour.splitlines()[0]}" for r in content.rows}
    names |= {f"p{p.number}": f"Principle {p.number}: {p.title}" for p in content.principles}
    lines = [f"{'intent':<14} {'votes':>6} {'not quite':>10} {'rate':>6}"]
    lines += [_line(t.name, t) for t in by_intent]
    lines += ["", f"{'row':<14} {'votes':>6} {'not quite':>10} {'rate':>6}  text"]
    lines += [f"{_line(t.name, t)}  {names.get(t.name, '')[:70]}" for t in by_row]
    return "\n".join(lines)


def _line(name: str, tally: Tally) -> str:
    return f"{name:<14} {tally.votes:>6} {tally.not_quite:>10} {tally.not_quite_rate:>6.0%}"

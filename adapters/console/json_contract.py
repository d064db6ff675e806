"""The JSON answer of ``coach ask --json`` (the contract in ``shared/eval/questions.md``)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.models import Reply


def to_json(reply: Reply, *, query: str, chart: Path | None = None) -> str:
    """One line of JSON: the query, the intent, the ranked results and the plain-text reply.

    A reply that carries figures for other tools (``progress``) is those figures instead, with
    ``chart`` the path of its saved PNG (``null`` when there was nothing to chart).
    """
    if reply.data is not None:
        return json.dumps(
            {**reply.data, "chart": None if chart is None else str(chart)}, ensure_ascii=False
        )
    return json.dumps(
        {
            "query": query,
            "intent": reply.intent,
            "results": [m.to_json() for m in reply.results],
            "reply": reply.text,
        },
        ensure_ascii=False,
    )

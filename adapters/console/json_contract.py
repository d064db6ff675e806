"""The JSON answer of ``coach ask --json`` (the contract in ``shared/eval/questions.md``)."""

from __future__ import annotations

import json

from bot.models import Reply


def to_json(reply: Reply, *, query: str) -> str:
    """One line of JSON: the query, the intent, the ranked results and the plain-text reply."""
    return json.dumps(
        {
            "query": query,
            "intent": reply.intent,
            "results": [m.to_json() for m in reply.results],
            "reply": reply.text,
        },
        ensure_ascii=False,
    )

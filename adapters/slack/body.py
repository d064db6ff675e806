"""The body of a request to ``/slack/events``, read as Bolt routes it.

Slack posts JSON (Events API), a form (slash commands) or a form whose one ``payload`` field
is JSON (buttons, modals). Hand-written rather than Bolt's ``parse_body`` for two reasons:

- Bolt looks for the *text* "payload" anywhere in a form body, so ``/leadership what is a
  payload`` reads as an empty body, and would be refused as not a Slack payload; here only
  a ``payload`` *field* counts.
- It is the first thing every slash command pays for: percent-decoding only the values that
  need it (a few of the 10-15 fields) takes about half of ``urllib.parse.parse_qsl``'s time.

Decoding is ``parse_qsl``'s: ``+`` is a space, bad escapes are replaced, blank values kept.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus


def parse(text: str, content_type: str | None) -> Any:
    """The request's payload: a dict for everything Slack sends (other JSON as it is).

    Raises:
        ValueError: the JSON is malformed (``json.JSONDecodeError``).
        RecursionError: the JSON nests ~1,000 levels deep.
    """
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        return json.loads(text)
    fields = form_fields(text)
    payload = fields.get("payload")
    if payload is not None:
        return json.loads(payload)
    return fields


def form_fields(text: str) -> dict[str, str]:
    """A form body's fields (the last of a repeated name wins, as with ``dict(parse_qsl())``)."""
    fields: dict[str, str] = {}
    for pair in text.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        fields[_decoded(name)] = _decoded(value)
    return fields


def _decoded(part: str) -> str:
    if "%" in part:
        return unquote_plus(part)
    # Words of a question are joined by "+" but seldom escaped: no need for the full decoder.
    return part.replace("+", " ") if "+" in part else part

"""Slack's three control characters, and bounded text for its length limits.

Slack treats ``<``, ``>`` and ``&`` as markup in every text field: ``<!channel>`` pings a
channel and ``<@U123>`` pings a person. Escaping them in everything we send means that text a
person typed, echoed back by the coach, can never ping anyone. Incoming text arrives with the
same three characters escaped, so :func:`unescape` gives the core what the person typed.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

_BOLD = re.compile(r"\*([^*\n]+)\*")


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` for any Slack text field (``&`` first, so nothing doubles)."""
    # Most text has none of the three: three ``in`` scans cost a seventh of three ``replace``
    # calls on a framework row's text, and every field of every answer passes through here.
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def unescape(text: str) -> str:
    """Undo Slack's escaping of incoming text (``&amp;`` last, so ``&amp;lt;`` stays ``&lt;``)."""
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mrkdwn(text: str) -> str:
    """Turn the core's light markdown into Slack mrkdwn.

    The core's only markup is ``*bold*``, which is already Slack's syntax, so escaping the
    control characters is all there is to do.
    """
    return escape(text)


def plain(text: str) -> str:
    """Text for a ``plain_text`` field: ``*bold*`` markers removed, control characters escaped."""
    # Most labels have no markers: skip the regex (every button's label passes through here).
    return escape(_BOLD.sub(r"\1", text) if "*" in text else text)


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending with an ellipsis when cut.

    Cuts at a word boundary when one is near, and never inside an ``&amp;``-style entity, which
    Slack would show half-escaped.
    """
    if len(text) <= limit:
        return text
    cut = text[: max(limit - len(ELLIPSIS), 0)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    space = cut.rfind(" ")
    if space > len(cut) * 3 // 4:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def split(text: str, limit: int) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters, at line breaks where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
            amp = rest.rfind("&", 0, cut)
            if amp > 0 and ";" not in rest[amp:cut]:
                cut = amp
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces

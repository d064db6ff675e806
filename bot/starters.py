"""Starter questions: what a new conversation with the coach offers to ask first.

Slack's assistant view shows up to four suggested prompts when a person opens a new thread;
any other surface with "conversation starters" can use the same list. They are drawn from
content, so they change when the content does: a situation from ``situations.yaml`` as people
put it, a domain of the framework, a regional academy, and the journal (the one stateful
command worth finding). A seed (a thread id, say) picks which, so threads show some variety
while a given thread always shows the same ones.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from bot.content import Content
from bot.examples import Target

# Slack shows at most four suggested prompts; longer situations do not fit on a prompt button.
MAX_STARTERS = 4
MAX_SITUATION_CHARS = 110


@dataclass(frozen=True, slots=True, kw_only=True)
class Starter:
    """One suggested first question: a short title, and the message it sends when chosen."""

    title: str
    message: str


def starters(content: Content, *, seed: str = "") -> tuple[Starter, ...]:
    """Up to four starter questions drawn from ``content``, chosen by ``seed``."""
    pick = zlib.crc32(seed.encode("utf-8"))
    found: list[Starter] = []
    situations = [
        s.text
        for s in content.examples.situations
        if s.target is Target.ROW and len(s.text) <= MAX_SITUATION_CHARS
    ]
    if situations:
        found.append(
            Starter(title="Talk through a situation", message=situations[pick % len(situations)])
        )
    if content.domains:
        domain = content.domains[pick % len(content.domains)]
        found.append(Starter(title=f"Explore {domain.name}", message=f"domains {domain.name}"))
    if content.academies:
        academy = content.academies[pick % len(content.academies)]
        found.append(
            Starter(title="Find your leadership academy", message=f"contact {academy.region}")
        )
    found.append(Starter(title="My reflection journal", message="journal"))
    return tuple(found[:MAX_STARTERS])

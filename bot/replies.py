"""Build :class:`Reply` objects: help, matches, the no-match fallback, academies, passages.

Every reply has plain text (the fallback that screen readers, notifications and the console
use) and usually a :class:`Card` that adapters render natively. User text is never put into a
reply unescaped by the core's choice: adapters escape it for their own markup.
"""

from __future__ import annotations

import json

from bot import compact_json
from bot.content import Content
from bot.models import Audience, Button, Card, Fact, Match, Reply, ResultKind, Section

PAGE_SIZE = 3
SUGGESTIONS = (
    "behaviours resilience",
    "principles carers",
    "contact Leeds",
    "how do I lead without authority?",
)
COMMAND_HELP = (
    ("behaviours <topic>", "framework behaviours about a topic, e.g. behaviours resilience"),
    ("principles [topic]", "the six National Voices principles, e.g. principles carers"),
    ("contact <place>", "your regional leadership academy, e.g. contact Leeds or contact LS6 3AB"),
    ("domains [name]", "the four domains of the System Leadership Framework"),
    ("about", "what system leadership is, and why it matters"),
    ("nudges on [day] [time]", "a weekly reflection prompt by direct message"),
    ("journal", "your private reflections; journal export, forget me"),
    ("assess", "rate yourself on the framework's 30 rows, privately; assess summary"),
    ("focus [topic]", "up to three rows to work on, which your nudges follow; focus clear"),
    ("progress", "your self-assessments and reflections so far, with a chart"),
    ("home", "your focus, latest scores and next nudge in one card"),
    ("help", "this list"),
)


def more_value(text: str, offset: int = 0) -> str:
    """Encode what "More like this" and "Share" need to rebuild a page: the question and offset."""
    return compact_json.dumps({"q": text[:300], "o": offset})


def read_more_value(value: str) -> tuple[str, int]:
    """Decode :func:`more_value`; anything malformed reads as an empty question."""
    try:
        data = json.loads(value)
        text, offset = data["q"], data["o"]
    except (ValueError, KeyError, TypeError):
        return "", 0
    if not isinstance(text, str) or not isinstance(offset, int) or isinstance(offset, bool):
        return "", 0
    return text, max(0, min(offset, 1000))


def help_reply(content: Content, *, intro: str = "") -> Reply:
    """What the coach is and how to ask it."""
    lines = [
        intro
        or "I'm your system leadership coach, built on the NHS Leadership Academy's "
        "System Leadership Framework.",
        "Ask me anything in your own words, or use a command:",
        *(f"• {cmd}: {what}" for cmd, what in COMMAND_HELP),
    ]
    card = Card(
        title="System Leadership Coach",
        sections=(
            Section(body=lines[0]),
            Section(
                heading="Ask in your own words, or use a command",
                facts=tuple(Fact(label=cmd, value=what) for cmd, what in COMMAND_HELP),
            ),
        ),
        buttons=tuple(Button(label=s, action_id="ask", value=s) for s in SUGGESTIONS[:3]),
        suggestions=SUGGESTIONS,
    )
    return Reply(text="\n".join(lines), intent="help", card=card)


def _why_facts(match: Match) -> tuple[Fact, ...]:
    return (Fact(label="Why it fits", value=match.why),) if match.why else ()


def _behaviour_section(match: Match) -> Section:
    b = match.behaviour
    assert b is not None
    return Section(
        heading=b.domain,
        facts=(
            Fact(label="Leadership role", value=b.role),
            Fact(label="Behaviours demonstrated", value=b.behaviour),
            *_why_facts(match),
        ),
    )


def _principle_section(match: Match) -> Section:
    p = match.principle
    assert p is not None
    return Section(
        heading=f"National Voices principle {p.number}", body=p.title, facts=_why_facts(match)
    )


def _match_text(match: Match) -> str:
    why = f"\n  Why it fits: {match.why}" if match.why else ""
    if match.behaviour is not None:
        b = match.behaviour
        return (
            f"{b.domain}\n  Leadership role: {b.role}\n"
            f"  Behaviours demonstrated: {' / '.join(b.behaviour.splitlines())}{why}"
        )
    assert match.principle is not None
    p = match.principle
    return f"National Voices principle {p.number}: {p.title}{why}"


def matches_reply(
    *,
    query: str,
    source: str,
    matches: tuple[Match, ...],
    intent: str,
    offset: int = 0,
    reflection: str = "",
) -> Reply:
    """A page of ranked matches, with "More like this" when more remain.

    ``reflection`` is a question to think about, shown after the rows (the coaching reply).
    """
    page = matches[offset : offset + PAGE_SIZE]
    remaining = len(matches) - offset - len(page)
    title = f"What the framework says about “{query}”" if query else "The framework"
    sections = tuple(
        _behaviour_section(m) if m.kind is ResultKind.BEHAVIOUR else _principle_section(m)
        for m in page
    ) + ((Section(heading="A question to reflect on", body=reflection),) if reflection else ())
    buttons: list[Button] = []
    if remaining > 0:
        buttons.append(
            Button(
                label="More like this",
                action_id="more",
                value=more_value(source, offset + PAGE_SIZE),
            )
        )
    buttons.append(
        Button(label="Share to channel", action_id="share", value=more_value(source, offset))
    )
    footer = (
        f"{remaining} more match{'es' if remaining != 1 else ''}: press More like this."
        if remaining > 0
        else ""
    )
    text_lines = [title + ":"] + [
        f"{i}. {_match_text(m)}" for i, m in enumerate(page, start=offset + 1)
    ]
    if reflection:
        text_lines.append(f"A question to reflect on: {reflection}")
    if footer:
        text_lines.append(footer)
    return Reply(
        text="\n".join(text_lines),
        intent=intent,
        card=Card(title=title, sections=sections, buttons=tuple(buttons), footer=footer),
        results=page,
        query=query,
    )


def no_match_reply(*, query: str, intent: str, content: Content) -> Reply:
    """A helpful fallback instead of a weak guess."""
    domains = ", ".join(d.name for d in content.domains)
    if query:
        opening = f"I couldn't find anything in the framework about “{query}”."
    else:
        opening = "I didn't catch a question there."
    text = (
        f"{opening} Try a leadership topic such as resilience, influence, conflict, coaching, "
        f"quality improvement or carers, or browse the four domains: {domains}. "
        "Type help for every command."
    )
    card = Card(
        title="No match",
        sections=(
            Section(body=opening),
            Section(
                heading="Try one of these",
                body="Topics such as resilience, influence, conflict, coaching, "
                "quality improvement or carers.",
            ),
        ),
        buttons=tuple(
            Button(label=s, action_id="ask", value=s) for s in ("domains", "principles", "help")
        ),
        suggestions=SUGGESTIONS,
    )
    return Reply(text=text, intent=intent, card=card, query=query)


def domains_reply(*, content: Content, name: str = "") -> Reply:
    """The four domains at a glance, or every row of one domain."""
    if name:
        domain = next(d for d in content.domains if d.name == name)
        matches = tuple(
            Match(kind=ResultKind.BEHAVIOUR, score=100.0, behaviour=r) for r in domain.rows
        )
        lines = [f"{domain.name}: {len(domain.rows)} leadership roles and their behaviours"]
        lines += [f"• {r.role} → {' / '.join(r.behaviour.splitlines())}" for r in domain.rows]
        card = Card(
            title=domain.name,
            sections=tuple(_behaviour_section(m) for m in matches),
            buttons=(
                Button(
                    label="Share to channel", action_id="share", value=more_value(f"domains {name}")
                ),
            ),
        )
        return Reply(
            text="\n".join(lines), intent="domains", card=card, results=matches, query=name
        )
    lines = ["The System Leadership Framework has four domains:"]
    lines += [f"• {d.name} ({len(d.rows)} roles): {d.summary}" for d in content.domains]
    card = Card(
        title="The System Leadership Framework",
        sections=tuple(Section(heading=d.name, body=d.summary) for d in content.domains),
        buttons=tuple(
            Button(label=d.name, action_id="ask", value=f"domains {d.name}")
            for d in content.domains
        ),
        footer=f"Source: {content.framework_source}",
    )
    return Reply(text="\n".join(lines), intent="domains", card=card)


def about_reply(*, content: Content, passage_ids: tuple[str, ...]) -> Reply:
    """Passages of the briefing, word for word, each with its attribution."""
    sections = []
    lines = []
    for pid in passage_ids:
        p = content.passage(pid)
        body = "\n".join(part for part in (p.text, *(f"• {i}" for i in p.items)) if part)
        sections.append(Section(heading=p.title, body=f"{body}\n(Ref: {p.attribution.source})"))
        lines += [p.title, body, f"(Ref: {p.attribution.source})", ""]
    title = "About system leadership"
    card = Card(
        title=title,
        sections=tuple(sections),
        buttons=tuple(
            Button(label=label, action_id="ask", value=value)
            for label, value in (
                ("Why it matters", "about why"),
                ("STP footprints", "about stp"),
                ("Collective leadership", "about collective"),
            )
        ),
    )
    return Reply(text="\n".join(lines).strip(), intent="about", card=card)


def principles_reply(*, content: Content) -> Reply:
    """All six National Voices principles, with their attribution."""
    matches = tuple(
        Match(kind=ResultKind.PRINCIPLE, score=100.0, principle=p) for p in content.principles
    )
    lines = [content.principles_intro] + [f"{p.number}. {p.title}" for p in content.principles]
    lines.append(f"Source: {content.principles_source}")
    card = Card(
        title="The six National Voices principles",
        sections=(
            Section(body=content.principles_intro),
            *(Section(heading=f"Principle {p.number}", body=p.title) for p in content.principles),
        ),
        footer=f"Source: {content.principles_source}",
        buttons=(
            Button(label="Share to channel", action_id="share", value=more_value("principles")),
        ),
    )
    return Reply(text="\n".join(lines), intent="principles", card=card, results=matches)


def unavailable_reply(*, intent: str) -> Reply:
    """A stateful command on a front end that has no storage (e.g. the plain CLI)."""
    text = (
        "Nudges and the journal live in the Slack or Teams app, "
        "where your settings and reflections can be kept for you."
    )
    return Reply(
        text=text,
        intent=intent,
        audience=Audience.ASKER,
        card=Card(title="Not available here", sections=(Section(body=text),)),
    )

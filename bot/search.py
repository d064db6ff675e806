"""Search for sharing: what a message extension (or any "find and share" surface) offers.

A person types a few words into a compose box; this returns up to ``limit`` shareable
results, each a short title and summary for the result list and a full :class:`Card` that
goes into the conversation for colleagues. Everything here is the briefing's content (framework
rows, National Voices principles, academies, domains): nothing personal, so every result is
:attr:`~bot.models.Audience.EVERYONE`'s to see.

Ranking is the coach's own (:meth:`Understanding.rank` for rows and principles, the place
gazetteer for academies), so a search and a question find the same things.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.academy_replies import academy_facts, contact_buttons
from bot.content import Content
from bot.models import Academy, Behaviour, Card, Domain, Principle, Section
from bot.nudges.card import row_facts
from bot.text import clean
from bot.understanding.reader import Understanding

# Teams shows at most 10 results a page ("count" asks for up to 25, but we never offer more).
MAX_RESULTS = 10
# Longer than any real search; more is pasted text, not a query (and costs ranking time).
MAX_QUERY_CHARS = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class Found:
    """One search result: a line for the result list, and the card that is shared."""

    title: str
    summary: str
    card: Card


def search(
    text: str, *, content: Content, understanding: Understanding, limit: int = MAX_RESULTS
) -> tuple[Found, ...]:
    """Up to ``limit`` shareable results for ``text``; the four domains when it is empty.

    Over-long text finds nothing (the caller shows an empty list, never an error).

    Example:
        >>> found = search("resilience", content=content, understanding=understanding)
        >>> found[0].title
        'Patience, persistence and resilience'
    """
    if limit <= 0 or len(text) > MAX_QUERY_CHARS:
        return ()
    query = clean(text)
    if not query:
        return tuple(domain_found(d, content=content) for d in content.domains)[:limit]
    found: list[Found] = []
    seen: set[str] = set()

    def add(item: Found) -> None:
        if item.title not in seen:
            seen.add(item.title)
            found.append(item)

    lowered = query.lower()
    for domain in content.domains:
        if lowered in domain.name.lower():
            add(domain_found(domain, content=content))
    for academy in _academies(query, content=content):
        add(academy_found(academy, content=content))
    for match in understanding.rank(query).matches:
        if match.behaviour is not None:
            add(row_found(match.behaviour, content=content))
        elif match.principle is not None:
            add(principle_found(match.principle, content=content))
    return tuple(found[:limit])


def _academies(query: str, *, content: Content) -> tuple[Academy, ...]:
    lowered = query.lower()
    named = [
        a
        for a in content.academies
        if lowered in a.region.lower() or any(lowered == alias for alias in a.aliases)
    ]
    if named:
        return tuple(named)
    hit = content.places.lookup(query)
    if hit is None:
        return ()
    return tuple(content.academy(region) for region in hit.academies)


def row_found(row: Behaviour, *, content: Content) -> Found:
    """A framework row: its behaviour, role and domain, as the framework words them."""
    card = Card(
        title=row.behaviour,
        sections=(Section(facts=row_facts(row)),),
        footer=f"Source: {content.framework_source}",
    )
    return Found(title=row.behaviour, summary=f"{row.domain} · {row.role}", card=card)


def principle_found(principle: Principle, *, content: Content) -> Found:
    """One of the six National Voices principles."""
    title = f"Principle {principle.number}: {principle.title}"
    card = Card(
        title=title,
        sections=(Section(body=content.principles_intro),) if content.principles_intro else (),
        footer=f"Source: {content.principles_source}",
    )
    return Found(title=title, summary="National Voices principle", card=card)


def academy_found(academy: Academy, *, content: Content) -> Found:
    """A regional leadership academy with its contacts, as printed, and link buttons."""
    title = f"{academy.region} leadership academy"
    card = Card(
        title=title,
        sections=(Section(facts=academy_facts(academy)),),
        buttons=contact_buttons(academy),
        footer=content.academies_caveat,
    )
    return Found(title=title, summary=f"Tel {academy.tel} · {academy.email}", card=card)


def domain_found(domain: Domain, *, content: Content) -> Found:
    """A framework domain: its summary and the behaviours it holds."""
    card = Card(
        title=domain.name,
        sections=(
            Section(body=domain.summary),
            Section(heading="Behaviours", body="\n".join(r.behaviour for r in domain.rows)),
        ),
        footer=f"Source: {content.framework_source}",
    )
    return Found(title=domain.name, summary=domain.summary, card=card)

"""Replies about the regional leadership academies: the academy serving a place, or the list.

Every academy reply carries the content's caveat (the contacts date from the 2016 briefing).
"""

from __future__ import annotations

from bot.content import Content
from bot.models import Academy, Button, Card, Fact, Match, Reply, ResultKind, Section
from bot.places import PlaceHit
from bot.replies import more_value


def _academy_facts(academy: Academy) -> tuple[Fact, ...]:
    return (
        Fact(label="Tel", value=academy.tel),
        Fact(label="Email", value=academy.email),
        Fact(label="Web", value=academy.web),
    )


def academy_reply(*, query: str, hit: PlaceHit, content: Content) -> Reply:
    """The academy (or academies) serving a place, with why when there is more than one."""
    academies = tuple(content.academy(region) for region in hit.academies)
    matches = tuple(
        Match(
            kind=ResultKind.ACADEMY,
            score=hit.score if i == 0 else max(hit.score - 10, 0),
            academy=a,
        )
        for i, a in enumerate(academies)
    )
    if len(academies) == 1:
        heading = f"{hit.place} is served by the {academies[0].region} leadership academy"
    else:
        # The place table lists the likely academy first: say so, then the alternative.
        others = " or ".join(a.region for a in academies[1:])
        heading = (
            f"{hit.place} is most likely served by the {academies[0].region} leadership "
            f"academy (otherwise {others})"
        )
    lines = [heading + "."]
    if hit.note:
        lines.append(hit.note)
    for a in academies:
        lines.append(f"{a.region}: Tel {a.tel} · Email {a.email} · {a.web}")
    lines.append(content.academies_caveat)
    card = Card(
        title=heading,
        sections=(
            *((Section(body=hit.note),) if hit.note else ()),
            *(Section(heading=a.region, facts=_academy_facts(a)) for a in academies),
        ),
        footer=content.academies_caveat,
        buttons=(
            Button(
                label="Share to channel", action_id="share", value=more_value(f"contact {query}")
            ),
        ),
    )
    return Reply(text="\n".join(lines), intent="contact", card=card, results=matches, query=query)


def regions_reply(*, query: str, content: Content, note: str = "") -> Reply:
    """No academy for that place: say why and list the ten regions."""
    if note:
        opening = note
    elif query:
        opening = f"I couldn't find a place in England called “{query}”."
    else:
        opening = (
            "Which place? Tell me a town, county or postcode, "
            "e.g. contact Leeds or contact LS6 3AB."
        )
    regions = ", ".join(a.region for a in content.academies)
    text = (
        f"{opening} The ten regional leadership academies are: {regions}. "
        "Try contact followed by one of them, a town, county or postcode."
    )
    card = Card(
        title="Regional leadership academies",
        sections=(
            Section(body=opening),
            Section(heading="The ten regions", body="\n".join(a.region for a in content.academies)),
        ),
        buttons=tuple(
            Button(label=f"contact {r}", action_id="ask", value=f"contact {r}")
            for r in ("London", "Leeds", "Bristol")
        ),
        footer=content.academies_caveat,
    )
    return Reply(text=text, intent="contact", card=card, query=query)

"""Replies about the regional leadership academies: the academy serving a place, or the list.

Every academy reply carries the content's caveat (the contacts date from the 2016 briefing).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.content import Content
from bot.models import Academy, Button, Card, Fact, Match, Reply, ResultKind, Section
from bot.places import PlaceHit
from bot.replies import more_value


# Both built from content alone (an academy's printed contacts), the same for everyone, and
# asked for on every contact answer; at most ten academies, each with or without its name.
@lru_cache(maxsize=64)
def academy_facts(academy: Academy) -> tuple[Fact, ...]:
    """Tel, Email and Web exactly as printed (the text a link button cannot replace)."""
    return (
        Fact(label="Tel", value=academy.tel),
        Fact(label="Email", value=academy.email),
        Fact(label="Web", value=academy.web),
    )


# "01223 597 562 / 01223 597 726", "01823 361 126 or 361 128": the first number is whole.
_NUMBER_SPLIT = re.compile(r"\s*(?:/|\bor\b|,|;)\s*")
# A UK number as printed: 0 and 9-10 more digits, or +44 and 9-10 digits.
_UK_NATIONAL = re.compile(r"^0(\d{9,10})$")
_UK_INTERNATIONAL = re.compile(r"^\+44(\d{9,10})$")


def dial_url(tel: str) -> str | None:
    """The ``tel:`` link for the first number in ``tel``, in +44 form, or None if none is whole.

    >>> dial_url("01823 361 126 or 361 128")
    'tel:+441823361126'
    """
    first = _NUMBER_SPLIT.split(tel.strip(), maxsplit=1)[0]
    compact = re.sub(r"[\s().-]", "", first)
    for pattern in (_UK_NATIONAL, _UK_INTERNATIONAL):
        match = pattern.match(compact)
        if match:
            return f"tel:+44{match.group(1)}"
    return None


def web_url(web: str) -> str | None:
    """The briefing's ``www.…`` address as an https link (None for anything odd)."""
    address = web.strip().removeprefix("https://").removeprefix("http://")
    if not address or any(c.isspace() for c in address) or "." not in address.split("/")[0]:
        return None
    return f"https://{address}"


def mail_url(email: str) -> str | None:
    """A ``mailto:`` link for a single address (None when it is not one)."""
    address = email.strip()
    if address.count("@") != 1 or any(c.isspace() or c in "?&<>" for c in address):
        return None
    return f"mailto:{address}"


@lru_cache(maxsize=64)
def contact_buttons(academy: Academy, *, named: bool = False) -> tuple[Button, ...]:
    """Email, Call and Website buttons that open links (no answer from the core needed).

    The facts beside them keep the text as printed, so a client that cannot open a link (or a
    screen reader) still has the contact; ``named`` adds the region when a card has several.
    """
    suffix = f" {academy.region}" if named else ""
    links = (
        ("Email", mail_url(academy.email)),
        ("Call", dial_url(academy.tel)),
        ("Website", web_url(academy.web)),
    )
    return tuple(
        Button(label=f"{label}{suffix}", action_id=f"link.{label.lower()}", url=url)
        for label, url in links
        if url is not None
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
            *(Section(heading=a.region, facts=academy_facts(a)) for a in academies),
        ),
        footer=content.academies_caveat,
        buttons=(
            *(b for a in academies for b in contact_buttons(a, named=len(academies) > 1)),
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

"""Replies that come from understanding a message: coaching, small talk, "nothing more", and the
wellbeing signpost.

The signpost's words live in ``content/wellbeing.yaml`` with their sources; here is only where
they go. For distress the signpost follows the answer, kindly and briefly; for suicide or
self-harm it comes first, before any framework content, and the card leads with it.
"""

from __future__ import annotations

import dataclasses
import hashlib

from bot import replies
from bot.content import Content
from bot.examples import SmallTalk
from bot.models import Button, Card, Match, Reply, Section
from bot.understanding.wellbeing import Wellbeing

# Suggested topics offered when there is nothing (more) to show: buttons, never results.
TOPICS = (
    "leading without authority",
    "managing conflict",
    "resilience",
    "involving patients and carers",
    "quality improvement",
)


_HEADINGS = {
    Wellbeing.CRISIS: "Please talk to someone now",
    Wellbeing.CRISIS_WITH_QUESTION: "Please talk to someone now",
    Wellbeing.DISTRESS: "Looking after yourself",
}
# Replies that only say "nothing found": with a signpost, the signpost replaces them.
_FALLBACK_INTENTS = frozenset({"search", "behaviours", "principles", "contact"})


def _index(count: int, text: str) -> int:
    """A position below ``count``, chosen by the message so the same words get the same one."""
    return hashlib.sha256(text.encode("utf-8")).digest()[0] % count


def _pick(options: tuple[str, ...], text: str) -> str:
    """One of ``options``, chosen by the message so the same words get the same reply."""
    return options[_index(len(options), text)]


def small_talk_reply(talk: SmallTalk, *, text: str) -> Reply:
    """A short friendly answer to a greeting, thanks, acknowledgement or goodbye."""
    answer = _pick(talk.replies, text)
    # Plain text, no card: a one-line reply should look like a person's, not a form.
    return Reply(text=answer, intent="smalltalk")


def _topic_buttons(count: int = 3) -> tuple[Button, ...]:
    return tuple(Button(label=t, action_id="ask", value=t) for t in TOPICS[:count])


def nothing_more_reply() -> Reply:
    """``more`` when there is nothing more to show: say so and suggest topics as buttons."""
    opening = "There's nothing more to show for that question."
    topics = ", ".join(TOPICS[:3])
    text = f"{opening} Ask me about a situation in your own words, or try a topic such as {topics}."
    card = Card(
        title="Nothing more to show",
        sections=(Section(body=opening), Section(heading="Try one of these", body=topics)),
        buttons=_topic_buttons(),
    )
    return Reply(text=text, intent="more", card=card)


def not_for_me_reply(*, query: str) -> Reply:
    """A question the guard recognised as admin, IT, clinical or everyday: say what I can do.

    Suggested topics are buttons, never ``results``: the JSON contract's results stay empty.
    """
    opening = (
        "That sounds like a question for your IT, HR, estates or clinical colleagues rather "
        "than a leadership coach, so I won't guess."
    )
    text = (
        f"{opening} I can help you think through leadership situations, for example "
        f"{', '.join(TOPICS[:3])}, or find your regional leadership academy."
    )
    card = Card(
        title="Not one for me",
        sections=(
            Section(body=opening),
            Section(heading="I can help with", body=", ".join(TOPICS)),
        ),
        buttons=_topic_buttons(),
    )
    return Reply(text=text, intent="search", card=card, query=query)


def task_reply(*, query: str) -> Reply:
    """A reminder, a booking or a document asked for: the coach does none of these, so say so
    and offer what it does. No ``results``: nothing in the framework answers it."""
    opening = (
        "I can't set reminders, book meetings or rooms, or send, draft or summarise documents: "
        "that's one for your Outlook or Teams calendar, your inbox or a colleague."
    )
    offer = (
        "What I can do is help you think through a leadership situation, and send you a short "
        "weekly nudge to reflect."
    )
    card = Card(
        title="Not a task I can do",
        sections=(Section(body=opening), Section(body=offer)),
        buttons=(Button(label="Set up weekly nudges", action_id="ask", value="nudges"),),
    )
    return Reply(
        text=f"{opening} {offer} Type nudges to set them up.",
        intent="task",
        card=card,
        query=query,
    )


def coaching_reply(
    *,
    query: str,
    source: str,
    matches: tuple[Match, ...],
    intent: str,
    offset: int,
    content: Content,
) -> Reply:
    """The rows, word for word, each with why it fits, and a reflection question for the top row.

    The question comes from ``content/prompts.yaml`` for the first row on the first page, so
    paging with "More like this" does not repeat it.
    """
    reflection = ""
    reflect: Button | None = None
    top = matches[0] if matches and offset == 0 else None
    if top is not None and top.behaviour is not None:
        prompts = content.prompts_for(top.behaviour.id)
        if prompts:
            # Imported here: bot.nudges pulls in the bank-holiday calendars, which ``coach ask``
            # never needs, and ~0.1 s of start-up is a tenth of its budget.
            from bot.nudges.ref import Ref

            index = _index(len(prompts), source)
            reflection = prompts[index].question
            # Opens the journal's reflection form on that question, where there is a journal.
            ref = Ref(row_id=top.behaviour.id, prompt_index=index)
            reflect = Button(label="Reflect on this", action_id="nudge.reflect", value=ref.encode())
    reply = replies.matches_reply(
        query=query,
        source=source,
        matches=matches,
        intent=intent,
        offset=offset,
        reflection=reflection,
    )
    if reflect is None or reply.card is None:
        return reply
    card = dataclasses.replace(reply.card, buttons=(reflect, *reply.card.buttons))
    return dataclasses.replace(reply, card=card)


def with_signpost(reply: Reply, *, state: Wellbeing, content: Content) -> Reply:
    """``reply`` with the wellbeing signpost: alone for a crisis, first for a crisis that is
    also a leadership question, after the answer for distress.

    Framework rows matched to a message about suicide or self-harm are beside the point, and "I
    couldn't find anything" is the wrong thing to say to someone who is struggling: in either
    case the signpost is the whole reply.
    """
    wellbeing = content.examples.wellbeing
    sign = wellbeing.crisis_text if state.crisis else wellbeing.distress_text
    if state is Wellbeing.CRISIS or (not reply.results and reply.intent in _FALLBACK_INTENTS):
        return Reply(
            text=sign,
            intent="wellbeing",
            card=Card(title=_HEADINGS[state], sections=(Section(body=sign),)),
            query=reply.query,
        )
    section = Section(heading=_HEADINGS[state], body=sign)
    if reply.card is None:
        card = Card(title=_HEADINGS[state], sections=(Section(body=sign),))
    elif state.crisis:
        card = dataclasses.replace(reply.card, sections=(section, *reply.card.sections))
    else:
        card = dataclasses.replace(reply.card, sections=(*reply.card.sections, section))
    text = f"{sign}\n\n{reply.text}" if state.crisis else f"{reply.text}\n\n{sign}"
    return dataclasses.replace(reply, text=text, card=card)

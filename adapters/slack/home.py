"""The App Home tab: what the coach is, how to use it, the four domains, and nudge settings.

:func:`build_home_view` is the hook for the person's own section: it takes an optional
``nudge_section`` of blocks and puts it under the greeting. Whoever owns it supplies those
blocks by putting a :class:`NudgeSectionProvider` on the aiohttp application under
:data:`NUDGE_SECTION_KEY`; until then, and when the coach has stateful commands, the section
is the core's ``home`` card (focus, latest scores, next nudge with day and time pickers,
buttons), rendered with live pickers (see :func:`core_nudge_section`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from slack_sdk.models.blocks import (
    ButtonElement,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from adapters.slack.action_ids import ActionIds
from adapters.slack.blocks import AnyBlock, header_block, note_block
from adapters.slack.escape import mrkdwn, truncate
from adapters.slack.home_card import render_home_card
from adapters.slack.limits import MAX_SECTION_TEXT, MAX_VIEW_BLOCKS
from adapters.slack.render import render_card
from bot.identity import Platform, Who
from bot.models import Incoming
from bot.ports import AsyncCoach

ASK_ACTION = "ask"

ABOUT = (
    "I'm a leadership coach for NHS leaders in England, built on the NHS Leadership Academy's "
    "*System Leadership Framework*. Ask me about leadership roles and behaviours, the National "
    "Voices principles for person-centred care, or who to contact at your regional leadership "
    "academy."
)

HOW_TO = (
    "• `/leadership behaviours resilience` anywhere in Slack. Only you see the answer; "
    "*Share to channel* posts it for everyone.\n"
    "• Send me a direct message, such as `principles carers`.\n"
    "• Mention me in a channel, such as `@Leadership coach contact Leeds`; I answer in a thread.\n"
    "• `/leadership help` lists everything I can do."
)

SOURCE_NOTE = (
    "Based on the NHS Leadership Academy's System Leadership Framework and the National "
    "Voices principles. Academy contacts are as published there and may have changed."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeDomain:
    """One of the framework's four domains, as the App Home lists it."""

    name: str
    summary: str


class NudgeSectionProvider(Protocol):
    """Builds a person's nudge-settings blocks for their App Home (None: show no section)."""

    async def __call__(self, *, workspace_id: str, user_id: str) -> Sequence[AnyBlock] | None:
        """Return the blocks to show under the rest of the App Home."""
        ...


NUDGE_SECTION_KEY: web.AppKey[NudgeSectionProvider] = web.AppKey(
    "slack_nudge_section", NudgeSectionProvider
)


def build_home_view(
    *, domains: Sequence[HomeDomain], nudge_section: Sequence[AnyBlock] | None = None
) -> View:
    """Build the App Home view, with the nudge settings at the bottom when given.

    Args:
        domains: the framework's domains, in order.
        nudge_section: blocks describing the person's nudge settings (with their buttons),
            or None before nudges exist or when there is nothing to show.

    Example:
        >>> domain = HomeDomain(name="Individual Effectiveness", summary="…")
        >>> view = build_home_view(domains=[domain])
        >>> view.type
        'home'
    """
    blocks: list[AnyBlock] = [
        header_block("Leadership coach"),
        SectionBlock(text=MarkdownTextObject(text=ABOUT)),
        header_block("How to use it"),
        SectionBlock(text=MarkdownTextObject(text=HOW_TO)),
    ]
    ids = ActionIds()
    if domains:
        blocks.append(header_block(f"The {_count_word(len(domains))} domains"))
        for domain in domains:
            text = f"*{mrkdwn(domain.name)}*"
            if domain.summary.strip():
                text += "\n" + mrkdwn(domain.summary.strip())
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(text=truncate(text, MAX_SECTION_TEXT)),
                    accessory=ButtonElement(
                        text=PlainTextObject(text="Explore"),
                        action_id=ids.unique(ASK_ACTION),
                        value=f"domains {domain.name}"[:2000],
                    ),
                )
            )
    footer: list[AnyBlock] = [DividerBlock(), note_block(mrkdwn(SOURCE_NOTE))]
    if nudge_section:
        # The person's own section (focus, scores, nudge pickers) comes first, under the
        # greeting: it is what they come back for; the guide to the coach follows it.
        room = MAX_VIEW_BLOCKS - len(blocks) - len(footer) - 1
        blocks[2:2] = [*list(nudge_section)[:room], DividerBlock()]
    blocks.extend(footer)
    return View(type="home", blocks=blocks)


def home_domains(coach: AsyncCoach) -> tuple[HomeDomain, ...]:
    """The four domains from the coach's content, or from its answer to ``domains``."""
    content_domains = getattr(coach.content, "domains", None)
    if content_domains:
        return tuple(
            HomeDomain(name=str(d.name), summary=str(getattr(d, "summary", "")))
            for d in content_domains
        )
    reply = coach.answer("domains")
    if reply.card is None:
        return ()
    return tuple(
        HomeDomain(name=s.heading, summary=s.body) for s in reply.card.sections if s.heading
    )


def core_nudge_section(coach: AsyncCoach) -> NudgeSectionProvider | None:
    """The person's own section: the core's ``home`` card (focus, scores, nudge pickers, buttons).

    Only when the coach has stateful commands; a stateless coach has nothing personal to show.
    """
    if not coach.keeps_state:
        return None

    async def provide(*, workspace_id: str, user_id: str) -> Sequence[AnyBlock] | None:
        incoming = Incoming(
            text="home",
            who=Who(
                platform=Platform.SLACK,
                workspace_id=workspace_id,
                user_id=user_id,
                conversation_id="",
            ),
            is_direct=True,
        )
        reply = await coach.handle(incoming)
        if reply.card is None:
            return None
        if reply.intent == "home":
            return render_home_card(reply.card)
        # "Try again shortly" while the database is down: a card, but not the home.
        return render_card(reply.card, max_blocks=20)

    return provide


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))

"""Universal Actions: an ``adaptiveCard/action`` invoke answered with the card updated in place.

The nudge's and the settings card's buttons are ``Action.Execute`` (see
:data:`adapters.teams.render.EXECUTE_ACTIONS`). Pressing one sends an ``adaptiveCard/action``
invoke; the invoke response (``application/vnd.microsoft.card.adaptive``, status 200) replaces
that card for the person who pressed it, and only for them: Teams shows the response card to
the interactor, while everyone else keeps the card as it was posted.

Who may see what is still decided by the core (:class:`~bot.models.Audience`):

- ``PERSON`` (a person's own data): never answered in place outside the personal chat; the
  agent's usual route sends it to the personal chat and leaves a pointer.
- ``EVERYONE`` outside the personal chat (a channel's shared nudge settings changed): the
  presser's card updates in place *and* the answer is posted to the conversation, because the
  change is the team's and the others' cards would not show it.
- ``ASKER`` and ``CONVERSATION``: in place only. The presser's view is the only one replaced,
  which is what "only whoever asked" means.

Any other button that arrives as an invoke (an ``Action.Submit`` routed through Universal
Actions by some hosts) keeps the earlier behaviour: its answer is posted as a new message and
the invoke is acknowledged with a short text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from microsoft_agents.activity import (
    Activity,
    AdaptiveCardInvokeResponse,
    InvokeResponse,
    TurnContextProtocol,
)

from adapters.teams import render, translate
from bot.models import Action, Audience, Card, Reply, Section

ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
EXECUTE = "Action.Execute"
DONE = "✓"
# The core marks a command that could not be done with an intent ending in this.
_ERROR_SUFFIX = "error"

Context = TurnContextProtocol[Activity]
Act = Callable[[Action], Awaitable[Reply]]
Answer = Callable[[Context, Reply], Awaitable[None]]


def _invoke(status: int, response: AdaptiveCardInvokeResponse) -> InvokeResponse:
    return InvokeResponse(status=status, body=response.model_dump(by_alias=True, exclude_none=True))


def not_ours() -> InvokeResponse:
    """A 400 for a press that carries no data this app made (Teams shows its own error)."""
    return _invoke(
        400,
        AdaptiveCardInvokeResponse(
            status_code=400,
            type="application/vnd.microsoft.error",
            value={"code": "BadRequest", "message": "Not a button from this app."},
        ),
    )


def message_response(reply: Reply) -> InvokeResponse:
    """Acknowledge a press whose answer was posted as its own message."""
    return _invoke(
        200,
        AdaptiveCardInvokeResponse(
            status_code=200,
            type="application/vnd.microsoft.activity.message",
            value=render.summary_of(reply.text) or "Done",
        ),
    )


def card_response(card: dict[str, Any]) -> InvokeResponse:
    """The updated card, shown in place to whoever pressed the button."""
    return _invoke(
        200,
        AdaptiveCardInvokeResponse(status_code=200, type=render.CARD_CONTENT_TYPE, value=card),
    )


def is_execute(activity: Activity) -> bool:
    """True when the press came from an ``Action.Execute`` (so a card may be answered)."""
    value = activity.value
    action = value.get("action") if isinstance(value, Mapping) else None
    return isinstance(action, Mapping) and action.get("type") == EXECUTE


def updated_card(reply: Reply) -> Card:
    """The card that replaces the pressed one: the core's own card, or one made of its text.

    A text-only answer ("Skipped the nudge on Mon 7 Dec, 09:00. The next one is …") becomes a
    card whose title is its first sentence, ticked when the command was done.
    """
    if reply.card is not None:
        return reply.card
    first, _, rest = reply.text.partition(". ")
    done = not reply.intent.endswith(_ERROR_SUFFIX)
    title = f"{first.rstrip('.')} {DONE}" if done else first
    return Card(title=title, sections=(Section(body=rest.strip()),) if rest.strip() else ())


async def answer_action(turn_context: Context, *, act: Act, answer: Answer) -> InvokeResponse:
    """Answer an ``adaptiveCard/action`` invoke (see the module docstring for the rules)."""
    activity = turn_context.activity
    action = translate.to_action(activity)
    if action is None:
        return not_ours()
    reply = await act(action)
    personal = translate.conversation_type_of(activity) == "personal"
    in_place = is_execute(activity) and action.action_id in render.EXECUTE_ACTIONS
    if not in_place or (reply.audience is Audience.PERSON and not personal):
        await answer(turn_context, reply)
        return message_response(reply)
    if reply.audience is Audience.EVERYONE and not personal:
        await answer(turn_context, reply)
    card = render.fitted_card(updated_card(reply), fallback_text=reply.text)
    return card_response(card)

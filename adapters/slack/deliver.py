"""Send a rendered :class:`Reply` to where the question came from.

Four ways out, chosen by what the interaction offers:
- a form (a card with inputs) and a ``trigger_id``: open it as a modal;
- a ``response_url`` (slash commands, buttons on messages): ephemeral, or visible to the channel
  when the reply is not private (*Share to channel*);
- a channel (DMs and mentions): ``chat.postMessage``, in the thread when there is one;
- nothing (buttons on the App Home, modal submissions): a DM to the person.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError, ClientSession
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient
from yarl import URL

from adapters import outbound
from adapters.slack.client import retry_handlers
from adapters.slack.config import DEFAULT_API_URL
from adapters.slack.forms import FormOrigin, build_modal, is_form
from adapters.slack.render import render_reply
from adapters.slack.translate import Origin
from bot.models import Attachment, Audience, Card, Reply

log = logging.getLogger(__name__)

# Slack's limit on an image's alt text.
MAX_ALT_TEXT = 1000

SORRY = Reply(
    text="Sorry, something went wrong on my side. Please try again in a moment.",
    intent="error",
)


def in_acknowledgement(reply: Reply) -> dict[str, Any] | None:
    """``reply`` as the body of a slash command's acknowledgement, which Slack shows as the answer.

    ``None`` when it must go another way: a form opens a modal, a file is uploaded.
    """
    if (reply.card is not None and is_form(reply.card)) or reply.attachment is not None:
        return None
    return {
        **render_reply(reply).as_kwargs(validate=False),
        "response_type": _response_type(reply),
    }


async def deliver(client: AsyncWebClient, *, origin: Origin, reply: Reply) -> None:
    """Send ``reply`` back to ``origin`` by the best route it offers."""
    card = reply.card
    if card is not None and is_form(card) and origin.trigger_id:
        await open_form(client, trigger_id=origin.trigger_id, card=card, origin=origin)
        return
    if origin.response_url:
        await respond(
            origin.response_url,
            reply=reply,
            thread_ts=origin.thread_ts or None,
            session=client.session,
            api_url=client.base_url,
        )
    elif origin.channel_id and not origin.in_view:
        await post(
            client, channel=origin.channel_id, reply=reply, thread_ts=origin.thread_ts or None
        )
    else:
        await direct_message(client, user_id=origin.user_id, reply=reply)
    await send_attachment(client, user_id=origin.user_id, reply=reply)


async def open_form(client: AsyncWebClient, *, trigger_id: str, card: Card, origin: Origin) -> None:
    """Open a form card as a modal (a ``trigger_id`` is good for three seconds)."""
    await client.views_open(
        trigger_id=trigger_id, view=build_modal(card, origin=form_origin(card, origin)).to_dict()
    )


def form_origin(card: Card, origin: Origin) -> FormOrigin:
    """What the modal must remember: its submit button, and where to answer afterwards."""
    submit = card.submit
    return FormOrigin(
        action_id=submit.action_id if submit else "",
        value=submit.value if submit else "",
        channel_id=origin.channel_id,
        thread_ts=origin.thread_ts,
        response_url=origin.response_url,
    )


SLACK_HOOKS = URL("https://hooks.slack.com/")


def response_url_allowed(url: str, *, api_url: str = DEFAULT_API_URL) -> bool:
    """Whether we may post to ``url``: Slack's hooks host, or ``SLACK_API_URL``'s origin if set.

    A signed request can still carry any ``response_url`` (a compromised or buggy workspace
    app, a replayed body): we would post the person's answer to wherever it names.
    """
    try:
        target = URL(url)
        allowed = [SLACK_HOOKS]
        if api_url and api_url != DEFAULT_API_URL:
            allowed.append(URL(api_url))
    except (ValueError, TypeError):
        return False
    if not target.absolute or target.user is not None or target.password is not None:
        return False
    return any(_origin(target) == _origin(origin) for origin in allowed)


def _origin(url: URL) -> tuple[str, str, int | None]:
    # URL.port is the effective port (443 for https), so ":443" and no port are one origin.
    return (url.scheme.lower(), (url.host or "").lower(), url.port)


async def respond(
    response_url: str,
    *,
    reply: Reply,
    thread_ts: str | None = None,
    session: ClientSession | None = None,
    api_url: str = DEFAULT_API_URL,
) -> None:
    """Answer through a ``response_url``: ephemeral, or in the channel when not private.

    ``session``, when given, is the server's pooled one (see
    :func:`adapters.slack.client.pool_connections`): every slash command answers through a
    ``response_url`` on the same few hosts, and a fresh session per answer would open (and
    TLS-handshake) a new connection for each. Either way no redirect is followed, and a URL
    that :func:`response_url_allowed` refuses is logged (its origin only) and not posted to.
    """
    if not response_url_allowed(response_url, api_url=api_url):
        log.warning("refused to post to a response_url at %s", _origin_of(response_url))
        return
    payload: dict[str, Any] = {
        **render_reply(reply).as_kwargs(validate=False),
        "response_type": _response_type(reply),
        "replace_original": False,
    }
    if thread_ts:
        payload["thread_ts"] = thread_ts
    if session is None or session.closed:
        async with outbound.session() as own:
            await _post_webhook(response_url, payload, session=own)
    else:
        await _post_webhook(response_url, payload, session=session)


def _origin_of(url: str) -> str:
    # The path of a response_url is a credential of sorts (it answers as the app); never log it.
    try:
        parsed = URL(url)
        return str(parsed.origin()) if parsed.absolute and parsed.host else "(not a URL)"
    except (ValueError, TypeError):
        return "(not a URL)"


async def _post_webhook(url: str, payload: dict[str, Any], *, session: ClientSession) -> None:
    webhook = AsyncWebhookClient(url=url, session=session, retry_handlers=retry_handlers())
    try:
        result = await webhook.send_dict(payload)
    except outbound.RedirectRefused as exc:
        log.warning(
            "response_url at %s answered %d; redirects are not followed",
            _origin_of(url),
            exc.status,
        )
        return
    if result.status_code != 200:
        # The body says why (expired_url, used_url, ...); it never holds message text.
        log.warning("response_url answered %s: %s", result.status_code, result.body[:200])


async def post(
    client: AsyncWebClient, *, channel: str, reply: Reply, thread_ts: str | None = None
) -> str:
    """Post a visible message; returns its ``ts``."""
    kwargs = render_reply(reply).as_kwargs(validate=False)
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    response = await client.chat_postMessage(channel=channel, **kwargs)
    return str(response.get("ts") or "")


async def direct_message(client: AsyncWebClient, *, user_id: str, reply: Reply) -> str:
    """Open (or find) the DM with ``user_id`` and post there; returns the message ``ts``."""
    opened = await client.conversations_open(users=user_id)
    channel = (opened.get("channel") or {}).get("id")
    return await post(client, channel=str(channel), reply=reply)


async def apologise(client: AsyncWebClient, *, origin: Origin) -> None:
    """Tell the person something failed, without letting a second failure escape."""
    try:
        await deliver(client, origin=origin, reply=SORRY)
    except (SlackApiError, SlackClientError, ClientError, OSError, TimeoutError):
        log.exception("Could not even send the apology")


async def post_ephemeral(
    client: AsyncWebClient,
    *,
    channel: str,
    user_id: str,
    reply: Reply,
    thread_ts: str | None = None,
) -> None:
    """Post a message in a channel that only ``user_id`` sees."""
    kwargs = render_reply(reply).as_kwargs(validate=False)
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    await client.chat_postEphemeral(channel=channel, user=user_id, **kwargs)


def attachment_of(reply: Reply) -> Attachment | None:
    """The file a reply carries (a journal export), if any."""
    return reply.attachment


async def send_attachment(client: AsyncWebClient, *, user_id: str, reply: Reply) -> None:
    """Upload a reply's file into the person's DM with the app, never into a channel.

    Files are personal (a journal export), and a file shared in a channel is visible to all.
    """
    attachment = attachment_of(reply)
    if attachment is None:
        return
    opened = await client.conversations_open(users=user_id)
    channel = str((opened.get("channel") or {}).get("id") or "")
    await client.files_upload_v2(
        channel=channel,
        filename=attachment.filename,
        title=attachment.filename,
        content=attachment.data,
        # An image (a progress chart) carries its description as alt text for screen readers.
        alt_txt=_alt_text(attachment),
    )


def _alt_text(attachment: Attachment) -> str | None:
    if not attachment.media_type.startswith("image/") or not attachment.description:
        return None
    return attachment.description[:MAX_ALT_TEXT]


def _response_type(reply: Reply) -> str:
    # Slack shows a slash command's or a button's answer to the asker alone unless the core
    # says it is for everyone (a shared answer, a channel's nudge).
    return "in_channel" if reply.audience is Audience.EVERYONE else "ephemeral"

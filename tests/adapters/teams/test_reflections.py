"""Which nudge a Teams message answers: replyToId, a quoted reply, or nothing."""

from __future__ import annotations

from microsoft_agents.activity import Activity

from adapters.teams.reflections import explicit_thread, quoted_reply
from tests.adapters.teams.harness import payload

URL = "http://127.0.0.1:1/"


def activity(name: str, **changes: object) -> Activity:
    return Activity.model_validate(payload(name, service_url=URL, **changes))


def test_a_quoted_reply_names_the_quoted_message_and_keeps_only_what_was_written() -> None:
    quote = quoted_reply(activity("quoted_reply"))
    assert quote is not None
    assert quote.message_id == "1764151200999"
    # The quote's preview (the nudge's own text) is not part of the reflection.
    assert quote.text == "I asked the team what they needed before telling them what I needed."


def test_a_quote_wins_over_reply_to_id_and_replies_without_a_quote_use_reply_to_id() -> None:
    assert explicit_thread(activity("quoted_reply", replyToId="other")) == (
        "1764151200999",
        "I asked the team what they needed before telling them what I needed.",
    )
    assert explicit_thread(activity("personal_message", replyToId="sent-7")) == (
        "sent-7",
        "behaviours resilience",
    )


def test_plain_messages_and_mentions_name_no_thread() -> None:
    assert explicit_thread(activity("personal_message")) is None
    # An @mention is a text/html attachment too, but not a reply.
    assert quoted_reply(activity("channel_mention")) is None


def test_a_blockquote_that_is_not_a_teams_reply_is_not_a_quote() -> None:
    html = '<blockquote itemid="123">someone else said</blockquote><p>mine</p>'
    plain = activity(
        "personal_message", attachments=[{"contentType": "text/html", "content": html}]
    )
    assert quoted_reply(plain) is None

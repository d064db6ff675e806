"""Files for the person: the consent card, the consent invoke, and Markdown as messages."""

from __future__ import annotations

import json

import pytest
from microsoft_agents.activity import Activity

from adapters.teams import files
from tests.adapters.teams.harness import payload

URL = "http://127.0.0.1:1/"


def invoke(name: str, **value_changes: object) -> Activity:
    data = payload(name, service_url=URL)
    data["value"].update(value_changes)
    return Activity.model_validate(data)


def test_consent_card_carries_size_and_context_but_never_the_text() -> None:
    data = b"# My journal\n\nA private thought.\n"
    card = files.consent_activity(filename="j.md", data=data)
    [attachment] = card.attachments
    assert attachment.content_type == files.FILE_CONSENT
    assert attachment.name == "j.md"
    assert attachment.content["sizeInBytes"] == len(data)
    assert attachment.content["acceptContext"] == {"file": files.JOURNAL_EXPORT, "export": ""}
    assert "private thought" not in json.dumps(card.model_dump(by_alias=True, mode="json"))


def test_consent_invokes_are_read_from_teams_payloads() -> None:
    accepted = files.consent_of(invoke("file_consent_accept"))
    assert accepted is not None
    assert accepted.accepted
    assert accepted.file == files.JOURNAL_EXPORT
    assert accepted.name == "leadership-journal-2026-11-26.md"
    assert accepted.upload_url.startswith("https://contoso-my.sharepoint.com/")
    assert accepted.file_type == "md"
    declined = files.consent_of(invoke("file_consent_decline"))
    assert declined is not None
    assert not declined.accepted


@pytest.mark.parametrize(
    "changes",
    [
        {"action": "maybe"},
        {"context": "journal.export"},
        {"uploadInfo": {"name": "x.md"}},
        {"uploadInfo": None},
    ],
)
def test_malformed_consent_invokes_are_not_consent(changes: dict[str, object]) -> None:
    assert files.consent_of(invoke("file_consent_accept", **changes)) is None


@pytest.mark.parametrize(
    ("url", "local_only", "allowed"),
    [
        ("https://contoso-my.sharepoint.com/upload", False, True),
        ("http://contoso-my.sharepoint.com/upload", False, False),
        ("https://contoso-my.sharepoint.com/upload", True, False),
        ("http://127.0.0.1:8080/upload/x.md", True, True),
        ("http://[::1]:8080/upload/x.md", True, True),
        ("file:///etc/passwd", True, False),
        ("not a url", False, False),
    ],
)
def test_upload_urls_allowed(url: str, local_only: bool, allowed: bool) -> None:
    assert files.upload_allowed(url, local_only=local_only) is allowed


def test_split_markdown_keeps_every_character_under_the_limit() -> None:
    # Quotes, backslashes and newlines grow when JSON-encoded; emoji are four bytes each.
    line = 'She said "no" \\ and meant it 🙂 ' * 40
    markdown = "\n".join(f"## Entry {i}\n\n{line}" for i in range(60))
    parts = files.split_markdown(markdown, limit=4_000)
    assert len(parts) > 10
    assert all(len(json.dumps(p, ensure_ascii=False).encode()) <= 4_000 for p in parts)
    assert "\n".join(parts) == markdown


def test_a_single_line_longer_than_a_message_is_cut_between_characters() -> None:
    markdown = "é" * 5_000
    parts = files.split_markdown(markdown, limit=1_000)
    assert "".join(parts) == markdown
    assert all(len(json.dumps(p, ensure_ascii=False).encode()) <= 1_000 for p in parts)


def test_messages_are_numbered_and_bounded() -> None:
    big = "\n".join("x" * 1_000 for _ in range(30 * files.MAX_MESSAGES))
    sent = files.message_activities(filename="j.md", markdown=big)
    assert len(sent) == files.MAX_MESSAGES + 1
    assert sent[0].text.startswith("**j.md** (1 of ")
    assert all(len(a.model_dump_json(by_alias=True).encode()) < 28_000 for a in sent)
    assert "did not fit" in sent[-1].text
    [one] = files.message_activities(filename="j.md", markdown="# Journal\n\nShort.")
    assert one.text == "**j.md**\n\n# Journal\n\nShort."

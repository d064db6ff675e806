"""SlackMessenger: proactive DMs and channel posts, with every failure sorted by kind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from adapters.slack.messenger import SlackMessenger, StaticToken
from adapters.store.db import make_engine
from adapters.store.schema import ensure_schema
from bot.identity import Who
from bot.models import Button, Card, Reply, Section
from bot.ports import SendStatus
from tests.adapters.slack.harness import all_text
from tests.fakes.slack_api import FakeSlackApi

NUDGE = Reply(
    text="This week: patience, persistence and resilience",
    intent="nudge",
    card=Card(
        title="Your weekly reflection",
        sections=(Section(heading="Enabler role", body="When did patience help you?"),),
        buttons=(Button(label="Reflect", action_id="nudge.reflect", value="r1", style="primary"),),
    ),
)
PERSON = Who(platform="slack", workspace_id="T0001", user_id="U42")


def _messenger(fake: FakeSlackApi, *, timeout: int = 5) -> SlackMessenger:
    return SlackMessenger(tokens=StaticToken("xoxb-test"), base_url=fake.api_url, timeout=timeout)


async def test_a_dm_is_posted_to_the_person_in_one_call() -> None:
    async with FakeSlackApi() as fake:
        async with _messenger(fake) as messenger:
            result = await messenger.send(recipient=PERSON, reply=NUDGE)
        assert result.status is SendStatus.SENT
        assert result.message_ref
        # chat.postMessage to a user id lands in the app's DM: no conversations.open first.
        assert fake.received("/conversations.open") == []
        [post] = fake.received("/chat.postMessage")
        assert post.body["channel"] == "U42"
        assert fake.answer_to(post)["channel"] == "D42"
        assert post.body["text"] == NUDGE.text
        assert "When did patience help you?" in all_text(post.body["blocks"])
        assert "." in result.message_ref  # a Slack ts, which the nudges keep as the thread id


async def test_equal_nudges_are_rendered_once_and_sent_alike() -> None:
    async with FakeSlackApi() as fake:
        async with _messenger(fake) as messenger:
            for _ in range(3):
                sent = await messenger.send(recipient=PERSON, reply=NUDGE)
                assert sent.status is SendStatus.SENT
            assert len(messenger._rendered) == 1
        posts = fake.received("/chat.postMessage")
        assert len(posts) == 3
        assert posts[0].body["blocks"] == posts[1].body["blocks"] == posts[2].body["blocks"]
        assert all(p.body["text"] == NUDGE.text for p in posts)


async def test_a_channel_recipient_is_posted_to_directly() -> None:
    async with FakeSlackApi() as fake:
        team = Who(platform="slack", workspace_id="T0001", user_id="", conversation_id="C9")
        async with _messenger(fake) as messenger:
            result = await messenger.send(recipient=team, reply=NUDGE)
        assert result.status is SendStatus.SENT
        assert fake.received("/conversations.open") == []
        assert fake.received("/chat.postMessage")[0].body["channel"] == "C9"


async def test_one_rate_limit_is_retried_by_the_client() -> None:
    async with FakeSlackApi() as fake:
        fake.rate_limit_next("/chat.postMessage", times=1, retry_after=0)
        async with _messenger(fake) as messenger:
            result = await messenger.send(recipient=PERSON, reply=NUDGE)
        assert result.status is SendStatus.SENT
        assert len(fake.received("/chat.postMessage")) == 2


async def test_a_persistent_rate_limit_is_transient_with_retry_after() -> None:
    async with FakeSlackApi() as fake:
        fake.rate_limit_next("/chat.postMessage", times=2, retry_after=0)
        async with _messenger(fake) as messenger:
            result = await messenger.send(recipient=PERSON, reply=NUDGE)
        assert result.status is SendStatus.TRANSIENT
        assert result.detail == "ratelimited"
        assert result.retry_after == 0


async def test_one_server_error_is_retried_and_two_are_transient() -> None:
    async with FakeSlackApi() as fake:
        async with _messenger(fake) as messenger:
            fake.server_error_next("/chat.postMessage", times=1)
            sent = await messenger.send(recipient=PERSON, reply=NUDGE)
            assert sent.status is SendStatus.SENT
            fake.server_error_next("/chat.postMessage", times=2, status=503)
            result = await messenger.send(recipient=PERSON, reply=NUDGE)
        assert result.status is SendStatus.TRANSIENT
        assert result.retry_after is not None


async def test_a_hung_call_times_out_as_transient() -> None:
    async with FakeSlackApi() as fake:
        fake.hang_next("/chat.postMessage", seconds=5)
        started = time.monotonic()
        async with _messenger(fake, timeout=1) as messenger:
            result = await messenger.send(recipient=PERSON, reply=NUDGE)
        assert result.status is SendStatus.TRANSIENT
        assert time.monotonic() - started < 4


@pytest.mark.parametrize(
    "error",
    [
        "account_inactive",
        "user_not_found",
        "channel_not_found",
        "not_in_channel",
        "invalid_auth",
        "token_revoked",
        "is_archived",
        "missing_scope",
    ],
)
async def test_errors_that_retrying_cannot_fix_are_permanent(error: str) -> None:
    async with FakeSlackApi() as fake:
        fake.error_next("/chat.postMessage", error=error)
        async with _messenger(fake) as messenger:
            result = await messenger.send(recipient=PERSON, reply=NUDGE)
        assert (result.status, result.detail) == (SendStatus.PERMANENT, error)


async def test_an_unknown_error_is_transient_rather_than_unsubscribing() -> None:
    async with FakeSlackApi() as fake:
        fake.error_next("/chat.postMessage", error="something_new")
        async with _messenger(fake) as messenger:
            result = await messenger.send(recipient=PERSON, reply=NUDGE)
        assert (result.status, result.detail) == (SendStatus.TRANSIENT, "something_new")


async def test_a_failed_open_before_a_file_is_classified_too() -> None:
    async with FakeSlackApi() as fake:
        # A file upload needs the DM's own id, so it still opens the conversation first.
        fake.error_next("/conversations.open", error="user_not_found")
        async with _messenger(fake) as messenger:
            result = await messenger.send_file(
                recipient=PERSON, filename="journal.md", content=b"# Journal"
            )
        assert result.status is SendStatus.PERMANENT
        assert fake.received("/files.getUploadURLExternal") == []


async def test_an_unreachable_api_is_transient() -> None:
    async with FakeSlackApi() as fake:
        url = fake.api_url
    async with SlackMessenger(tokens=StaticToken("xoxb-test"), base_url=url, timeout=2) as gone:
        result = await gone.send(recipient=PERSON, reply=NUDGE)
    assert result.status is SendStatus.TRANSIENT


async def test_files_go_through_the_upload_v2_flow() -> None:
    async with FakeSlackApi() as fake:
        async with _messenger(fake) as messenger:
            result = await messenger.send_file(
                recipient=PERSON, filename="journal.md", content=b"# My journal\n"
            )
        assert result.status is SendStatus.SENT
        [upload] = fake.received("/upload")
        assert upload.raw == b"# My journal\n"
        [complete] = fake.received("/files.completeUploadExternal")
        assert complete.body["channel_id"] == "D42"


def test_from_env_picks_the_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    ensure_schema(engine)
    assert SlackMessenger.from_env({}, engine=engine) is None
    assert SlackMessenger.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}, engine=engine) is not None
    oauth = {"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2"}
    assert SlackMessenger.from_env(oauth, engine=engine) is not None


async def test_oauth_mode_finds_each_workspace_token(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet
    from slack_sdk.oauth.installation_store import Installation

    from adapters.slack.installation import ThreadedInstallationStore
    from adapters.store.crypto import Cipher

    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    ensure_schema(engine)
    key = Fernet.generate_key().decode()
    store = ThreadedInstallationStore(client_id="1", engine=engine, cipher=Cipher([key]))
    await store.async_save(
        Installation(
            app_id="A1", team_id="T0001", bot_token="xoxb-team-1", user_id="U1", bot_id="B1"
        )
    )
    async with FakeSlackApi() as fake:
        env = {
            "SLACK_CLIENT_ID": "1",
            "SLACK_CLIENT_SECRET": "2",
            "SLACK_API_URL": fake.api_url,
            "COACH_DATA_KEY": key,
        }
        messenger = SlackMessenger.from_env(env, engine=engine)
        assert messenger is not None
        assert (await messenger.send(recipient=PERSON, reply=NUDGE)).status is SendStatus.SENT
        assert fake.received("/chat.postMessage")[0].token == "xoxb-team-1"
        elsewhere = Who(platform="slack", workspace_id="T0404", user_id="U1")
        result = await messenger.send(recipient=elsewhere, reply=NUDGE)
        await messenger.aclose()
        assert (result.status, result.detail) == (SendStatus.PERMANENT, "no_installation")

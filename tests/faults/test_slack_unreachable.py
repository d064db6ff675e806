"""Issue 9, item 7: with Slack's Web API unreachable, slash commands still get an answer.

``SLACK_API_URL`` points at a port nothing listens on. Before, Bolt's ``auth.test``
middleware raised and a signed ``/leadership contact Truro`` got a 500. Now a stateless
question is answered in the acknowledgement, and a command that needs the Web API is told,
in the acknowledgement, that Slack could not be reached.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.adapters.slack.harness import base_env, serve
from tests.fakes.slack_api import FakeSlackApi
from tests.faults.harness import free_port


async def test_commands_are_answered_in_the_ack_while_slack_is_unreachable(
    tmp_path: Path,
) -> None:
    async with FakeSlackApi() as fake:
        env = base_env(fake, tmp_path) | {"SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/"}
        async with serve(env, fake=fake) as server:
            answer = await server.command("contact Truro")
            assert answer.status == 200, answer.text
            assert "South West" in answer.text
            for text in ("nudges on monday 09:00", "journal"):
                answer = await server.command(text)
                assert answer.status == 200, answer.text
                assert "Slack could not be reached" in json.loads(answer.text)["text"]
            # Again, once auth.test has failed: still answered, and quickly.
            assert "South West" in (await server.command("contact Truro")).text
        assert fake.requests == []  # nothing reached the (unused) fake


async def test_with_slack_reachable_commands_are_answered_as_before(tmp_path: Path) -> None:
    async with FakeSlackApi() as fake, serve(base_env(fake, tmp_path), fake=fake) as server:
        answer = await server.command("contact Truro")
        assert "South West" in answer.text
        assert (await server.command("nudges", response_name="n")).status == 200
        [posted] = await fake.wait_for("/response", within=10)
        assert "Slack could not be reached" not in posted.text_everywhere
        assert len(fake.received("/auth.test")) == 1  # once, then cached

"""users.info timezones: looked up once per person, cached, and never fatal."""

from __future__ import annotations

from adapters.slack.client import make_web_client
from adapters.slack.timezones import UserTimezones
from tests.fakes.slack_api import FakeSlackApi


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_lookup_is_cached_until_it_expires() -> None:
    clock = _Clock()
    async with FakeSlackApi(timezones={"U1": "America/Los_Angeles"}) as fake:
        client = make_web_client(token="xoxb-test", base_url=fake.api_url)
        zones = UserTimezones(ttl_seconds=60, clock=clock)
        assert await zones.lookup(client, workspace_id="T1", user_id="U1") == "America/Los_Angeles"
        assert await zones.lookup(client, workspace_id="T1", user_id="U1") == "America/Los_Angeles"
        assert len(fake.received("/users.info")) == 1
        clock.now += 61
        await zones.lookup(client, workspace_id="T1", user_id="U1")
        assert len(fake.received("/users.info")) == 2


async def test_a_failed_lookup_gives_none_and_is_retried_later() -> None:
    clock = _Clock()
    async with FakeSlackApi() as fake:
        client = make_web_client(token="xoxb-test", base_url=fake.api_url)
        zones = UserTimezones(failure_ttl_seconds=10, clock=clock)
        fake.error_next("/users.info", error="missing_scope")
        assert await zones.lookup(client, workspace_id="T1", user_id="U1") is None
        assert await zones.lookup(client, workspace_id="T1", user_id="U1") is None
        assert len(fake.received("/users.info")) == 1
        clock.now += 11
        assert await zones.lookup(client, workspace_id="T1", user_id="U1") == "Europe/London"


async def test_the_cache_is_bounded_and_forgets_a_workspace() -> None:
    async with FakeSlackApi() as fake:
        client = make_web_client(token="xoxb-test", base_url=fake.api_url)
        zones = UserTimezones(max_entries=2)
        for user in ("U1", "U2", "U3"):
            await zones.lookup(client, workspace_id="T1", user_id=user)
        await zones.lookup(client, workspace_id="T1", user_id="U1")
        assert len(fake.received("/users.info")) == 4
        zones.forget_workspace("T1")
        await zones.lookup(client, workspace_id="T1", user_id="U3")
        assert len(fake.received("/users.info")) == 5


async def test_a_budget_bounds_the_wait() -> None:
    import time

    async with FakeSlackApi() as fake:
        client = make_web_client(token="xoxb-test", base_url=fake.api_url)
        fake.hang_next("/users.info", seconds=5)
        started = time.monotonic()
        zone = await UserTimezones().lookup(client, workspace_id="T1", user_id="U1", budget=0.3)
        assert zone is None
        assert time.monotonic() - started < 2

"""The delivery tests share test_delivery's fixtures: SQLite and PostgreSQL, a loopback platform."""

from tests.app.delivery.test_delivery import content, engine, platform  # noqa: F401

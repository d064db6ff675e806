"""The command tests share the journal tests' fixtures: real SQLite stores with a data key."""

from tests.bot.test_nudge_commands import commands, content, engine  # noqa: F401

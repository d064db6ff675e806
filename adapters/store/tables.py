"""The registry of table modules: every table the coach uses, on one ``metadata``.

Migrations, ``forget me`` and the schema check all need every table on
``adapters.store.db.metadata``; :func:`import_table_modules` imports the modules that define
them. A new table module is added to :data:`TABLE_MODULES`, and
``scripts/make_migration.sh`` writes its migration.

It has its own module (rather than living in ``schema``) so that the clean-up code can find
every table without importing Alembic or the repositories: that kept an import cycle away.
"""

from __future__ import annotations

import importlib

TABLE_MODULES = (
    "adapters.store.nudge_tables",
    "adapters.store.held_tables",
    "adapters.store.coaching_tables",
    "adapters.store.feedback_tables",
    "adapters.store.pacing_tables",
    "adapters.store.slack_tables",
    "adapters.store.teams_tables",
)


def import_table_modules() -> None:
    """Import every module that defines tables, so that they are all on ``metadata``."""
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A platform whose adapter is not in this checkout simply has no tables yet.
            if exc.name != name:
                raise

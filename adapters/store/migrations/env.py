"""Alembic environment: the coach's one ``metadata``, on the connection we are handed.

Run through :func:`adapters.store.schema.ensure_schema` (``coach db upgrade``), which passes
its locked connection in ``config.attributes["connection"]``; or through the ``alembic``
command with the project's ``alembic.ini``, which uses ``$DATABASE_URL``.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.types import TypeDecorator

from adapters.store.db import make_engine, metadata
from adapters.store.tables import import_table_modules

import_table_modules()


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Write our TypeDecorators as their plain SQLAlchemy type, so migrations never import
    # application code that may change after they are written.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine()
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()

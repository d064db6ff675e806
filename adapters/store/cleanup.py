"""Delete everything held about one person, or one workspace, across every table.

The convention every table follows (so that this module needs no list of tables):

* a row about a person has columns named ``platform``, ``workspace_id`` and ``user_id``;
* a row about a workspace has ``platform`` and ``workspace_id``;
* a table used by one platform only may leave out ``platform`` and say
  ``info={"platform": "teams"}`` on the ``Table`` instead; it may also name its columns
  differently with ``info={"workspace_column": "team_id", "user_column": "user_id"}``.

Tables following none of this (slack_sdk's installation tables, say) are left alone: their
owners delete them on uninstall. An empty ``user_id`` is refused, because channel
subscriptions store an empty ``user_id`` and must not be swept up by a person's request.
An empty ``workspace_id`` is a workspace like any other for a person: Teams activities
without a tenant (Web Chat, some channels) store their rows under ``""``, and those people
must be able to delete them too. A whole-workspace delete still refuses ``""``.
"""

from __future__ import annotations

from sqlalchemy import Column, ColumnElement, Engine, Table, delete

from adapters.store.db import metadata
from adapters.store.tables import import_table_modules


def forget_user(
    engine: Engine, *, platform: str, workspace_id: str, user_id: str
) -> dict[str, int]:
    """Delete every row about one person; return the rows deleted per table.

    ``workspace_id`` may be empty (a Teams user whose activities carry no tenant).

    Raises:
        ValueError: when ``platform`` or ``user_id`` is empty.
    """
    if not (platform and user_id):
        raise ValueError("forget_user needs a platform and a user id")
    return _delete(engine, platform=platform, workspace_id=workspace_id, user_id=user_id)


def forget_workspace(engine: Engine, *, platform: str, workspace_id: str) -> dict[str, int]:
    """Delete every row held for one workspace (on uninstall); return rows deleted per table.

    Raises:
        ValueError: when either identifier is empty.
    """
    if not (platform and workspace_id):
        raise ValueError("forget_workspace needs a platform and a workspace id")
    return _delete(engine, platform=platform, workspace_id=workspace_id, user_id=None)


def _delete(
    engine: Engine, *, platform: str, workspace_id: str, user_id: str | None
) -> dict[str, int]:
    import_table_modules()
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        # Children before parents, so that foreign keys never object.
        for table in reversed(metadata.sorted_tables):
            where = _condition(table, platform=platform, workspace_id=workspace_id, user_id=user_id)
            if where is None:
                continue
            result = conn.execute(delete(table).where(*where))
            if result.rowcount:
                counts[table.name] = result.rowcount
    return counts


def _condition(
    table: Table, *, platform: str, workspace_id: str, user_id: str | None
) -> list[ColumnElement[bool]] | None:
    workspace = _column(table, table.info.get("workspace_column", "workspace_id"))
    if workspace is None:
        return None
    where: list[ColumnElement[bool]] = [workspace == workspace_id]
    if "platform" in table.c:
        where.append(table.c.platform == platform)
    elif table.info.get("platform") != platform:
        return None
    if user_id is not None:
        user = _column(table, table.info.get("user_column", "user_id"))
        if user is None:
            return None
        where.append(user == user_id)
    return where


def _column(table: Table, name: str) -> Column[object] | None:
    return table.c.get(name)

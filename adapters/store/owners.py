"""How a person (:class:`bot.identity.Who`) is spelled in the tables that hold their rows.

Every personal table keys its rows by the same three columns; one home for the filter and the
values keeps a new table from matching people differently.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_

from bot.identity import Who


def owner_is(columns: Any, owner: Who) -> ColumnElement[bool]:
    """The filter for ``owner``'s rows, given a table's ``.c`` columns."""
    return and_(
        columns.platform == owner.platform,
        columns.workspace_id == owner.workspace_id,
        columns.user_id == owner.user_id,
    )


def owner_values(owner: Who) -> dict[str, str]:
    """The owner columns of a new row for ``owner``."""
    return {
        "platform": owner.platform,
        "workspace_id": owner.workspace_id,
        "user_id": owner.user_id,
    }

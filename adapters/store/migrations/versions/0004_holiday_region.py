"""holiday region on nudge subscriptions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:20:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: every existing subscription keeps England and Wales bank holidays."""
    # A database made by the old create_all() start-up is stamped 0001 with every column of
    # the metadata it was made from; if that already had this column, leave it be.
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("nudge_subscriptions")}
    if "holiday_region" in columns:
        return
    # batch mode: SQLite cannot add a NOT NULL column with ALTER TABLE alone on every version.
    with op.batch_alter_table("nudge_subscriptions") as batch:
        batch.add_column(
            sa.Column(
                "holiday_region",
                sa.String(length=24),
                nullable=False,
                server_default="england-wales",
            )
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("nudge_subscriptions") as batch:
        batch.drop_column("holiday_region")

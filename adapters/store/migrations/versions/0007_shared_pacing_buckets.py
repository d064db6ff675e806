"""shared pacing buckets (coach_pacing), until now made at run time by the first clock

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:02:24.164394

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # On PostgreSQL the clocks of earlier releases made this table themselves, on first use,
    # with the same columns; and a database adopted from create_all() has it too. Keep it.
    if "coach_pacing" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "coach_pacing",
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("next_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_coach_pacing")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("coach_pacing")

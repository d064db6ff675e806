"""feedback votes

Revision ID: 0006
Revises: 0004 (0005, the assessments, is being written alongside: the lead re-points this
to "0005" when both are merged, so the chain stays linear)
Create Date: 2026-12-03 12:30:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # A database made by the old create_all() start-up is stamped 0001 with every table of
    # the metadata it was made from; if that already had this table, leave it be.
    if "feedback_votes" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "feedback_votes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reply_key", sa.String(length=32), nullable=False),
        sa.Column("vote", sa.String(length=16), nullable=False),
        sa.Column("intent", sa.String(length=24), nullable=False),
        sa.Column("result_ids", sa.String(length=300), nullable=False),
        sa.Column("voted_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_votes")),
        sa.UniqueConstraint("reply_key", name=op.f("uq_feedback_votes_reply_key")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("feedback_votes")

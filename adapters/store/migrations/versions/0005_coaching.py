"""coaching: self-assessments and focus

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 12:10:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: the coaching loop's two tables (ratings and focus are Fernet tokens)."""
    # A database made by the old create_all() start-up is stamped 0001 with every table of
    # the metadata it was made from; if that already had these tables, leave them be.
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "coaching_assessments" not in present:
        op.create_table(
            "coaching_assessments",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("workspace_id", sa.String(length=64), nullable=False),
            sa.Column("user_id", sa.String(length=128), nullable=False),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("unfinished", sa.Boolean(), nullable=True),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("ratings", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_assessments")),
            sa.UniqueConstraint(
                "platform", "workspace_id", "user_id", "unfinished", name="uq_assessment_open"
            ),
        )
        op.create_index(
            "ix_coaching_assessments_owner",
            "coaching_assessments",
            ["platform", "workspace_id", "user_id"],
            unique=False,
        )
    if "coaching_focus" not in present:
        op.create_table(
            "coaching_focus",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("workspace_id", sa.String(length=64), nullable=False),
            sa.Column("user_id", sa.String(length=128), nullable=False),
            sa.Column("rows", sa.Text(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_focus")),
            sa.UniqueConstraint("platform", "workspace_id", "user_id", name="uq_focus_owner"),
        )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("coaching_focus")
    op.drop_index("ix_coaching_assessments_owner", table_name="coaching_assessments")
    op.drop_table("coaching_assessments")

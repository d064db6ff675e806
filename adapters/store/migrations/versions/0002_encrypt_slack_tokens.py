"""encrypt Slack OAuth tokens at rest

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 09:10:00

Slack's OAuth bot and user tokens (and refresh tokens) in ``slack_installations`` and
``slack_bots`` are stored encrypted with ``COACH_DATA_KEY``, like reflections. The columns
become ``Text`` (a Fernet token of a rotated Slack token is longer than 200 characters) and
every stored token is encrypted. Rows already encrypted are left alone, so a rerun is safe.

Without ``COACH_DATA_KEY`` the upgrade works only while no token is stored: it refuses to
leave tokens in plain text, and says which variable to set.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from adapters.store.crypto import ENV_VAR, Cipher, DataKeyError


# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def _rewrite(convert) -> None:  # type: ignore[no-untyped-def]
    """Apply ``convert(value) -> new value`` to every stored token."""
    conn = op.get_bind()
    for table_name, columns in TABLES.items():
        table = sa.table(table_name, sa.column("id", sa.Integer), *(sa.column(c) for c in columns))
        rows = conn.execute(sa.select(table)).mappings().all()
        for row in rows:
            changes = {c: convert(row[c]) for c in columns if row[c]}
            changes = {c: v for c, v in changes.items() if v != row[c]}
            if changes:
                conn.execute(table.update().where(table.c.id == row["id"]).values(**changes))


def upgrade() -> None:
    """Widen the token columns to Text, then encrypt every stored token."""
    for table_name, columns in TABLES.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column, existing_type=sa.String(length=200), type_=sa.Text()
                )
    cipher = Cipher.from_env()

    def encrypt(value: str) -> str:
        if cipher is None:
            raise DataKeyError(
                f"Slack tokens are stored in plain text and {ENV_VAR} is not set: set it "
                "(the key your reflections use) and run `coach db upgrade` again"
            )
        return value if cipher.decrypt(value) is not None else cipher.encrypt(value)

    _rewrite(encrypt)


def downgrade() -> None:
    """Decrypt every stored token and narrow the columns back to String(200)."""
    cipher = Cipher.from_env()

    def decrypt(value: str) -> str:
        if cipher is None:
            raise DataKeyError(f"{ENV_VAR} is needed to decrypt the stored Slack tokens")
        plain = cipher.decrypt(value)
        return value if plain is None else plain

    _rewrite(decrypt)
    for table_name, columns in TABLES.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column, existing_type=sa.Text(), type_=sa.String(length=200)
                )

"""Each console's last test alarm a human answered (heard or not, when, by whom), from its heartbeat.

Revision ID: 0012_test_alarm
Revises: 0008_reports
Create Date: 2026-11-29

Kept on the device row apart from ``devices.audio`` (the last software verdict), so a later software
check does not erase it. Older consoles do not send it: the columns stay empty for them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_test_alarm"
down_revision = "0009_tipline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("test_heard", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("test_confirmed_at", sa.String(30), nullable=True))
        batch.add_column(sa.Column("test_confirmed_by", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("test_confirmed_by")
        batch.drop_column("test_confirmed_at")
        batch.drop_column("test_heard")

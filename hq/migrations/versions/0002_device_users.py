"""Record which users have signed in on which device (shift change: a console pushes the pending
events of every operator who signed in on it).

Past sign-ins are taken from the refresh tokens HQ issued (one per sign-in, never deleted) and from
each device's last user, so a console's pending events from before the upgrade still get in.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_users",
        sa.Column("device_id", sa.String(100), primary_key=True),
        sa.Column("user_id", sa.String(36), primary_key=True),
        sa.Column("first_at", sa.String(30), nullable=False),
        sa.Column("last_at", sa.String(30), nullable=False),
    )
    op.execute(
        "INSERT INTO device_users (device_id, user_id, first_at, last_at) "
        "SELECT device_id, user_id, MIN(issued_at), MAX(issued_at) FROM refresh_tokens "
        "GROUP BY device_id, user_id"
    )
    op.execute(
        "INSERT INTO device_users (device_id, user_id, first_at, last_at) "
        "SELECT d.id, d.user_id, d.first_seen, d.last_seen FROM devices d "
        "WHERE NOT EXISTS (SELECT 1 FROM device_users du WHERE du.device_id = d.id AND du.user_id = d.user_id)"
    )


def downgrade() -> None:
    op.drop_table("device_users")

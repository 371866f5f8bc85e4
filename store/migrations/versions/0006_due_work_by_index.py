"""the scheduler finds due work with a few indexed queries over all circles

Revision ID: 0006_due_work_by_index
Revises: 0005_reads_that_scale
Create Date: 2026-11-28 20:00:00

Each activity keeps the earliest moment a nudge can be due, each meeting when its agenda goes out, each series
when it needs its next occurrence stored; the outbox is read by what is due and by channel. The new columns start
empty, which means "not worked out yet": the first tick after the upgrade fills them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision: str = "0006_due_work_by_index"
down_revision: str | Sequence[str] | None = "0005_reads_that_scale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("activities", "next_nudge_at"), ("meetings", "agenda_due_at"), ("meeting_series", "extend_at"))


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, UTCDateTime(), nullable=True))
            batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_outbox_channel", ["channel", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_channel")
        batch_op.drop_index("ix_outbox_due")
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_{column}")
            batch_op.drop_column(column)

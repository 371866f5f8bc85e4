"""each meeting keeps when its progress questions can start, so the scheduler finds the circles to ask with one
indexed query over all circles

Revision ID: 0011_progress_due_at
Revises: 0010_workspaces
Create Date: 2026-12-04 10:00:00

The new column starts empty, which means "not worked out yet": the first tick after the upgrade fills it. Added
natively (no table rebuild), so rows referencing meetings stay untouched on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision: str = "0011_progress_due_at"
down_revision: str | Sequence[str] | None = "0010_workspaces"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("meetings", sa.Column("progress_due_at", UTCDateTime(), nullable=True))
    op.create_index("ix_meetings_progress_due_at", "meetings", ["progress_due_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_meetings_progress_due_at", table_name="meetings")
    op.drop_column("meetings", "progress_due_at")

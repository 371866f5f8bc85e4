"""reads that cost what they show: an activity's history and the paged agenda by index

Revision ID: 0005_reads_that_scale
Revises: 0004_the_circle_itself
Create Date: 2026-11-28 18:00:00

An activity's history and the paged agenda read through indexes instead of scanning the circle.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_reads_that_scale"
down_revision: str | Sequence[str] | None = "0004_the_circle_itself"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_subject", ["circle_id", "subject", "id"], unique=False)
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index("ix_activities_theme", ["circle_id", "theme", "number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_theme")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_subject")

"""reads that cost what they show: an activity's history by index, the agenda's version as a counter

Revision ID: 0002_reads
Revises: 0001
Create Date: 2026-11-28 18:00:00

The execution agenda's version was a count of every audit event of the circle's activities; it becomes a counter
row (kind "V") raised with each such event, started here at that count. An activity's history and the paged
agenda read through indexes instead of scanning the circle.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_reads"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_subject", ["circle_id", "subject", "id"], unique=False)
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index("ix_activities_theme", ["circle_id", "theme", "number"], unique=False)
    op.execute(
        "INSERT INTO counters (circle_id, kind, last) "
        "SELECT circles.id, 'V', (SELECT count(*) FROM audit_events "
        "WHERE audit_events.circle_id = circles.id AND audit_events.subject LIKE 'A-%') FROM circles"
    )


def downgrade() -> None:
    op.execute("DELETE FROM counters WHERE kind = 'V'")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_theme")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_subject")

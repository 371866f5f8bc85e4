"""the learning cycle: adopted agenda versions, improvement actions, meeting decisions, attendance and records

Revision ID: 0002_learning_cycle
Revises: 0001
Create Date: 2026-11-28 20:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision: str = "0002_learning_cycle"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("circles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress_lead_days", sa.Integer(), nullable=False, server_default="5"))
        batch_op.add_column(sa.Column("canvas_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("canvas_version", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sa.String(length=32), nullable=True))
    # Circles started before actions and versions were numbered get their counters.
    op.execute(
        "INSERT INTO counters (circle_id, kind, last) SELECT id, 'P', 0 FROM circles "
        "WHERE NOT EXISTS (SELECT 1 FROM counters c WHERE c.circle_id = circles.id AND c.kind = 'P')"
    )
    op.execute(
        "INSERT INTO counters (circle_id, kind, last) SELECT id, 'V', 0 FROM circles "
        "WHERE NOT EXISTS (SELECT 1 FROM counters c WHERE c.circle_id = circles.id AND c.kind = 'V')"
    )
    op.create_table(
        "agenda_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("adopted_at", UTCDateTime(), nullable=False),
        sa.Column("adopted_by", sa.String(length=32), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "number"),
    )
    with op.batch_alter_table("agenda_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_versions_circle_id"), ["circle_id"], unique=False)
    op.create_table(
        "improvement_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("item", sa.String(length=16), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "number"),
    )
    with op.batch_alter_table("improvement_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_improvement_actions_circle_id"), ["circle_id"], unique=False)
    op.create_table(
        "action_nudge_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("outbox_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["improvement_actions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("action_id", "kind"),
    )
    with op.batch_alter_table("action_nudge_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_nudge_marks_action_id"), ["action_id"], unique=False)
    op.create_table(
        "meeting_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("point", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["improvement_actions.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "ref"),
    )
    with op.batch_alter_table("meeting_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_decisions_meeting_id"), ["meeting_id"], unique=False)
    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "user_id"),
    )
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_attendance_meeting_id"), ["meeting_id"], unique=False)
    op.create_table(
        "progress_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("outbox_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "activity_id"),
    )
    with op.batch_alter_table("progress_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progress_requests_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    for table in (
        "progress_requests",
        "meeting_attendance",
        "meeting_decisions",
        "action_nudge_marks",
        "improvement_actions",
        "agenda_versions",
    ):
        op.drop_table(table)
    op.execute("DELETE FROM counters WHERE kind IN ('P', 'V')")
    # Natively, not in batch: on SQLite a rebuilt parent table is dropped, which cascades into its children's rows.
    for table, column in (
        ("meetings", "closed_by"),
        ("meetings", "closed_at"),
        ("circles", "canvas_version"),
        ("circles", "canvas_id"),
        ("circles", "progress_lead_days"),
    ):
        op.drop_column(table, column)

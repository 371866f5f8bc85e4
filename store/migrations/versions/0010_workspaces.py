"""many workspaces: installations and their tokens, circles paused while uninstalled, outbox and DMs per workspace,
the workspace of each person met in a shared channel

The three `slack_*` tables are the ones slack_sdk's SQLAlchemy installation and OAuth state stores read and write
(same names and columns); the token columns are wider, because the bot keeps tokens sealed (encrypted), not bare.

Revision ID: 0010_workspaces
Revises: 0009_people_gone
Create Date: 2026-11-28 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision: str = "0010_workspaces"
down_revision: str | Sequence[str] | None = "0009_people_gone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEALED = sa.String(length=500)  # a Fernet token of a Slack token: about 1.4 times as long, plus 100


def _workspace_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32)),
        sa.Column("enterprise_name", sa.String(length=200)),
    ]


def _bot_columns() -> list[sa.Column]:
    return [
        sa.Column("team_id", sa.String(length=32)),
        sa.Column("team_name", sa.String(length=200)),
        sa.Column("bot_token", SEALED),
        sa.Column("bot_id", sa.String(length=32)),
        sa.Column("bot_user_id", sa.String(length=32)),
        sa.Column("bot_scopes", sa.String(length=1000)),
        sa.Column("bot_refresh_token", SEALED),
        sa.Column("bot_token_expires_at", sa.DateTime()),
    ]


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        *_workspace_columns(),
        sa.Column("enterprise_url", sa.String(length=200)),
        *_bot_columns(),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("user_token", SEALED),
        sa.Column("user_scopes", sa.String(length=1000)),
        sa.Column("user_refresh_token", SEALED),
        sa.Column("user_token_expires_at", sa.DateTime()),
        sa.Column("incoming_webhook_url", sa.String(length=200)),
        sa.Column("incoming_webhook_channel", sa.String(length=200)),
        sa.Column("incoming_webhook_channel_id", sa.String(length=200)),
        sa.Column("incoming_webhook_configuration_url", sa.String(length=200)),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("token_type", sa.String(length=32)),
        sa.Column("installed_at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )
    op.create_table(
        "slack_bots",
        *_workspace_columns(),
        *_bot_columns(),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("installed_at", sa.DateTime(), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"])
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(length=200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
    )
    # Added natively, never by a batch rebuild: circles is the parent of cascading foreign keys.
    op.add_column("circles", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("circles", sa.Column("resumed_at", UTCDateTime()))
    op.add_column("circles", sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("outbox", sa.Column("team_id", sa.String(length=32)))
    op.create_table(
        "person_workspaces",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    # DM channels are now kept per workspace: each kept one moves over with the workspace of a circle its person is
    # a member of (the only workspace before this release); one whose person is in no circle is opened afresh.
    op.rename_table("dm_channels", "dm_channels_old")
    _dm_channels(["team_id", "user_id"], with_team=True)
    op.execute(
        """
        INSERT INTO dm_channels (team_id, user_id, channel_id, created_at)
        SELECT (SELECT MIN(circles.team_id) FROM members JOIN circles ON circles.id = members.circle_id
                WHERE members.user_id = old.user_id),
               old.user_id, old.channel_id, old.created_at
        FROM dm_channels_old AS old
        WHERE EXISTS (SELECT 1 FROM members WHERE members.user_id = old.user_id)
        """
    )
    op.drop_table("dm_channels_old")


def _dm_channels(key: list[str], *, with_team: bool) -> None:
    team = [sa.Column("team_id", sa.String(length=32), nullable=False)] if with_team else []
    op.create_table(
        "dm_channels",
        *team,
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(*key),
    )


def downgrade() -> None:
    op.drop_table("dm_channels")
    _dm_channels(["user_id"], with_team=False)
    op.drop_table("person_workspaces")
    op.drop_column("outbox", "team_id")
    op.drop_column("circles", "shared")
    op.drop_column("circles", "resumed_at")
    op.drop_column("circles", "active")
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")

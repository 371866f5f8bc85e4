"""The circle itself in the App Home: for coordinators, what its make-up suggests."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.blocks.common import section
from bot.blocks.members import suggestion_lines
from bot.i18n import t
from store.home import CircleOverview


def blocks(overview: CircleOverview, locale: str) -> list[Block]:
    lines = suggestion_lines(overview.suggestions, overview.circle, locale) if overview.suggestions else []
    if not lines:
        return []
    return [section("\n".join([t("members.home_title", locale), *lines]))]

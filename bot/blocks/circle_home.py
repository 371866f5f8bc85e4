"""The circle itself in the App Home: its goals' progress and effects per goal and theme, and for coordinators
what its make-up suggests."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.blocks.common import actions, button, section
from bot.blocks.effects import totals_line
from bot.blocks.execution_agenda import theme_label
from bot.blocks.goals import progress_text
from bot.blocks.members import suggestion_lines
from bot.i18n import t
from bot.slacktext import escape
from store.home import CircleOverview

SHOWN = 8  # goals and themes each, to keep the tab within Slack's hundred blocks


def blocks(overview: CircleOverview, locale: str) -> list[Block]:
    lines = suggestion_lines(overview.suggestions, overview.circle, locale) if overview.suggestions else []
    found = overview.effects
    if found is not None:
        for entry in found.goals[:SHOWN]:
            effects = totals_line(entry.totals, locale)
            lines.append(
                t(
                    "home.goal_line",
                    locale,
                    name=escape(entry.goal.name),
                    progress=progress_text(entry.progress, locale),
                    effects=f" · {effects}" if effects else "",
                )
            )
        for entry in found.themes[:SHOWN]:
            name = escape(theme_label(entry.theme, locale))
            lines.append(t("home.theme_line", locale, name=name, effects=totals_line(entry.totals, locale)))
    if not lines:
        return []
    found_blocks: list[Block] = [section("\n".join([t("members.home_title", locale), *lines]))]
    if overview.suggestions and overview.suggestions.balance.heavy:
        invite = button(t("members.invitation_button", locale), "member_invitation", str(overview.circle.id))
        found_blocks.append(actions(invite))
    return found_blocks

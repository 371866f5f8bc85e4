"""Slack listeners, one module per command or action family; each module has `register(app)` that only wires them."""

from __future__ import annotations

from types import ModuleType

from slack_bolt import App


def register_all(app: App) -> None:
    for module in _features():
        module.register(app)


def slash_commands() -> list[str]:
    """The slash commands the modules answer: each names its own in `COMMAND` and registers it under that name."""
    return sorted(module.COMMAND for module in _features() if hasattr(module, "COMMAND"))


def _features() -> tuple[ModuleType, ...]:
    from handlers import (
        actie,
        activity_actions,
        agenda,
        agenda_cycle,
        circle,
        home,
        hulpvraag,
        kenniskring,
        klaagpaal,
        lists,
        meeting,
        meeting_items,
        meeting_record,
        personal_data,
        rhythm,
        voortgang,
        workspaces,
    )

    return (
        kenniskring,
        klaagpaal,
        hulpvraag,
        home,
        meeting,
        meeting_items,
        agenda,
        voortgang,
        activity_actions,
        rhythm,
        actie,
        meeting_record,
        agenda_cycle,
        circle,
        lists,
        workspaces,
        personal_data,
    )

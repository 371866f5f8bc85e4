"""`kenniskring console`: the real app against the Slack stand-in, typed at from a terminal.

`app` runs the session, `screen` lays out what one step shows, `render` turns Block Kit into terminal text,
`form` fills in modals, `meta` holds the console's own `:` commands and `world` its people, clock and log.
"""

from bot.console.app import Console, run_console

__all__ = ["Console", "run_console"]

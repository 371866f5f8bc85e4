"""Slack on loopback, for the tests and `kenniskring console`: `server` answers the bot's Web API calls from the
in-memory workspace in `state`, and `simulator` sends the app signed requests the way Slack does."""

from bot.standin.server import SlackStandIn
from bot.standin.simulator import Answer, ListenerPool, SlackSimulator

__all__ = ["Answer", "ListenerPool", "SlackSimulator", "SlackStandIn"]

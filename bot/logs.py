"""Logging for an operated bot: text for a person at a terminal, or one JSON object per line for a log pipeline
(KENNISKRING_LOG_FORMAT=json).

Two kinds of lines carry fields of their own (`fields=` in `extra`): one per request from Slack and one per
outbox message handed to Slack (bot.observe). Neither ever carries a token or what a person typed: tokens are
masked in every line, and what the libraries whose debug lines quote requests, payloads and SQL parameters (the
Slack SDK, Bolt, SQLAlchemy) say below INFO (WARNING for SQLAlchemy) is left out whatever the level asked for.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import IO, Any

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TOKENS = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")
# Their DEBUG lines quote request bodies, headers or SQL parameters: what people typed, and tokens.
CHATTY = {
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
    "kenniskring.bolt": logging.INFO,
    "urllib3": logging.INFO,
    "sqlalchemy": logging.WARNING,
    "alembic": logging.WARNING,
    "apscheduler": logging.WARNING,
}
_HANDLER_NAME = "kenniskring"


def mask(line: str) -> str:
    return TOKENS.sub(lambda found: f"{found.group(1)}-…", line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the line's own fields, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return mask(json.dumps(entry, ensure_ascii=False, default=str))


class TextFormatter(logging.Formatter):
    """The usual line, with the line's own fields appended as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = getattr(record, "fields", None)
        if fields:
            line += " " + " ".join(f"{key}={value}" for key, value in fields.items() if value is not None)
        return mask(line)


class _Floors(logging.Filter):
    """Drops what the chatty libraries say below their floor, whatever level their loggers are at (the loggers
    themselves are left alone: other handlers, such as a test's capture, may want everything)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, least in CHATTY.items():
            if record.name == name or record.name.startswith(name + "."):
                return record.levelno >= least
        return True


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is written, not to the one there was at setup."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> IO[str]:  # type: ignore[override]
        return sys.stderr


def setup(log_format: str = "text", level: str = "INFO", *, stream: IO[str] | None = None) -> logging.Handler:
    """Configure the root logger (again: a second call replaces the handler of the first). Returns the handler."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() == _HANDLER_NAME or type(existing) is logging.StreamHandler:  # ours, basicConfig's
            root.removeHandler(existing)
    handler = logging.StreamHandler(stream) if stream is not None else _Stderr()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(_Floors())
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler

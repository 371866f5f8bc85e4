"""The Slack app's manifest for HTTP mode: manifest.yml with Socket Mode off and every request URL set."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yml"
EVENTS_PATH = "/slack/events"  # the one path the HTTP server answers Slack on (bot/web.py)
REDIRECT_PATH = "/slack/oauth_redirect"  # where Slack's OAuth flow returns to (installing in several workspaces)


def bot_scopes(source: Path = MANIFEST) -> list[str]:
    """The bot scopes manifest.yml asks for: what an OAuth install asks each workspace for."""
    return list(yaml.safe_load(source.read_text("utf-8"))["oauth_config"]["scopes"]["bot"])


def request_url(base: str) -> str:
    """`https://host` (or `https://host/prefix`) → `https://host/slack/events`; anything but https is refused."""
    parts = urlsplit(base.strip())
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"{base!r} is not an https:// address such as https://kenniskring.example.nl")
    path = parts.path.rstrip("/").removesuffix(EVENTS_PATH)
    return f"https://{parts.netloc}{path}{EVENTS_PATH}"


def http_manifest(base: str, source: Path = MANIFEST) -> dict[str, Any]:
    """manifest.yml as Slack needs it in HTTP mode: every slash command, events and interactivity at one URL."""
    url = request_url(base)
    manifest = yaml.safe_load(source.read_text("utf-8"))
    for command in manifest["features"]["slash_commands"]:
        command["url"] = url
    settings = manifest["settings"]
    settings["event_subscriptions"]["request_url"] = url
    settings["interactivity"]["request_url"] = url
    settings["socket_mode_enabled"] = False
    manifest["oauth_config"]["redirect_urls"] = [url.removesuffix(EVENTS_PATH) + REDIRECT_PATH]
    return manifest


def as_yaml(manifest: dict[str, Any]) -> str:
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=120)

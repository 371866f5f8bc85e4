"""manifest.yml is a valid Slack app manifest and declares exactly the commands the app answers."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.app import create_app, make_services, slash_commands
from bot.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT.parent / "shared" / "slack-manifest-schema"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text("utf-8"))


def test_manifest_validates_against_slacks_schema(manifest: dict) -> None:
    schemas = sorted(SCHEMA_DIR.glob("manifest.schema.*.json"))
    assert schemas, f"no manifest schema found in {SCHEMA_DIR}"
    schema = json.loads(schemas[-1].read_text("utf-8"))
    jsonschema.validate(manifest, schema)


def test_schema_rejects_a_broken_manifest(manifest: dict) -> None:
    schema = json.loads(sorted(SCHEMA_DIR.glob("manifest.schema.*.json"))[-1].read_text("utf-8"))
    broken = {**manifest, "display_information": {}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_slash_commands_are_exactly_those_the_app_registers(manifest: dict, tmp_path: Path) -> None:
    settings = load_settings(SLACK_BOT_TOKEN="xoxb-test", DATABASE_URL=f"sqlite:///{tmp_path / 'k.db'}")
    app = create_app(make_services(settings, session_factory=None))
    registered = set()
    for listener in app._listeners:
        for matcher in listener.matchers:
            command = getattr(matcher, "command", None) or _command_of(matcher)
            if command:
                registered.add(command)
    declared = {command["command"] for command in manifest["features"]["slash_commands"]}
    assert registered == declared
    assert all(command["should_escape"] for command in manifest["features"]["slash_commands"])


def test_the_commands_the_handlers_declare_are_those_in_the_manifest(manifest: dict) -> None:
    declared = sorted(command["command"] for command in manifest["features"]["slash_commands"])
    assert slash_commands() == declared


def _command_of(matcher) -> str | None:
    """Bolt keeps a command matcher's name in its function's closure."""
    function = getattr(matcher, "func", None)
    for cell in getattr(function, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, str) and value.startswith("/"):
            return value
    return None

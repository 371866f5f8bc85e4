"""manifest.yml declares what the app does: exactly the commands it registers, the scopes of the Web API methods it
calls and no others, its events, interactivity and App Home, and Slack's request URLs for HTTP mode. It is also
checked against Slack's own JSON schema where that schema is at hand (`../shared/slack-manifest-schema/`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.app import create_app, make_services, slash_commands
from bot.cli import main
from bot.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT.parent / "shared" / "slack-manifest-schema"
SCHEMAS = sorted(SCHEMA_DIR.glob("manifest.schema.*.json"))
with_schema = pytest.mark.skipif(not SCHEMAS, reason=f"Slack's manifest schema is not at {SCHEMA_DIR}")
EVENTS_PATH = "/slack/events"

# The bot scopes each Web API method the code calls needs (api.slack.com/methods). The manifest asks for these and
# nothing more; a new method needs its row here, so the scopes it needs cannot be forgotten.
SCOPES_BY_METHOD: dict[str, set[str]] = {
    "chat.postMessage": {"chat:write", "chat:write.public"},  # .public: a circle's channel before the bot is invited
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "conversations.open": {"im:write"},
    "conversations.history": {"channels:history", "groups:history", "im:history"},  # finds a post already made
    "users.info": {"users:read"},
    "files.upload_v2": {"files:write"},  # files.getUploadURLExternal and files.completeUploadExternal
    "views.open": set(),
    "views.publish": set(),
    "conversations.info": {"channels:read", "groups:read"},  # finds a channel's canvas before making one
    "conversations.canvases.create": {"canvases:write"},
    "canvases.edit": {"canvases:write"},
}
SCOPES_BY_EVENT: dict[str, set[str]] = {
    "app_home_opened": set(),
    "reaction_added": {"reactions:read"},  # a reaction on the agenda post marks its author present
    "member_joined_channel": {"channels:read", "groups:read"},
    "member_left_channel": {"channels:read", "groups:read"},
    "app_uninstalled": set(),  # a workspace removed the bot: its circles pause
    "tokens_revoked": set(),
}
CLIENT_CALL = re.compile(r"\bclient\.([a-z]+)_([A-Za-z0-9_]+)\(")
METHOD_NAME = re.compile(
    r"[\"']((?:chat|conversations|users|views|files|reactions|pins|reminders|team|canvases)(?:\.[A-Za-z]+)+)[\"']"
)
RATE_TABLES = {"pacing.py"}  # Slack's rate tiers name methods the bot may never call
DEV_AIDS = {"standin", "console"}  # subpackages that answer the Web API or drive the app; the bot does not call them


@pytest.fixture(scope="module")
def text() -> str:
    return (ROOT / "manifest.yml").read_text("utf-8")


@pytest.fixture(scope="module")
def manifest(text: str) -> dict:
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def http_manifest(text: str) -> dict:
    """The manifest as README step 4 makes it: Socket Mode off and the commented request URLs set."""
    http = re.sub(r"#\s*(url|request_url|redirect_urls):", r"\1:", text).replace(
        "socket_mode_enabled: true", "socket_mode_enabled: false"
    )
    return yaml.safe_load(http)


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """What the app listens to, by kind: `command`, `event`, `action`, `view_submission`, …"""
    database = tmp_path_factory.mktemp("manifest") / "k.db"
    settings = load_settings(SLACK_BOT_TOKEN="xoxb-test", DATABASE_URL=f"sqlite:///{database}")
    app = create_app(make_services(settings, session_factory=None))
    found: dict[str, set[str]] = {}
    for listener in app._listeners:
        for matcher in listener.matchers:
            # Bolt's built-in matchers are closures made by `command(...)`, `event(...)`, `action(...)`, … and keep
            # what they match (a name or a pattern) in their closure.
            function = matcher.func
            kind = function.__qualname__.split(".")[0]
            for cell in function.__closure__ or ():
                value = cell.cell_contents
                found.setdefault(kind, set()).add(value if isinstance(value, str) else str(value))
    return found


def called_methods() -> set[str]:
    """Every Web API method the shipped code calls, by `client.chat_postMessage(…)` or by its name as a string."""
    methods: set[str] = set()
    for folder in ("bot", "handlers", "store"):
        for path in (ROOT / folder).rglob("*.py"):
            if DEV_AIDS & set(path.relative_to(ROOT).parts) or path.name in RATE_TABLES:
                continue
            source = path.read_text("utf-8")
            # `client.api_call(method, …)` sends what the outbox holds; those methods are named in strings.
            methods.update(f"{family}.{name}" for family, name in CLIENT_CALL.findall(source) if family != "api")
            methods.update(METHOD_NAME.findall(source))
    return methods


@with_schema
def test_manifest_validates_against_slacks_schema(manifest: dict, http_manifest: dict) -> None:
    schema = json.loads(SCHEMAS[-1].read_text("utf-8"))
    jsonschema.validate(manifest, schema)
    jsonschema.validate(http_manifest, schema)


@with_schema
def test_schema_rejects_a_broken_manifest(manifest: dict) -> None:
    schema = json.loads(SCHEMAS[-1].read_text("utf-8"))
    broken = {**manifest, "display_information": {}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_slash_commands_are_exactly_those_the_app_registers(manifest: dict, registered: dict) -> None:
    declared = manifest["features"]["slash_commands"]
    assert {command["command"] for command in declared} == registered["command"]
    for command in declared:  # Slack's limits, so that they hold without the schema too
        name = command["command"]
        assert re.fullmatch(r"/[a-z0-9_-]{1,31}", name), name
        assert command["should_escape"] is True, name  # mentions then arrive as <@U123|name>
        assert 0 < len(command["description"].strip()) <= 2000, name
        assert 0 < len(command["usage_hint"].strip()) <= 1000, name


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


def test_the_scopes_are_those_of_the_methods_the_code_calls(manifest: dict) -> None:
    called = called_methods()
    assert {"chat.postMessage", "views.open", "conversations.open"} <= called  # the scan finds what it should
    assert called - SCOPES_BY_METHOD.keys() == set(), "add these methods and their scopes to SCOPES_BY_METHOD"
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    needed = {"commands"}.union(*(SCOPES_BY_METHOD[method] for method in called))
    needed |= set().union(*(SCOPES_BY_EVENT[event] for event in events))
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_events_interactivity_and_home_match_the_listeners(manifest: dict, registered: dict) -> None:
    settings, features = manifest["settings"], manifest["features"]
    assert set(settings["event_subscriptions"]["bot_events"]) == registered.get("event", set())
    interactive = registered.keys() & {"action", "block_action", "view_submission", "view_closed", "shortcut"}
    assert settings["interactivity"]["is_enabled"] is bool(interactive)
    assert features["app_home"]["home_tab_enabled"] is ("app_home_opened" in registered.get("event", set()))
    assert features["app_home"]["messages_tab_read_only_enabled"] is ("message" not in registered.get("event", set()))


def test_the_manifest_command_prints_the_http_manifest(http_manifest: dict, capsys) -> None:
    assert main(["manifest", "--url", "https://kk.example.nl/"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)

    assert printed == json.loads(json.dumps(http_manifest).replace("https://<your-host>", "https://kk.example.nl"))
    settings = printed["settings"]
    urls = [command["url"] for command in printed["features"]["slash_commands"]]
    urls += [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    assert set(urls) == {"https://kk.example.nl" + EVENTS_PATH} and settings["socket_mode_enabled"] is False


@with_schema
def test_the_printed_http_manifest_validates_against_slacks_schema(capsys) -> None:
    assert main(["manifest", "--url", "https://kk.example.nl/bot"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    jsonschema.validate(printed, json.loads(SCHEMAS[-1].read_text("utf-8")))
    assert printed["settings"]["interactivity"]["request_url"] == "https://kk.example.nl/bot/slack/events"


@pytest.mark.parametrize("url", ["http://kk.example.nl", "kk.example.nl", "https://", "https://kk.example.nl/?a=1"])
def test_the_manifest_command_refuses_what_slack_would_not_reach(url: str, capsys) -> None:
    assert main(["manifest", "--url", url]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "https://" in captured.err


def test_every_scope_is_explained_in_the_readme(manifest: dict) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("### Why the bot asks for each scope", 1)[1].split("\n#", 1)[0]
    rows = {row.split("|")[1].strip().strip("`") for row in table.splitlines() if row.startswith("| `")}
    assert rows == set(manifest["oauth_config"]["scopes"]["bot"])


def test_in_http_mode_every_request_goes_to_the_one_path(manifest: dict, http_manifest: dict) -> None:
    assert manifest["settings"]["socket_mode_enabled"] is True  # no public URL needed to start
    settings = http_manifest["settings"]
    urls = [command.get("url") for command in http_manifest["features"]["slash_commands"]]
    urls += [settings["event_subscriptions"].get("request_url"), settings["interactivity"].get("request_url")]
    assert all(url and url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls), urls

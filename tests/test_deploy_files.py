"""The deployment files say what the code does: the image installs the pinned versions and runs as no root; every
command compose.yaml gives the bot is one the CLI takes; docs/deploy.md names every setting."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.cli import _parser
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_the_image_installs_the_pins_and_runs_as_no_root() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert "FROM python:3.11-slim" in lines
    assert any("pip install -c constraints.txt" in line for line in lines)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["kenniskring"]' in lines


def test_compose_runs_commands_the_cli_takes() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    bots = {name: service for name, service in compose["services"].items() if service.get("image") != "postgres:16"}
    assert set(bots) == {"web", "scheduler"}
    for service in bots.values():
        parsed = _parser().parse_args(service["command"])
        assert parsed.command == "run" and parsed.http
        assert "healthcheck" in service
    assert _parser().parse_args(bots["web"]["command"]).scheduler is False
    assert _parser().parse_args(bots["scheduler"]["command"]).scheduler is True
    assert "healthcheck" in compose["services"]["db"]


def test_the_deployment_guide_names_every_setting() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    for field in Settings.model_fields.values():
        assert f"`{field.validation_alias}`" in guide

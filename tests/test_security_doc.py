"""docs/security.md names the test that holds each promise: every test it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_test_the_security_promises_name_exists() -> None:
    named = set(re.findall(r"\b(test_\w+)", (ROOT / "docs" / "security.md").read_text("utf-8")))
    named -= {path.stem for path in (ROOT / "tests").glob("test_*.py")}  # file names, not tests
    defined = {
        match
        for path in (ROOT / "tests").glob("test_*.py")
        for match in re.findall(r"^def (test_\w+)", path.read_text("utf-8"), re.M)
    }
    assert len(named) > 30
    assert named - defined == set()

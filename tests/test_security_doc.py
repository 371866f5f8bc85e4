"""docs/security.md names the test that holds each promise: every test and test file it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"


def test_every_test_the_security_promises_name_exists() -> None:
    text = DOC.read_text("utf-8")
    files = list((ROOT / "tests").rglob("test_*.py"))
    named = set(re.findall(r"\b(test_\w+)", text)) - {path.stem for path in files}  # file names, not tests
    defined = {match for path in files for match in re.findall(r"^def (test_\w+)", path.read_text("utf-8"), re.M)}
    assert len(named) > 30
    assert named - defined == set()


def test_every_test_file_the_security_promises_name_exists() -> None:
    paths = set(re.findall(r"\b(tests/[\w/]+\.py)", DOC.read_text("utf-8")))
    assert len(paths) > 5
    assert {path for path in paths if not (ROOT / path).is_file()} == set()

"""bench/run --quick still runs: every part measures and writes its figures (which are never judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_quick_benchmark_runs_every_part(tmp_path) -> None:
    output, figures = tmp_path / "results.md", tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--quick", "--backends", "sqlite"]
    done = subprocess.run(
        [*command, "--output", str(output), "--json", str(figures)], cwd=ROOT, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr[-3000:]
    names = [figure["name"] for figure in json.loads(figures.read_text())["figures"]["sqlite"]]
    for expected in ("/agenda at 60, 1 client p50", "statements: App Home at 60", "tick, nothing due at 03:00"):
        assert expected in names
    assert any(name.endswith("fastest the limits allow") for name in names)
    assert "| measure | before |" in output.read_text()

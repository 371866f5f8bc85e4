"""Figures as they are measured: printed at once, kept as JSON, and written to bench/results.md beside the figures
recorded before the performance work (bench/before.json), so every run shows before and after."""

from __future__ import annotations

import json
import math
import os
import platform
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy

HERE = Path(__file__).resolve().parent
BEFORE = HERE / "before.json"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    ratio: float | None = None

    def shown(self) -> str:
        if isinstance(self.value, float) and math.isnan(self.value):
            return "—"
        value = self.value * 1000 if self.unit == "ms" else self.value
        text = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.2f}"
        return f"{text} {self.unit}".strip()

    def ratio_shown(self) -> str:
        return "" if self.ratio is None or math.isnan(self.ratio) else f"{self.ratio:.1f}×"


@dataclass
class Results:
    quick: bool
    figures: dict[str, list[Figure]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def recorder(self, backend: str):
        def record(name: str, value: float, unit: str, baseline: float | None = None) -> None:
            ratio = value / baseline if baseline else None
            figure = Figure(name, float(value), unit, ratio)
            self.figures.setdefault(backend, []).append(figure)
            print(f"  {backend:10} {name:78} {figure.shown():>14} {figure.ratio_shown():>7}", flush=True)

        return record

    def as_json(self) -> dict:
        return {
            "machine": machine(),
            "date": datetime.now().isoformat(timespec="minutes"),
            "quick": self.quick,
            "versions": self.versions,
            "figures": {backend: [vars(figure) for figure in figures] for backend, figures in self.figures.items()},
        }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}"
    )


def _before() -> dict[str, dict[str, Figure]]:
    if not BEFORE.exists():
        return {}
    data = json.loads(BEFORE.read_text())
    return {
        backend: {entry["name"]: Figure(**entry) for entry in figures}
        for backend, figures in data.get("figures", {}).items()
    }


def markdown(results: Results) -> str:
    data = results.as_json()
    before = _before()
    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/run{' --quick' if results.quick else ''}` on {data['date']}.",
        f"Machine: {data['machine']}.",
        "Databases: " + ", ".join(results.versions.values()) + ".",
        "",
        "Ratios compare with the bare Bolt app (same waitress server, same run) for latencies, with bare Web API "
        "calls for delivery rates, and with the fastest Slack's limits allow for paced deliveries. "
        "The machine is shared and noisy: read the ratios. The *before* column is bench/before.json, measured the "
        "same way before the performance work, except a tick's peak memory: now the tick process's own high-water "
        "mark, then the parent's count, which held the bench process's own size as well. A page asked for again is "
        "given as kept while its circle has not changed; *made afresh each time* is a server that keeps nothing, as "
        "right after a change.",
    ]
    for backend, figures in results.figures.items():
        old = before.get(backend, {})
        lines += ["", f"## {backend}", "", "| measure | before | ratio | now | ratio |", "|---|---:|---:|---:|---:|"]
        for figure in figures:
            was = old.get(figure.name)
            then = f"{was.shown()} | {was.ratio_shown()}" if was else " | "
            lines.append(f"| {figure.name} | {then} | {figure.shown()} | {figure.ratio_shown()} |")
    return "\n".join(lines) + "\n"

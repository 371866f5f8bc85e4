"""A process that only ticks or answers commands does not load what makes files: the chart, the spreadsheet, the
Word document and the calendar libraries are imported when a file is made, so `tick` from cron starts lean."""

from __future__ import annotations

import subprocess
import sys

FILE_MAKERS = ("matplotlib", "openpyxl", "docx", "icalendar")


def test_building_the_bot_loads_no_library_that_only_makes_files(tmp_path) -> None:
    probe = (
        "import sys\n"
        "from bot import runtime, scheduler\n"
        "from bot.config import load_settings\n"
        "runtime.build(load_settings())\n"
        f"print(','.join(name for name in {FILE_MAKERS!r} if name in sys.modules))\n"
    )
    environment = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lean.db'}",
        "SLACK_BOT_TOKEN": "xoxb-lean",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""

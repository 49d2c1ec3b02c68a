"""docs/architecture.md stays true: its signal table is the code's, and the files it names exist."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO

DOC = REPO / "docs" / "architecture.md"


def test_the_signal_table_is_the_one_the_code_registers():
    # A process of its own: the test run's builds have registered plugins already.
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "signal_map.py")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    table = result.stdout
    assert "`loa.findings.stop_on_errors` | `loa.units`" in table  # read from blinker, not typed
    text = DOC.read_text(encoding="utf-8")
    shown = (
        text.split("<!-- signal-map:start", 1)[1].split("-->", 1)[1].split("<!-- signal-map:end")[0]
    )
    assert shown.strip() == table.strip(), (
        "docs/architecture.md is out of date: run .venv/bin/python scripts/signal_map.py --write"
    )


def test_every_file_the_plan_names_exists():
    """Paths from the repository's root, or from ``plugins/loa/`` (``rules/check.py``)."""
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w.-]+/[\w./-]+\.(?:py|md|yml|html|js|jsonl))`", text))
    missing = sorted(
        path
        for path in named
        if not (REPO / path).exists() and not (REPO / "plugins" / "loa" / path).exists()
    )
    assert len(named) > 30
    assert missing == []


def test_readme_links_the_plan():
    assert "docs/architecture.md" in (REPO / "README.md").read_text(encoding="utf-8")

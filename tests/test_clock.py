"""One clock: nothing decides what day it is but ``loa.clock`` (``LOA_NOW``)."""

from __future__ import annotations

import ast
import datetime as dt

import pytest
from loa import clock

from tests.cli.test_cli import loa
from tests.conftest import REPO, article

# Calls that read the wall clock: datetime.now(), date.today(), time.time(), ...
_READS = {"now", "utcnow", "today", "time", "localtime", "gmtime", "ctime"}
_OWNERS = {"datetime", "dt", "date", "time", "_dt"}
ALLOWED = "# clock: allowed"


def wall_clock_reads(root, base=REPO) -> list[str]:
    """``file:line`` of every wall-clock read under ``root`` not marked ``# clock: allowed``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == REPO / "plugins" / "loa" / "clock.py" or ".venv" in path.parts:
            continue
        if "vendor" in path.relative_to(base).parts:
            continue  # third-party code kept byte-for-byte (see tests/vendor/*/VENDORED.txt)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            func = node.func
            owner = func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if func.attr not in _READS or name not in _OWNERS:
                continue
            if func.attr in ("localtime", "gmtime", "ctime") and node.args:
                continue  # converting a given time, not reading the clock
            if ALLOWED in lines[node.lineno - 1]:
                continue
            found.append(f"{path.relative_to(base)}:{node.lineno}")
    return found


@pytest.mark.parametrize("folder", ["plugins", "tests", "scripts"])
def test_nothing_reads_the_wall_clock_but_the_clock(folder):
    assert wall_clock_reads(REPO / folder) == [], (
        f"use loa.clock.now() (tests: the `now` fixture), or mark a real duration with “{ALLOWED}”"
    )


def test_the_guard_sees_a_wall_clock_read(tmp_path):
    (tmp_path / "a.py").write_text(
        "import datetime as dt, time\nx = dt.datetime.now()\ny = time.time()\n"
        "z = dt.date.today()\nw = time.localtime(5)\n",
        encoding="utf-8",
    )
    assert wall_clock_reads(tmp_path, base=tmp_path) == ["a.py:2", "a.py:3", "a.py:4"]


def test_loa_now_sets_the_clock(monkeypatch):
    monkeypatch.setenv("LOA_NOW", "2027-01-01T00:30")
    assert clock.now() == dt.datetime(2027, 1, 1, 0, 30, tzinfo=clock.TIMEZONE)
    monkeypatch.setenv("LOA_NOW", "2026-12-31T17:30:00Z")
    assert clock.now() == dt.datetime(2027, 1, 1, 0, 30, tzinfo=clock.TIMEZONE)
    assert clock.utc_iso() == "2026-12-31T17:30:00+00:00"


def test_a_wrong_loa_now_is_one_sentence_and_exit_2(site, monkeypatch):
    monkeypatch.setenv("LOA_NOW", "ngày mai")
    result = loa("report", "--no-ledger", cwd=site.root)
    assert result.returncode == 2
    assert "LOA_NOW “ngày mai” không phải thời điểm ISO 8601" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_loa_now_stops_the_build_in_one_sentence(site, monkeypatch):
    site.write("articles/don-vi-a/2026-11-20-a.md", article())
    monkeypatch.setenv("LOA_NOW", "2026-13-45")
    with pytest.raises(SystemExit, match="LOA_NOW “2026-13-45”"):
        site.build()

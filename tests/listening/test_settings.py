"""units.yml's ``listening`` settings and retention."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from tests.conftest import REPO
from tests.listening.harness import UNITS, Listening, vn


def test_check_refuses_a_promise_longer_than_the_reply_window(tmp_path):
    listening = Listening(tmp_path / "site")
    listening.stop()
    text = UNITS.replace("promise_hours: 4", "promise_hours: 30")
    (listening.root / "content" / "units.yml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("      promise_hours: 30") + 1
    result = subprocess.run(
        [sys.executable, "-m", "loa.cli", "check"], cwd=listening.root, capture_output=True, text=True,
        env={"PYTHONPATH": str(REPO / "plugins"), "PATH": "/usr/bin:/bin"}, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"dòng {line}: lỗi" in result.stdout
    assert "messenger chỉ cho trả lời trong 24 giờ" in result.stdout
    assert "tối đa 24" in result.stdout


def test_daily_run_drops_months_past_retention(tmp_path):
    listening = Listening(tmp_path / "site")
    now = vn(2026, 12, 10, 9, 0)
    old = '{"kind":"conversation","unit":"van-phong","channel":"zalo","account":"1","key":"%s","received":"%s","answered":"","post":""}\n'
    with listening.signed(now - dt.timedelta(days=1)), listening.open_ledger() as ledger:
        ledger.refresh()
        ledger.append(
            listening={
                "listening-2025-10.jsonl": old % ("a" * 32, "2025-10-20T03:00:00Z"),
                "listening-2025-11.jsonl": old % ("b" * 32, "2025-11-20T03:00:00Z"),
            }
        )
    try:
        result = listening.loa("listen", now=now)
    finally:
        listening.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    with listening.signed(now), listening.open_ledger() as ledger:
        ledger.refresh()
        assert set(ledger.listening) == {"listening-2025-11.jsonl"}  # 13 months kept
    assert "listening-2025-10.jsonl" in result.stdout

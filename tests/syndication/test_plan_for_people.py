"""``loa syndicate plan`` for a newcomer: something to see on a fresh clone, a summary first,
accounts named as the newsroom names them, lines that fit the terminal."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

from rich.cells import cell_len

from tests.cli.test_cli import loa
from tests.conftest import NOW, article


def _site_with_articles(site, count: int, opted_out: int = 1):
    for n in range(count + opted_out):
        day = NOW - dt.timedelta(days=20 + n)
        extra = {"syndicate": "false"} if n >= count else {}
        site.write(
            f"articles/don-vi-a/2026-01-01-bai-{n}.md",
            article(
                title=f"Hội nghị người lao động lần thứ {n} bàn về quyền lợi của đoàn viên công đoàn cơ sở",
                date=day.strftime("%Y-%m-%d %H:%M"),
                **extra,
            ),
        )
    site.build()


def test_plan_without_a_ledger_shows_what_would_be_posted(site, tmp_path):
    _site_with_articles(site, 12)
    remote = tmp_path / "ledger.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    env = {"LOA_LEDGER_REMOTE": str(remote), "COLUMNS": "60"}
    result = loa("syndicate", "plan", cwd=site.root, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Chưa đăng bài nào lên mạng xã hội"), lines[:3]
    text = result.stdout
    assert "Sẽ đăng 10 bài lên 1 tài khoản (10 lượt đăng)." in text
    assert "2 bài chờ lần chạy sau: mỗi lần chỉ đăng tối đa 10 bài." in text
    assert "1 bài không đăng lên mạng xã hội theo ý người viết" in text
    # The summary comes before the first article.
    assert text.index("Sẽ đăng") < text.index("== ")
    assert "-- Telegram — Công đoàn Cục" in text, "accounts named by platform and unit"
    assert "@cuc_thu" not in text.split("== ")[1].splitlines()[2], "not the bare id"
    for line in lines:
        assert cell_len(line) <= 60 or len(line.split()) == 1 or "http" in line, line
    data = json.loads(loa("syndicate", "plan", "--format", "json", cwd=site.root, env=env).stdout)
    assert set(data) == {"posts", "waiting", "unknown", "too_old", "future", "blocked", "problems"}
    assert {p["account"] for p in data["posts"]} == {"@cuc_thu"}, "JSON keeps the account ids"

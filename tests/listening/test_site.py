"""The site: /gop-y/, the unit's page, and the *Lắng nghe đoàn viên* section of /thong-ke/."""

from __future__ import annotations

import datetime as dt

from loa import clock
from loa.listening.records import Record, iso


def _records(now: dt.datetime) -> dict[str, str]:
    """Six conversations this month (shown), two the month before (a small cell), one open comment."""
    files: dict[str, str] = {}
    this_month = now.astimezone(clock.TIMEZONE).replace(
        day=1, hour=8, minute=0, second=0, microsecond=0
    )
    last_month = (this_month - dt.timedelta(days=1)).replace(day=3)
    items = [
        Record("conversation", "van-phong-cuc", "facebook", "100000000000002", f"{i:032x}", iso(this_month),
               iso(this_month + dt.timedelta(minutes=30 * (i + 1))) if i < 5 else "")
        for i in range(6)
    ] + [
        Record("conversation", "van-phong-cuc", "zalo", "4000000000000000002", f"{100 + i:032x}", iso(last_month),
               iso(last_month + dt.timedelta(hours=2)))
        for i in range(2)
    ] + [
        Record("comment", "van-phong-cuc", "facebook", "100000000000002", f"{200:032x}", iso(this_month), "",
               "https://www.facebook.com/100000000000002/posts/777"),
    ]  # fmt: skip
    for record in items:
        files[record.file] = files.get(record.file, "") + record.to_json() + "\n"
    return files, this_month, last_month


def test_statistics_gop_y_and_unit_page(sample_site, tmp_path, monkeypatch, now):
    copy = tmp_path / "so-ghi"
    copy.mkdir()
    (copy / "posts.jsonl").write_text("", encoding="utf-8")
    files, this_month, last_month = _records(now)
    for name, text in files.items():
        (copy / name).write_text(text, encoding="utf-8")
    (copy / "listening-2026-01.jsonl").write_text(
        '{"kind":"conversation","unit":"<script>"}\n{not json\n'
    )
    monkeypatch.setenv("LOA_LEDGER_COPY", str(copy))
    sample_site.build(LOA_READ_LEDGER=True)

    stats = sample_site.read("thong-ke/index.html")
    assert "Lắng nghe đoàn viên" in stats
    row = stats.split(f"tháng {this_month.month}/{this_month.year}</caption>")[1].split("</tr>", 2)[
        1
    ]
    cells = [c.split(">", 1)[1].split("<", 1)[0].strip() for c in row.split("<td")[1:]]
    # 6 conversations, 5 answered after 30, 60, 90, 120, 150 minutes; promise 8 h
    assert cells[:3] == ["6", "5", "33 %"]
    assert cells[3].startswith("83 %") and cells[4] == "83 %" and cells[5] == "1 giờ 30 phút"
    small = stats.split(f"tháng {last_month.month}/{last_month.year}</caption>")[1].split(
        "</table>"
    )[0]
    assert "&lt; 5" in small and "2 giờ" not in small
    assert 'href="https://www.facebook.com/100000000000002/posts/777"' in stats
    assert "<script>" not in stats.split("Lắng nghe đoàn viên")[1].split("</section>")[0]

    quarter = sample_site.read(
        f"thong-ke/quy-{this_month.year}-{(this_month.month - 1) // 3 + 1}/index.html"
    )
    assert "Lắng nghe đoàn viên" in quarter

    gop_y = sample_site.read("gop-y/index.html")
    assert (
        "https://m.me/100000000000002" in gop_y and "mailto:congdoan.vanphong@example.org" in gop_y
    )
    assert "<strong>8 giờ</strong>" in gop_y
    assert "Ai đọc:" in gop_y and "13 tháng" in gop_y and "2 ngày làm việc" in gop_y
    # Zalo OA has no API to read its articles' comments: said, not hidden (the unit has an OA).
    assert "chưa được tính vào thời gian trả lời" in gop_y and "Zalo OA chưa được tính" in stats
    assert (
        "Tin nhắn gửi bot Telegram" not in gop_y
    )  # no unit relays its bot (no telegram_admin_chat)
    unit_page = sample_site.read("van-phong-cuc/index.html")
    assert (
        "https://zalo.me/4000000000000000002" in unit_page and "<strong>8 giờ</strong>" in unit_page
    )

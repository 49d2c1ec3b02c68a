"""The *Lắng nghe đoàn viên* part of ``loa report``: the period's months, counts only."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap

from loa.listening.figures import cells, month_label, unanswered_comments
from loa.listening.records import merge, parse_records

COLUMNS = (
    "Đơn vị",
    "Tháng",
    "Cuộc trò chuyện",
    "Đã trả lời",
    "Trong 1 giờ",
    "Trong hẹn",
    "Trong 24 giờ",
    "Trung vị",
)


def section(registry, texts, start: dt.date, end: dt.date, markdown: bool = False) -> str:
    """The section's text ("" when no unit listens): one row per unit and month of [start, end]."""
    units = [u for u in registry.all() if u.listening.configured]
    if not units:
        return ""
    names = {u.slug: u.short_name for u in registry.all()}
    promises = {u.slug: u.listening.promise_hours for u in units}
    first, last = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    records = list(merge(parse_records(texts)).values())
    rows = []
    for cell in cells(records, promises):
        if cell.unit in promises and first <= cell.month <= last:
            s = cell.shown()
            rows.append(
                (
                    names[cell.unit], month_label(cell.month), s["conversations"], s["answered"],
                    s["within_hour"], f"{s['within_promise']} (hẹn {cell.promise_hours:g} giờ)",
                    s["within_day"], s["median"],
                )
            )  # fmt: skip
    title = "Lắng nghe đoàn viên"
    note = "Chỉ đếm cuộc trò chuyện và thời gian tới câu trả lời đầu tiên; tháng dưới 5 cuộc trò chuyện ghi “< 5”."
    if not rows:
        body = "Chưa có số liệu trong kỳ này (ghi hằng ngày bởi “loa listen”)."
    elif markdown:
        body = "\n".join(
            [
                "| " + " | ".join(COLUMNS) + " |",
                "|" + "---|" * len(COLUMNS),
                *(
                    "| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |"
                    for row in rows
                ),
            ]
        )
    else:  # a line per unit and month, wrapped to the terminal: fits any width
        body = "\n".join(
            f"{r[0]}, {r[1]}: {r[2]} cuộc trò chuyện, {r[3]} đã trả lời, trong 1 giờ {r[4]}, "
            f"trong hẹn {r[5]}, trong 24 giờ {r[6]}, trung vị {r[7]}."
            for r in rows
        )
    open_posts = [u for u in unanswered_comments(records) if u.unit in promises]
    posts = "\n".join(
        f"- {names[u.unit]}: {u.count} bình luận chưa trả lời — {u.post}" for u in open_posts
    )
    if markdown:
        return "\n\n".join(p for p in (f"## {title}", note, body, posts) if p)
    width = max(40, shutil.get_terminal_size((100, 24)).columns)
    parts = [title, "=" * len(title), "", note, "", body, "", posts]
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))
        if line
        else ""
        for part in parts
        for line in part.split("\n")
    ).rstrip()

"""The *Lắng nghe đoàn viên* part of ``loa report``: the period's months, counts only.

Every format shows the rows of ``figures.table`` — the same computation the
site's table and ``loa listen``'s summary use: the text (table, Markdown) is
``Cell.shown``, the data (JSON, CSV) ``Cell.published`` next to it. A month
with fewer than 5 conversations is "< 5" everywhere and carries no number.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap

from loa.listening.figures import SMALL, Table, table
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
TITLE = "Lắng nghe đoàn viên"
NOTE = (
    "Chỉ đếm cuộc trò chuyện và thời gian tới câu trả lời đầu tiên; "
    f"tháng dưới {SMALL} cuộc trò chuyện ghi “< {SMALL}”."
)
# The CSV's own columns, after the cadence table's (loa.cadence.report.to_csv).
CSV_COLUMNS = (
    "tháng",
    "hẹn trả lời (giờ)",
    "cuộc trò chuyện",
    "đã trả lời",
    "trong 1 giờ",
    "trong hẹn",
    "trong 24 giờ",
    "trung vị",
    "trung vị (giây)",
    "bài đăng",
    "bình luận chưa trả lời",
)


def period_table(registry, texts, start: dt.date, end: dt.date) -> Table | None:
    """The rows of the months in [start, end] (None when no unit listens)."""
    if not any(u.listening.configured for u in registry.all()):
        return None
    found = table(registry, list(merge(parse_records(texts)).values()))
    first, last = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    found.rows = [r for r in found.rows if first <= r.month <= last]
    return found


def as_json(registry, texts, start: dt.date, end: dt.date) -> dict | None:
    """The ``listening`` member of ``loa report --format json``."""
    found = period_table(registry, texts, start, end)
    if found is None:
        return None
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "note": NOTE,
        "small_cell_under": SMALL,
        "months": [
            {
                "unit": r.unit,
                "name": r.name,
                "month": r.month,
                "promise_hours": r.promise,
                **r.published,
                "shown": r.shown,
            }
            for r in found.rows
        ],
        "unanswered_comments": [
            {
                "unit": u.unit,
                "name": found.names.get(u.unit, u.unit),
                "post": u.post,
                "count": u.count,
            }
            for u in found.unanswered
        ],
    }


def csv_rows(registry, texts, start: dt.date, end: dt.date) -> list[dict]:
    """Rows for ``loa report --format csv``: ``bảng``, ``tên`` and the ``CSV_COLUMNS``."""
    found = period_table(registry, texts, start, end)
    if found is None:
        return []
    out = []
    for r in found.rows:
        median = r.published["median_seconds"]
        out.append(
            {
                "bảng": "lắng nghe",
                "tên": r.name,
                "tháng": r.month,
                "hẹn trả lời (giờ)": f"{r.promise:g}",
                "cuộc trò chuyện": r.shown["conversations"],
                "đã trả lời": r.shown["answered"],
                "trong 1 giờ": r.shown["within_hour"],
                "trong hẹn": r.shown["within_promise"],
                "trong 24 giờ": r.shown["within_day"],
                "trung vị": r.shown["median"],
                "trung vị (giây)": "" if median is None else round(median),
            }
        )
    for u in found.unanswered:
        out.append(
            {
                "bảng": "bình luận chờ trả lời",
                "tên": found.names.get(u.unit, u.unit),
                "bài đăng": u.post,
                "bình luận chưa trả lời": u.count,
            }
        )
    return out


def section(registry, texts, start: dt.date, end: dt.date, markdown: bool = False) -> str:
    """The section's text ("" when no unit listens): one row per unit and month of [start, end]."""
    found = period_table(registry, texts, start, end)
    if found is None:
        return ""
    rows = [
        (
            r.name, r.label, r.shown["conversations"], r.shown["answered"], r.shown["within_hour"],
            f"{r.shown['within_promise']} (hẹn {r.promise:g} giờ)", r.shown["within_day"], r.shown["median"],
        )
        for r in found.rows
    ]  # fmt: skip
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
    posts = "\n".join(
        f"- {found.names.get(u.unit, u.unit)}: {u.count} bình luận chưa trả lời — {u.post}"
        for u in found.unanswered
    )
    if markdown:
        return "\n\n".join(p for p in (f"## {TITLE}", NOTE, body, posts) if p)
    width = max(40, shutil.get_terminal_size((100, 24)).columns)
    parts = [TITLE, "=" * len(TITLE), "", NOTE, "", body, "", posts]
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))
        if line
        else ""
        for part in parts
        for line in part.split("\n")
    ).rstrip()

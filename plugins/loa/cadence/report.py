"""``loa report``: the cadence board and the leaderboards as a table, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass, field

from loa.cadence.definitions import definitions
from loa.cadence.stats import STATUS_VI, Standing, TopPost, UnitWeeks, week_label
from loa.mdtext import destination, escape


@dataclass
class Report:
    """Everything ``loa report`` shows for one period."""

    start: dt.date
    end: dt.date
    units: list[UnitWeeks]
    authors: list[Standing]
    unit_board: list[Standing]
    top_posts: list[TopPost] = field(default_factory=list)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def known(value: int | None, blank: str = "—") -> str:
    """A count, or ``blank`` when the platforms gave none (never shown as 0)."""
    return blank if value is None else str(value)


def channel_summary(post: TopPost) -> str:
    """Each channel's interactions in one line: ``Facebook 40 · X 12``."""
    return " · ".join(f"{c.label} {known(c.interactions)}" for c in post.channels)


def _top_json(post: TopPost) -> dict:
    return {
        "article": post.id,
        "title": post.title,
        "unit": post.unit,
        "authors": list(post.authors),
        "date": post.date.isoformat(),
        "interactions": post.interactions,
        "views": post.views,
        "channels": [asdict(c) for c in post.channels],
    }


def to_json(report: Report, extra: dict | None = None) -> str:
    """Machine-readable; ``extra`` adds top-level members (``loa report``'s listening section)."""
    return json.dumps(
        {
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "units": [
                {
                    "unit": u.slug,
                    "name": u.name,
                    "min_per_week": u.low,
                    "max_per_week": u.high,
                    "streak": u.streak,
                    "missed_weeks": u.missed,
                    "weeks": [
                        {"week": m.isoformat(), "articles": n, "status": s} for m, n, s in u.weeks
                    ],
                }
                for u in report.units
            ],
            "authors": [asdict(s) for s in report.authors],
            "unit_board": [asdict(s) for s in report.unit_board],
            "top_posts": [_top_json(p) for p in report.top_posts],
        }
        | (extra or {}),
        ensure_ascii=False,
        indent=2,
    )


# A cell a spreadsheet would read as a formula starts with one of these (OWASP's CSV
# injection list, https://asvs.emil.hemdal.se/1.2.10 and its tab, carriage return and NUL).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def cell(value):
    """A CSV cell that no spreadsheet evaluates.

    Text that would start a formula (even after spaces) gets a leading
    apostrophe, which spreadsheets take as "this is text".
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) or value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """``csv.writer`` whose every text cell goes through ``cell``; ``pad`` empty cells added."""

    def __init__(self, out, pad: int = 0):
        self._writer = csv.writer(out)
        self._pad = pad

    def writerow(self, row) -> None:
        self._writer.writerow([cell(value) for value in row] + [""] * self._pad)


CSV_HEADER = (
    "bảng",
    "tên",
    "tuần",
    "số bài",
    "trạng thái",
    "tuần hoạt động",
    "tỉ lệ tuần đạt",
    "kênh đã đăng",
    "người theo dõi tăng",
    "lượt tương tác",
    "lượt xem",
    "tuần đạt",
    "tuần thiếu",
    "số tuần",
)


def to_csv(report: Report, extra_columns=(), extra_rows=()) -> str:
    """One CSV with each section's rows, each row naming its table (opens in a spreadsheet).

    ``extra_columns`` are appended to the header; each of ``extra_rows`` is a
    mapping of column names (``bảng``, ``tên`` and the extra ones) to values.
    """
    out = io.StringIO()
    writer = _SafeWriter(out)
    header = [*CSV_HEADER, *extra_columns]
    writer.writerow(header)
    writer = _SafeWriter(out, pad=len(extra_columns))
    for unit in report.units:
        for monday, count, state in unit.weeks:
            writer.writerow(
                [
                    "tuần",
                    unit.name,
                    monday.isoformat(),
                    count,
                    STATUS_VI[state],
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    for s in report.unit_board:
        writer.writerow(
            [
                "đơn vị",
                s.name,
                "",
                s.articles,
                "",
                s.active_weeks,
                _pct(s.on_target_share),
                s.channels_reached,
                "" if s.followers_gained is None else s.followers_gained,
                known(s.interactions, ""),
                known(s.views, ""),
                s.met_weeks,
                s.missed_weeks,
                s.weeks,
            ]
        )
    for s in report.authors:
        writer.writerow(
            [
                "tác giả",
                s.name,
                "",
                s.articles,
                "",
                s.active_weeks,
                "",
                s.channels_reached,
                "",
                known(s.interactions, ""),
                known(s.views, ""),
                "",
                "",
                s.weeks,
            ]
        )
    for p in report.top_posts:
        writer.writerow(
            [
                "bài nổi bật",
                p.title,
                "",
                "",
                "",
                "",
                "",
                len(p.channels),
                "",
                p.interactions,
                known(p.views, ""),
                "",
                "",
                "",
            ]
        )
    plain = _SafeWriter(out)
    for extra in extra_rows:
        plain.writerow([extra.get(name, "") for name in header])
    return out.getvalue()


def _notes(table: str, interactions: bool = False) -> list[str]:
    return ["", *(f"- {sentence}" for sentence in definitions(table, interactions))]


def to_markdown(report: Report) -> str:
    """For a PR comment, an issue or a minute."""
    recent = report.units[0].weeks[-8:] if report.units else []
    lines = [
        f"## Nhịp đăng bài {report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}",
        "",
        "| Đơn vị | Mục tiêu/tuần | Tuần đạt | Tuần thiếu | Chuỗi tuần đạt | "
        + " | ".join(week_label(m) for m, _, _ in recent)
        + " |",
    ]
    lines.append("|---|---|---|---|---|" + "---|" * len(recent))
    for u in report.units:
        cells = " | ".join(f"{n} ({STATUS_VI[s]})" for _, n, s in u.weeks[-8:])
        lines.append(
            f"| {escape(u.name)} | {u.low}–{u.high} | {u.met}/{len(u.weeks)} | {u.missed} | {u.streak} | {cells} |"
        )
    earned = any(s.interactions is not None for s in report.unit_board)
    lines += _notes("weeks")
    lines += [
        "",
        "### Xếp hạng đơn vị",
        "",
        "| # | Đơn vị | Bài | Tuần có bài | Tuần đạt | Tuần thiếu | Kênh đã đăng | Người theo dõi tăng | Lượt tương tác | Lượt xem |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, s in enumerate(report.unit_board, 1):
        lines.append(
            f"| {n} | {escape(s.name)} | {s.articles} | {s.active_weeks}/{s.weeks} | {s.met_weeks}/{s.weeks} ({_pct(s.on_target_share)}) | {s.missed_weeks} | {s.channels_reached} | {'' if s.followers_gained is None else s.followers_gained} | {known(s.interactions)} | {known(s.views)} |"
        )
    lines += _notes("units", earned)
    lines += [
        "",
        "### Xếp hạng tác giả",
        "",
        "| # | Tác giả | Bài | Tuần có bài | Kênh đã đăng | Lượt tương tác |",
        "|---|---|---|---|---|---|",
    ]
    for n, s in enumerate(report.authors, 1):
        lines.append(
            f"| {n} | {escape(s.name)} | {s.articles} | {s.active_weeks}/{s.weeks} | {s.channels_reached} | {known(s.interactions)} |"
        )
    lines += _notes("authors", earned)
    lines += ["", "### Bài được tương tác nhiều nhất", ""]
    if not report.top_posts:
        lines.append("_Chưa có số liệu tương tác trong kỳ._")
    else:
        lines += [
            "| # | Bài | Đơn vị | Lượt tương tác | Lượt xem | Trên các kênh |",
            "|---|---|---|---|---|---|",
        ]
        for n, p in enumerate(report.top_posts, 1):
            links = " · ".join(
                (f"[{escape(c.label)}]({destination(c.url)})" if c.url else escape(c.label))
                + f" {known(c.interactions)}"
                for c in p.channels
            )
            lines.append(
                f"| {n} | {escape(p.title)} | {escape(p.unit)} | {p.interactions} | {known(p.views)} | {links} |"
            )
        lines += _notes("top")
    return "\n".join(lines)


def rich_tables(report: Report) -> list:
    """The report as rich tables (the full-width layout)."""
    from rich.table import Table

    from loa.cadence.textual import has_interactions

    earned = has_interactions(report)

    recent = report.units[0].weeks[-8:] if report.units else []
    table = Table(title=f"Nhịp đăng bài {report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}")
    for column in (
        "Đơn vị",
        "Mục tiêu",
        "Tuần đạt",
        "Tuần thiếu",
        "Chuỗi đạt",
        *(f"{m:%d/%m}" for m, _, _ in recent),
    ):
        table.add_column(column)
    colours = {"below": "red", "within": "green", "above": "cyan"}
    for u in report.units:
        table.add_row(
            u.name,
            f"{u.low}–{u.high}",
            f"{u.met}/{len(u.weeks)}",
            str(u.missed),
            str(u.streak),
            *(f"[{colours[s]}]{n}[/]" for _, n, s in u.weeks[-8:]),
        )
    board = Table(title="Xếp hạng đơn vị")
    for column in (
        "#",
        "Đơn vị",
        "Bài",
        "Tuần có bài",
        "Tuần đạt",
        "Tuần thiếu",
        "Kênh đã đăng",
        "Người theo dõi tăng",
        *(["Lượt tương tác"] if earned else []),
    ):
        board.add_column(column)
    for n, s in enumerate(report.unit_board, 1):
        board.add_row(
            str(n),
            s.name,
            str(s.articles),
            f"{s.active_weeks}/{s.weeks}",
            f"{s.met_weeks}/{s.weeks} ({_pct(s.on_target_share)})",
            str(s.missed_weeks),
            str(s.channels_reached),
            "" if s.followers_gained is None else str(s.followers_gained),
            *([known(s.interactions)] if earned else []),
        )
    authors = Table(title="Xếp hạng tác giả")
    for column in (
        "#",
        "Tác giả",
        "Bài",
        "Tuần có bài",
        "Kênh đã đăng",
        *(["Lượt tương tác"] if earned else []),
    ):
        authors.add_column(column)
    for n, s in enumerate(report.authors[:20], 1):
        authors.add_row(
            str(n),
            s.name,
            str(s.articles),
            f"{s.active_weeks}/{s.weeks}",
            str(s.channels_reached),
            *([known(s.interactions)] if earned else []),
        )
    tables = [table, board, authors]
    if report.top_posts:
        top = Table(title="Bài được tương tác nhiều nhất")
        for column in ("#", "Bài", "Lượt tương tác", "Lượt xem", "Trên các kênh"):
            top.add_column(column)
        for n, p in enumerate(report.top_posts, 1):
            top.add_row(str(n), p.title, str(p.interactions), known(p.views), channel_summary(p))
        tables.append(top)
    return tables


def print_table(report: Report, layout: str = "auto") -> None:
    """The report in a terminal or a log.

    Rich tables when they fit (or ``layout="table"``), else the compact layout of
    ``loa.cadence.textual``, which never cuts a word.
    """
    import os
    import sys

    from rich.console import Console

    from loa.cadence.textual import compact

    console = Console()
    tables = rich_tables(report)
    unbounded = console.options.update_width(10_000)
    fits = all(console.measure(t, options=unbounded).maximum <= console.width for t in tables)
    if layout == "table" or (layout == "auto" and fits):
        from loa.cadence.textual import notes

        earned = any(s.interactions is not None for s in report.unit_board)
        for table, kind in zip(tables, ("weeks", "units", "authors", "top"), strict=False):
            console.print(table)
            for line in notes(kind, console.width, earned and kind != "weeks"):
                console.print(line, markup=False, highlight=False)
        return
    colour = console.is_terminal and not os.environ.get("NO_COLOR")
    sys.stdout.write(compact(report, console.width, colour) + "\n")

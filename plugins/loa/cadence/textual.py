"""``loa report`` in a terminal or a CI log: tables that fit the width, never a word cut.

Rich lays a table out to the terminal and, when it does not fit, cuts cells
with an ellipsis ("Tru…", "12…"). Here a table gets narrower only by wrapping
its text columns between words; the cadence board shows as many recent weeks
as fit, one narrow column each, headed by the ISO week number.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len

from loa.cadence.definitions import definitions
from loa.cadence.stats import ABOVE, BELOW

GAP = 2
_COLOURS = {BELOW: "\x1b[31m", ABOVE: "\x1b[36m"}
_RESET = "\x1b[0m"
_MARKS = {BELOW: "!", ABOVE: "+"}


@dataclass
class Column:
    """A column: its header, right-aligned or not, and whether its text may wrap between words."""

    header: str
    right: bool = False
    wrap: bool = False


def _words_width(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _wrap(text: str, width: int) -> list[str]:
    return (
        textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
        if cell_len(text) > width
        else [text]
    )


def _pad(text: str, width: int, right: bool) -> str:
    room = " " * max(0, width - cell_len(text))
    return room + text if right else text + room


def _tiers(columns: list[Column], rows: list[list[str]]) -> tuple[list[int], list[int], list[int]]:
    """Natural widths; widths with only the headers wrapped; the least (every text cell wrapped)."""
    natural = [
        max([cell_len(c.header), *(cell_len(r[i]) for r in rows)]) for i, c in enumerate(columns)
    ]
    headers_wrapped = [
        max([_words_width(c.header), *(cell_len(r[i]) for r in rows)])
        for i, c in enumerate(columns)
    ]
    least = [
        max([_words_width(c.header), *(_words_width(r[i]) for r in rows)]) if c.wrap else h
        for i, (c, h) in enumerate(zip(columns, headers_wrapped, strict=True))
    ]
    return natural, headers_wrapped, least


def _total(widths: list[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1)


def widths_for(columns: list[Column], rows: list[list[str]], width: int) -> list[int]:
    """Each column's width within ``width``: headers wrap first, then text cells, never mid-word."""
    natural, headers_wrapped, least = _tiers(columns, rows)
    widths = natural[:]
    for floor in (headers_wrapped, least):
        while _total(widths) > width:
            room = [w - f for w, f in zip(widths, floor, strict=True)]
            widest = max(range(len(widths)), key=lambda i: room[i])
            if room[widest] <= 0:
                break  # as narrow as this tier allows
            widths[widest] -= 1
    return widths


def comfortable_width(columns: list[Column], rows: list[list[str]]) -> int:
    """The narrowest this table can be with only its headers wrapped."""
    return _total(_tiers(columns, rows)[1])


def min_width(columns: list[Column], rows: list[list[str]]) -> int:
    """The narrowest this table can be without cutting a word."""
    return _total(_tiers(columns, rows)[2])


def render(
    columns: list[Column],
    rows: list[list[str]],
    width: int,
    paint: Callable[[int, int, str], str] | None = None,
) -> list[str]:
    """The table as lines no wider than ``width`` where words allow; ``paint(row, col, text)`` colours a padded cell."""
    widths = widths_for(columns, rows, width)

    def lines_of(cells: list[str], row: int | None) -> list[str]:
        wrapped = [_wrap(cell, w) for cell, w in zip(cells, widths, strict=True)]
        out = []
        for n in range(max(len(w) for w in wrapped)):
            parts = []
            for i, (lines, column) in enumerate(zip(wrapped, columns, strict=True)):
                text = _pad(lines[n] if n < len(lines) else "", widths[i], column.right)
                parts.append(paint(row, i, text) if paint and row is not None else text)
            out.append((" " * GAP).join(parts).rstrip())
        return out

    header = lines_of([c.header for c in columns], None)
    rule = "─" * (sum(widths) + GAP * (len(widths) - 1))
    body = [line for r, cells in enumerate(rows) for line in lines_of(cells, r)]
    return [*header, rule, *body]


def _title(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, max(20, width), break_long_words=False, break_on_hyphens=False)


def cadence_lines(report, width: int, colour: bool = False) -> list[str]:
    """One row per unit: target, streak, missed weeks, then a count per recent week."""
    units = report.units
    lines = _title(
        f"Nhịp đăng bài {report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}: số bài mỗi tuần "
        "(! dưới mục tiêu, + vượt mục tiêu)",
        width,
    )
    if not units:
        return [*lines, "Chưa có đơn vị nào."]
    fixed = [
        Column("Đơn vị", wrap=True),
        Column("Mục tiêu", wrap=True),
        Column("Chuỗi đạt", right=True, wrap=True),
        Column("Tuần thiếu", right=True, wrap=True),
    ]
    # Weeks met are on the units' board below; here the room goes to the weeks.
    base = [[u.name, f"{u.low}–{u.high}", str(u.streak), str(u.missed)] for u in units]
    weeks = units[0].weeks
    shown = len(weeks)
    # Fewer weeks before names wrap (down to a month), then fewer weeks before words break.
    while shown > min(4, len(weeks)):
        if comfortable_width(*_with_weeks(fixed, base, units, shown)) <= width:
            break
        shown -= 1
    while shown > 1 and min_width(*_with_weeks(fixed, base, units, shown)) > width:
        shown -= 1
    columns, rows = _with_weeks(fixed, base, units, shown)
    states = [[s for _, _, s in u.weeks[-shown:]] for u in units] if shown else []

    def paint(row: int, col: int, text: str) -> str:
        week = col - len(fixed)
        if not colour or week < 0:
            return text
        code = _COLOURS.get(states[row][week])
        return f"{code}{text}{_RESET}" if code else text

    lines += render(columns, rows, width, paint)
    if shown:
        first, last = weeks[-shown][0], weeks[-1][0]
        lines += _title(
            f"Cột tuần: số tuần ISO — tuần {first.isocalendar()[1]} bắt đầu {first:%d/%m/%Y}, "
            f"tuần {last.isocalendar()[1]} bắt đầu {last:%d/%m/%Y}"
            + (f" ({shown}/{len(weeks)} tuần gần nhất vừa khung)." if shown < len(weeks) else "."),
            width,
        )
    return [*lines, *notes("weeks", width)]


def _with_weeks(fixed, base, units, shown: int) -> tuple[list[Column], list[list[str]]]:
    weeks = units[0].weeks[-shown:] if shown else []
    columns = [*fixed, *(Column(f"{m.isocalendar()[1]:02d}", right=True) for m, _, _ in weeks)]
    rows = [
        [*cells, *(f"{n}{_MARKS.get(s, '')}" for _, n, s in u.weeks[-shown:])] if shown else cells
        for cells, u in zip(base, units, strict=True)
    ]
    return columns, rows


def _pct(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def board_lines(report, width: int) -> list[str]:
    """The units' and the authors' leaderboards (interactions when the ledger has any)."""
    earned = has_interactions(report)
    units = render(
        [
            Column("#", right=True),
            Column("Đơn vị", wrap=True),
            Column("Bài", right=True),
            Column("Tuần có bài", right=True, wrap=True),
            Column("Tuần đạt", right=True, wrap=True),
            Column("Kênh đã đăng", right=True, wrap=True),
            Column("Người theo dõi tăng", right=True, wrap=True),
            *([Column("Lượt tương tác", right=True, wrap=True)] if earned else []),
        ],
        [
            [
                str(n),
                s.name,
                str(s.articles),
                f"{s.active_weeks}/{s.weeks}",
                f"{s.met_weeks}/{s.weeks}",  # missed weeks: in the cadence table above
                str(s.channels_reached),
                "" if s.followers_gained is None else str(s.followers_gained),
                *([_known(s.interactions)] if earned else []),
            ]
            for n, s in enumerate(report.unit_board, 1)
        ],
        width,
    )
    authors = render(
        [
            Column("#", right=True),
            Column("Tác giả", wrap=True),
            Column("Bài", right=True),
            Column("Tuần có bài", right=True, wrap=True),
            Column("Kênh đã đăng", right=True, wrap=True),
            *([Column("Lượt tương tác", right=True, wrap=True)] if earned else []),
        ],
        [
            [
                str(n),
                s.name,
                str(s.articles),
                f"{s.active_weeks}/{s.weeks}",
                str(s.channels_reached),
                *([_known(s.interactions)] if earned else []),
            ]
            for n, s in enumerate(report.authors[:20], 1)
        ],
        width,
    )
    top = []
    if report.top_posts:
        top = [
            "",
            "Bài được tương tác nhiều nhất",
            *render(
                [
                    Column("#", right=True),
                    Column("Bài", wrap=True),
                    Column("Lượt tương tác", right=True, wrap=True),
                    Column("Trên các kênh", wrap=True),
                ],
                [
                    [
                        str(n),
                        p.title,
                        str(p.interactions),
                        " · ".join(f"{c.label} {_known(c.interactions)}" for c in p.channels),
                    ]
                    for n, p in enumerate(report.top_posts, 1)
                ],
                width,
            ),
        ]
    return [
        "Xếp hạng đơn vị",
        *units,
        *notes("units", width, earned),
        "",
        "Xếp hạng tác giả",
        *(authors if report.authors else ["Chưa có bài nào trong kỳ."]),
        *(notes("authors", width, earned) if report.authors else []),
        *top,
    ]


def notes(table: str, width: int, interactions: bool = False) -> list[str]:
    """The definitions of a table's figures, one sentence each, wrapped to ``width``."""
    out = []
    for sentence in definitions(table, interactions):
        out += textwrap.wrap(
            f"- {sentence}",
            max(20, width),
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    return out


def has_interactions(report) -> bool:
    """Whether any unit has a known interaction count (else the column is left out)."""
    return any(s.interactions is not None for s in report.unit_board)


def _known(value: int | None) -> str:
    return "—" if value is None else str(value)


def compact(report, width: int, colour: bool = False) -> str:
    """The whole report, fitted to ``width`` columns."""
    return "\n".join([*cadence_lines(report, width, colour), "", *board_lines(report, width)])

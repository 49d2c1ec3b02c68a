"""The cadence board against numbers this test computes on its own, on a generated corpus."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from loa.cadence import (
    Record,
    author_board,
    period_bounds,
    published,
    unit_board,
    unit_weeks,
    week_start,
    weeks_between,
)
from loa.units import parse
from rich.cells import cell_len

from tests.cli.test_cli import loa
from tests.conftest import UNITS_YML, article

VN = ZoneInfo("Asia/Ho_Chi_Minh")
REGISTRY = parse(UNITS_YML)
TODAY = dt.date(2026, 11, 26)  # a Thursday
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=VN)

pytestmark = pytest.mark.clock


@pytest.mark.parametrize(
    ("moment", "monday"),
    [
        (
            dt.datetime(2026, 11, 29, 23, 30, tzinfo=VN),
            dt.date(2026, 11, 23),
        ),  # Sunday 23:30 stays in its week
        (
            dt.datetime(2026, 11, 30, 0, 30, tzinfo=VN),
            dt.date(2026, 11, 30),
        ),  # Monday 00:30 starts the next
        (
            dt.datetime(2026, 11, 29, 17, 30, tzinfo=dt.UTC),
            dt.date(2026, 11, 30),
        ),  # = Monday 00:30 in Vietnam
        (
            dt.datetime(2026, 11, 29, 16, 30, tzinfo=dt.UTC),
            dt.date(2026, 11, 23),
        ),  # = Sunday 23:30 in Vietnam
        (dt.datetime(2027, 1, 1, 8, 0, tzinfo=VN), dt.date(2026, 12, 28)),  # ISO week 53 of 2026
    ],
)
def test_iso_weeks_are_cut_in_vietnam_time(moment, monday):
    assert week_start(moment) == monday


def corpus(seed: int = 7, weeks: int = 10) -> list[Record]:
    rng = random.Random(seed)
    records = []
    start = week_start(TODAY) - dt.timedelta(weeks=weeks - 1)
    authors = ["An", "Bình", "Cúc", "Dũng"]
    for w in range(weeks):
        for unit in ("cuc", "don-vi-a", "don-vi-b"):
            for n in range(rng.choice([0, 1, 2, 3, 5])):
                day = start + dt.timedelta(weeks=w, days=rng.randint(0, 6))
                moment = dt.datetime(
                    day.year, day.month, day.day, rng.randint(0, 23), 30, tzinfo=VN
                )
                people = tuple(rng.sample(authors, rng.choice([1, 1, 2])))
                records.append(Record(f"/{unit}/{w}-{n}/", unit, moment, people))
    return records


def test_weekly_counts_status_streak_and_missed_match_an_independent_count():
    records = published(corpus(), NOW)
    start = week_start(TODAY) - dt.timedelta(weeks=9)
    rows = {r.slug: r for r in unit_weeks(records, REGISTRY, start, TODAY, TODAY)}
    for unit in REGISTRY.all():
        expected = Counter()
        for r in records:
            if r.unit == unit.slug:
                local = r.date.astimezone(VN).date()
                expected[local - dt.timedelta(days=local.weekday())] += 1
        row = rows[unit.slug]
        assert [(m, n) for m, n, _ in row.weeks] == [
            (start + dt.timedelta(weeks=w), expected[start + dt.timedelta(weeks=w)])
            for w in range(10)
        ]
        low, high = unit.cadence.min_per_week, unit.cadence.max_per_week
        for _, n, state in row.weeks:
            assert state == ("below" if n < low else "above" if n > high else "within")
        past = [n for m, n, _ in row.weeks if m < week_start(TODAY)]
        assert row.missed == sum(1 for n in past if n < low)
        streak = 0
        this_week = row.weeks[-1][1]
        sequence = past[::-1] if this_week < low else [this_week, *past[::-1]]
        for n in sequence:
            if n < low:
                break
            streak += 1
        assert row.streak == streak


def test_drafts_and_future_articles_never_count():
    future = Record("/cuc/sau/", "cuc", NOW + dt.timedelta(hours=1), ("An",))
    assert published([future], NOW) == []


def test_author_board_counts_coauthored_articles_for_each_author():
    records = published(corpus(), NOW)
    start, end = period_bounds("quarter", TODAY)
    board = {s.name: s for s in author_board(records, start, end)}
    for name in ("An", "Bình", "Cúc", "Dũng"):
        mine = [
            r for r in records if name in r.authors and start <= r.date.astimezone(VN).date() <= end
        ]
        assert board[name].articles == len(mine)
        assert board[name].active_weeks == len({week_start(r.date) for r in mine})
    ranked = author_board(records, start, end)
    assert [s.articles for s in ranked] == sorted((s.articles for s in ranked), reverse=True)


def test_unit_board_share_of_weeks_on_target():
    records = published(corpus(), NOW)
    start, end = period_bounds("month", TODAY)
    board = {s.unit: s for s in unit_board(records, REGISTRY, start, end, TODAY)}
    for unit in REGISTRY.all():
        weeks = [
            week_start(start) + dt.timedelta(weeks=w)
            for w in range((week_start(TODAY) - week_start(start)).days // 7 + 1)
        ]
        counts = Counter(
            week_start(r.date)
            for r in records
            if r.unit == unit.slug and start <= r.date.astimezone(VN).date() <= end
        )
        low = unit.cadence.min_per_week
        # Every week of the period so far is in the share, the week in progress too (one N
        # for "weeks with a post" and "weeks on target", units and authors alike).
        met = sum(1 for w in weeks if counts[w] >= low)
        assert board[unit.slug].on_target_share == pytest.approx(met / len(weeks))
        assert (board[unit.slug].met_weeks, board[unit.slug].weeks) == (met, len(weeks))
        assert board[unit.slug].missed_weeks == sum(
            1 for w in weeks if counts[w] < low and w < week_start(TODAY)
        )
        assert board[unit.slug].active_weeks == sum(1 for w in weeks if counts[w])
        assert board[unit.slug].articles == sum(counts.values())


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("week", "2026-11-23", "2026-11-29"),
        ("month", "2026-11-01", "2026-11-30"),
        ("quarter", "2026-10-01", "2026-12-31"),
        ("year", "2026-01-01", "2026-12-31"),
    ],
)
def test_periods(period, first, last):
    assert period_bounds(period, TODAY) == (
        dt.date.fromisoformat(first),
        dt.date.fromisoformat(last),
    )


def test_report_command_formats(site, now):
    days = [now - dt.timedelta(days=n) for n in range(3)]
    for n, day in enumerate(days):
        site.write(
            f"articles/don-vi-a/{day:%Y-%m-%d}-bai-{n}.md",
            article(
                title=f"Bài {n}",
                date=day.strftime("%Y-%m-%d %H:%M"),
                author=None,
                authors="[An, Bình]",
            ),
        )
    site.write(
        "articles/don-vi-a/2026-01-01-nhap.md",
        article(title="Nháp", status="draft", date=now.strftime("%Y-%m-%d")),
    )
    # The month in progress holds those of the three days that fall in it (on the
    # 1st of a month, only today's article).
    this_month = sum(1 for day in days if (day.year, day.month) == (now.year, now.month))
    data = json.loads(
        loa("report", "--format", "json", "--no-ledger", "--period", "month", cwd=site.root).stdout
    )
    assert {a["name"]: a["articles"] for a in data["authors"]} == {
        "An": this_month,
        "Bình": this_month,
    }
    rows = list(
        csv.reader(
            io.StringIO(loa("report", "--format", "csv", "--no-ledger", cwd=site.root).stdout)
        )
    )
    assert rows[0][0] == "bảng" and any(r[0] == "tác giả" and r[1] == "An" for r in rows)
    markdown = loa("report", "--format", "markdown", "--no-ledger", cwd=site.root).stdout
    assert "### Xếp hạng đơn vị" in markdown
    table = loa("report", "--no-ledger", cwd=site.root)
    assert table.returncode == 0 and "Xếp hạng tác giả" in table.stdout
    bad = loa("report", "--since", "hôm qua", cwd=site.root)
    assert bad.returncode == 2 and "2026-10-01" in bad.stderr


def clock_corpus(site, now: dt.datetime) -> list[dt.datetime]:
    """Articles of don-vi-a around the pinned clock; one written in UTC at ten past midnight in
    Vietnam (still the day before in UTC), one an hour ahead (not published yet)."""
    midnight = min(now, now.replace(hour=0, minute=10, second=0))
    moments = [now, midnight, now - dt.timedelta(days=2, hours=5), now - dt.timedelta(days=9)]
    for n, moment in enumerate([*moments, now + dt.timedelta(hours=1)]):
        site.write(
            f"articles/don-vi-a/2026-01-01-bai-{n}.md",
            article(
                title=f"Bài {n}", date=moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            ),
        )
    return moments


def test_report_counts_weeks_and_months_in_vietnam_time_at_the_clock(site, now):
    moments = clock_corpus(site, now)
    for period in ("week", "month", "quarter", "year"):
        start, end = period_bounds(period, now.date())
        data = json.loads(
            loa(
                "report", "--format", "json", "--no-ledger", "--period", period, cwd=site.root
            ).stdout
        )
        assert (data["from"], data["to"]) == (start.isoformat(), end.isoformat())
        row = next(u for u in data["units"] if u["unit"] == "don-vi-a")
        expected = Counter(
            week_start(m) for m in moments if start <= m.astimezone(VN).date() <= end
        )
        assert {w["week"]: w["articles"] for w in row["weeks"] if w["articles"]} == {
            monday.isoformat(): n for monday, n in expected.items()
        }, (period, now.isoformat())
        assert row["weeks"][-1]["week"] == week_start(min(end, now.date())).isoformat()


def test_statistics_page_shows_the_week_and_quarter_of_the_clock(site, now):
    moments = clock_corpus(site, now)
    from bs4 import BeautifulSoup

    out = site.build()
    page = BeautifulSoup(
        (out / "thong-ke" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    year, quarter = now.year, (now.month - 1) // 3 + 1
    assert f"Quý {quarter}/{year}" in page.get_text(" ")
    assert (out / "thong-ke" / f"quy-{year}-{quarter}" / "index.html").exists()
    caption = next(c for c in page.find_all("caption") if "CĐCS A" in c.get_text())
    rows = [
        [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in caption.find_parent("table").select("tbody tr")
    ]
    this_week = week_start(now)
    assert rows[-1][0] == this_week.strftime("%d/%m/%Y")
    # The charts' tables show the quarter's weeks (the boards' period), each counting the
    # quarter's articles only (figures.DEFINITIONS["articles"]): on 1 January the week
    # that began on 28 December counts the new year's days alone.
    quarter_start = dt.date(year, 3 * quarter - 2, 1)
    assert int(rows[-1][1]) == sum(
        1
        for m in moments
        if week_start(m) == this_week and m.astimezone(VN).date() >= quarter_start
    )
    # Last week's row only when it holds a day of this quarter.
    if this_week - dt.timedelta(weeks=1) >= week_start(quarter_start):
        assert int(rows[-2][1]) == sum(
            1
            for m in moments
            if week_start(m) == this_week - dt.timedelta(weeks=1)
            and m.astimezone(VN).date() >= quarter_start
        )
    assert len(rows) == len(weeks_between(quarter_start, now.date()))


@pytest.mark.parametrize("columns", [80, 60])
def test_report_fits_a_narrow_terminal_without_cutting_a_word(sample_site, columns, now):
    env = {"COLUMNS": str(columns)}
    result = loa("report", "--no-ledger", cwd=sample_site.root, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= columns for line in lines), max(lines, key=cell_len)
    assert "…" not in result.stdout, "no cell cut"
    words = result.stdout.split()
    registry = parse((sample_site.content / "units.yml").read_text(encoding="utf-8"))
    for unit in registry.all():
        name = unit.short_name.split()
        starts = [i for i, w in enumerate(words) if w == name[0]]
        assert any(words[i : i + len(name)] == name for i in starts), unit.short_name
    header = next(line for line in lines if line.startswith("Đơn vị"))
    shown = [int(w) for w in header.split() if w.isdigit()]
    assert shown and shown[-1] == now.date().isocalendar()[1], "the week in progress is shown"
    wide = loa("report", "--no-ledger", cwd=sample_site.root, env={"COLUMNS": "250"})
    assert "┃" in wide.stdout, "the full table when there is room"

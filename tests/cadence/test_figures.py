"""The figures agree everywhere: /thong-ke/, its printable quarter, the charts and ``loa report``
(JSON, CSV, Markdown) show the same number for every unit and author, on generated articles
and ledgers — and each number is the one this test counts on its own.

What the test counts (the definitions the page prints under each table):
an article counts when it is published by now, not a draft and not an unfinished ``loa
new`` file; the period's weeks are the ISO weeks (Vietnam time) holding a day of the
quarter, up to the week in progress; a week met the target with at least the unit's
minimum; a missed week is over and below it; an author is a name on a counted article.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from loa.cadence import DEFINITIONS, period_bounds, week_start, weeks_between
from loa.frontmatter.template import BODY
from loa.ledger import POSTED, SIGNING_KEY_ENV, Entry, Ledger, Trust, export
from loa.units import parse

from tests.cli.test_cli import loa
from tests.conftest import NOW, UNITS_YML, SiteMaker, article
from tests.ledgerkeys import SigningKey

pytestmark = pytest.mark.clock

REGISTRY = parse(UNITS_YML)
NAMES = {u.slug: u.short_name for u in REGISTRY.all()}
AUTHORS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Cúc"]
CHANNELS = [("telegram", "@cuc_thu"), ("facebook", "100000000001"), ("x", "tai_khoan")]
KINDS = ("published", "published", "published", "draft", "unfinished", "future")

articles_strategy = st.lists(
    st.tuples(
        st.sampled_from(sorted(NAMES)),
        st.integers(0, 110),  # days before now
        st.integers(0, 23),  # hour
        st.sets(st.sampled_from(AUTHORS), min_size=1, max_size=2),
        st.sampled_from(KINDS),
        st.sets(st.integers(0, len(CHANNELS) - 1), max_size=3),  # posted to
    ),
    min_size=1,
    max_size=14,
)


def write_site(root: Path, generated, now: dt.datetime):
    """The generated articles as files; the posts the ledger records; what this test expects."""
    site = SiteMaker(root)
    entries, written = [], []
    for n, (unit, days, hour, people, kind, posted) in enumerate(generated):
        moment = (now - dt.timedelta(days=days)).replace(hour=hour, minute=7, second=0)
        if kind == "future":
            moment = now + dt.timedelta(hours=1 + hour)
        if moment > now and kind != "future":
            moment = now - dt.timedelta(minutes=1)
        extra = {"status": "draft"} if kind == "draft" else {}
        site.write(
            f"articles/{unit}/2026-01-01-bai-{n}.md",
            article(
                title=f"Bài số {n}",
                date=moment.isoformat(),
                author=None,
                authors="[" + ", ".join(sorted(people)) + "]",
                body=BODY if kind == "unfinished" else f"Nội dung bài số {n}.",
                **extra,
            ),
        )
        written.append((f"/{unit}/bai-{n}/", unit, moment, sorted(people), kind))
        if kind == "published":
            for index in sorted(posted):
                channel, account = CHANNELS[index]
                entries.append(
                    Entry(f"/{unit}/bai-{n}/", channel, account, POSTED, time=now.isoformat())
                )
    return site, entries, written


def expected(written, entries, now: dt.datetime) -> dict:
    """Every figure of the current quarter, counted here from the definitions."""
    today = now.date()
    start, end = period_bounds("quarter", today)
    weeks = weeks_between(start, today)
    counted = [
        w
        for w in written
        if w[4] == "published" and w[2] <= now and start <= w[2].astimezone(NOW.tzinfo).date()
    ]
    reached = defaultdict(set)
    for e in entries:
        reached[e.article].add((e.channel, e.account))
    units = {}
    for unit in REGISTRY.all():
        mine = [w for w in counted if w[1] == unit.slug]
        per_week = Counter(week_start(w[2]) for w in mine)
        low = unit.cadence.min_per_week
        met = [m for m in weeks if per_week[m] >= low]
        missed = [m for m in weeks if per_week[m] < low and m < week_start(today)]
        streak = 0
        for monday in reversed(weeks):
            if per_week[monday] >= low:
                streak += 1
            elif monday != week_start(today):
                break
        units[unit.short_name] = {
            "articles": len(mine),
            "active": sum(1 for m in weeks if per_week[m]),
            "met": len(met),
            "missed": len(missed),
            "streak": streak,
            "weeks": len(weeks),
            "channels": len(set().union(*(reached[w[0]] for w in mine))) if mine else 0,
        }
    authors = {}
    for name in AUTHORS:
        mine = [w for w in counted if name in w[3]]
        if mine:
            authors[name] = {
                "articles": len(mine),
                "active": len({week_start(w[2]) for w in mine}),
                "weeks": len(weeks),
                "channels": len(set().union(*(reached[w[0]] for w in mine))),
            }
    return {"units": units, "authors": authors, "start": start, "end": end}


def cells(table) -> list[dict[str, str]]:
    """A table's body rows as {column header: text}."""
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    return [
        dict(zip(headers, (c.get_text(strip=True) for c in tr.find_all(["th", "td"])), strict=True))
        for tr in table.select("tbody tr")
    ]


def table_after(page, caption: str):
    return next(
        c for c in page.find_all("caption") if c.get_text().startswith(caption)
    ).find_parent("table")


def from_page(path: Path) -> dict:
    """The figures a reader sees on a statistics page (boards, and the charts when present)."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    units = {}
    for row in cells(table_after(page, "Xếp hạng đơn vị")):
        met, weeks = re.fullmatch(r"(\d+)/(\d+) \(\d+%\)", row["Tuần đạt"]).groups()
        active, weeks_again = row["Tuần có bài"].split("/")
        assert weeks == weeks_again
        units[row["Đơn vị"]] = {
            "articles": int(row["Số bài"]),
            "active": int(active),
            "met": int(met),
            "missed": int(row["Tuần thiếu"]),
            "weeks": int(weeks),
            "channels": int(row["Kênh đã đăng"]),
        }
    authors = {}
    board = page.find("caption", string=re.compile("^Tác giả"))
    for row in cells(board.find_parent("table")) if board else []:
        active, weeks = row["Tuần có bài"].split("/")
        authors[row["Tác giả"]] = {
            "articles": int(row["Số bài"]),
            "active": int(active),
            "weeks": int(weeks),
            "channels": int(row["Kênh đã đăng"]),
        }
    charts = {}
    for figure in page.select("figure.stat"):
        name = figure.select_one(".unit-name")
        if name is None:
            continue
        text = figure.figcaption.get_text(" ", strip=True)
        met, weeks = map(int, re.search(r"tuần đạt (\d+)/(\d+)", text).groups())
        bars = [r for r in figure.svg.find_all("rect") if r.get("fill") != "#dff0e3"]
        week_rows = figure.select("tbody tr")
        charts[name.get_text(strip=True)] = {
            "met": met,
            "weeks": weeks,
            "missed": int(re.search(r"tuần thiếu (\d+)", text).group(1)),
            "streak": int(re.search(r"chuỗi tuần đạt (\d+)", text).group(1)),
            "bars": len(bars),
            "table_weeks": len(week_rows),
            "articles": sum(int(tr.find_all("td")[1].get_text()) for tr in week_rows),
        }
    definitions = {li.get_text(strip=True) for li in page.select("ul.definitions li")}
    return {"units": units, "authors": authors, "charts": charts, "definitions": definitions}


def from_report(root: Path, env: dict) -> dict:
    """The same figures from ``loa report`` in JSON, CSV and Markdown."""
    data = json.loads(loa("report", "--format", "json", cwd=root, env=env).stdout)
    units = {
        s["name"]: {
            "articles": s["articles"],
            "active": s["active_weeks"],
            "met": s["met_weeks"],
            "missed": s["missed_weeks"],
            "weeks": s["weeks"],
            "channels": s["channels_reached"],
        }
        for s in data["unit_board"]
    }
    streaks = {u["name"]: u["streak"] for u in data["units"]}
    authors = {
        s["name"]: {
            "articles": s["articles"],
            "active": s["active_weeks"],
            "weeks": s["weeks"],
            "channels": s["channels_reached"],
        }
        for s in data["authors"]
    }
    rows = list(
        csv.DictReader(io.StringIO(loa("report", "--format", "csv", cwd=root, env=env).stdout))
    )
    csv_units = {
        r["tên"]: {
            "articles": int(r["số bài"]),
            "active": int(r["tuần hoạt động"]),
            "met": int(r["tuần đạt"]),
            "missed": int(r["tuần thiếu"]),
            "weeks": int(r["số tuần"]),
            "channels": int(r["kênh đã đăng"]),
        }
        for r in rows
        if r["bảng"] == "đơn vị"
    }
    csv_authors = {
        r["tên"]: {
            "articles": int(r["số bài"]),
            "active": int(r["tuần hoạt động"]),
            "weeks": int(r["số tuần"]),
            "channels": int(r["kênh đã đăng"]),
        }
        for r in rows
        if r["bảng"] == "tác giả"
    }
    markdown = loa("report", "--format", "markdown", cwd=root, env=env).stdout
    return {
        "json": (units, authors, streaks),
        "csv": (csv_units, csv_authors),
        "markdown": markdown,
        "range": (data["from"], data["to"]),
    }


def check_agreement(root: Path, written, entries, remote: Path, now: dt.datetime) -> None:
    truth = expected(written, entries, now)
    env = {"LOA_LEDGER_REMOTE": str(remote)}
    report = from_report(root, env)
    assert report["range"] == (truth["start"].isoformat(), truth["end"].isoformat())
    units, authors, streaks = report["json"]
    without_streak = {
        k: {f: v for f, v in u.items() if f != "streak"} for k, u in truth["units"].items()
    }
    assert units == without_streak, json.dumps([units, without_streak], ensure_ascii=False)
    assert streaks == {k: u["streak"] for k, u in truth["units"].items()}
    assert authors == truth["authors"]
    assert report["csv"] == (without_streak, truth["authors"])
    for name, u in truth["units"].items():
        assert (
            f"| {name} | {u['articles']} | {u['active']}/{u['weeks']} | {u['met']}/{u['weeks']} "
            in report["markdown"]
        ), name
    for name, a in truth["authors"].items():
        assert f"| {name} | {a['articles']} | {a['active']}/{a['weeks']} |" in report["markdown"]

    copy = root / "ledger-copy"
    with Ledger(remote=str(remote), trust=Trust(root / ".github" / "ledger-signers")) as ledger:
        ledger.refresh()
        export(ledger, copy)
    os.environ["LOA_LEDGER_COPY"] = str(copy)
    try:
        out = SiteMaker.__new__(SiteMaker)
        out.root, out.content, out.output = root, root / "content", root / "output"
        out.build(LOA_READ_LEDGER=True)
    finally:
        os.environ.pop("LOA_LEDGER_COPY")
    quarter = (truth["start"].month - 1) // 3 + 1
    for page_path in (
        root / "output" / "thong-ke" / "index.html",
        root / "output" / "thong-ke" / f"quy-{truth['start'].year}-{quarter}" / "index.html",
    ):
        page = from_page(page_path)
        assert page["units"] == without_streak, page_path
        assert page["authors"] == truth["authors"], page_path
        assert {DEFINITIONS["met_weeks"], DEFINITIONS["articles"]} <= page["definitions"]
    charts = from_page(root / "output" / "thong-ke" / "index.html")["charts"]
    assert charts == {
        name: {
            "met": u["met"],
            "weeks": u["weeks"],
            "missed": u["missed"],
            "streak": u["streak"],
            "bars": u["weeks"],
            "table_weeks": u["weeks"],
            "articles": u["articles"],
        }
        for name, u in truth["units"].items()
    }


@pytest.fixture
def signing_key(tmp_path, monkeypatch) -> SigningKey:
    key = SigningKey.make(tmp_path / "khoa")
    monkeypatch.setenv(SIGNING_KEY_ENV, key.private)
    return key


@settings(
    max_examples=int(os.environ.get("LOA_FIGURES_EXAMPLES", "6")),
    deadline=None,
    # Each example builds a site: no shrinking (minutes); the failing example is printed whole.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=articles_strategy)
def test_page_report_and_charts_agree_on_every_number(generated, now, signing_key):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        site, entries, written = write_site(root, generated, now)
        # The deploy's signing key: public half in the site, private half in the environment.
        signers = signing_key.install(root)
        remote = Path(folder) / "ledger.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
        with Ledger(remote=str(remote), trust=Trust(signers)) as ledger:
            ledger.refresh()
            if entries:
                ledger.append(entries, "posts")
        check_agreement(site.root, written, entries, remote, now)


def test_an_unfinished_loa_new_file_counts_nowhere(site, now):
    """The issue's case: a file ``loa new`` left unwritten sat in both rankings."""
    assert loa("new", "--unit", "don-vi-a", "--title", "Hội thao", "--author", "Người Mới",
               cwd=site.root).returncode == 0  # fmt: skip
    data = json.loads(loa("report", "--format", "json", "--no-ledger", cwd=site.root).stdout)
    assert data["authors"] == []
    assert {s["unit"]: s["articles"] for s in data["unit_board"]}["don-vi-a"] == 0
    out = site.build()
    page = from_page(out / "thong-ke" / "index.html")
    assert page["authors"] == {} and page["units"]["CĐCS A"]["articles"] == 0


FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


def test_report_csv_never_writes_a_formula_cell(site, now):
    """OWASP's CSV injection: a cell a spreadsheet would evaluate starts with = + - @ tab CR."""
    # Unit names with formula characters are refused by the registry check (issue 33):
    # titles and authors are what a contributor controls here.
    site.units(UNITS_YML)
    for n, name in enumerate(FORMULAS):
        site.write(
            f"articles/don-vi-a/2026-01-01-bai-{n}.md",
            article(
                title=json.dumps(name),
                date=(now - dt.timedelta(minutes=5 + n)).isoformat(),
                author=json.dumps(name),
            ),
        )
    result = loa("report", "--format", "csv", "--no-ledger", cwd=site.root)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    names = {row[1] for row in rows[1:]}
    for row in rows:
        for value in row:
            assert not value.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), row
    # Nothing is lost: the apostrophe is what a spreadsheet hides.
    shown = {name.removeprefix("'") for name in names}
    assert {n.strip() for n in FORMULAS} <= {n.strip() for n in shown}

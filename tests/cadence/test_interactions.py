"""Interactions in the rewards tables: computed here from a generated ledger, matched by
``loa report`` and by the printable quarter page.

The rule the test writes down on its own: a post counts with its latest
snapshot; an article's interactions are the reactions, comments and shares of
those snapshots (the ones a platform gave); a unit or an author with no known
count shows "—", never 0; co-authored articles count for each author.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
from collections import defaultdict

import pytest
from bs4 import BeautifulSoup
from loa.cadence import period_bounds
from loa.ledger import POSTED, SIGNING_KEY_ENV, Entry, InteractionSnapshot, Ledger, Trust, export

from tests.cli.test_cli import loa
from tests.conftest import article
from tests.ledgerkeys import SigningKey

pytestmark = pytest.mark.clock

CHANNELS = [
    ("facebook", "100000000001"),
    ("x", "tai_khoan_1"),
    ("telegram", "-100100000001"),
    ("threads", "25900000000000001"),
]
HOSTS = {
    "facebook": "www.facebook.com",
    "x": "x.com",
    "telegram": "t.me",
    "threads": "www.threads.com",
}
AUTHORS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Cúc", "Phạm Dũng"]
UNITS = ("cuc", "don-vi-a", "don-vi-b")


def previous_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    start, _ = period_bounds("quarter", today)
    return period_bounds("quarter", start - dt.timedelta(days=1))


def _trust(site) -> Trust:
    """The site's signers file (the key is in the environment: ``signed`` fixture)."""
    return Trust(site.root / ".github" / "ledger-signers")


@pytest.fixture
def signed(site, tmp_path, monkeypatch):
    """The deploy's signing key: its public half in the site, its private half in the environment."""
    key = SigningKey.make(tmp_path / "khoa")
    key.install(site.root)
    monkeypatch.setenv(SIGNING_KEY_ENV, key.private)
    return key


def generate(site, remote, now: dt.datetime, seed: int = 11):
    """Articles in the previous quarter and one before it; posts and snapshots on the ledger."""
    rng = random.Random(seed)
    start, end = previous_quarter(now.date())
    days = (end - start).days
    written = []
    for n in range(18):
        unit = rng.choice(UNITS[:2]) if n % 6 else "don-vi-b"
        day = start + dt.timedelta(days=rng.randint(0, days)) if n else start - dt.timedelta(days=3)
        people = rng.sample(AUTHORS, rng.choice([1, 1, 2]))
        slug = f"bai-{n}"
        site.write(
            f"articles/{unit}/{day:%Y-%m-%d}-{slug}.md",
            article(
                title=f"Bài số {n} của {unit}",
                date=f"{day:%Y-%m-%d} 09:00",
                author=None,
                authors="[" + ", ".join(people) + "]",
            ),
        )
        written.append((f"/{unit}/{slug}/", unit, day, tuple(people)))
    entries, snaps = [], []
    base = dt.datetime(start.year, start.month, start.day, 12, tzinfo=dt.UTC)
    for index, (article_id, unit, _day, _people) in enumerate(written):
        # Unit B is on Telegram only: no count is ever known for it ("—", not 0).
        chosen = [CHANNELS[2]] if unit == "don-vi-b" else rng.sample(CHANNELS, rng.randint(0, 4))
        for channel, account in chosen:
            remote_id = f"{index}{len(entries)}"
            entries.append(
                Entry(
                    article_id,
                    channel,
                    account,
                    POSTED,
                    time=base.isoformat(),
                    remote_id=remote_id,
                    # On the platform's own host: the ledger keeps no other address.
                    remote_url=f"https://{HOSTS[channel]}/p/{remote_id}",
                )
            )
            for reading in range(rng.randint(0, 3)):
                when = (base + dt.timedelta(days=reading + 1)).isoformat()
                if channel == "telegram":
                    snaps.append(
                        InteractionSnapshot(
                            article_id, channel, account, unit, remote_id, when, {}, False
                        )
                    )
                    continue
                metrics = {
                    k: rng.randint(0, 400)
                    for k in ("reactions", "comments", "shares", "views")
                    if rng.random() > 0.15
                }
                snaps.append(
                    InteractionSnapshot(
                        article_id, channel, account, unit, remote_id, when, metrics
                    )
                )
    rng.shuffle(snaps)  # the order of lines is not the order of readings
    with Ledger(remote=str(remote), trust=_trust(site)) as ledger:
        ledger.refresh()
        ledger.append(entries, "posts")
        ledger.append(message="interactions", interactions=snaps)
    return written, entries, snaps, (start, end)


def independent(written, entries, snaps, start, end):
    """Totals per unit, per author, and the top posts, computed without Loa's code."""
    newest = {}
    for snap in snaps:
        key = (snap.article, snap.channel, snap.account)
        if key not in newest or snap.time > newest[key].time:
            newest[key] = snap
    urls = {(e.article, e.channel, e.account): e.remote_url for e in entries}
    per_article: dict[str, int | None] = {}
    per_article_channels = defaultdict(list)
    for (article_id, channel, account), snap in newest.items():
        counts = [snap.metrics[k] for k in ("reactions", "comments", "shares") if k in snap.metrics]
        if not snap.available or not counts:
            continue
        per_article[article_id] = per_article.get(article_id, 0) + sum(counts)
        per_article_channels[article_id].append(
            (channel, urls[(article_id, channel, account)], sum(counts))
        )
    units: dict[str, int | None] = dict.fromkeys(UNITS)
    authors: dict[str, int | None] = {}
    in_period = [w for w in written if start <= w[2] <= end]
    for article_id, unit, _day, people in in_period:
        for person in people:
            authors.setdefault(person, None)
        if article_id in per_article:
            units[unit] = (units[unit] or 0) + per_article[article_id]
            for person in people:
                authors[person] = (authors[person] or 0) + per_article[article_id]
    top = sorted(
        ((a, per_article[a]) for a, *_ in in_period if a in per_article),
        key=lambda item: -item[1],
    )
    return units, authors, top, per_article_channels


def test_report_and_quarter_page_match_an_independent_count(site, tmp_path, now, signed):
    remote = tmp_path / "ledger.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    written, entries, snaps, (start, end) = generate(site, remote, now)
    units, authors, top, channels = independent(written, entries, snaps, start, end)
    assert any(v is None for v in units.values()) and any(v for v in units.values())

    env = {"LOA_LEDGER_REMOTE": str(remote)}
    result = loa(
        "report", "--format", "json", "--since", start.isoformat(), "--until", end.isoformat(),
        cwd=site.root, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {s["unit"]: s["interactions"] for s in data["unit_board"]} == units
    assert {s["name"]: s["interactions"] for s in data["authors"]} == authors
    shown = [(p["article"], p["interactions"]) for p in data["top_posts"]]
    assert [n for _, n in shown] == [n for _, n in top[:10]]
    assert set(shown) <= set(top)
    for post in data["top_posts"]:
        assert sorted(
            (c["platform"], c["url"], c["interactions"]) for c in post["channels"]
        ) == sorted(channels[post["article"]])

    markdown = loa(
        "report", "--format", "markdown", "--since", start.isoformat(), "--until", end.isoformat(),
        cwd=site.root, env=env,
    ).stdout  # fmt: skip
    assert "### Bài được tương tác nhiều nhất" in markdown
    first = data["top_posts"][0]
    assert f"[{first['channels'][0]['label']}]({first['channels'][0]['url']})" in markdown

    # the printable quarter page, built from an exported copy of the same ledger
    copy = tmp_path / "copy"
    with Ledger(remote=str(remote), trust=_trust(site)) as ledger:
        ledger.refresh()
        export(ledger, copy)
    os.environ["LOA_LEDGER_COPY"] = str(copy)
    try:
        out = site.build(LOA_READ_LEDGER=True)
    finally:
        os.environ.pop("LOA_LEDGER_COPY")
    quarter = (start.month - 1) // 3 + 1
    page = BeautifulSoup(
        (out / "thong-ke" / f"quy-{start.year}-{quarter}" / "index.html").read_text(
            encoding="utf-8"
        ),
        "html.parser",
    )
    unit_table = next(
        c for c in page.find_all("caption") if c.get_text().startswith("Xếp hạng đơn vị")
    ).find_parent("table")
    headers = [th.get_text(strip=True) for th in unit_table.select("thead th")]
    column = headers.index("Lượt tương tác")
    names = {"Công đoàn Cục": "cuc", "CĐCS A": "don-vi-a", "CĐCS B": "don-vi-b"}
    on_page = {}
    for row in unit_table.select("tbody tr"):
        cells = [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
        on_page[names[cells[1]]] = None if cells[column] == "—" else int(cells[column])
    assert on_page == units
    top_table = next(
        c for c in page.find_all("caption") if c.get_text().startswith("Bài được tương tác")
    ).find_parent("table")
    rows = top_table.select("tbody tr")
    assert [int(r.find_all("td")[1].get_text()) for r in rows] == [n for _, n in top[:10]]
    links = {a["href"] for a in top_table.select("ul.channel-counts a")}
    assert links == {url for article_id, _ in shown for _, url, _ in channels[article_id]}

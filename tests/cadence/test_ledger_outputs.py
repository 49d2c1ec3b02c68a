"""What the ledger says reaches /thong-ke/ and "Cũng có trên" only checked and escaped for where it goes.

The ledger copy a build reads (``LOA_LEDGER_COPY``) is written here by hand:
every line is one a writer could have pushed, or a platform could have
answered. The page must show no markup from it, no count it did not record,
and be the same bytes whichever Python process builds it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from loa import clock

from tests.conftest import REPO, article


def line(**data) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


def snapshot(channel: str, account: str, count: int, when: dt.datetime, unit: str = "cuc") -> str:
    return line(channel=channel, account=account, unit=unit, followers=count, time=when.isoformat())


def posted(article_id: str, channel: str, account: str, url: str, when: dt.datetime) -> str:
    return line(
        article=article_id,
        channel=channel,
        account=account,
        state="posted",
        time=when.isoformat(),
        remote_id="1_2",
        remote_url=url,
    )


def write_copy(folder, posts: str = "", followers: str = "", interactions: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "posts.jsonl").write_text(posts, encoding="utf-8")
    (folder / "followers.jsonl").write_text(followers, encoding="utf-8")
    (folder / "interactions.jsonl").write_text(interactions, encoding="utf-8")


def build(site, copy, monkeypatch):
    monkeypatch.setenv("LOA_LEDGER_COPY", str(copy))
    return site.build(LOA_READ_LEDGER=True)


HOSTILE_CHANNELS = [
    'telegram" onload="alert(1)',
    'x"><a href="https://dang-nhap.example/">Phiên đăng nhập hết hạn</a><x a="',
    "telegram\u2028<script>alert(1)</script>",
]


@pytest.mark.parametrize("channel", HOSTILE_CHANNELS)
def test_a_channel_name_from_the_ledger_puts_no_markup_on_the_statistics_page(
    site, tmp_path, monkeypatch, channel
):
    now = clock.now()
    followers = "".join(
        snapshot(channel, "@cuc_thu", 100 + n, now - dt.timedelta(days=5 - n)) for n in range(3)
    ) + "".join(
        snapshot("telegram", "@cuc_thu", 200 + n, now - dt.timedelta(days=5 - n)) for n in range(3)
    )
    write_copy(tmp_path / "so-ghi", followers=followers)
    out = build(site, tmp_path / "so-ghi", monkeypatch)
    html = (out / "thong-ke" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(attrs={"onload": True})
    assert not [a for a in page.find_all("a") if "dang-nhap.example" in (a.get("href") or "")]
    assert "Phiên đăng nhập hết hạn" not in html and "<script>alert" not in html
    # The real account's chart is there, with an id that is a plain name.
    charts = page.select("svg.chart")
    assert charts
    for svg in charts:
        ident = svg.get("aria-labelledby", "")
        assert ident and all(c.isalnum() or c == "-" for c in ident), ident


def test_counts_the_ledger_did_not_record_are_not_counted(site, tmp_path, monkeypatch):
    now = clock.now()
    day = now - dt.timedelta(days=2)
    site.write(
        f"articles/don-vi-a/{day:%Y-%m-%d}-bai.md",
        article(title="Bài có tương tác", date=day.strftime("%Y-%m-%d %H:%M")),
    )
    posts = posted("/don-vi-a/bai/", "telegram", "@cuc_thu", "https://t.me/cuc_thu/2", day)
    forged = [
        # a post the ledger never recorded (an account in no registry)
        line(article="/don-vi-a/bai/", channel="facebook", account="999", unit="don-vi-a",
             remote_id="9_9", time=now.isoformat(), metrics={"reactions": 999_999_999_999}),
        # the recorded post, under another remote id
        line(article="/don-vi-a/bai/", channel="telegram", account="@cuc_thu", unit="don-vi-a",
             remote_id="7_7", time=now.isoformat(), metrics={"reactions": 888_888_888_888}),
        # the recorded post, dated in the far future (it would freeze the counts)
        line(article="/don-vi-a/bai/", channel="telegram", account="@cuc_thu", unit="don-vi-a",
             remote_id="1_2", time="9999-12-31T00:00:00+00:00", metrics={"reactions": 777_777_777_777}),
    ]  # fmt: skip
    honest = line(
        article="/don-vi-a/bai/", channel="telegram", account="@cuc_thu", unit="don-vi-a",
        remote_id="1_2", time=(now - dt.timedelta(hours=1)).isoformat(), metrics={"reactions": 41},
    )  # fmt: skip
    followers = (
        snapshot("facebook", "ngoai-so-ghi", 555_555_555, now - dt.timedelta(days=1), "don-vi-a")
        + snapshot("telegram", "@cuc_thu", 120, now - dt.timedelta(days=1))
        + snapshot("telegram", "@cuc_thu", 666_666_666, dt.datetime(9999, 12, 31, tzinfo=dt.UTC))
    )
    write_copy(tmp_path / "so-ghi", posts, followers, honest + "".join(forged))
    out = build(site, tmp_path / "so-ghi", monkeypatch)
    text = "".join(p.read_text(encoding="utf-8") for p in (out / "thong-ke").rglob("*.html"))
    for number in ("999", "888", "777", "666", "555"):
        assert f"{number}{number}" not in text.replace(".", "").replace(",", "").replace(" ", "")
    assert "120" in text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "https://t.me.dang-nhap.example/cuc_thu/2",
        "https://evilt.me/cuc_thu/2",
        "http://t.me/cuc_thu/2",
        "https://user:pass@t.me/cuc_thu/2",
        'https://t.me/cuc_thu/2"onmouseover="alert(1)',
    ],
)
def test_also_on_links_are_https_on_the_platforms_own_hosts(site, tmp_path, monkeypatch, url):
    day = clock.now() - dt.timedelta(days=1)
    site.write(
        f"articles/don-vi-a/{day:%Y-%m-%d}-bai.md",
        article(title="Bài đã đăng", date=day.strftime("%Y-%m-%d %H:%M")),
    )
    write_copy(tmp_path / "so-ghi", posted("/don-vi-a/bai/", "telegram", "@cuc_thu", url, day))
    out = build(site, tmp_path / "so-ghi", monkeypatch)
    page = BeautifulSoup(
        (out / "don-vi-a" / "bai" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    hrefs = [a.get("href") or "" for a in page.find_all("a")]
    assert not [h for h in hrefs if h.startswith("javascript") or "dang-nhap" in h or "evilt" in h]
    assert not [h for h in hrefs if h.startswith("http://t.me") or "user:pass" in h]
    assert not page.find_all(attrs={"onmouseover": True})


def test_the_statistics_page_is_the_same_whatever_the_hash_seed(site, tmp_path):
    now = clock.now()
    followers = "".join(
        snapshot("telegram", "@cuc_thu", 100 + n, now - dt.timedelta(days=9 - n)) for n in range(9)
    )
    write_copy(tmp_path / "so-ghi", followers=followers)
    (site.root / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(site.content)!r}\nSITEURL = 'https://vi-du.example.vn'\n"
        "LOA_READ_LEDGER = True\n"
        f"THEME = {str(REPO / 'theme')!r}\nPLUGIN_PATHS = [{str(REPO / 'plugins')!r}]\n",
        encoding="utf-8",
    )
    pages = []
    for seed in ("1", "2"):
        output = tmp_path / f"out-{seed}"
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "LOA_LEDGER_COPY": str(tmp_path / "so-ghi"),
            clock.ENV: now.isoformat(),
            "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(REPO)]),
        }
        run = subprocess.run(
            [sys.executable, "-m", "pelican", str(site.content), "-s", str(site.root / "conf.py"),
             "-o", str(output), "--cache-path", str(tmp_path / f"cache-{seed}")],
            cwd=site.root, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        pages.append((output / "thong-ke" / "index.html").read_text(encoding="utf-8"))
    assert "svg" in pages[0]
    assert pages[0] == pages[1]


@pytest.mark.parametrize(
    "url",
    [
        "https://t.me/cuc_thu/2)[Phiên đăng nhập hết hạn](https://dang-nhap.example/",
        "https://t.me/cuc_thu/2) ![x](https://dang-nhap.example/x.png",
        "https://t.me/cuc_thu/2 | cột giả | ",
    ],
)
def test_a_post_address_cannot_add_links_or_columns_to_the_markdown_report(url):
    import markdown
    from loa.cadence.report import Report, to_markdown
    from loa.cadence.stats import ChannelCount, TopPost, UnitWeeks

    week = clock.now().date()
    report = Report(
        week,
        week,
        [UnitWeeks("cuc", "Công đoàn Cục", 2, 4, [(week, 3, "within")])],
        [],
        [],
        [
            TopPost(
                "/cuc/bai/", "Bài", "cuc", ("A",), clock.now(), 5, None,
                (ChannelCount("telegram", "Telegram", url, 5, None),),
            )
        ],
    )  # fmt: skip
    text = to_markdown(report)
    page = BeautifulSoup(markdown.markdown(text, extensions=["tables"]), "html.parser")
    links = [a["href"] for a in page.find_all("a")]
    assert len(links) == 1 and links[0].startswith("https://t.me/cuc_thu/2"), links
    assert not page.find_all("img")
    row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert row.count(" | ") == 5, row

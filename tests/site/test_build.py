"""End-to-end builds of small real sites with the repository's settings and theme."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from loa.errors import BuildStopped
from loa.units import load

from tests.conftest import REPO, article


def test_sample_site_has_a_page_per_unit_and_per_article(sample_site):
    out = sample_site.build()
    registry = load(sample_site.content / "units.yml")
    for unit in registry.all():
        page = out / unit.slug / "index.html"
        assert page.exists(), unit.slug
        html = page.read_text(encoding="utf-8")
        assert unit.name in html
    for source in (sample_site.content / "articles").rglob("*.md"):
        if "status: draft" in source.read_text(encoding="utf-8"):
            continue
        unit = source.parent.name
        slug = source.stem[11:]
        page = out / unit / slug / "index.html"
        assert page.exists(), page
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        date = soup.find("time")
        assert date is not None and date.text.startswith(("Thứ", "Chủ Nhật")), date
        assert "/" in date.text
        # the unit page lists the article
        assert (
            f"/{unit}/{slug}/" in (out / unit / "index.html").read_text(encoding="utf-8")
            or (out / unit / "page" / "2" / "index.html").exists()
        )


def test_feeds_exist_per_unit_and_site_wide_and_parse(sample_site):
    out = sample_site.build()
    registry = load(sample_site.content / "units.yml")
    names = ["all", *registry.slugs]
    for name in names:
        for kind in ("atom", "rss"):
            feed = out / "feeds" / f"{name}.{kind}.xml"
            assert feed.exists(), feed
            root = ET.parse(feed).getroot()
            assert root.tag in ("rss", "{http://www.w3.org/2005/Atom}feed")
    rss = ET.parse(out / "feeds" / "all.rss.xml").getroot()
    assert rss.attrib["version"] == "2.0"
    titles = [i.findtext("title") for i in rss.iter("item")]
    assert "Tủ sách công đoàn lan toả văn hoá đọc trong cơ quan" in titles


def test_article_page_shows_unit_authors_and_vietnamese_date(site):
    site.write(
        "articles/don-vi-a/2026-11-26-dai-hoi.md",
        article(
            title="Đại hội công đoàn",
            date="2026-11-26 09:00",
            author=None,
            authors="[Lê Văn Bình, Trần Thị Cúc]",
        ),
    )
    out = site.build()
    html = (out / "don-vi-a" / "dai-hoi" / "index.html").read_text(encoding="utf-8")
    assert "Thứ Năm, 26/11/2026" in html
    assert "Công đoàn cơ sở Đơn vị A" in html
    assert "Lê Văn Bình" in html and "Trần Thị Cúc" in html
    assert (out / "tac-gia" / "le-van-binh" / "index.html").exists()
    assert (out / "tac-gia" / "tran-thi-cuc" / "index.html").exists()


def test_unit_without_articles_still_has_its_page_and_feeds(site):
    site.write("articles/don-vi-a/2026-11-20-a.md", article())
    out = site.build()
    html = (out / "don-vi-b" / "index.html").read_text(encoding="utf-8")
    assert "Đơn vị B chưa có bài nào." in html
    assert (out / "feeds" / "don-vi-b.rss.xml").exists()
    ET.parse(out / "feeds" / "don-vi-b.rss.xml")


def test_subfolders_below_the_unit_still_belong_to_it(site):
    site.write(
        "articles/don-vi-a/2025/10/2025-10-01-cu.md", article(title="Bài cũ", date="2025-10-01")
    )
    out = site.build()
    assert (out / "don-vi-a" / "cu" / "index.html").exists()


def test_nfd_file_gives_the_same_page_as_its_nfc_twin(tmp_path):
    from tests.conftest import SiteMaker

    text = article(
        title="Người lao động Đà Nẵng",
        body="Đoàn viên **công đoàn** ở Đồng Nai.",
        tags="[đời sống]",
    )
    pages = []
    for form in ("NFC", "NFD"):
        maker = SiteMaker(tmp_path / form)
        maker.write(
            "articles/don-vi-a/2026-11-20-nguoi-lao-dong.md", unicodedata.normalize(form, text)
        )
        out = maker.build()
        pages.append((out / "don-vi-a" / "nguoi-lao-dong" / "index.html").read_bytes())
        assert (out / "chu-de" / "doi-song" / "index.html").exists()
    assert unicodedata.normalize("NFD", text) != text
    assert pages[0] == pages[1]


def test_unknown_unit_stops_the_build_listing_the_units(site, loa_log):
    site.write("articles/don-vi-z/2026-11-20-a.md", article())
    with pytest.raises(BuildStopped):
        site.build()
    log = loa_log()
    assert "don-vi-z" in log
    assert "cuc, don-vi-a, don-vi-b" in log
    assert "2026-11-20-a.md" in log


def test_article_outside_a_unit_folder_stops_the_build(site, loa_log):
    site.write("articles/2026-11-20-lac.md", article())
    with pytest.raises(BuildStopped):
        site.build()
    assert "không nằm trong thư mục của một đơn vị" in loa_log()


def test_yaml_error_stops_the_build_with_file_and_line(site, loa_log):
    site.write("articles/don-vi-a/2026-11-20-ok.md", article())
    site.write("articles/don-vi-a/2026-11-20-sai.md", article(title="Hội nghị: bàn việc"))
    with pytest.raises(BuildStopped):
        site.build()
    log = loa_log()
    assert "2026-11-20-sai.md:2" in log
    assert "YAML" in log


def test_missing_required_field_stops_the_build(site, loa_log):
    site.write("articles/don-vi-a/2026-11-20-thieu.md", article(summary=None))
    with pytest.raises(BuildStopped):
        site.build()
    assert "2026-11-20-thieu.md:1: Thiếu trường “summary”" in loa_log()


def test_broken_registry_stops_the_build_before_reading(site, loa_log):
    site.units(
        site.content.joinpath("units.yml")
        .read_text(encoding="utf-8")
        .replace("slug: don-vi-b", "slug: feeds")
    )
    with pytest.raises(BuildStopped) as stopped:
        site.build()
    assert "units.yml" in str(stopped.value)
    assert "“feeds”" in loa_log()


def test_non_utf8_file_is_named(site, loa_log):
    site.write(
        "articles/don-vi-a/2026-11-20-cp1258.md",
        article(title="Cong doan").encode("utf-8") + "Người".encode("utf-16"),
    )
    with pytest.raises(BuildStopped):
        site.build()
    assert "UTF-8" in loa_log()


def test_drafts_are_previewed_but_never_published(site):
    site.write("articles/don-vi-a/2026-11-20-nhap.md", article(title="Bản nháp", status="draft"))
    site.write("articles/don-vi-a/2026-11-20-dang.md", article(title="Bài đăng"))
    out = site.build()
    assert (out / "ban-nhap" / "don-vi-a" / "nhap" / "index.html").exists()
    assert not (out / "don-vi-a" / "nhap").exists()
    out = site.build("publishconf.py")
    assert not list(out.rglob("*nhap*")), "production never writes drafts"
    assert "Bản nháp" not in (out / "feeds" / "all.rss.xml").read_text(encoding="utf-8")
    assert (out / "don-vi-a" / "dang" / "index.html").exists()


@pytest.mark.clock
def test_future_article_waits_for_its_time(site, now, set_now):
    due = (now + dt.timedelta(hours=3)).astimezone(dt.UTC)
    site.write(
        "articles/don-vi-a/2026-11-20-sap-dang.md",
        article(title="Sắp đăng", date=due.strftime("%Y-%m-%dT%H:%M:%SZ")),
    )
    set_now(due - dt.timedelta(seconds=1))
    out = site.build("publishconf.py")
    assert not (out / "don-vi-a" / "sap-dang").exists()
    assert "Sắp đăng" not in (out / "feeds" / "all.rss.xml").read_text(encoding="utf-8")
    set_now(due)
    out = site.build("publishconf.py")
    assert (out / "don-vi-a" / "sap-dang" / "index.html").exists()
    assert "Sắp đăng" in (out / "feeds" / "all.rss.xml").read_text(encoding="utf-8")


def test_pagination_never_collides(site):
    for day in range(1, 26):
        site.write(
            f"articles/don-vi-a/2026-10-{day:02d}-bai-{day}.md",
            article(title=f"Bài số {day}", date=f"2026-10-{day:02d} 08:00"),
        )
    out = site.build()
    pages = [
        out / "don-vi-a" / "index.html",
        out / "don-vi-a" / "page" / "2" / "index.html",
        out / "don-vi-a" / "page" / "3" / "index.html",
    ]
    assert all(p.exists() for p in pages)
    listed = []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        listed += [a["href"] for a in soup.select(".card .card-title a")]
    assert len(listed) == 25 and len(set(listed)) == 25
    for day in range(1, 26):
        assert (out / "don-vi-a" / f"bai-{day}" / "index.html").exists()
    assert (out / "page" / "2" / "index.html").exists() and (
        out / "page" / "3" / "index.html"
    ).exists()


def test_article_slug_page_is_refused(site, loa_log):
    site.write("articles/don-vi-a/2026-11-20-page.md", article())
    with pytest.raises(BuildStopped):
        site.build()
    assert "phân trang" in loa_log()


def test_two_articles_with_one_path_are_refused(site, loa_log):
    site.write("articles/don-vi-a/2026-11-20-hop.md", article(title="Một"))
    site.write("articles/don-vi-a/2026-11-21-hop.md", article(title="Hai"))
    with pytest.raises(BuildStopped):
        site.build()
    assert "/don-vi-a/hop/" in loa_log()


def test_same_slug_in_two_units_is_fine(site):
    site.write("articles/don-vi-a/2026-11-20-hop.md", article(title="Một"))
    site.write("articles/don-vi-b/2026-11-20-hop.md", article(title="Hai"))
    out = site.build()
    assert "Một" in (out / "don-vi-a" / "hop" / "index.html").read_text(encoding="utf-8")
    assert "Hai" in (out / "don-vi-b" / "hop" / "index.html").read_text(encoding="utf-8")


def test_page_with_a_unit_slug_is_refused(site, loa_log):
    site.write("pages/don-vi-a.md", "---\ntitle: Trùng\n---\nx\n")
    with pytest.raises(BuildStopped):
        site.build()
    assert "trùng với thư mục của đơn vị" in loa_log()


def test_titles_are_escaped(site):
    site.write("articles/don-vi-a/2026-11-20-a.md", article(title='"<b>Đậm</b> & nhạt"'))
    html = (site.build() / "don-vi-a" / "a" / "index.html").read_text(encoding="utf-8")
    assert "<b>Đậm</b>" not in html
    assert "&lt;b&gt;Đậm&lt;/b&gt; &amp; nhạt" in html


def test_no_warning_about_language_or_readers(site, loa_log):
    site.write("articles/don-vi-a/2026-11-20-a.md", article())
    site.build()
    log = loa_log()
    assert "docutils" not in log.lower() and "locale" not in log.lower()


def test_a_broken_article_fails_again_on_a_warm_cache(site, loa_log):
    site.write("articles/don-vi-a/2026-11-20-ok.md", article())
    site.write("articles/don-vi-a/2026-11-20-thieu.md", article(author=None))
    for _ in range(2):
        with pytest.raises(BuildStopped):
            site.build()
    assert loa_log().count("Thiếu trường “author”") >= 2
    assert (site.root / "cache").exists(), "the content cache was used"


def test_a_build_finding_is_one_line_with_the_whole_path_in_a_narrow_log(site):
    """CI logs are 80 columns and not a terminal: the path must stay whole, on the finding's line."""
    name = (
        "articles/don-vi-a/2025-06-01-mot-ten-tep-rat-dai-de-thu-xem-duong-dan-co-bi-cat-khong.md"
    )
    site.write(
        name,
        article(body="Đoạn đầu.\n\nMột [liên kết](javascript:alert(1)) không an toàn."),
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-o",
            "output",
            "-s",
            str(REPO / "pelicanconf.py"),
            "-e",
            f'CACHE_PATH="{site.root / "cache"}"',
        ],
        cwd=site.root,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", "TERM": "dumb", "PYTHONPATH": str(REPO / "plugins")},
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).splitlines()
    line = next(line for line in lines if "javascript" in line)
    where, level, message = line.split(": ", 2)
    assert where.endswith(f"content/{name}:10:16"), line
    assert level == "lỗi" and "thay bằng địa chỉ https://" in message
    assert "Traceback" not in result.stderr

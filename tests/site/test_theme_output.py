"""What the theme writes, read back from the built sample site: SEO, social cards, legal footer, budgets."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from loa.units import load

SITE = "https://vi-du.example.vn"
ARTICLE = "van-phong-cuc/hoi-nghi-nguoi-lao-dong-van-phong-cuc"
NO_COVER = "van-phong-cuc/luong-co-so-va-cach-tinh-phu-cap"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from tests.conftest import REPO, SiteMaker

    maker = SiteMaker(tmp_path_factory.mktemp("theme"))
    shutil.rmtree(maker.content)
    shutil.copytree(REPO / "content", maker.content)
    maker.build("publishconf.py", SITEURL=SITE, FEED_DOMAIN=SITE, LOA_READ_LEDGER=False)
    return maker


def soup(built, rel: str) -> BeautifulSoup:
    return BeautifulSoup(built.read(rel), "html.parser")


def meta(page: BeautifulSoup, prop: str) -> str:
    tag = page.find("meta", attrs={"property": prop}) or page.find("meta", attrs={"name": prop})
    return tag["content"] if tag else ""


def test_article_has_social_cards_with_absolute_images_and_canonical(built):
    page = soup(built, f"{ARTICLE}/index.html")
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:image").startswith(f"{SITE}/")
    assert meta(page, "og:image:alt")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert page.find("link", rel="canonical")["href"] == f"{SITE}/{ARTICLE}/"
    image = meta(page, "og:image").removeprefix(SITE + "/")
    assert (built.output / image).exists()


def test_article_without_cover_gets_its_units_card(built):
    page = soup(built, f"{NO_COVER}/index.html")
    assert meta(page, "og:image") == f"{SITE}/social/van-phong-cuc.jpg"
    assert (built.output / "social" / "van-phong-cuc.jpg").exists()


def test_json_ld_news_article(built):
    page = soup(built, f"{ARTICLE}/index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Hội nghị người lao động")
    assert data["datePublished"].endswith("+07:00")
    assert data["author"][0]["name"] == "Nguyễn Thị Lan"
    assert data["image"][0].startswith(SITE)


def test_article_shows_unit_authors_date_reading_time_tags_share_and_related(built):
    page = soup(built, f"{ARTICLE}/index.html")
    text = page.get_text(" ")
    assert "Công đoàn cơ sở Văn phòng Cục" in text
    assert "Thứ Ba, 24/11/2026" in text
    assert re.search(r"\d+ phút đọc", text)
    assert page.select(".tags a")
    shares = {a.get_text(strip=True).split("(")[0] for a in page.select(".share a")}
    assert {"Facebook", "Telegram", "X"} <= shares
    assert page.select_one("button[data-share=zalo]") and page.select_one("button[data-share=copy]")
    related = [a["href"] for a in page.select(".related a")]
    assert 0 < len(related) <= 3
    assert all(href.startswith(f"{SITE}/van-phong-cuc/") for href in related)
    assert f"{SITE}/{ARTICLE}/" not in related


def test_cover_has_alt_size_and_webp_sources(built):
    page = soup(built, f"{ARTICLE}/index.html")
    img = page.select_one(".cover img")
    assert img["alt"] and img["width"] == "1200" and img["height"] == "630"
    srcset = page.select_one(".cover source[type='image/webp']")["srcset"]
    for candidate in srcset.split(", "):
        url, width = candidate.split(" ")
        assert width.endswith("w")
        assert (built.output / url.removeprefix(SITE + "/")).exists()


def test_every_page_has_language_csp_skip_link_and_the_legal_footer(built):
    registry = load(built.content / "units.yml")
    for rel in (
        "index.html",
        f"{ARTICLE}/index.html",
        "van-phong-cuc/index.html",
        "tim-kiem/index.html",
        "404.html",
        "gioi-thieu/index.html",
    ):
        page = soup(built, rel)
        assert page.html["lang"] == "vi", rel
        csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, rel
        assert page.select_one("a.skip")["href"] == "#noi-dung"
        footer = page.select_one("footer").get_text(" ")
        for needle in (
            "Cơ quan chủ quản",
            "Địa chỉ",
            "Điện thoại",
            "Thư điện tử",
            "Chịu trách nhiệm nội dung",
        ):
            assert needle in footer, (rel, needle)
        links = [a["href"] for a in page.select("footer .channels a")]
        assert links == [c.url for c in registry.department.channels if c.url]


def test_unit_page_lists_its_own_channels_and_feed(built):
    page = soup(built, "van-phong-cuc/index.html")
    channels = page.select("main .channels a")
    assert len(channels) == 6
    assert page.find("link", type="application/rss+xml", href=f"{SITE}/feeds/van-phong-cuc.rss.xml")


def test_no_page_loads_anything_from_another_host(built):
    for path in built.output.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("source", "srcset"),
            ("iframe", "src"),
        ):
            for node in page.find_all(tag):
                value = node.get(attr)
                if not value or (
                    tag == "link" and node.get("rel") in (["canonical"], ["alternate"])
                ):
                    continue
                assert value.startswith(SITE + "/") or value.startswith("/"), (path, tag, value)


def test_home_page_weighs_under_50_kb_without_images(built):
    html = (built.output / "index.html").read_bytes()
    page = BeautifulSoup(html, "html.parser")
    total = len(html)
    for link in page.find_all("link", rel="stylesheet"):
        total += len((built.output / link["href"].removeprefix(SITE + "/")).read_bytes())
    for script in page.find_all("script", src=True):
        total += len((built.output / script["src"].removeprefix(SITE + "/")).read_bytes())
    assert total <= 50_000, total


def test_sitemap_and_robots(built):
    root = ET.parse(built.output / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{SITE}/{ARTICLE}/" in locs
    assert not [u for u in locs if "ban-nhap" in u or "robots" in u or "404" in u]
    robots = (built.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE}/sitemap.xml" in robots


def test_search_index_holds_every_published_article(built):
    entry = json.loads(
        (built.output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    )
    pages = sum(lang["page_count"] for lang in entry["languages"].values())
    manifest = json.loads((built.output / "loa" / "manifest.json").read_text(encoding="utf-8"))
    assert pages == len(manifest["articles"]) >= 12


def test_not_found_page_and_search_page_exist_in_vietnamese(built):
    assert "Không tìm thấy trang" in built.read("404.html")
    search = soup(built, "tim-kiem/index.html")
    assert search.select_one("#tim-kiem")
    assert search.find("script", src=f"{SITE}/pagefind/pagefind-ui.js")

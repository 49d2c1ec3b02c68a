"""Feeds, calendars, link cards, structured data, sitemap, robots.txt and HTML, as other programs read them.

Each validator runs on the sample site and on a generated site of a few hundred
articles (events, reposts, long addresses) and must find nothing; and each is
shown to fail on a planted defect, so that a pass means something.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.conformance import checks
from tests.conformance.conftest import SITE

SITES = ["sample_published", "generated_published"]


def pages(output: Path) -> list[Path]:
    return sorted(
        p
        for p in output.rglob("*.html")
        if not p.relative_to(output).parts[0].startswith("pagefind")
    )


def url_of(output: Path, path: Path) -> str:
    rel = path.relative_to(output).as_posix()
    return f"{SITE}/{rel[: -len('index.html')] if rel.endswith('index.html') else rel}"


@pytest.fixture(params=SITES)
def built(request):
    return request.getfixturevalue(request.param)


# -- feeds -----------------------------------------------------------------------------


def test_every_feed_validates(built):
    feeds = sorted((built.output / "feeds").glob("*.xml"))
    assert feeds
    for feed in feeds:
        problems = checks.feed_problems(feed.read_bytes(), f"{SITE}/feeds/{feed.name}")
        assert problems == [], (feed.name, problems)


def test_the_feed_validator_catches_a_guid_that_claims_to_be_a_link(sample_published):
    feed = (sample_published.output / "feeds" / "all.rss.xml").read_bytes()
    broken = feed.replace(b' isPermaLink="false"', b"")
    assert broken != feed
    problems = checks.feed_problems(broken, f"{SITE}/feeds/all.rss.xml")
    assert any("guid must be a full URL" in p for p in problems), problems
    no_language = feed.replace(b"<language>vi</language>", b"")
    assert any(
        "not Vietnamese" in p
        for p in checks.feed_problems(no_language, f"{SITE}/feeds/all.rss.xml")
    )


# -- calendars -------------------------------------------------------------------------


def test_every_calendar_parses_the_same_in_two_parsers(built):
    calendars = sorted(built.output.rglob("*.ics"))
    assert calendars
    for calendar in calendars:
        assert checks.calendar_problems(calendar.read_bytes()) == [], calendar


def test_no_empty_calendar_is_written_and_the_checker_sees_one(sample_published):
    from icalendar import Calendar

    for calendar in sample_published.output.rglob("*.ics"):
        assert Calendar.from_ical(calendar.read_bytes()).walk("VEVENT"), calendar
    empty = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//VI\r\nEND:VCALENDAR\r\n"
    assert any("no VEVENT" in p for p in checks.calendar_problems(empty))


def test_an_edited_event_updates_in_a_calendar(site):
    """``modified:`` moves DTSTAMP and LAST-MODIFIED and raises SEQUENCE; the same input, the same file."""
    from icalendar import Calendar

    from tests.events.test_events import event_article

    path = "articles/don-vi-a/2026-11-20-hop.md"
    site.write(path, event_article(start="2026-12-05 08:00", location="Hội trường"))
    first = (site.build() / "feeds" / "events.ics").read_bytes()
    assert first == (site.build() / "feeds" / "events.ics").read_bytes(), "stable across builds"
    site.write(
        path,
        event_article(start="2026-12-05 09:00", location="Hội trường B").replace(
            "---\n\n", "modified: 2026-11-22 10:00\n---\n\n", 1
        ),
    )
    second = (site.build() / "feeds" / "events.ics").read_bytes()
    (before,) = Calendar.from_ical(first).walk("VEVENT")
    (after,) = Calendar.from_ical(second).walk("VEVENT")
    assert str(before["uid"]) == str(after["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstamp") > before.decoded("dtstamp")
    assert after.decoded("last-modified") > before.decoded("last-modified")


# -- link cards and structured data ----------------------------------------------------


def test_every_page_has_a_link_card(built):
    checked = 0
    for page in pages(built.output):
        html = page.read_text(encoding="utf-8")
        if page.name == "404.html" or '<meta name="robots" content="noindex' in html:
            continue  # the newsroom (/quan-tri/) is for contributors and never shared
        assert checks.card_problems(html) == [], page
        checked += 1
    assert checked > 20


def test_the_card_check_catches_a_page_without_a_picture(sample_published):
    html = (sample_published.output / "luu-tru" / "index.html").read_text(encoding="utf-8")
    stripped = re.sub(r'<meta property="og:image[^>]*>', "", html)
    assert "no og:image" in checks.card_problems(stripped)


def test_structured_data_follows_googles_article_and_event_guidance(built):
    seen = set()
    for page in pages(built.output):
        html = page.read_text(encoding="utf-8")
        if "application/ld+json" not in html:
            continue
        seen |= {"Event"} if '"Event"' in html else {"Article"}
        assert checks.jsonld_problems(html, url_of(built.output, page)) == [], page
    assert seen == {"Article", "Event"}


def test_the_structured_data_check_catches_an_address_that_is_only_a_name(sample_published):
    page = next(
        p
        for p in pages(sample_published.output)
        if '"Event"' in p.read_text(encoding="utf-8") and '"Place"' in p.read_text(encoding="utf-8")
    )
    html = page.read_text(encoding="utf-8")
    broken = re.sub(r'"address": ?\{[^}]*\}', '"address": "Hội trường"', html)
    assert "Event: Place.address is not a PostalAddress" in checks.jsonld_problems(broken, SITE)


# -- sitemap and robots.txt ------------------------------------------------------------


def test_the_sitemap_follows_the_protocol_and_dates_pages_by_their_content(built):
    data = (built.output / "sitemap.xml").read_bytes()
    assert checks.sitemap_problems(data) == []
    from loa.syndication import read_manifest

    dates = [
        dt.datetime.fromisoformat(d.decode())
        for d in re.findall(rb"<lastmod>([^<]+)</lastmod>", data)
    ]
    articles = read_manifest(built.output / "loa" / "manifest.json").articles
    newest = max(a.published for a in articles)
    # No page is dated by the build: every date is a date of the content, the newest an article's.
    assert max(dates) <= newest and newest in dates


def test_the_sitemap_is_the_same_from_one_build_to_the_next(site):
    from tests.conftest import article

    for n in range(3):
        site.write(
            f"articles/don-vi-a/2026-11-2{n}-bai-{n}.md",
            article(title=f"Bài {n}", date=f"2026-11-2{n} 08:00"),
        )
    first = (site.build() / "sitemap.xml").read_bytes()
    assert first == (site.build() / "sitemap.xml").read_bytes()


def test_the_sitemap_check_catches_a_broken_entry():
    bad = (
        b'<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>/khong-tuyet-doi/</loc><lastmod>yesterday</lastmod><priority>2</priority></url></urlset>"
    )
    assert len(checks.sitemap_problems(bad)) >= 3


ROBOT_PATHS = [
    "/",
    "/van-phong-cuc/",
    "/ban-nhap/",
    "/ban-nhap/van-phong-cuc/bai/",
    "/sitemap.xml",
    "/ban-nhap-khac/",
]


def test_robots_txt_means_the_same_to_two_parsers(sample_published):
    text = (sample_published.output / "robots.txt").read_text(encoding="utf-8")
    disallowed = {"/ban-nhap/", "/ban-nhap/van-phong-cuc/bai/"}
    assert checks.robots_problems(text, SITE, ROBOT_PATHS, disallowed) == []
    assert f"Sitemap: {SITE}/sitemap.xml" in text


def test_the_robots_check_catches_an_allow_before_a_disallow():
    text = "User-agent: *\nAllow: /\nDisallow: /ban-nhap/\n"
    problems = checks.robots_problems(
        text, SITE, ROBOT_PATHS, {"/ban-nhap/", "/ban-nhap/van-phong-cuc/bai/"}
    )
    assert any("robotparser says True, Protego False" in p for p in problems), problems


# -- HTML ------------------------------------------------------------------------------


needs_java = pytest.mark.skipif(
    checks.JAVA is None or not checks.VNU.exists(),
    reason="Java hoặc vnu-jar không có: chạy “npm ci” và cài Java (CI cài sẵn).",
)


@needs_java
def test_every_page_is_valid_html(built):
    assert checks.html_problems(pages(built.output)) == []


@needs_java
def test_the_html_check_catches_an_invalid_page(sample_published, tmp_path):
    page = tmp_path / "hong.html"
    html = (sample_published.output / "index.html").read_text(encoding="utf-8")
    page.write_text(html.replace("<main", "<main><div><main", 1), encoding="utf-8")
    assert checks.html_problems([page])

"""The reader theme in a real browser: phones and desktops, accessibility, search, keyboard."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
from loa.frontmatter import parse_document

from tests.browser.conftest import AXE, free_port
from tests.conftest import NOW, REPO

pytestmark = pytest.mark.browser

_today = NOW.date()
PAGES = {
    "trang chủ": "/",
    "bài viết": "/trung-tam-du-lieu/doan-cong-tac-da-nang-dong-nai/",
    "đơn vị": "/van-phong-cuc/",
    "tìm kiếm": "/tim-kiem/?q=cong%20doan",
    "404": "/khong-co-trang-nay/",
    "lưu trữ": "/luu-tru/",
    "giới thiệu": "/gioi-thieu/",
    "thống kê": "/thong-ke/",
    "sự kiện": "/su-kien/",
    "báo cáo quý": f"/thong-ke/quy-{_today.year}-{(_today.month - 1) // 3 + 1}/",
}
WIDTHS = (375, 1280)


# Pagefind's UI has finished a search: its message gives the count (not "Đang tìm …")
# and no result is still a loading placeholder.
SEARCH_DONE = """() => {
  const message = document.querySelector('.pagefind-ui__message');
  return !!message && message.textContent.includes('kết quả cho')
    && document.querySelectorAll('.pagefind-ui__result').length > 0
    && !document.querySelector('.pagefind-ui__results .pagefind-ui__loading');
}"""


def settled_results(page) -> list[str]:
    """Result titles once the search UI has finished the search (an event, not a pause)."""
    page.wait_for_function(SEARCH_DONE, timeout=60_000)
    return page.locator(".pagefind-ui__result-title").all_inner_texts()


def open_page(browser, base: str, path: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors, outside = [], []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "404 (Not Found)" not in m.text else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlsplit(r.url).hostname not in ("127.0.0.1",) and not r.url.startswith("data:")
            else None
        ),
    )
    response = page.goto(base + path, wait_until="networkidle")
    return context, page, response, errors, outside


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_without_errors_or_outside_requests_and_passes_axe(
    browser, served_site, name, width
):
    base, _ = served_site
    context, page, response, errors, outside = open_page(browser, base, PAGES[name], width)
    try:
        assert response.status == (404 if name == "404" else 200)
        if name == "tìm kiếm":
            page.wait_for_selector(".pagefind-ui__result", timeout=60_000)
        assert not errors, errors
        assert not outside, outside
        assert page.evaluate("document.documentElement.lang") == "vi"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
            "no horizontal scrolling"
        )
        # Evaluated through the DevTools protocol, which the page's CSP does not govern.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
        ]
        assert violations == [], violations
    finally:
        context.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cong doan", "công đoàn"),
        ("da nang", "Đà Nẵng"),
        ("dong nai", "Đồng Nai"),
        ("Đà Nẵng", "Đà Nẵng"),
    ],
)
def test_search_finds_vietnamese_without_diacritics(browser, served_site, query, expected):
    base, _ = served_site
    context, page, _, errors, outside = open_page(browser, base, "/tim-kiem/", 375)
    try:
        page.fill(".pagefind-ui__search-input", query)
        titles = settled_results(page)
        text = page.locator(".pagefind-ui__result").first.inner_text()
        assert expected.lower() in text.lower(), (titles, text)
        assert not errors and not outside
    finally:
        context.close()


def test_diacritic_free_query_puts_the_dong_nai_articles_first(browser, served_site):
    base, _ = served_site
    context, page, *_ = open_page(browser, base, "/tim-kiem/?q=dong%20nai", 1280)
    try:
        titles = settled_results(page)
        assert titles, "results"
        assert "Đồng Nai" in titles[0], titles
    finally:
        context.close()


def test_keyboard_reaches_the_search_box_and_the_share_links(browser, served_site):
    base, _ = served_site
    context, page, *_ = open_page(browser, base, PAGES["bài viết"], 375)
    try:
        reached = []
        for _ in range(80):
            page.keyboard.press("Tab")
            reached.append(
                page.evaluate(
                    "document.activeElement.id || document.activeElement.textContent.trim()"
                )
            )
        assert reached[0] == "Chuyển đến nội dung chính", "the skip link comes first"
        assert "tim-kiem-nhanh" in reached
        for name in ("Facebook", "Telegram", "X", "Zalo", "Chép liên kết"):
            assert any(item.startswith(name) for item in reached), name
    finally:
        context.close()


def test_copy_link_button_says_what_it_did(browser, served_site):
    base, _ = served_site
    context, page, *_ = open_page(browser, base, PAGES["bài viết"], 375)
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page.click("button[data-share=copy]")
        page.wait_for_function("document.querySelector('.share-status').textContent.length > 0")
        assert "Đã chép liên kết" in page.inner_text(".share-status")
    finally:
        context.close()


def test_article_prints_cleanly(browser, served_site):
    base, _ = served_site
    context, page, *_ = open_page(browser, base, PAGES["bài viết"], 1280)
    try:
        page.emulate_media(media="print")
        hidden = page.evaluate(
            "['.share', '.search-box', '.site-header nav', '.related'].map(s => document.querySelector(s) ? getComputedStyle(document.querySelector(s)).display : 'none')"
        )
        assert hidden == ["none"] * 4
        assert page.pdf(format="A4")[:4] == b"%PDF"
    finally:
        context.close()


def sample_events() -> list[tuple[str, str, str, bool]]:
    """(title, unit, organiser, upcoming at the pinned clock) of each event in the sample content."""
    events = []
    for path in sorted((REPO / "content" / "articles").rglob("*.md")):
        doc = parse_document(path.read_text(encoding="utf-8"), str(path))
        event = doc.fields.get("event")
        if event is None or doc.fields.get("status") == "draft" or doc.fields["date"] > NOW:
            continue
        unit = path.relative_to(REPO / "content" / "articles").parts[0]
        events.append((doc.fields["title"], unit, event.organiser or unit, event.end > NOW))
    return events


EVENT_PAGES = ["/", *sorted({f"/{u}/" for _, unit, org, _ in sample_events() for u in (unit, org)})]


@pytest.mark.parametrize("path", EVENT_PAGES)
@pytest.mark.clock
def test_upcoming_events_show_on_the_home_and_unit_pages(browser, served_site, path):
    """Each page lists exactly the sample's events still to come at the pinned clock."""
    base, _ = served_site
    mine = [
        (title, upcoming)
        for title, unit, organiser, upcoming in sample_events()
        if path == "/" or path.strip("/") in (unit, organiser)
    ]
    expected = {title for title, upcoming in mine if upcoming}
    context, page, *_ = open_page(browser, base, path, 375)
    try:
        section = page.locator("section.events")
        if not expected:
            assert section.count() == 0, "no upcoming event: no section"
            return
        assert section.is_visible()
        listed = set(section.locator("li a").all_inner_texts())
        assert listed == expected, (path, NOW.isoformat())
        assert page.locator("section.events a[href$='.ics']").count() == 1
    finally:
        context.close()


STYLED = "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
COVER = "/cong-doan-cuc/hoi-nghi-tong-ket-cong-doan-cuc-2026/"


def _serve_with_pelican(output) -> tuple[subprocess.Popen, str]:
    """Pelican's own preview server (what ``make serve`` runs) on a random free port."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pelican",
            "--listen",
            "-o",
            str(output),
            "-p",
            str(port),
            "-b",
            "127.0.0.1",
        ],
        cwd=output.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    while server.poll() is None:  # until the port answers, or the server gives up
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, base
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"Pelican's server exited ({server.returncode}) before listening")


@pytest.mark.parametrize(
    "path", ["/", PAGES["bài viết"], COVER, "/tim-kiem/?q=cong%20doan", "/su-kien/"]
)
def test_development_build_works_on_any_port(browser, served_site, path):
    """``make serve PORT=…``: built once, served by Pelican on a port its settings never named."""
    _, maker = served_site
    server, base = _serve_with_pelican(maker.output)
    try:
        context, page, response, errors, outside = open_page(browser, base, path, 375)
        try:
            assert response.status == 200
            assert page.evaluate(STYLED) == "rgb(243, 245, 248)", "the stylesheet is applied"
            if "tim-kiem" in path:
                page.wait_for_selector(".pagefind-ui__result", timeout=60_000)
            if path == COVER:
                assert page.evaluate("document.querySelector('.cover img').naturalWidth") > 0
            requested = []
            page.on("request", lambda r: requested.append(r.url))
            page.reload(wait_until="networkidle")
            assert requested and all(u.startswith(base + "/") for u in requested), requested
            assert not errors, errors
            assert not outside, outside
        finally:
            context.close()
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_a_downloaded_preview_opens_from_its_folder(browser, served_site):
    """A reviewer unpacks the preview and opens a page file: styled, with its pictures."""
    _, maker = served_site
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        for path in ("index.html", COVER.strip("/") + "/index.html"):
            page.goto((maker.output / path).as_uri(), wait_until="load")
            assert page.evaluate(STYLED) == "rgb(243, 245, 248)", path
        assert page.evaluate("document.querySelector('.cover img').naturalWidth") > 0
        link = page.locator(".unit-label a").get_attribute("href")
        assert not link.startswith(("http", "/")), "links are relative to the page"
        assert not errors, errors
    finally:
        context.close()


@pytest.fixture(scope="module")
def varied_site(tmp_path_factory):
    """A generated site with events (online, all-day), reposts, long words and addresses, tables."""
    import functools
    import shutil
    import threading
    from http.server import ThreadingHTTPServer

    from tests.browser.conftest import _Handler
    from tests.conformance.conftest import generated
    from tests.conftest import SiteMaker

    maker = SiteMaker(tmp_path_factory.mktemp("da-dang"))
    shutil.rmtree(maker.content)
    generated(maker.root, count=40)
    maker.build()
    port = free_port()
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(_Handler, directory=str(maker.output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}", maker
    server.shutdown()
    server.server_close()


def page_types(output) -> dict[str, str]:
    """One page of each kind the site has, found in the build."""

    def first(pattern: str, contains: str = "") -> str:
        for path in sorted(output.glob(pattern)):
            if not contains or contains in path.read_text(encoding="utf-8"):
                return "/" + path.relative_to(output).as_posix().removesuffix("index.html")
        raise AssertionError(f"no page {pattern} {contains}")

    return {
        "trang chủ": "/",
        "bài có sự kiện trực tuyến": first("*/*/index.html", "Trực tuyến</dt>"),
        "bài có bảng và từ dài": first("*/*/index.html", "<table"),
        "bài đăng lại": first("*/*/index.html", "Nguồn:"),
        "đơn vị": first("van-phong-cuc/index.html"),
        "đơn vị, trang 2": first("van-phong-cuc/page/2/index.html"),
        "chủ đề": first("chu-de/*/index.html"),
        "tác giả": first("tac-gia/*/index.html"),
        "danh sách đơn vị": "/don-vi/",
        "danh sách chủ đề": "/chu-de/",
        "danh sách tác giả": "/tac-gia/",
        "lưu trữ": "/luu-tru/",
        "sự kiện": "/su-kien/",
        "thống kê": "/thong-ke/",
        "báo cáo quý": first("thong-ke/quy-*/index.html"),
        "tìm kiếm": "/tim-kiem/?q=hoi%20thao",
        "giới thiệu": "/gioi-thieu/",
        "404": "/khong-co-trang-nay/",
    }


@pytest.mark.parametrize(("width", "zoom"), [(320, 1), (640, 2)])
def test_every_page_type_reflows_at_320_px_and_200_percent(browser, varied_site, width, zoom):
    """WCAG 1.4.10 and 1.4.4: no sideways scrolling, no axe violation — narrow, and zoomed to 200 %."""
    base, maker = varied_site
    failures = []
    for name, path in page_types(maker.output).items():
        context, page, _, errors, _ = open_page(browser, base, path, width)
        try:
            if (
                zoom != 1
            ):  # the reader's text zoom (through the DOM: the page's CSP allows no inline style)
                page.evaluate(f"document.documentElement.style.fontSize = '{100 * zoom}%'")
            wide = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth,"
                " [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && getComputedStyle(e).position !== 'absolute').slice(0, 3).map(e => e.tagName + '.' + e.className)]"
            )
            if wide[0] > wide[1] + 1:
                failures.append((name, path, "tràn ngang", wide))
            page.evaluate(AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            violations = [
                (v["id"], [n["target"] for n in v["nodes"]][:2]) for v in result["violations"]
            ]
            if violations:
                failures.append((name, path, "axe", violations))
            if errors:
                failures.append((name, path, "console", errors))
        finally:
            context.close()
    assert failures == [], failures


def test_the_reflow_check_catches_a_page_that_overflows(browser, served_site):
    base, _ = served_site
    context, page, *_ = open_page(browser, base, "/", 320)
    try:
        page.evaluate("document.querySelector('.site-header').style.width = '900px'")
        assert page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    finally:
        context.close()

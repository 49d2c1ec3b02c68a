"""Search on a phone (375 × 667): results on the first screen, the unit filter one tap away,
the theme's type and target sizes, the header box carrying the query, axe clean."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.browser.conftest import AXE, _Handler, free_port
from tests.browser.test_theme import settled_results
from tests.conftest import NOW, UNITS_YML, SiteMaker, article

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    """A small site, served on 127.0.0.1."""
    maker = SiteMaker(tmp_path_factory.mktemp("tim-kiem"))
    # A short name with markup is refused by the registry check (issue 33), so the
    # filter label's own escaping can no longer be reached through units.yml.
    maker.units(UNITS_YML)
    for n in range(6):
        unit = "don-vi-a" if n % 2 else "don-vi-b"
        maker.write(
            f"articles/{unit}/2026-01-0{n + 1}-hoi-thao-{n}.md",
            article(
                title=f"Hội thao công đoàn lần {n}",
                date=f"{NOW.year - 1}-0{n + 1}-10 08:00",
                summary="Đoàn viên thi đấu nhiều môn.",
                body="Hội thao công đoàn có kéo co, bóng bàn và cờ tướng. " * 20,
            ),
        )
    maker.build(SITEURL="http://127.0.0.1:8000")
    port = free_port()
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(_Handler, directory=str(maker.output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}", maker
    server.shutdown()
    server.server_close()


def phone(browser, base: str, path: str):
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="vi-VN")
    page = context.new_page()
    page.goto(base + path, wait_until="networkidle")
    return context, page


def test_results_come_first_on_a_phone(browser, search_site):
    base, _ = search_site
    context, page = phone(browser, base, "/tim-kiem/?q=hoi%20thao")
    try:
        assert settled_results(page)
        page.wait_for_selector("details.pagefind-ui__filter-block")
        page.wait_for_function("!document.querySelector('details.pagefind-ui__filter-block').open")
        first = page.locator(".pagefind-ui__result").first.bounding_box()
        assert first["y"] < 667, "the first result is on the first screen"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert page.input_value("#tim-kiem-nhanh") == "hoi thao", "the header box carries the query"
        # The filter opens with one tap on its summary.
        page.locator("summary.pagefind-ui__filter-name").first.click()
        assert page.evaluate("document.querySelector('details.pagefind-ui__filter-block').open")
        sizes = page.evaluate(
            """() => [...document.querySelectorAll(
                '.pagefind-ui__result-excerpt, .pagefind-ui__filter-label, .pagefind-ui__search-input')]
                .map(e => [e.className, parseFloat(getComputedStyle(e).fontSize),
                           getComputedStyle(e).fontFamily])"""
        )
        body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert sizes and all(size >= 16 for _, size, _ in sizes), sizes
        assert all(family == body_font for *_, family in sizes), sizes
        targets = page.evaluate(
            """() => [...document.querySelectorAll(
                '.pagefind-ui__filter-value, summary.pagefind-ui__filter-name')]
                .map(e => e.getBoundingClientRect().height)"""
        )
        assert targets and min(targets) >= 44, targets
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [v["id"] for v in result["violations"]] == []
    finally:
        context.close()

"""/thong-ke/ and its printable quarter on a 375 px phone: nothing scrolls sideways, axe is clean,
chart labels read at 12 px or more, a unit's name never breaks one word a line, and the public
text names no tool."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import AXE
from tests.browser.test_theme import PAGES, open_page

pytestmark = pytest.mark.browser

TOOL_WORDS = re.compile(
    r"\bloa (?:syndicate|report|check|new)\b|syndicate|Pagefind|LOA_|pelican", re.I
)


@pytest.mark.parametrize("name", ["thống kê", "báo cáo quý"])
def test_statistics_read_on_a_phone(browser, served_site, name):
    base, _ = served_site
    context, page, response, errors, _ = open_page(browser, base, PAGES[name], 375)
    try:
        assert response.status == 200 and not errors, errors
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        # Chart labels: the drawing's font size times its scale on screen.
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('svg.chart text')].map(t => {
                const svg = t.ownerSVGElement;
                return parseFloat(t.getAttribute('font-size')) * svg.clientWidth / svg.viewBox.baseVal.width;
            })"""
        )
        if name == "thống kê":
            assert sizes, "the charts have labels"
        assert all(size >= 12 for size in sizes), min(sizes)
        # A unit's name: as many lines as it needs, never one word a line.
        names = page.evaluate(
            """() => [...document.querySelectorAll('.unit-name, table.cards th[scope=row]')]
                .filter(e => e.offsetParent !== null)
                .map(e => {
                    const range = document.createRange();
                    const text = [...e.childNodes].filter(n => n.nodeType === 3).pop() || e;
                    range.selectNodeContents(text);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    return [e.textContent.trim(), lines.size];
                })"""
        )
        assert names, "unit names on the page"
        for text, lines in names:
            words = len(text.split())
            assert lines == 1 or lines < words, (text, lines)
        body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
        assert not TOOL_WORDS.search(body), TOOL_WORDS.search(body).group(0)
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
        ] == []
    finally:
        context.close()

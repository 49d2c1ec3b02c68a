"""The photo album in a real browser: keyboard, swipe, no layout shift, weight, and without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import AXE
from tests.browser.test_theme import open_page

pytestmark = pytest.mark.browser

ALBUM = "/van-phong-cuc/giai-chay-vi-suc-khoe-doan-vien/"
PHOTOS = 12
# What the page may fetch before the reader scrolls: HTML, CSS, scripts and the
# pictures in view (the cover) — the album's thumbnails wait until they are near.
BUDGET_BYTES = 400_000

SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) { window.__shift += entry.value; }
  }
}).observe({type: "layout-shift", buffered: true});
"""


def axe(page) -> list:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("width", [375, 1280])
def test_album_is_operable_with_the_keyboard_and_passes_axe(browser, served_site, width):
    base, _ = served_site
    context, page, response, errors, outside = open_page(browser, base, ALBUM, width)
    try:
        assert response.status == 200 and not errors and not outside
        links = page.locator(".album-link")
        assert links.count() == PHOTOS
        assert axe(page) == []
        links.first.focus()
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.album-viewer")
        assert dialog.evaluate("d => d.open")
        assert page.locator(".album-viewer-title").inner_text() == f"Ảnh 1/{PHOTOS}"
        shown = page.locator(".album-viewer-image")
        assert shown.get_attribute("alt") == links.first.locator("img").get_attribute("alt")
        assert page.evaluate("document.activeElement.closest('dialog') !== null"), (
            "focus is in the viewer"
        )
        page.keyboard.press("ArrowRight")
        assert page.locator(".album-viewer-title").inner_text() == f"Ảnh 2/{PHOTOS}"
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert page.locator(".album-viewer-title").inner_text() == f"Ảnh {PHOTOS}/{PHOTOS}"
        for _ in range(8):  # focus stays inside the modal dialog
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.closest('dialog') !== null")
        assert axe(page) == [], "the open viewer is accessible too"
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        assert page.evaluate("document.activeElement === document.querySelector('.album-link')"), (
            "focus returns to the photo the viewer was opened from"
        )
        # the buttons work with a click
        links.nth(4).click()
        page.get_by_role("button", name="Ảnh sau ›").click()
        assert page.locator(".album-viewer-title").inner_text() == f"Ảnh 6/{PHOTOS}"
        page.get_by_role("button", name="Đóng").click()
        assert not dialog.evaluate("d => d.open")
    finally:
        context.close()


def test_album_swipes_on_a_phone(browser, served_site):
    base, _ = served_site
    context, page, *_ = open_page(browser, base, ALBUM, 375)
    try:
        page.locator(".album-link").first.click()
        box = page.locator(".album-viewer").bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + box["width"] * 0.8, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=5)
        page.mouse.up()
        assert page.locator(".album-viewer-title").inner_text() == f"Ảnh 2/{PHOTOS}"
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_album_page_has_no_layout_shift_and_stays_in_budget_before_scrolling(
    browser, served_site, width
):
    base, _ = served_site
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    try:
        page.add_init_script(SHIFTS)
        page.goto(base + ALBUM, wait_until="networkidle")
        before = page.evaluate(
            """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                 .reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)"""
        )
        assert before <= BUDGET_BYTES, before
        # the album is below the fold, its thumbnails lazy (the browser fetches them
        # when they come near; Chromium's margin is generous, the budget above holds)
        assert page.evaluate(
            "document.querySelector('.album').getBoundingClientRect().top > window.innerHeight"
        )
        assert page.eval_on_selector_all(
            ".album-grid img",
            "imgs => imgs.every(i => i.loading === 'lazy' && i.width && i.height)",
        )
        page.locator(".album").scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function(  # every thumbnail loaded: then the layout has had its chance to shift
            # A function, not an expression: Playwright evals expressions, which the CSP forbids.
            "() => Array.from(document.querySelectorAll('.album-grid img'))"
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=60_000,
        )
        assert page.evaluate("window.__shift") < 0.01, "no layout shift as thumbnails load"
        loaded = page.evaluate(
            "Array.from(document.querySelectorAll('.album-grid img')).filter(i => i.complete && i.naturalWidth > 0).length"
        )
        assert loaded == PHOTOS
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()


def test_without_javascript_every_photo_is_reachable(browser, served_site):
    base, _ = served_site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(base + ALBUM)
        hrefs = page.eval_on_selector_all(".album-link", "links => links.map(a => a.href)")
        assert len(hrefs) == PHOTOS and len(set(hrefs)) == PHOTOS
        for href in hrefs:
            reply = context.request.get(href)
            assert reply.status == 200 and reply.headers["content-type"].startswith("image/"), href
        ids = page.eval_on_selector_all(".album-grid li", "items => items.map(i => i.id)")
        assert ids == [f"anh-{n}" for n in range(1, PHOTOS + 1)], "each photo has its own anchor"
        page.locator(".album-link").nth(2).click()
        assert page.url == hrefs[2], "the link opens the large photo itself"
    finally:
        context.close()

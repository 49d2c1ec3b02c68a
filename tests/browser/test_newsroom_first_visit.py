"""The newsroom shows life at once, and a later visit starts from the cache of the pinned bundle.

First visit: Decap's bundle (1.5 MB gzipped) is held back by the test; the page
must already say, in Vietnamese, what is loading. Once the bundle arrives, the
page opens (the sign-in form). Second visit: Decap's bundle comes from Loa's
service worker, not from the network.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_first_visit_says_what_is_loading_before_the_bundle_and_the_next_one_is_cached(
    browser, served_site
):
    base, _ = served_site
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    held = []
    def hold(route):  # answered below, once the sentence is seen
        held.append(route)

    page.route("**/quan-tri/vendor/decap-cms.js", hold)
    page.goto(f"{base}/quan-tri/", wait_until="commit")
    loading = page.get_by_role("status").filter(has_text="Đang mở phòng biên tập")
    loading.wait_for()
    assert held, "the sentence shows while Decap's bundle has not arrived"
    held[0].continue_()
    page.unroute("**/quan-tri/vendor/decap-cms.js")
    page.get_by_label("Mã truy cập GitHub").wait_for()
    assert page.locator("#loa-loading").count() == 0
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")

    from_worker = {}
    page.on(
        "response",
        lambda r: from_worker.__setitem__(r.url, r.from_service_worker) if "/quan-tri/" in r.url else None,
    )
    page.reload()
    page.get_by_label("Mã truy cập GitHub").wait_for()
    bundle = next(url for url in from_worker if url.endswith("/vendor/decap-cms.js"))
    assert from_worker[bundle] is True, from_worker
    context.close()

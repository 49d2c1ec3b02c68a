"""The newsroom shows life at once, lets the officer sign in before Decap's bundle is there,
and a later visit starts from the cache of the pinned bundle.

First visit: Decap's bundle (1.5 MB gzipped, ~2.5 s of script on a mid phone)
is held back by the test; the page must already say, in Vietnamese, what is
loading, then offer the token sign-in — with Decap's script not run yet. The
officer signs in; once the bundle arrives, the newsroom opens. Second visit:
Decap's bundle comes through Loa's service worker.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from loa.vietnamese import localize

from tests.conftest import NOW

pytestmark = pytest.mark.browser

BUNDLE = "**/quan-tri/vendor/decap-cms.js"
TOKEN = "github_pat_11AAAA_thu-nghiem"


def github(route):
    path = urlsplit(route.request.url).path
    if route.request.headers.get("authorization") != f"token {TOKEN}":
        route.fulfill(status=401, json={"message": "Bad credentials"})
    elif path == "/user":
        route.fulfill(json={"login": "lehoa", "name": "Lê Hoa", "avatar_url": ""})
    elif path == "/repos/loa-example/loa":
        route.fulfill(
            json={
                "name": "loa",
                "full_name": "loa-example/loa",
                "owner": {"login": "loa-example"},
                "permissions": {"admin": False, "push": True, "pull": True},
                "default_branch": "main",
            }
        )
    else:
        route.fulfill(status=404, json={"message": "Not Found"})


def test_the_first_visit_says_what_is_loading_signs_in_before_the_bundle_and_the_next_is_cached(
    browser, served_site
):
    base, _ = served_site
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.route("https://api.github.com/**", github)
    page = context.new_page()
    page.clock.install(time=NOW)
    held = []

    def hold(route):  # answered below, once the officer has signed in
        held.append(route)

    page.route(BUNDLE, hold)
    response = page.goto(f"{base}/quan-tri/", wait_until="commit")
    # The first paint says what is loading: the sentence is in the page itself, before any
    # script (the boot script replaces it with the sign-in as soon as the config is read,
    # which on a fast run happens before a wait for it could see it).
    assert 'role="status">Đang mở phòng biên tập' in response.text()
    # The sign-in needs none of Decap: it is there while the bundle is still on its way.
    page.get_by_label("Mã truy cập GitHub").fill(TOKEN)
    page.get_by_label("Ngày hết hạn của mã").fill(
        (localize(NOW).date() + dt.timedelta(days=60)).isoformat()
    )
    assert page.evaluate("typeof window.CMS") == "undefined"
    assert held, "the bundle is asked for (to be ready after sign-in) but has not arrived"
    assert page.locator("#loa-loading").count() == 0
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("status").filter(has_text="Đang mở phòng biên tập").wait_for()
    for route in held:
        route.continue_()
    page.unroute(BUNDLE)
    page.get_by_text("Bộ sưu tập").first.wait_for()
    assert page.locator("#loa-loading").count() == 0
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")

    from_worker = {}
    page.on(
        "response",
        lambda r: (
            from_worker.__setitem__(r.url, r.from_service_worker) if "/quan-tri/" in r.url else None
        ),
    )
    page.reload()
    page.get_by_text("Bộ sưu tập").first.wait_for()  # signed in: Decap loads at once
    bundle = next(url for url in from_worker if url.endswith("/vendor/decap-cms.js"))
    assert from_worker[bundle] is True, from_worker
    context.close()

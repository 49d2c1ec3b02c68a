"""The token sign-in's end: the newsroom tells the officer, in Vietnamese and before the
token stops working, when it ends and what to do, and the new token replaces the old.

GitHub does not let a page read a token's end (the header that carries it is not
exposed by its CORS policy), so the sign-in asks for the day GitHub showed. The
browser's clock is Playwright's, set from the suite's NOW: the dates are all
relative to it, and the test passes on any date.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest
from loa.vietnamese import localize

from tests.browser.conftest import AXE
from tests.browser.test_newsroom import shot
from tests.conftest import NOW

pytestmark = pytest.mark.browser

OLD, NEW = "github_pat_11AAAA_cu", "github_pat_11BBBB_moi"
HOUR = 3600 * 1000


def day(offset: int) -> dt.date:
    return localize(NOW).date() + dt.timedelta(days=offset)


def shown(date: dt.date) -> str:
    return date.strftime("%d/%m/%Y")  # as the site writes dates


@pytest.fixture
def phone(browser, served_site):
    """A 375 px phone in Vietnam at the suite's now, with GitHub's API answered locally."""
    base, _maker = served_site
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    seen: list[str] = []

    def github(route):
        request = route.request
        auth = request.headers.get("authorization", "")
        seen.append(auth)
        path = urlsplit(request.url).path
        if auth not in (f"token {OLD}", f"token {NEW}"):
            route.fulfill(status=401, json={"message": "Bad credentials"})
        elif path == "/user":
            route.fulfill(json={"login": "lehoa", "name": "Lê Hoa", "avatar_url": ""})
        elif path == "/repos/loa-example/loa":
            route.fulfill(json={
                "name": "loa", "full_name": "loa-example/loa", "owner": {"login": "loa-example"},
                "permissions": {"admin": False, "push": True, "pull": True}, "default_branch": "main",
            })  # fmt: skip
        else:
            route.fulfill(status=404, json={"message": "Not Found"})

    context.route("https://api.github.com/**", github)
    page = context.new_page()
    page.clock.install(time=NOW)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.base, page.seen = base, seen
    yield page
    context.close()


def stored(page) -> tuple[dict, dict]:
    return page.evaluate(
        "[JSON.parse(localStorage.getItem('decap-cms-user')), JSON.parse(localStorage.getItem('loa-token-expires'))]"
    )


def sideways(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_officer_is_reminded_a_week_before_the_token_ends_and_renews_it(phone):
    page = phone
    page.goto(f"{page.base}/quan-tri/")
    page.get_by_label("Ngày hết hạn của mã").wait_for()
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "async () => (await axe.run('.loa-signin', {resultTypes: ['violations']})).violations"
    )
    assert found == [], json.dumps(found, ensure_ascii=False)[:2000]
    # A day already past is refused at once, in words that say what to do; nothing is kept.
    page.get_by_label("Mã truy cập GitHub").fill(OLD)
    page.get_by_label("Ngày hết hạn của mã").fill(day(-1).isoformat())
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text(f"Ngày hết hạn {shown(day(-1))} đã qua").wait_for()
    assert page.evaluate("localStorage.getItem('decap-cms-user')") is None
    # Signed in with a token that ends in 20 days: no reminder yet.
    page.get_by_label("Ngày hết hạn của mã").fill(day(20).isoformat())
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for()
    user, expiry = stored(page)
    assert user["token"] == OLD and expiry == {"login": "lehoa", "expires": day(20).isoformat()}
    assert page.locator(".loa-expiry").count() == 0
    # The page stays open for two weeks: its hourly look at the calendar brings the reminder.
    page.clock.fast_forward(14 * 24 * HOUR)
    reminder = page.locator(".loa-expiry")
    reminder.get_by_text(f"hết hạn sau 6 ngày, ngày {shown(day(20))}").wait_for()
    assert (
        "Đổi mã" in reminder.inner_text()
        and "bài đang viết, hãy lưu trước" in reminder.inner_text()
    )
    guide = reminder.get_by_role("link", name="Cách tạo mã mới").get_attribute("href")
    assert guide.endswith("/CONTRIBUTING.md#dang-nhap")
    assert sideways(page) <= 0
    shot(page, "0b-nhac-doi-ma")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "async () => (await axe.run('.loa-expiry', {resultTypes: ['violations']})).violations"
    )
    assert found == [], json.dumps(found, ensure_ascii=False)[:2000]
    # Renewed from the reminder: the new token and its day replace the old; the page starts again.
    reminder.get_by_role("button", name="Đổi mã").click()
    form = page.locator(".loa-signin")
    form.get_by_label("Mã truy cập GitHub").fill(NEW)
    form.get_by_label("Ngày hết hạn của mã").fill(day(14 + 90).isoformat())
    with page.expect_navigation():
        form.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for()
    user, expiry = stored(page)
    assert user["token"] == NEW and expiry["expires"] == day(104).isoformat()
    assert page.locator(".loa-expiry").count() == 0
    assert f"token {NEW}" in page.seen
    assert page.errors == []


def test_on_the_last_day_and_after_it_the_reminder_is_urgent(phone):
    page = phone
    page.goto(f"{page.base}/quan-tri/")
    page.get_by_label("Mã truy cập GitHub").fill(OLD)
    page.get_by_label("Ngày hết hạn của mã").fill(day(3).isoformat())
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for()
    reminder = page.locator(".loa-expiry")
    reminder.get_by_text(f"hết hạn sau 3 ngày, ngày {shown(day(3))}").wait_for()
    reminder.get_by_role("button", name="Để sau").click()  # put off: gone until the next look
    assert reminder.count() == 0
    page.clock.fast_forward(3 * 24 * HOUR)
    reminder.get_by_text(f"hết hạn hôm nay ({shown(day(3))})").wait_for()
    assert reminder.get_attribute("role") == "alert"
    assert reminder.get_by_role("button", name="Để sau").count() == 0  # not put off on the last day
    page.clock.fast_forward(24 * HOUR)
    reminder.get_by_text(f"đã hết hạn ngày {shown(day(3))}: GitHub không nhận bài lưu").wait_for()
    assert sideways(page) <= 0
    # Opened again after that day: the sign-in says why at once (Decap could not start with it).
    page.reload()
    page.get_by_role("alert").filter(has_text=f"đã hết hạn ngày {shown(day(3))}").wait_for()
    page.get_by_label("Mã truy cập GitHub").fill(NEW)
    page.get_by_label("Ngày hết hạn của mã").fill(day(60).isoformat())
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for()
    assert stored(page)[0]["token"] == NEW and page.locator(".loa-expiry").count() == 0


def test_a_token_signed_in_before_reminders_asks_for_its_day(phone):
    """An officer signed in before the newsroom asked for the day is asked once, in the newsroom."""
    page = phone
    page.goto(f"{page.base}/quan-tri/")
    page.evaluate(
        "t => localStorage.setItem('decap-cms-user', JSON.stringify({token: t, backendName: 'github', login: 'lehoa'}))",
        OLD,
    )
    page.reload()
    reminder = page.locator(".loa-expiry")
    reminder.get_by_text("chưa biết ngày hết hạn").wait_for()
    reminder.get_by_label("Ngày hết hạn của mã").fill(day(5).isoformat())
    reminder.get_by_role("button", name="Ghi nhớ").click()
    reminder.get_by_text(f"hết hạn sau 5 ngày, ngày {shown(day(5))}").wait_for()
    assert stored(page)[1] == {"login": "lehoa", "expires": day(5).isoformat()}

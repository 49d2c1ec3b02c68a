"""Every screen of the newsroom at 375 px speaks Vietnamese and never scrolls sideways.

The English phrases are Decap's own (decap-cms-locales' ``en``, as installed),
less those its Vietnamese locale writes the same way ("Markdown", "URL"…). Each
screen an officer meets — a unit's list, a new article with its blocks open,
the photo picker, the workflow page — is scanned for any of them in its
visible text, and measured for sideways overflow.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from loa.vietnamese import localize

from tests.browser.test_newsroom import (  # noqa: F401 - the fixtures
    UNIT,
    newsroom,
    phone,
    shot,
)
from tests.conftest import NOW, REPO

pytestmark = pytest.mark.browser

LOCALES = REPO / "node_modules" / "decap-cms-locales" / "src"
_STRING = re.compile(r"""^\s*[A-Za-z_]+:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")""", re.M)


def phrases(locale: str) -> set[str]:
    text = (LOCALES / locale / "index.js").read_text(encoding="utf-8")
    out = set()
    for single, double in _STRING.findall(text):
        for raw in re.split(r"%\{\w+\}|\|\|\|\||\\n|[.:?!]", single or double):
            piece = raw.strip(" ,()'\"")
            if len(piece) >= 3 and re.search(r"[A-Za-z]{3}", piece):
                out.add(piece)
    return out


def english_phrases() -> list[str]:
    vietnamese = " ".join(phrases("vi"))
    return sorted(p for p in phrases("en") if p not in vietnamese)


# Visible text of the page and of the preview's frame; elements scrolled sideways.
VISIBLE = "() => document.body.innerText"
SIDEWAYS = """() => {
  const out = [];
  if (document.documentElement.scrollWidth > innerWidth + 1) out.push('page ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(el.className + ' ' + el.scrollWidth + '>' + el.clientWidth);
  }
  return out;
}"""


def found_english(text: str, english: list[str]) -> list[str]:
    return [p for p in english if re.search(r"(?<![\w])" + re.escape(p) + r"(?![\w])", text)]


def test_every_screen_is_vietnamese_and_fits_375_px(newsroom, phone):  # noqa: F811
    page, base = phone, newsroom["base"]
    english = english_phrases()
    assert {"Unpublished Entries", "Bold", "Expand", "Choose an image"} <= set(english)
    page.goto(f"{base}/quan-tri/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for()
    problems = {}

    def scan(name: str) -> None:
        page.wait_for_timeout(300)  # let the screen settle after its last request
        text = page.evaluate(VISIBLE)
        for frame in page.frames[1:]:
            with contextlib.suppress(Exception):  # a frame that went away while reading
                text += "\n" + frame.evaluate(VISIBLE)
        said = found_english(text, english)
        sideways = page.evaluate(SIDEWAYS)
        if said or sideways:
            problems[name] = (said, sideways)
        shot(page, f"man-hinh-{name}")

    # One article waiting for review: the list and the workflow page then show their own words.
    page.goto(f"{base}/quan-tri/#/collections/{UNIT}/new")
    page.fill('[id^="title-field-"]', "Bài chờ duyệt để xem chữ")
    page.fill('[id^="date-field-"]', localize(NOW).strftime("%Y-%m-%dT09:00"))
    page.fill('[id^="author-field-"]', "Lê Thị Hoa")
    page.fill('[id^="summary-field-"]', "Tóm tắt.")
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type("Nội dung.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Đã lưu bài").first.wait_for(timeout=30_000)
    scan("da-luu")

    page.goto(f"{base}/quan-tri/#/collections/{UNIT}")
    page.locator('a[href*="/entries/"]').first.wait_for()
    scan("danh-sach")
    # Newest first: the dates of the list, as the site writes them (dd/mm/yyyy), descending.
    listed = page.evaluate(VISIBLE)
    assert "Bài đang chờ duyệt" in listed  # the unpublished ones come last, under their own heading
    dates = re.findall(r"— (\d\d)/(\d\d)/(\d{4})", listed.split("Bài đang chờ duyệt")[0])
    assert len(dates) >= 2
    keys = [(y, m, d) for d, m, y in dates]
    assert keys == sorted(keys, reverse=True), dates

    page.goto(f"{base}/quan-tri/#/collections/{UNIT}/new")
    page.locator('[id^="title-field-"]').wait_for()
    for button in page.locator('[data-testid="expand-button"]').all():
        button.click()
    scan("bai-moi")
    page.get_by_role("button", name="Xem trước").click()
    scan("xem-truoc")
    page.get_by_role("button", name="Quay lại soạn bài").click()
    page.locator("[class*=FileWidgetButton]").first.click()
    page.get_by_role("button", name="Tải lên").wait_for()
    scan("chon-anh")
    page.keyboard.press("Escape")
    page.goto(f"{base}/quan-tri/#/workflow")
    page.get_by_text("Bài chờ duyệt để xem chữ").first.wait_for()
    scan("quy-trinh")
    card = page.locator("a", has_text="Bài chờ duyệt để xem chữ").first.inner_text()
    assert re.search(r"\d\d/\d\d/\d{4}", card), card  # the date as the site writes it
    assert problems == {}

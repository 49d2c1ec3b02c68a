"""Nothing in the newsroom touches the default branch: publishing is the unit admins' merge.

Every media-library action the screen offers is driven at 375 px (open the
standalone library, upload, choose a published picture, and the deletion the
screen no longer offers, forced through its hidden button); the article is
saved and its status changed. The default branch must end exactly where it
began, and the picture a published article uses must still be there.
"""

from __future__ import annotations

import pytest
from loa.vietnamese import localize
from playwright.sync_api import expect

from tests.browser.test_newsroom import (  # noqa: F401 - the fixtures
    MEDIA_INPUT,
    UNIT,
    branches,
    cover,
    git,
    keep_texts,
    newsroom,
    open_new_article,
    phone,
    save_and_wait,
    shot,
    text_was_shown,
)
from tests.conftest import NOW

pytestmark = pytest.mark.browser

USED = "hoi-nghi-nguoi-lao-dong.jpg"  # the cover of a published article of the sample


# Decap's picture grid is react-window's: while it scrolls (and ~150 ms after), its
# cards take no pointer events, and a tap falls on the grid. Scroll the picture into
# view, wait until the grid has taken taps for a few frames running, then tap.
SETTLED = """card => new Promise((done) => {
  let quiet = 0;
  const look = () => {
    quiet = getComputedStyle(card).pointerEvents === "none" ? 0 : quiet + 1;
    if (quiet >= 3) done(); else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})"""


def tap_picture(page, name: str) -> None:
    card = page.get_by_text(name).first
    card.scroll_into_view_if_needed()
    card.evaluate(SETTLED)
    card.click()


def main_state(repo):
    return git(repo, "rev-parse", "main").strip(), git(repo, "ls-tree", "-r", "--name-only", "main")


def test_no_media_library_action_reaches_the_default_branch(newsroom, phone, tmp_path):  # noqa: F811
    page, repo = phone, newsroom["repo"]
    before = main_state(repo)
    assert f"content/images/{UNIT}/{USED}" in before[1]
    open_new_article(page, newsroom["base"])

    # The standalone library (the header's button, its address) is not offered.
    assert page.get_by_role("button", name="Ảnh", exact=True).count() == 0
    page.goto(f"{newsroom['base']}/quan-tri/#/media")
    page.wait_for_function("() => !location.hash.startsWith('#/media')")
    page.goto(f"{newsroom['base']}/quan-tri/#/collections/{UNIT}/new")
    page.locator('[id^="title-field-"]').fill("Không có gì lên nhánh chính")

    # The article's own picker: upload, choose; no delete button on screen.
    page.locator("[class*=FileWidgetButton]").first.click()
    page.get_by_role("button", name="Tải lên").wait_for()
    page.set_input_files(MEDIA_INPUT, str(cover(tmp_path / "anh-moi.jpg")))
    page.get_by_text("anh-moi.jpg").first.wait_for()
    choose = page.get_by_role("button", name="Lấy những cái đã chọn")
    # Decap selects a new upload once it is stored, which may come after its name is
    # listed: wait for that selection, or it would replace the tap below (and the
    # forced deletion would then remove the entry's own, unsaved upload).
    expect(choose).to_be_enabled()
    tap_picture(page, USED)
    expect(choose).to_be_enabled()  # the published picture is selected
    delete = page.locator("button", has_text="Xoá ảnh đã chọn")
    assert delete.count() == 1 and not delete.is_visible()
    shot(page, "8-thu-vien-anh")
    # Forced through the hidden button (a script, an old screen): refused, nothing deleted.
    keep_texts(page)
    page.once("dialog", lambda dialog: dialog.accept())
    delete.evaluate("button => button.click()")
    text_was_shown(page, "Phòng biên tập không xoá gì trên trang đã đăng")
    # Decap's own words around it ("Failed to delete media: …") are put in Vietnamese.
    assert page.evaluate("window.loaTexts.some((seen) => seen.includes('Không xoá được: Phòng biên tập'))")
    assert not page.evaluate("window.loaTexts.some((seen) => seen.includes('Failed to'))")
    assert main_state(repo) == before

    # Choosing the published picture only names it in this article.
    if not choose.is_enabled():  # the refused deletion may have cleared the selection
        tap_picture(page, USED)
    expect(choose).to_be_enabled()
    choose.click()
    choose.wait_for(state="detached")  # the library closed, the picture in the field
    page.fill('[id^="image_alt-field-"]', "Hội nghị người lao động")
    page.fill('[id^="summary-field-"]', "Thử mọi thao tác với ảnh.")
    page.fill('[id^="author-field-"]', "Lê Thị Hoa")
    page.fill('[id^="date-field-"]', localize(NOW).strftime("%Y-%m-%dT09:00"))
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type("Nội dung.")
    # Posting nowhere is one tick: the preview then names no account, the file says `false`.
    page.get_by_label("Không đăng lên mạng xã hội (chỉ đăng trên trang)").check()
    page.get_by_role("button", name="Xem trước").click()
    preview = page.frame_locator("iframe").first
    preview.get_by_text("Bài này không đăng lên kênh nào").wait_for()
    assert preview.locator(".loa-channel").count() == 0
    page.get_by_role("button", name="Quay lại soạn bài").click()
    saved_before = branches(repo)
    save_and_wait(page)
    new = sorted(set(branches(repo)) - set(saved_before))
    assert len(new) == 1 and new[0] != "main"
    changed = git(repo, "diff", "--name-only", f"main...{new[0]}").split()
    article = next(path for path in changed if path.endswith(".md"))
    assert "\nsyndicate: false\n" in git(repo, "show", f"{new[0]}:{article}")
    # No "publish" button; the status offers Loa's two states, not "ready to publish".
    assert page.get_by_role("button", name="Đăng", exact=True).count() == 0
    page.get_by_text("Trạng thái: Bản nháp").click()
    page.get_by_role("menuitem", name="Gửi duyệt").wait_for()
    assert page.get_by_role("menuitem", name="Sẵn sàng đăng").count() == 0
    page.get_by_role("menuitem", name="Gửi duyệt").click()
    page.get_by_text("Trạng thái: Gửi duyệt").wait_for()

    assert main_state(repo) == before
    assert git(repo, "cat-file", "-t", f"main:content/images/{UNIT}/{USED}").strip() == "blob"
    assert page.elsewhere == []

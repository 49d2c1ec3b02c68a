"""The video block of the newsroom's form at 375 px: the reader's fields, the same refusals as
``loa check`` before anything is saved, ``transcript: true`` as a box, and a preview that
plays as the site does (no autoplay, nothing loaded before play, Vietnamese captions on).
"""

from __future__ import annotations

import pytest
from loa.frontmatter import parse_document
from loa.frontmatter.video import TRANSCRIPT_MISSING, missing_message
from loa.vietnamese import localize

from tests.browser.test_newsroom import (  # noqa: F401 - the fixtures
    UNIT,
    branches,
    git,
    newsroom,
    open_new_article,
    phone,
    save,
    save_and_wait,
    shot,
)
from tests.conftest import NOW

pytestmark = pytest.mark.browser

SRC = f"videos/{UNIT}/hoi-thao.mp4"
CAPTIONS = f"videos/{UNIT}/hoi-thao.vi.srt"
SRT = "1\n00:00:00,500 --> 00:00:02,000\nCông đoàn Cục — hội thao mừng Xuân\n"


def test_the_video_block_refuses_what_loa_check_refuses_then_saves_the_readers_yaml(
    newsroom, phone  # noqa: F811 - the fixtures imported above
):
    page, repo = phone, newsroom["repo"]
    open_new_article(page, newsroom["base"])
    page.fill('[id^="title-field-"]', "Video hội thao mừng Xuân")
    written = min(localize(NOW).replace(hour=9, minute=0), localize(NOW).replace(second=0))
    page.fill('[id^="date-field-"]', written.strftime("%Y-%m-%dT%H:%M"))
    page.fill('[id^="author-field-"]', "Lê Thị Hoa")
    page.fill('[id^="summary-field-"]', "Một phút hội thao, có phụ đề tiếng Việt.")
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type("Người dẫn: chào mừng đoàn viên đến hội thao. Hình: các đội kéo co.")
    for button in page.locator('[data-testid="expand-button"]').all():
        button.click()
    before = (branches(repo), git(repo, "log", "--all", "--format=%H"))

    # The clip alone: refused under the block with loa check's sentence, nothing sent.
    saves = []
    page.on("request", lambda r: saves.append(r.url) if "persistEntry" in (r.post_data or "") else None)
    page.fill('[id^="src-field-"]', SRC)
    save(page)
    page.locator("li", has_text=missing_message("captions")).wait_for()
    page.fill('[id^="captions-field-"]', CAPTIONS)
    save(page)
    page.locator("li", has_text=TRANSCRIPT_MISSING).wait_for()
    assert saves == []
    assert (branches(repo), git(repo, "log", "--all", "--format=%H")) == before
    # Decap rejects a save its form stopped with an unhandled promise (``undefined``), as
    # for any field in error: those are expected; nothing else may fail from here on.
    refused = list(page.errors)
    assert set(refused) <= {"undefined"}, refused

    # The body is the transcript: one box; a poster frame at 3.5 s.
    page.get_by_label("Phần nội dung bài đã thuật lại lời nói và hình ảnh").check()
    page.fill('[id^="poster_time-field-"]', "3.5")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The preview: a player that loads nothing before play, captions on, the transcript's place said.
    page.get_by_role("button", name="Xem trước").click()
    preview = page.frame_locator("#preview-pane").first
    video = preview.locator("figure.loa-video video")
    video.wait_for()
    assert video.get_attribute("preload") == "none" and video.get_attribute("autoplay") is None
    assert video.evaluate("v => v.controls && v.playsInline")
    preview.get_by_text("Lời thoại và mô tả hình ảnh của video nằm trong bài viết").wait_for()
    shot(page, "9-video")
    page.get_by_role("button", name="Quay lại soạn bài").click()

    saved = branches(repo)
    save_and_wait(page)
    new = sorted(set(branches(repo)) - set(saved))
    assert len(new) == 1
    article = next(p for p in git(repo, "diff", "--name-only", f"main...{new[0]}").split() if p.endswith(".md"))
    text = git(repo, "show", f"{new[0]}:{article}")
    document = parse_document(text, article)
    assert [f.message for f in document.findings if f.is_error] == []
    video_record = document.fields["video"]
    assert (video_record.src, video_record.captions) == (SRC, CAPTIONS)
    assert video_record.transcript is True and video_record.poster_time == 3.5
    assert page.elsewhere == [] and page.errors == refused


def test_an_srt_file_becomes_the_previews_captions(newsroom, phone):  # noqa: F811
    """A published SRT caption file is turned into WebVTT for the preview's <track>, on by default."""
    page = phone
    published = newsroom["site"].output / "videos" / UNIT / "da-dang.vi.srt"
    published.parent.mkdir(parents=True, exist_ok=True)
    published.write_text(SRT, encoding="utf-8")
    open_new_article(page, newsroom["base"])
    page.fill('[id^="title-field-"]', "Phụ đề trong xem trước")
    for button in page.locator('[data-testid="expand-button"]').all():
        button.click()
    page.fill('[id^="src-field-"]', SRC)
    page.fill('[id^="captions-field-"]', f"videos/{UNIT}/da-dang.vi.srt")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.frame_locator("#preview-pane").first
    track = preview.locator("figure.loa-video track")
    track.wait_for(state="attached")
    assert track.get_attribute("srclang") == "vi" and track.get_attribute("kind") == "captions"
    cues = track.evaluate(
        """t => new Promise((done) => {
          const read = () => done(Array.from(t.track.cues || []).map((c) => [c.startTime, c.text]));
          t.track.mode = "showing";
          if (t.readyState === 2) read(); else t.addEventListener("load", read, {once: true});
        })"""
    )
    assert cues == [[0.5, "Công đoàn Cục — hội thao mừng Xuân"]]
    assert track.evaluate("t => t.default") is True
    assert page.elsewhere == [] and page.errors == []

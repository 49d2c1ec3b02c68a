"""The video page in Chromium: captions on by default, nothing but the poster before play, axe clean.

The clip is made by the bundled ffmpeg; the site is built and served from 127.0.0.1.
"""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.browser.conftest import _Handler, free_port
from tests.browser.test_album import axe
from tests.browser.test_theme import open_page
from tests.conftest import SiteMaker, article
from tests.video.clips import SRT, make_clip

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGE = "/don-vi-a/hoi-thao-video/"
VIDEO = (
    "\n  src: videos/don-vi-a/clip.mp4\n  captions: videos/don-vi-a/clip.vi.srt"
    '\n  poster_time: 1\n  transcript: "Tiếng nhạc nền. Người dẫn: Công đoàn Việt Nam — Đà Nẵng."'
)


# Event-based waits (the page's CSP forbids the string evaluation wait_for_function uses).
TRACK_LOADED = """async () => {
  const track = document.querySelector('video track');
  if (track.readyState !== 2) {
    await new Promise((done) => track.addEventListener('load', done, {once: true}));
  }
  return track.track.mode;
}"""
FIRST_CUE = """async () => {
  const video = document.querySelector('video');
  const track = video.textTracks[0];
  const shown = new Promise((done) => track.addEventListener('cuechange', () => {
    if (track.activeCues.length) { done(track.activeCues[0].text); }
  }));
  video.muted = true;
  await video.play();
  return await shown;
}"""


@pytest.fixture(scope="module")
def video_site(tmp_path_factory):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    maker = SiteMaker(tmp_path_factory.mktemp("video-browser"))
    make_clip(maker.content / "videos" / "don-vi-a" / "clip.mp4", size="360x640")
    maker.write("videos/don-vi-a/clip.vi.srt", SRT)
    maker.write(
        "articles/don-vi-a/2026-11-20-hoi-thao-video.md",
        article(title="Hội thao video", slug="hoi-thao-video", video=VIDEO),
    )
    maker.build(SITEURL=base)
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(_Handler, directory=str(maker.output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, maker
    server.shutdown()
    server.server_close()


def test_captions_are_on_by_default_and_the_page_is_accessible(browser, video_site):
    base, _ = video_site
    context, page, response, errors, outside = open_page(browser, base, PAGE, 375)
    try:
        assert response.status == 200 and not errors and not outside
        assert axe(page) == []
        page.evaluate(TRACK_LOADED)
        track = page.evaluate(
            "(() => { const t = document.querySelector('video').textTracks[0];"
            " return [t.kind, t.language, t.mode]; })()"
        )
        assert track == ["captions", "vi", "showing"]
        assert page.evaluate("document.querySelector('video').paused")
        assert page.locator("#video-loi").inner_text().startswith("Lời thoại")
        video = page.locator("video")
        video.focus()
        assert page.evaluate("document.activeElement.tagName") == "VIDEO", "reachable by keyboard"
    finally:
        context.close()


def test_before_play_only_the_poster_and_the_captions_are_fetched(browser, video_site):
    base, maker = video_site
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="vi-VN")
    page = context.new_page()
    fetched: dict[str, int] = {}
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.on("requestfinished", lambda r: fetched.__setitem__(r.url, r.sizes()["responseBodySize"]))
    try:
        page.goto(base + PAGE, wait_until="networkidle")
        media = {url: size for url, size in fetched.items() if "/video/" in url}
        assert not any(url.endswith(".mp4") for url in asked), "no clip bytes before play"
        (poster,) = maker.output.joinpath("video").rglob("poster.jpg")
        assert sum(media.values()) <= poster.stat().st_size + 4_000, media
        can_play = page.evaluate(
            "document.querySelector('video').canPlayType('video/mp4; codecs=\"avc1.640028, mp4a.40.2\"')"
        )
        if can_play:
            cue = page.evaluate(FIRST_CUE)
            assert cue and "Đà Nẵng" in cue
            assert any(url.endswith("web.mp4") for url in asked), "play fetches the web rendition"
    finally:
        context.close()

"""The build encodes a clip once: web, social and burned-in renditions; the page shows the player.

Marked ``slow``: three short encodes (a few seconds on two cores).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from loa.video import ffmpeg
from PIL import Image, ImageChops, ImageStat

from tests.conftest import SiteMaker, article
from tests.video.clips import SRT, make_clip

pytestmark = pytest.mark.slow
UNIT = "don-vi-a"
VIDEO = (
    "\n  src: videos/don-vi-a/hoi-thao.mp4\n  captions: videos/don-vi-a/hoi-thao.vi.srt"
    "\n  poster_time: 1.5\n  transcript: true"
)


def frame(path: Path, at: float) -> Image.Image:
    """One decoded frame of a rendition, as an image (decoded by the bundled ffmpeg)."""
    target = path.parent / f"{path.stem}-{at}.png"
    ffmpeg.run(
        ["-ss", str(at), *ffmpeg.input_args(path), "-frames:v", "1", str(target)], timeout=60
    )
    with Image.open(target) as image:
        return image.convert("RGB")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("video-site")
    maker = SiteMaker(root / "site")
    make_clip(maker.content / "videos" / UNIT / "hoi-thao.mp4", size="480x270")  # 16:9
    maker.write(f"videos/{UNIT}/hoi-thao.vi.srt", SRT)
    maker.write(
        f"articles/{UNIT}/2026-11-20-hoi-thao.md",
        article(
            title="Hội thao công nhân", video=VIDEO, body="Lời dẫn: Công đoàn Việt Nam — Đà Nẵng."
        ),
    )
    maker.build()
    return maker


def test_the_page_has_a_player_with_captions_on_and_no_autoplay(built):
    html = built.read(f"{UNIT}/hoi-thao/index.html")
    (video,) = re.findall(r"<video[^>]*>", html)
    assert 'preload="none"' in video and "playsinline" in video and "controls" in video
    assert "autoplay" not in html and 'poster="https://vi-du.example.vn/video/' in video
    (track,) = re.findall(r"<track[^>]*>", html)
    assert 'kind="captions"' in track and 'srclang="vi"' in track and " default" in track
    assert "Lời thoại và mô tả hình ảnh của video nằm trong bài viết" in html
    src = re.search(r'<source src="https://vi-du.example.vn/([^"]+)"', html)[1]
    web = built.output / src
    assert web.read_bytes()[4:8] == b"ftyp" and web.read_bytes().index(
        b"moov"
    ) < web.read_bytes().index(b"mdat")
    vtt = built.output / re.search(r'src="https://vi-du.example.vn/([^"]+\.vtt)"', track)[1]
    assert vtt.read_text(encoding="utf-8").startswith("WEBVTT\n") and "ẵ" in vtt.read_text(
        encoding="utf-8"
    )


def test_social_renditions_stay_off_the_site_and_are_9_16(built):
    assert not list(built.output.rglob("social*.mp4")), "the site serves the web rendition only"
    social = built.root / "social-video"
    (burned,) = social.rglob("burned.mp4")
    (clean,) = social.rglob("social.mp4")
    for path in (burned, clean):
        assert frame(path, 0.2).size == (1080, 1920)
    with Image.open(next(social.rglob("thumb.jpg"))) as thumb:
        assert max(thumb.size) <= 320


def test_the_burned_in_frame_differs_from_the_clean_one_where_the_caption_sits(built):
    social = built.root / "social-video"
    burned = frame(next(social.rglob("burned.mp4")), 2.0)
    clean = frame(next(social.rglob("social.mp4")), 2.0)
    diff = ImageChops.difference(burned, clean)
    caption_band = diff.crop(
        (0, 1500, 1080, 1920)
    )  # the letterbox's lower band, where libass draws
    picture = diff.crop((0, 700, 1080, 1200))  # the picture itself, untouched
    assert ImageStat.Stat(caption_band).mean[0] > 5 * (ImageStat.Stat(picture).mean[0] + 0.5)
    assert caption_band.getbbox() is not None


def test_a_rebuild_encodes_nothing(built, caplog):
    cached = sorted((built.root / "cache" / "loa-video").rglob("*.mp4"))
    stamps = [p.stat().st_mtime_ns for p in cached]
    shutil.rmtree(built.output)
    with caplog.at_level("INFO", logger="loa.video.encode"):
        built.build()
    assert "Mã hoá video" not in caplog.text
    assert [p.stat().st_mtime_ns for p in cached] == stamps
    assert list((built.output / "video").rglob("web.mp4"))


def test_poster_is_a_jpeg_frame_sized_like_the_player(built):
    (poster,) = (built.output / "video").rglob("poster.jpg")
    with Image.open(io.BytesIO(poster.read_bytes())) as image:
        assert image.format == "JPEG" and image.size == (480, 270)


def test_a_git_lfs_pointer_with_cached_renditions_builds_and_fetches_nothing(built, caplog):
    """CI checks out pointers; the cache (keyed like LFS, by SHA-256) spares the download."""
    import hashlib
    import subprocess
    import sys

    clip = built.content / "videos" / UNIT / "hoi-thao.mp4"
    data = clip.read_bytes()
    oid = hashlib.sha256(data).hexdigest()
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(data)}\n"
    script = [sys.executable, "-m", "loa.video.fetch", str(built.root)]
    try:
        clip.write_text(pointer, encoding="ascii")
        fetch = subprocess.run(script, capture_output=True, text=True, check=True)
        assert fetch.stdout.strip() == ""  # everything is in the cache: nothing to pull
        shutil.rmtree(built.output)
        with caplog.at_level("INFO", logger="loa.video.encode"):
            built.build()
        assert "Mã hoá video" not in caplog.text
        assert list((built.output / "video").rglob("web.mp4"))
        # New captions need a new burned-in copy: that clip must be fetched.
        built.write(f"videos/{UNIT}/hoi-thao.vi.srt", SRT.replace("Đà Nẵng", "Huế"))
        fetch = subprocess.run(script, capture_output=True, text=True, check=True)
        assert fetch.stdout.strip() == f"content/videos/{UNIT}/hoi-thao.mp4"
    finally:
        clip.write_bytes(data)
        built.write(f"videos/{UNIT}/hoi-thao.vi.srt", SRT)

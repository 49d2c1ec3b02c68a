"""Native video posts against the fakes: Telegram sendVideo, X chunked upload polled across runs.

Each run of ``loa syndicate publish`` is the real command; between runs the X
fake answers STATUS with the next scripted state, so "processing", "failed" and
"timed out" happen across runs, never by a sleep inside one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import signal
import subprocess
import time

import pytest
from loa import clock

from tests.fakes.server import Reply
from tests.syndication.harness import Chain
from tests.video.clips import SRT, make_clip

pytestmark = pytest.mark.slow
UNIT = "don-vi-a"
ACCOUNT = {
    "zalo": "400000000000000002",
    "facebook": "100000000002",
    "instagram": "17800000000000002",
    "x": "tai_khoan_2",
    "telegram": "-100100000002",
    "tiktok": "tiktok.2",
}  # the unit's accounts (the department's too)
VIDEO = (
    "\n  src: videos/don-vi-a/clip.mp4\n  captions: videos/don-vi-a/clip.vi.srt"
    "\n  poster_time: 1\n  transcript: true"
)


@pytest.fixture(scope="module")
def encoded(tmp_path_factory):
    """One clip and its renditions, made once: each chain's build finds them in its cache."""
    folder = tmp_path_factory.mktemp("encoded")
    clip = make_clip(folder / "clip.mp4")
    maker = Chain(folder / "once", platforms=())
    maker.site.write(f"videos/{UNIT}/clip.mp4", clip.read_bytes())
    maker.site.write(f"videos/{UNIT}/clip.vi.srt", SRT)
    maker.write_article(UNIT, "hoi-thao", hours_ago=1, video=VIDEO, body="Lời dẫn.")
    maker.build()
    maker.close()
    return clip, maker.site.root / "cache" / "loa-video"


@pytest.fixture
def chain(tmp_path, encoded):
    clip, cache = encoded
    chain = Chain(tmp_path, platforms=("telegram", "x", "facebook", "threads"))
    chain.write_article("don-vi-b", "cu", hours_ago=40)
    chain.build()
    assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0
    shutil.copytree(cache, chain.site.root / "cache" / "loa-video")
    chain.site.write(f"videos/{UNIT}/clip.mp4", clip.read_bytes())
    chain.site.write(f"videos/{UNIT}/clip.vi.srt", SRT)
    chain.write_article(
        UNIT, "hoi-thao", hours_ago=1, video=VIDEO, body="Lời dẫn và mô tả hình ảnh."
    )
    chain.build()
    yield chain
    chain.close()


def ledger_entries(chain: Chain) -> list[dict]:
    """Every entry of the ledger's posts.jsonl, in order."""
    text = subprocess.run(
        ["git", "--git-dir", str(chain.remote), "show", "loa-ledger:posts.jsonl"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def ledger_states(chain: Chain, platform: str) -> list[str]:
    """The states written, in order, for the unit's account on ``platform``."""
    return [
        e["state"]
        for e in ledger_entries(chain)
        if e["channel"] == platform
        and e["article"] == "/don-vi-a/hoi-thao/"
        and e["account"] == ACCOUNT[platform]
    ]


def x_posts(chain: Chain) -> list[dict]:
    return [p for p in chain.x.app.posts if "hoi-thao" in p["text"]]


def video_posts(chain: Chain, platform: str) -> list[dict]:
    return [
        p
        for p in chain.fakes[platform].app.posts
        if p.get("method") == "sendvideo" or "subtitles" in p
    ]


def test_plan_says_what_each_network_gets_of_the_video(chain):
    plan = chain.loa("syndicate", "plan")
    assert plan.returncode == 0, plan.stderr
    text = " ".join(plan.stdout.split())  # the plan wraps between words to the terminal
    assert "Video: bản 1080×1920, phụ đề in sẵn, 4 giây" in text  # Telegram
    assert "Video: bản 720p, kèm phụ đề SRT, 4 giây" in text  # X
    assert "Video: bản 1080×1920, kèm tệp phụ đề SRT, 4 giây" in text  # Facebook
    assert "Không đăng video lên Threads" not in text  # Threads downloads the burned-in copy


def test_telegram_gets_the_burned_in_video_once_and_x_posts_after_processing(chain):
    burned = next((chain.site.root / "social-video").rglob("burned.mp4")).read_bytes()
    first = chain.loa("syndicate", "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    sent, _department = [p for p in chain.telegram.app.posts if p["method"] == "sendvideo"]
    assert sent["video_sha"] == hashlib.sha256(burned).hexdigest() and sent["thumb_bytes"] > 0
    assert sent["supports_streaming"] == "true" and "Bài hoi-thao" in sent["caption"]
    # X took the video and is processing it: no post yet, the ledger says so.
    assert x_posts(chain) == []
    assert ledger_states(chain, "x")[-1] == "processing"
    assert "video đang được xử lý" in first.stdout
    chunks = [r for r in chain.x.requests if r.path.endswith("/append")]
    assert chunks and all(len(r.body) < 6 * 1024 * 1024 for r in chunks)

    second = chain.loa("syndicate", "publish")  # STATUS: in_progress
    assert second.returncode == 0, second.stdout + second.stderr
    assert "đang được nền tảng xử lý" in second.stdout
    assert x_posts(chain) == []

    third = chain.loa("syndicate", "publish")  # STATUS: succeeded → claimed → posted
    assert third.returncode == 0, third.stdout + third.stderr
    post, _department = x_posts(chain)
    social = next((chain.site.root / "social-video").rglob("social.mp4")).read_bytes()
    page_videos = [v for v in chain.facebook.app.videos.values() if v["published"]]
    assert len(page_videos) == 2 and all(v["state"] == "ready" for v in page_videos)
    assert all(
        hashlib.sha256(v["data"]).digest() == hashlib.sha256(social).digest() for v in page_videos
    )
    assert (
        page_videos[0]["captions"]["locale"] == "vi_VN"
        and "Đà Nẵng" in page_videos[0]["captions"]["srt"]
    )
    assert ledger_states(chain, "facebook")[-2:] == ["processing", "posted"]
    assert post["subtitles"][0]["language"] == "VI" and "Đà Nẵng" in post["subtitles"][0]["srt"]
    assert ledger_states(chain, "x")[-3:] == ["processing", "claimed", "posted"]

    chain.loa("syndicate", "publish")
    assert len(x_posts(chain)) == 2  # one per account, never again
    assert len([p for p in chain.telegram.app.posts if p["method"] == "sendvideo"]) == 2
    uploads = [r for r in chain.x.requests if r.path.endswith("/initialize")]
    assert len(uploads) == 4  # per account: the video and its SRT, once
    chain.assert_no_canary()


def test_a_failed_processing_is_uploaded_again_within_the_attempts(chain):
    chain.x.app.video_states[:] = ["failed"]
    chain.loa("syndicate", "publish")  # uploaded, processing
    chain.x.app.video_states[:] = ["succeeded"]
    failed = chain.loa(
        "syndicate", "publish"
    )  # STATUS failed → recorded, uploaded again (attempt 2)
    assert "X không xử lý được video" in failed.stdout
    assert ledger_states(chain, "x") == ["claimed", "processing", "failed", "claimed", "processing"]
    assert x_posts(chain) == []
    chain.loa("syndicate", "publish")
    assert len(x_posts(chain)) == 2
    assert ledger_states(chain, "x")[-2:] == ["claimed", "posted"]


def test_processing_past_a_day_fails_and_is_never_posted_twice(chain):
    chain.x.app.video_states[:] = ["in_progress"] * 3
    chain.loa("syndicate", "publish")
    later = (clock.now() + dt.timedelta(hours=25)).isoformat()
    timed_out = chain.loa("syndicate", "publish", env={clock.ENV: later})
    assert "xử lý video quá 24 giờ" in timed_out.stdout
    assert ledger_states(chain, "x")[:3] == ["claimed", "processing", "failed"]
    assert x_posts(chain) == []


def test_a_crash_while_publishing_a_processed_video_never_makes_two_posts(chain):
    chain.x.app.video_states[:] = ["succeeded"]
    chain.loa("syndicate", "publish")  # uploaded, processing
    # The post call is held; the run is killed while it waits: a crash mid-publish.
    chain.x.fail(Reply(201, {"data": {"id": "1"}}, delay=600), match="/2/tweets", times=2)
    process = chain.spawn("syndicate", "publish", env={"LOA_HTTP_TIMEOUT": "600"})
    while not chain.x.calls("/2/tweets", "POST") and process.poll() is None:
        time.sleep(0.05)
    assert chain.x.calls("/2/tweets", "POST"), "the run reached the publishing call"
    (held,) = chain.x.calls("/2/tweets", "POST")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    chain.outputs += [process.stdout.read(), process.stderr.read()]
    chain.x.clear()
    again = chain.loa("syndicate", "publish")
    assert "Chưa rõ" in again.stdout
    reposted = [
        r for r in chain.x.calls("/2/tweets", "POST") if r.json["media"] == held.json["media"]
    ]
    assert reposted == [], "the video whose publishing was cut is not posted again"
    assert "unknown" in {
        r["state"]
        for r in json.loads(chain.loa("syndicate", "status", "--format", "json").stdout)
        if r["article"] == "/don-vi-a/hoi-thao/" and r.get("platform", r.get("channel")) == "x"
    }


def test_tiktok_chunk_plan_follows_the_transfer_guide():
    from loa.syndication.channels.tiktok import MB, chunk_plan

    assert chunk_plan(3 * MB) == (3 * MB, 1)  # under 5 MB: whole
    assert chunk_plan(50 * MB) == (50 * MB, 1)  # up to 64 MB: one chunk
    size = 200 * MB + 123
    chunk, count = chunk_plan(size)
    assert 5 * MB <= chunk <= 64 * MB and count == size // chunk == 20
    assert size - chunk * (count - 1) <= 128 * MB  # the last chunk takes the rest


def one_network_chain(tmp_path, encoded, platform: str) -> Chain:
    clip, cache = encoded
    chain = Chain(tmp_path, platforms=(platform,))
    chain.write_article("don-vi-b", "cu", hours_ago=40)
    chain.build()
    assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0
    shutil.copytree(cache, chain.site.root / "cache" / "loa-video")
    chain.site.write(f"videos/{UNIT}/clip.mp4", clip.read_bytes())
    chain.site.write(f"videos/{UNIT}/clip.vi.srt", SRT)
    chain.write_article(
        UNIT, "hoi-thao", hours_ago=1, video=VIDEO, body="Lời dẫn và mô tả hình ảnh."
    )
    chain.build()
    return chain


@pytest.fixture
def network(tmp_path, encoded):
    """``network("threads")``: a chain posting to one network, closed after the test."""
    made = []

    def make(platform: str) -> Chain:
        made.append(one_network_chain(tmp_path / platform, encoded, platform))
        return made[-1]

    yield make
    for chain in made:
        chain.close()


@pytest.fixture
def tiktok_chain(tmp_path, encoded):
    chain = one_network_chain(tmp_path, encoded, "tiktok")
    yield chain
    chain.close()


def test_instagram_reel_is_uploaded_resumably_and_published_once_processed(tmp_path, encoded):
    chain = one_network_chain(tmp_path, encoded, "instagram")
    try:
        burned = next((chain.site.root / "social-video").rglob("burned.mp4")).read_bytes()
        first = chain.loa("syndicate", "publish")
        assert first.returncode == 0, first.stdout + first.stderr
        assert chain.instagram.app.posts == [] and "video đang được xử lý" in first.stdout
        reels = [c for c in chain.instagram.app.containers.values() if c.get("reel")]
        assert len(reels) == 2 and all(
            c["sha"] == hashlib.sha256(burned).hexdigest() for c in reels
        )
        assert all(c["cover_url"].endswith("/poster.jpg") for c in reels)
        chain.loa("syndicate", "publish")  # IN_PROGRESS
        assert chain.instagram.app.posts == []
        chain.loa("syndicate", "publish")  # FINISHED → claimed → media_publish
        chain.loa("syndicate", "publish")
        assert len(chain.instagram.app.posts) == 2
        assert ledger_states(chain, "instagram")[-3:] == ["processing", "claimed", "posted"]
    finally:
        chain.close()


def site_reader(chain: Chain):
    """Meta's "cURL" of an address on the site: the built file it names (OSError: not there)."""
    from tests.syndication.harness import SITE

    def download(url: str) -> bytes:
        if not url.startswith(SITE + "/"):
            raise OSError(f"not on the site: {url}")
        path = (chain.site.output / url[len(SITE) + 1 :]).resolve()
        if not path.is_relative_to(chain.site.output.resolve()):
            raise OSError(f"outside the site: {url}")
        return path.read_bytes()

    return download


def test_threads_downloads_the_burned_in_copy_from_the_site_and_publishes_once_processed(network):
    chain = network("threads")
    burned = next((chain.site.root / "social-video").rglob("burned.mp4")).read_bytes()
    on_site = list((chain.site.output / "video").rglob("burned.mp4"))
    assert [p.read_bytes() for p in on_site] == [burned]  # beside the web copy, same bytes
    page = (chain.site.output / "don-vi-a" / "hoi-thao" / "index.html").read_text("utf-8")
    assert "burned.mp4" not in page  # published for Threads, offered to no reader
    chain.threads.app.download = site_reader(chain)
    plan = " ".join(chain.loa("syndicate", "plan").stdout.split())
    assert "Video: bản 1080×1920, phụ đề in sẵn, 4 giây" in plan
    assert "Không đăng video lên Threads" not in plan
    first = chain.loa("syndicate", "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    assert chain.threads.app.posts == [] and "video đang được xử lý" in first.stdout
    videos = [c for c in chain.threads.app.containers.values() if c["media_type"] == "VIDEO"]
    assert len(videos) == 2  # the unit's profile and the department's
    assert all(c["video_sha"] == hashlib.sha256(burned).hexdigest() for c in videos)
    assert all("hoi-thao" in c["text"] for c in videos)
    chain.loa("syndicate", "publish")  # IN_PROGRESS
    assert chain.threads.app.posts == []
    chain.loa("syndicate", "publish")  # FINISHED → claimed → threads_publish
    chain.loa("syndicate", "publish")  # nothing more
    assert len(chain.threads.app.posts) == 2
    assert {p["media_type"] for p in chain.threads.app.posts} == {"VIDEO"}
    states = [e for e in ledger_entries(chain) if e["channel"] == "threads"
              and e["article"] == "/don-vi-a/hoi-thao/"]  # fmt: skip
    assert [e["state"] for e in states].count("posted") == 2
    assert all(e["state"] != "failed" for e in states)


def test_a_video_threads_cannot_download_fails_with_its_reason_and_posts_nothing(network):
    chain = network("threads")
    for path in (chain.site.output / "video").rglob("burned.mp4"):
        path.unlink()  # the deploy lost it: Meta's download fails
    chain.threads.app.download = site_reader(chain)
    chain.loa("syndicate", "publish")
    second = chain.loa("syndicate", "publish")
    said = second.stdout + second.stderr
    assert "FAILED_DOWNLOADING_VIDEO" in said and "Traceback" not in said, said
    assert chain.threads.app.posts == []


def test_no_copy_goes_on_the_site_when_no_account_downloads_by_address(network):
    chain = network("telegram")
    assert list((chain.site.output / "video").rglob("web.mp4"))
    assert not list((chain.site.output / "video").rglob("burned.mp4"))


def test_a_site_that_keeps_the_copy_off_pages_gives_threads_the_usual_post(network):
    chain = network("threads")
    assert list((chain.site.output / "video").rglob("burned.mp4"))
    chain.site.build("publishconf.py", LOA_READ_LEDGER=False, LOA_VIDEO_BY_ADDRESS=False)
    assert not list((chain.site.output / "video").rglob("burned.mp4"))
    plan = " ".join(chain.loa("syndicate", "plan").stdout.split())
    assert "Video: Không đăng video lên Threads: Threads chỉ lấy video" in plan
    run = chain.loa("syndicate", "publish")
    assert run.returncode == 0, run.stdout + run.stderr
    assert {p["media_type"] for p in chain.threads.app.posts} == {"TEXT"}


def test_zalo_video_article_after_the_upload_is_usable(tmp_path, encoded):
    chain = one_network_chain(tmp_path, encoded, "zalo")
    try:
        first = chain.loa("syndicate", "publish")
        assert first.returncode == 0, first.stdout + first.stderr
        burned = next((chain.site.root / "social-video").rglob("burned.mp4")).stat().st_size
        assert [v["bytes"] for v in chain.zalo.app.videos.values()] == [burned, burned]
        assert chain.zalo.app.posts == []
        chain.loa("syndicate", "publish")  # status 3: processing
        assert chain.zalo.app.posts == []
        done = chain.loa("syndicate", "publish")  # status 1 → claimed → article/create type video
        assert done.returncode == 0, done.stdout + done.stderr
        chain.loa("syndicate", "publish")
        posts = chain.zalo.app.posts
        assert len(posts) == 2
        for post in posts:
            first = post["body"][0]
            assert first["type"] == "video" and first["video_id"].startswith("v")
            assert first["thumb"].endswith("/poster.jpg")
        assert ledger_states(chain, "zalo")[-3:] == ["processing", "claimed", "posted"]
    finally:
        chain.close()


def test_tiktok_reads_creator_info_uploads_in_order_and_learns_the_post_next_run(tiktok_chain):
    chain = tiktok_chain
    burned = next((chain.site.root / "social-video").rglob("burned.mp4")).read_bytes()
    first = chain.loa("syndicate", "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    paths = [r.path for r in chain.tiktok.requests]
    assert paths.index("/v2/post/publish/creator_info/query/") < paths.index(
        "/v2/post/publish/video/init/"
    )
    videos = [p for p in chain.tiktok.app.publishes.values() if p.get("video")]
    assert videos and all(p["sha"] == hashlib.sha256(burned).hexdigest() for p in videos)
    assert "video đang được xử lý" in first.stdout
    chain.loa("syndicate", "publish")  # status: processing
    done = chain.loa("syndicate", "publish")  # status: PUBLISH_COMPLETE
    assert "đã đăng" in done.stdout
    chain.loa("syndicate", "publish")
    assert (
        len([r for r in chain.tiktok.requests if r.path.endswith("/video/init/")]) == 2
    )  # two accounts, once
    assert ledger_states(chain, "tiktok")[-1] == "posted"


def test_tiktok_privacy_not_offered_by_creator_info_is_a_configuration_error(tiktok_chain):
    chain = tiktok_chain
    for user in ("tiktok.1", "tiktok.2"):
        chain.tiktok.app.privacy_options[user] = ["PUBLIC_TO_EVERYONE"]
    result = chain.loa("syndicate", "publish")
    assert "privacy_level “SELF_ONLY” của tài khoản TikTok" in result.stdout
    assert not [r for r in chain.tiktok.requests if r.path.endswith("/video/init/")]


def test_a_daily_video_quota_makes_the_next_video_wait_and_says_so(tmp_path, encoded):
    clip, cache = encoded
    chain = Chain(
        tmp_path,
        platforms=("facebook",),
        settings='LOA_SYNDICATION = {"backoff_seconds": 0.05, "transient_retries": 1, '
        '"max_wait_seconds": 5, "video_quota": {"facebook": 1}}\n',
    )
    try:
        chain.write_article("don-vi-b", "cu", hours_ago=40)
        chain.build()
        assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0
        shutil.copytree(cache, chain.site.root / "cache" / "loa-video")
        chain.site.write(f"videos/{UNIT}/clip.mp4", clip.read_bytes())
        chain.site.write(f"videos/{UNIT}/clip.vi.srt", SRT)
        for slug, hours in (("hoi-thao", 2), ("giai-chay", 1)):
            chain.write_article(UNIT, slug, hours_ago=hours, video=VIDEO, body="Lời dẫn.")
        chain.build()
        first = chain.loa("syndicate", "publish")
        assert (
            "/don-vi-a/giai-chay/ → Facebook 100000000002: đã tải 1 video trong 24 giờ qua (giới hạn 1)"
            in first.stdout
        )
        assert (
            len([v for v in chain.facebook.app.videos.values() if v["published"]]) == 2
        )  # one per account
        later = (clock.now() + dt.timedelta(hours=25)).isoformat()
        chain.loa("syndicate", "publish", env={clock.ENV: later})
        assert len([v for v in chain.facebook.app.videos.values() if v["published"]]) == 4
    finally:
        chain.close()

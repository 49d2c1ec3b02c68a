"""Threads end to end against its fake: plan, post once, rerun nothing, quota, followers, errors."""

from __future__ import annotations

import json

import pytest
from loa.platforms.counting import threads_length
from loa.syndication.channels.threads import Threads
from loa.syndication.http import Http
from loa.syndication.manifest import ManifestArticle
from loa.syndication.secrets import Secrets
from loa.units import Channel

from tests.fakes.server import Reply
from tests.syndication.harness import Chain, account, var


@pytest.fixture
def threads(tmp_path):
    chain = Chain(tmp_path, platforms=("threads",))
    yield chain
    chain.close()


def bootstrapped(chain: Chain) -> None:
    chain.write_article("don-vi-b", "cu", hours_ago=40)
    chain.build()
    assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0


def _article(**overrides) -> ManifestArticle:
    values = {
        "id": "/don-vi-a/bai/",
        "url": "https://vi-du.example.vn/don-vi-a/bai/",
        "title": "Hội nghị người lao động",
        "summary": "Tóm tắt.",
        "date": "2026-11-20T08:00:00+07:00",
        "unit": "don-vi-a",
        "tags": ["thi đua", "khen thưởng"],
    }
    values.update(overrides)
    return ManifestArticle.from_dict(values)


def _adapter() -> Threads:
    channel = Channel("threads", "1", {"threads_user_id": "1", "token_env": "T"}, "don-vi-a")
    return Threads(channel, Http(Secrets({})), Secrets({}))


def test_threads_counting_emoji_are_their_utf8_bytes():
    assert threads_length("Công đoàn") == 9  # Vietnamese letters count one each (NFC)
    assert threads_length("🎉") == 4
    assert threads_length("👍🏽") == 8  # the skin tone is four bytes more
    assert threads_length("❤️") == 3 + 3  # heart + variation selector


def test_render_fits_500_by_threads_count_keeps_the_link_first_and_one_topic():
    long_lead = "Niềm vui 🎉 của người lao động " * 40
    message = _adapter().render(_article(summary=long_lead))
    text = message.fields["text"]
    assert threads_length(text) <= 500
    assert len(text) < 500  # the emojis were counted as bytes, so fewer characters fit
    urls = [w for w in text.split() if w.startswith("https://")]
    assert urls[0] == "https://vi-du.example.vn/don-vi-a/bai/", "the article is the first URL"
    assert text.count("#") == 1, "Threads takes one topic tag"
    assert message.fields["media_type"] == "TEXT"


VIDEO = {
    "url": "https://vi-du.example.vn/video/abc/web.mp4",
    "duration": 42.0,
    "files": {"burned": "social-video/abc/burned.mp4"},
    "sizes": {"burned": 9_000_000},
}


@pytest.mark.parametrize(
    "address",
    [None, "/video/abc/burned.mp4", "http://vi-du.example.vn/video/abc/burned.mp4", 7],
)
def test_a_video_without_an_https_copy_on_the_site_is_the_usual_post_and_says_why(address):
    video = {**VIDEO, **({} if address is None else {"burned_url": address})}
    message = _adapter().render(_article(video=video))
    assert message.fields["media_type"] == "TEXT" and "video_url" not in message.fields
    assert message.video.startswith("Không đăng video lên Threads: Threads chỉ lấy video")


def test_a_video_with_its_burned_in_copy_on_the_site_is_a_video_container():
    video = {**VIDEO, "burned_url": "https://vi-du.example.vn/video/abc/burned.mp4"}
    message = _adapter().render(_article(video=video))
    assert message.fields["media_type"] == "VIDEO"
    assert message.fields["video_url"] == video["burned_url"]
    assert threads_length(message.fields["text"]) <= 500
    assert message.video == "bản 1080×1920, phụ đề in sẵn, 42 giây, 9,0 MB"


def test_post_once_rerun_nothing_followers_and_permalinks(threads):
    bootstrapped(threads)
    article = threads.write_article(
        "don-vi-a",
        "threads-moi",
        hours_ago=1,
        image="images/don-vi-a/anh.jpg",
        image_alt="Ảnh hội nghị",
    )
    threads.site.write("images/don-vi-a/anh.jpg", _jpeg())
    threads.build()
    plan = threads.loa("syndicate", "plan", "--format", "json")
    posts = json.loads(plan.stdout)["posts"]
    assert {p["channel"] for p in posts} == {"threads"} and len(posts) == 2
    first = threads.loa("syndicate", "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    fake = threads.threads.app
    assert len(fake.posts) == 2
    for post in fake.posts:
        assert post["media_type"] == "IMAGE" and post["image_url"].endswith(".jpg")
        assert post["alt_text"] == "Ảnh hội nghị"
        assert threads.site_url(article) in post["text"]
        assert threads_length(post["text"]) <= 500
    # the quota was read before each container, the container's status before publishing
    paths = [r.path for r in threads.threads.requests]
    assert paths.index(
        next(p for p in paths if p.endswith("/threads_publishing_limit"))
    ) < paths.index(next(p for p in paths if p.endswith("/threads")))
    rows = json.loads(threads.loa("syndicate", "status", "--format", "json").stdout)
    mine = [r for r in rows if r["article"] == article]
    assert {r["state"] for r in mine} == {"posted"}
    assert all(r["url"].startswith("https://www.threads.com/@congdoan.") for r in mine)
    before = threads.requests()
    assert threads.loa("syndicate", "publish").returncode == 0
    assert threads.requests() == before, "a second run asks nothing"
    followers = threads.loa("syndicate", "followers")
    assert followers.returncode == 0
    assert f"Threads {account('threads', 1)}: 654 người theo dõi" in followers.stdout
    threads.assert_no_canary()


def test_a_full_quota_waits_for_the_next_run_without_creating_a_container(threads):
    bootstrapped(threads)
    threads.write_article("don-vi-a", "het-luot", hours_ago=1)
    threads.build()
    fake = threads.threads.app
    fake.quota_usage[account("threads", 2)] = fake.quota_total
    first = threads.loa("syndicate", "publish")
    assert first.returncode == 1
    assert "đã dùng hết 250 lượt đăng trong 24 giờ" in first.stdout
    assert all(c["user"] != account("threads", 2) for c in fake.containers.values())
    fake.quota_usage[account("threads", 2)] = 0
    assert threads.loa("syndicate", "publish").returncode == 0
    assert sorted(p["user"] for p in fake.posts) == sorted(
        [account("threads", 1), account("threads", 2)]
    )


def test_429_and_an_expired_token_are_handled_like_the_others(threads):
    bootstrapped(threads)
    threads.write_article("don-vi-a", "loi", hours_ago=1)
    threads.build()
    fake = threads.threads.app
    fake.expired.add(threads.tokens[var("TH_TOKEN", "cuc")])
    threads.threads.fail(
        Reply(
            429,
            {
                "error": {
                    "message": "(#4) Application request limit reached",
                    "type": "OAuthException",
                    "code": 4,
                }
            },
        ),
        match="/threads",
    )
    first = threads.loa("syndicate", "publish")
    assert first.returncode == 1
    assert "TH_TOKEN_CUC" in first.stdout, "the expired token names its variable"
    assert "giới hạn tần suất" in first.stdout
    assert fake.posts == []
    fake.expired.clear()
    second = threads.loa("syndicate", "publish")
    assert second.returncode == 0, second.stdout
    assert len(fake.posts) == 2
    threads.assert_no_canary()


def _jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()

"""A 12-photo album goes to every channel in its native multi-photo form, once.

What each fake received is compared with the manifest's album (the build's own
JPEGs, in the article's order, with their alt texts): 10 for Instagram and
Telegram, 4 for X, all 12 on Facebook, TikTok, Threads and Zalo.
"""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from PIL import Image

from tests.fakes.server import Reply
from tests.syndication.harness import ALL, Chain, account

PHOTOS = 12
SIZES = [(1600, 1067), (1200, 630), (900, 1400), (2400, 800)] * 3  # portrait and panorama included


def album_yaml(unit: str) -> str:
    lines = [""]
    for n in range(1, PHOTOS + 1):
        lines.append(f"  - image: images/{unit}/album/{n:02d}.jpg")
        lines.append(f"    alt: Ảnh số {n} của hội thao")
        if n % 3 == 0:
            lines.append(f"    caption: Chú thích ảnh {n}")
    return "\n".join(lines)


def write_album(chain: Chain, unit: str, slug: str) -> str:
    for n, size in enumerate(SIZES, 1):
        buffer = io.BytesIO()
        Image.new("RGB", size, (20 * n % 255, 90, 160)).save(buffer, "JPEG", quality=80)
        chain.site.write(f"images/{unit}/album/{n:02d}.jpg", buffer.getvalue())
    return chain.write_article(unit, slug, hours_ago=1, gallery=album_yaml(unit))


def bootstrapped(chain: Chain) -> None:
    chain.write_article("don-vi-b", "cu", hours_ago=40)
    chain.build()
    assert chain.loa("syndicate", "publish", "--bootstrap").returncode == 0


def manifest_album(chain: Chain, article: str) -> list[dict]:
    data = json.loads((chain.site.output / "loa" / "manifest.json").read_text(encoding="utf-8"))
    return next(a for a in data["articles"] if a["id"] == article)["gallery"]


@pytest.fixture
def every(tmp_path):
    chain = Chain(tmp_path, platforms=ALL)
    yield chain
    chain.close()


def test_a_12_photo_album_goes_to_each_channel_in_its_native_form_once(every):
    bootstrapped(every)
    article = write_album(every, "don-vi-a", "hoi-thao")
    every.build()
    photos = manifest_album(every, article)
    assert len(photos) == PHOTOS
    urls = [p["url"] for p in photos]
    alts = [p["alt"] for p in photos]
    assert alts[0] == "Ảnh số 1 của hội thao" and photos[2]["caption"] == "Chú thích ảnh 3"
    for photo in photos:  # every platform takes these: JPEG, 4:5–1.91:1, ≤ 1 MB
        path = every.site.output / photo["url"].split("/", 3)[3]
        with Image.open(path) as image:
            assert image.format == "JPEG" and 0.8 <= image.width / image.height <= 1.91
        assert path.stat().st_size <= 1_000_000

    plan = every.loa("syndicate", "plan")
    assert "Album: 10/12 ảnh (ảnh 1–10; 2 ảnh sau không gửi được)" in plan.stdout
    assert "Album: 4/12 ảnh (ảnh 1–4; 8 ảnh sau không gửi được)" in plan.stdout
    assert "Album: 12/12 ảnh (ảnh 1–12)" in plan.stdout

    result = every.loa("syndicate", "publish")
    assert result.returncode == 0, result.stdout + result.stderr
    unit, department = account("telegram", 2), account("telegram", 1)

    telegram = [p for p in every.telegram.app.posts if p["method"] == "sendmediagroup"]
    assert sorted(p["chat_id"] for p in telegram) == sorted([unit, department])
    assert all(p["photos"] == urls[:10] for p in telegram)
    assert all(every.site_url(article) in p["caption"] for p in telegram)

    facebook = every.facebook.app.posts
    assert len(facebook) == 2
    assert all(p["photos"] == urls and p["alts"] == alts for p in facebook)
    assert all(every.site_url(article) in p["message"] for p in facebook)

    instagram = every.instagram.app.posts
    assert len(instagram) == 2
    assert all(p["photos"] == urls[:10] and p["alts"] == alts[:10] for p in instagram)

    jpeg = {}
    for url in urls:
        jpeg[url] = hashlib.sha256(
            (every.site.output / url.split("/", 3)[3]).read_bytes()
        ).hexdigest()
    x = every.x.app.posts
    assert len(x) == 2
    assert all(p["photos"] == [jpeg[u] for u in urls[:4]] and p["alts"] == alts[:4] for p in x)

    tiktok = every.tiktok.app.posts
    assert len(tiktok) == 2 and all(p["images"] == urls for p in tiktok)

    threads = every.threads.app.posts
    assert len(threads) == 2
    assert all(p["photos"] == urls and p["alts"] == alts for p in threads)

    zalo = every.zalo.app.posts
    assert len(zalo) == 2
    for post in zalo:
        images = [b["url"] for b in post["body"] if b["type"] == "image" and b["url"] in urls]
        assert images == urls

    before = every.requests()
    assert every.loa("syndicate", "publish").returncode == 0
    assert every.requests() == before, "a rerun posts nothing"
    every.assert_no_canary()


def test_a_failure_in_the_middle_of_the_uploads_never_makes_two_posts(tmp_path):
    chain = Chain(tmp_path, platforms=("facebook", "x", "instagram", "threads"))
    try:
        bootstrapped(chain)
        article = write_album(chain, "don-vi-a", "giua-chung")
        chain.build()
        refused = Reply(
            400,
            {"error": {"message": "(#100) Invalid image", "type": "OAuthException", "code": 100}},
        )
        chain.facebook.fail(refused, match="/photos", skip=2, times=2)
        chain.instagram.fail(refused, match="/media", skip=4, times=2)
        chain.threads.fail(refused, match="/threads", skip=5, times=2)
        chain.x.fail(
            Reply(400, {"title": "Invalid Request", "status": 400, "detail": "media"}),
            match="/2/media/upload",
            skip=1,
            times=2,
        )
        first = chain.loa("syndicate", "publish")
        assert first.returncode == 1
        assert {p[0] for p in chain.posts()} == set(), "no half-post anywhere"
        status = json.loads(chain.loa("syndicate", "status", "--format", "json").stdout)
        assert {r["state"] for r in status if r["article"] == article} == {"failed"}
        second = chain.loa("syndicate", "publish")
        assert second.returncode == 0, second.stdout + second.stderr
        posts = [p for p in chain.posts() if p[2] == chain.site_url(article)]
        assert sorted((p[0], p[1]) for p in posts) == sorted(
            {(name, account(name, i)) for name in chain.fakes for i in (1, 2)}
        ), "exactly one post per account"
        # Facebook: the photos of the failed attempt stay unpublished, attached to nothing
        orphans = [p for p in chain.facebook.app.photos.values() if not p["attached"]]
        assert len(orphans) == 2
        assert chain.loa("syndicate", "publish").returncode == 0
        assert len([p for p in chain.posts() if p[2] == chain.site_url(article)]) == len(posts)
    finally:
        chain.close()

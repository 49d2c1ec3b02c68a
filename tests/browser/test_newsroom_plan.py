"""The newsroom's preview says exactly what the syndication plan will send, channel by channel.

``loa-plan.js`` is a port of each adapter's ``render``; here both run on the
same generated articles (long and short, with emoji, links, sources, per-channel
texts, covers and albums) and every text, title and count must be equal.
"""

from __future__ import annotations

import random

import pytest
from loa import platforms
from loa.cms.plugin import STATIC
from loa.platforms.counting import telegram_length, threads_length, utf16_length, x_weighted_length
from loa.syndication.channels import ADAPTERS
from loa.syndication.manifest import ManifestArticle
from loa.units.registry import parse as parse_registry

from tests.conftest import REPO

pytestmark = pytest.mark.browser

WORDS = [
    "công",
    "đoàn",
    "cục",
    "đoàn",
    "viên",
    "người",
    "lao",
    "động",
    "hội",
    "nghị",
    "tổng",
    "kết",
    "năm",
    "chuyển",
    "đổi",
    "số",
    "dữ",
    "liệu",
    "tài",
    "nguyên",
    "môi",
    "trường",
    "thi",
    "đua",
    "khen",
    "thưởng",
    "giải",
    "chạy",
    "hiến",
    "máu",
    "Đà",
    "Nẵng",
    "Hà",
    "Nội",
    "phúc",
    "lợi",
    "Tết",
    "sum",
    "vầy",
    "an",
    "toàn",
    "thông",
    "tin",
    "nữ",
    "công",
    "văn",
    "hoá",
    "đọc",
    "2026",
    "1.000.000đ",
]
EXTRAS = [
    "🎉",
    "👨‍👩‍👧",
    "❤️",
    "👍🏽",
    "https://thuvienphapluat.vn/van-ban/a-b-c",
    "&",
    "<3",
    "“trích”",
    "—",
    "…",
]
COUNT = {
    "x": x_weighted_length,
    "telegram": telegram_length,
    "threads": threads_length,
    "tiktok": utf16_length,
}


def sentence(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        out.append(rng.choice(EXTRAS) if rng.random() < 0.06 else rng.choice(WORDS))
    return " ".join(out).strip()


def articles(count: int = 60) -> list[ManifestArticle]:
    rng = random.Random(20261202)
    made = []
    for n in range(count):
        length = rng.choice((4, 12, 40, 80, 200, 900))
        social = rng.choice(
            (None, None, sentence(rng, 30), {"x": sentence(rng, 60), "zalo": sentence(rng, 8)})
        )
        photos = rng.choice((0, 0, 1, 3, 12))
        made.append(
            ManifestArticle(
                id=f"/van-phong-cuc/bai-{n}/",
                url=f"https://tin.example.vn/van-phong-cuc/bai-{n}-{'dai-' * rng.randint(0, 20)}/",
                title=sentence(rng, rng.choice((3, 10, 25, 60))),
                summary=sentence(rng, length),
                unit="van-phong-cuc",
                date="2026-11-26T08:00:00+07:00",
                tags=tuple(sentence(rng, rng.randint(1, 3)) for _ in range(rng.randint(0, 7))),
                image=rng.choice(("", "https://tin.example.vn/images/a.jpg")),
                social_text=social,
                source=rng.choice(("", "", "Báo Lao Động", "Cổng thông tin điện tử Chính phủ")),
                gallery=tuple(
                    {"url": f"https://tin.example.vn/images/album/{k}.jpg", "alt": f"Ảnh {k}"}
                    for k in range(photos)
                ),
            )
        )
    return made


def as_js(article: ManifestArticle) -> dict:
    return {
        "title": article.title,
        "summary": article.summary,
        "social_text": article.social_text,
        "tags": list(article.tags),
        "source": article.source,
        "image": article.image,
        "gallery": list(article.gallery),
        "url": article.url,
    }


def test_every_channel_text_in_the_preview_is_the_plans(browser):
    registry = parse_registry((REPO / "content" / "units.yml").read_text(encoding="utf-8"))
    channels = {c.platform: c for c in registry.department.channels}
    assert set(channels) >= {"facebook", "zalo", "telegram", "x", "instagram", "tiktok", "threads"}
    page = browser.new_page()
    page.add_script_tag(content=(STATIC / "loa-plan.js").read_text(encoding="utf-8"))
    samples = articles()
    compared = 0
    for platform, channel in channels.items():
        adapter = ADAPTERS[platform](channel, None, None)
        limits = dict(platforms.get(platform).limits)
        results = page.evaluate(
            "([platform, items, limits]) => items.map(a => LoaPlan.render(platform, a, limits))",
            [platform, [as_js(a) for a in samples], limits],
        )
        for article, result in zip(samples, results, strict=True):
            message = adapter.render(article)
            assert result["text"] == message.text, (platform, article.title)
            if platform in ("zalo", "tiktok"):
                assert result["title"] == message.title, (platform, article.title)
            measure = COUNT.get(platform, len)
            assert result["count"] == measure(message.text), (platform, article.title)
            compared += 1
    page.close()
    assert compared == len(samples) * len(channels)

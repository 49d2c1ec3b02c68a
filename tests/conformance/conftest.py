"""Production builds for the validators: the sample site, and a generated one of a few hundred articles."""

from __future__ import annotations

import datetime as dt
import shutil
import sys

import pytest

from tests.conftest import NOW, REPO, SiteMaker

SITE = "https://vi-du.example.vn"


def build_published(maker: SiteMaker) -> SiteMaker:
    maker.build("publishconf.py", SITEURL=SITE, FEED_DOMAIN=SITE, LOA_READ_LEDGER=False)
    return maker


@pytest.fixture(scope="session")
def sample_published(tmp_path_factory) -> SiteMaker:
    """The repository's sample content, built as ``make publish`` builds it."""
    maker = SiteMaker(tmp_path_factory.mktemp("mau"))
    shutil.rmtree(maker.content)
    shutil.copytree(REPO / "content", maker.content)
    return build_published(maker)


LONG_URL = "https://hop.mae.gov.vn/phong-hop-truc-tuyen/" + "hoi-nghi-nguoi-lao-dong-" * 8 + "2027"
LONG_WORD = "Siêu" + "dàiđếnmứckhôngthểngắthàngđược" * 4


def generated(target, count: int = 300):
    """A corpus of ``count`` articles with events (timed, all-day, online, past and coming),
    reposts, long addresses, long words and tables."""
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import make_corpus

    content = make_corpus(target, count)
    # The corpus's articles are dated on the hour; these are dated off the hour
    # (17–46 minutes past), so no two entries of a feed share a time whatever the
    # clock (the W3C validator warns about two equal atom:updated).
    base = NOW.replace(minute=0, second=0, microsecond=0)
    for n in range(24):
        start = base + dt.timedelta(days=n * 9 - 90, hours=n % 5)
        unit = ["van-phong-cuc", "trung-tam-du-lieu", "cong-doan-cuc"][n % 3]
        when = f"{start:%Y-%m-%d}" if n % 4 == 0 else f"{start:%Y-%m-%d %H:%M}"
        place = (
            f"  online: {LONG_URL}\n"
            if n % 3 == 1
            else "  location: Hội trường tầng 2, số 10 Tôn Thất Thuyết, Hà Nội\n"
        )
        text = (
            f'---\ntitle: "Sự kiện thứ {n}: {LONG_WORD if n % 5 == 0 else "hội thao"}"\n'
            f"date: {(start - dt.timedelta(days=20) + dt.timedelta(minutes=17 + n)):%Y-%m-%d %H:%M}\nauthor: Ban Biên tập\n"
            f'summary: "Sự kiện số {n} của đơn vị, có địa điểm, thời gian và liên kết đăng ký."\n'
            f"tags: [sự kiện]\nevent:\n  start: {when}\n{place}  reminder: true\n---\n\n"
            f"Chi tiết sự kiện số {n}. Xem [trang đăng ký]({LONG_URL}).\n\n"
            "| Giờ | Nội dung | Người phụ trách |\n|---|---|---|\n"
            f"| 08:00 | Khai mạc {LONG_WORD} | Ban tổ chức |\n| 09:00 | Thi đấu | Các đội |\n"
        )
        (content / "articles" / unit / f"2026-01-01-su-kien-{n}.md").write_text(
            text, encoding="utf-8"
        )
    for n in range(6):
        text = (
            f'---\ntitle: "Đăng lại số {n}"\ndate: {(base - dt.timedelta(days=n + 2) + dt.timedelta(minutes=41 + n)):%Y-%m-%d %H:%M}\n'
            f'author: Ban Biên tập\nsummary: "Tóm tắt bài đăng lại số {n} từ cổng thông tin Chính phủ."\n'
            f"source: Cổng Thông tin điện tử Chính phủ\nsource_url: https://chinhphu.vn/bai-{n}-{LONG_WORD[:20]}\n"
            f"---\n\nTóm tắt bằng lời của Ban Biên tập.\n"
        )
        (content / "articles" / "cong-doan-cuc" / f"2026-01-01-dang-lai-{n}.md").write_text(
            text, encoding="utf-8"
        )
    return content


@pytest.fixture(scope="session")
def generated_published(tmp_path_factory) -> SiteMaker:
    """A generated site of a few hundred articles, built for production."""
    maker = SiteMaker(tmp_path_factory.mktemp("sinh"))
    shutil.rmtree(maker.content)
    generated(maker.root)
    return build_published(maker)

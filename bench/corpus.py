"""A deterministic synthetic Vietnamese corpus across the sample units, for benchmarks."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WORDS = (  # noqa: SIM905 - a vocabulary reads better as prose
    "công đoàn đoàn viên người lao động hội nghị quyền lợi chính sách pháp luật chăm lo "
    "đời sống việc làm thi đua khen thưởng chuyển đổi số dữ liệu tài nguyên môi trường "
    "Đà Nẵng Đồng Nai Hà Nội Huế cán bộ công chức viên chức sáng kiến phong trào văn hoá "
    "thể thao nữ công an sinh bảo hiểm xã hội tiền lương phụ cấp đối thoại dân chủ cơ sở "
    "kỷ niệm truyền thống gương điển hình cách làm hay học bổng mái ấm hỗ trợ thiên tai"
).split()
TAGS = ["chính sách pháp luật", "thi đua khen thưởng", "chăm lo đoàn viên", "chuyển đổi số",
        "gương điển hình", "hoạt động nổi bật", "kỷ niệm", "an sinh", "văn hoá", "thể thao"]  # fmt: skip
AUTHORS = ["Nguyễn Thị Lan", "Trần Minh Hằng", "Lê Quốc Bảo", "Phạm Thu Trang", "Đỗ Văn Hùng",
           "Bùi Thanh Mai", "Đặng Hoài Nam", "Vương Ngọc Ánh", "Trịnh Công Sơn Lâm", "Hoàng Anh Tuấn"]  # fmt: skip


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def make_corpus(target: Path, count: int, seed: int = 2026) -> Path:
    """Write ``count`` articles (plus the sample registry and pages) into ``target/content``."""
    from loa.units import load

    content = target / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "articles").mkdir(parents=True)
    shutil.copy(REPO / "content" / "units.yml", content / "units.yml")
    shutil.copytree(REPO / "content" / "pages", content / "pages")
    shutil.copytree(REPO / "content" / "images", content / "images")
    shutil.copy(REPO / "content" / "sources.yml", content / "sources.yml")
    units = load(content / "units.yml").slugs
    rng = random.Random(seed)
    start = dt.datetime(2026, 11, 20, 8, 0)
    for n in range(count):
        unit = units[n % len(units)]
        when = start - dt.timedelta(hours=7 * n + rng.randint(0, 5))
        title = f"{sentence(rng, 6, 12)[:-1]} số {n}"
        body = "\n\n".join(
            (f"## {sentence(rng, 3, 6)[:-1]}\n\n" if i % 3 == 2 else "")
            + " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
            for i in range(rng.randint(4, 9))
        )
        tags = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
        text = (
            f'---\ntitle: "{title}"\ndate: {when:%Y-%m-%d %H:%M}\nauthor: {rng.choice(AUTHORS)}\n'
            f'summary: "{sentence(rng, 15, 30)}"\ntags: [{tags}]\n---\n\n{body}\n'
        )
        folder = content / "articles" / unit / f"{when:%Y}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{when:%Y-%m-%d}-bai-{n}.md").write_text(text, encoding="utf-8")
    return content

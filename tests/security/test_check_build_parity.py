"""One check, one build: whatever ``loa check`` passes the build accepts, and the other way round.

Each case is an article (or a file) shaped at the edges the two paths could
disagree on — path segments over the file system's 255 bytes, dashes in odd
places of slugs and file names, names made only of marks or digits — and
``loa check --strict`` and the production build, each a real process, must
agree: both accept, or both refuse with a sentence (never "lỗi không lường
trước", never a traceback).
"""

from __future__ import annotations

import random

import pytest

from tests.conftest import article
from tests.security.test_hostile_content import build, loa_check

LONG = "ả" * 100  # 300 bytes in UTF-8: over the 255-byte limit of one path segment

CASES = {
    "ảnh bìa tên dài": {"image": f"images/don-vi-a/{LONG}.jpg", "image_alt": "Ảnh"},
    "liên kết static tên dài": {"body": f"Mở đầu.\n\n![ảnh]({{static}}/images/{LONG}.jpg)\n"},
    "liên kết attach tên dài": {"body": f"Mở đầu.\n\n[tệp]({{attach}}{LONG}/a.pdf)\n"},
    "liên kết bài tên dài": {"body": f"Mở đầu.\n\n[bài]({{filename}}{LONG}.md)\n"},
    "slug dài": {"slug": "a" * 300},
    "slug gạch nối lồng": {"slug": "bai--moi---nhat"},
    "slug gạch đầu cuối": {"slug": "-bai-moi-"},
    "slug chỉ gạch": {"slug": "---"},
    "tiêu đề rất dài": {"title": "Công đoàn " * 40},
    "tiêu đề chỉ dấu": {"title": "— – - …"},
    "tiêu đề gạch lồng": {"title": "Bài -- mới --- nhất"},
    "thẻ gạch lồng": {"tags": "[an--toan, -lao-dong-]"},
    "thẻ dài": {"tags": f"[{'a' * 300}]"},
}


def _write(site, name: str, fields: dict, filename: str = "2026-11-21-bien.md") -> None:
    fields = dict(fields)
    body = fields.pop("body", "Nội dung bài viết về công đoàn.")
    site.write(f"articles/don-vi-a/{filename}", article(body=body, **fields))


def _verdict(ran) -> bool:
    assert "Traceback" not in ran.text, ran.text[-3000:]
    assert "không lường trước" not in ran.text, ran.text[-3000:]
    return ran.code == 0


@pytest.mark.parametrize("name", list(CASES))
def test_check_and_build_agree(site, name):
    site.write("articles/don-vi-a/2026-11-20-tot.md", article(title="Bài tốt"))
    _write(site, name, CASES[name])
    check, built = loa_check(site), build(site)
    assert _verdict(check) == _verdict(built), (
        name,
        check.code,
        built.code,
        check.text[-2000:],
        built.text[-2000:],
    )


FILE_NAMES = ["2026-11-21--bai.md", "2026-11-21-bai--moi.md", "2026-11-21-.md", "2026-11-21-b-.md"]


@pytest.mark.parametrize("filename", FILE_NAMES)
def test_check_and_build_agree_on_file_names(site, filename):
    site.write("articles/don-vi-a/2026-11-20-tot.md", article(title="Bài tốt"))
    _write(site, filename, {}, filename)
    check, built = loa_check(site), build(site)
    assert _verdict(check) == _verdict(built), (filename, check.text[-2000:], built.text[-2000:])


def _generated(seed: int) -> dict:
    """A small random front matter at the edges: dashes, marks, digits, long runs."""
    rng = random.Random(seed)
    pieces = ["-", "--", "a", "ả", "1", " ", "đ", "Ư", "_", "."]
    word = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
    kind = rng.choice(["slug", "title", "tags"])
    if kind == "tags":
        return {"tags": f"[{word!r}]".replace("'", '"')}
    if kind == "slug":
        return {"slug": word.strip() or "-"}
    return {"title": f'"{word.strip() or "-"}"'}


@pytest.mark.parametrize("seed", range(8))
def test_check_and_build_agree_on_generated_front_matter(site, seed):
    site.write("articles/don-vi-a/2026-11-20-tot.md", article(title="Bài tốt"))
    fields = _generated(seed)
    _write(site, str(seed), fields)
    check, built = loa_check(site), build(site)
    assert _verdict(check) == _verdict(built), (fields, check.text[-2000:], built.text[-2000:])

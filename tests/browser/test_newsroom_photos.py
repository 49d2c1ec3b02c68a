"""Photos as they come from a phone: a 4 MB, 4032 × 3024 JPEG, turned by EXIF and carrying GPS.

At 375 px with touch, an officer picks such a photo as the cover and three of
them at once for the album. What the branch (the pull request) then holds must
be what the site and every network accept: each file at most 1 MB
(rules/images.MAX_BYTES), upright, without GPS or any other EXIF — and the
branch passes the real ``loa check --strict``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from loa.rules.images import MAX_BYTES, MIN_SIZE
from loa.vietnamese import localize
from PIL import Image, ImageDraw

from tests.browser.test_newsroom import (  # noqa: F401 - the fixtures
    UNIT,
    branch_files,
    branches,
    git,
    newsroom,
    open_new_article,
    phone,
    save_and_wait,
    shot,
    upload_cover,
)
from tests.conftest import NOW

pytestmark = pytest.mark.browser

ORIENTATION, GPS_IFD, MAKE, MODEL = 0x0112, 0x8825, 0x010F, 0x0110
RED = (230, 20, 20)


def phone_photo(path: Path, shade: int = 0) -> Path:
    """A phone's photo as stored: 4032 × 3024 sensor pixels, "rotate 90° clockwise" (6), GPS.

    A red block sits at the stored top-left corner; shown upright (portrait,
    3024 × 4032) it is at the top-right.
    """
    width, height = 4032, 3024
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    picture = Image.blend(base, Image.effect_noise((width, height), 30).convert("RGB"), 0.5)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 900, 700), fill=RED)
    draw.rectangle((2000, 1200, 2400, 1600), fill=(shade, 200, 40))
    exif = picture.getexif()
    exif[ORIENTATION] = 6
    exif[MAKE], exif[MODEL] = "PhoneMaker", "Phone 15"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 0.0)})
    picture.save(path, "JPEG", quality=84, exif=exif)
    return path


def assert_fit_upright_and_bare(data: bytes, name: str) -> None:
    assert len(data) <= MAX_BYTES, (name, len(data))
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    exif = picture.getexif()
    assert not exif.get_ifd(GPS_IFD), (name, "GPS left in the file")
    assert len(exif) == 0 and "exif" not in picture.info, (name, dict(exif))
    width, height = picture.size
    # Upright: a portrait photo, its long side at least a cover's width; red at the top-right.
    assert height > width >= MIN_SIZE[0], (name, picture.size)
    rgb = picture.convert("RGB")
    assert _near(rgb.getpixel((width - 10, 10)), RED), (name, "not upright")
    assert not _near(rgb.getpixel((10, 10)), RED), (name, "not upright")
    assert not _near(rgb.getpixel((width - 10, height - 10)), RED), (name, "not upright")


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_phone_photos_become_a_cover_and_an_album_of_three_fit_upright_and_without_location(
    newsroom, phone, tmp_path  # noqa: F811 - the fixtures imported above
):
    page, repo = phone, newsroom["repo"]
    cover = phone_photo(tmp_path / "IMG_4032.JPG")
    assert 3_000_000 < cover.stat().st_size < 6_500_000
    stored = Image.open(cover).getexif()
    assert stored[ORIENTATION] == 6 and stored.get_ifd(GPS_IFD)
    album = [phone_photo(tmp_path / f"IMG_50{n}.JPG", shade=60 * n) for n in range(1, 4)]

    open_new_article(page, newsroom["base"])
    title = "Ảnh điện thoại: hội thao mừng Xuân của Công đoàn Cục"
    page.fill('[id^="title-field-"]', title)
    page.fill('[id^="date-field-"]', localize(NOW).strftime("%Y-%m-%dT09:00"))
    page.fill('[id^="author-field-"]', "Lê Thị Hoa")
    page.fill('[id^="summary-field-"]', "Ảnh chụp bằng điện thoại, đưa thẳng lên phòng biên tập.")
    upload_cover(page, cover)
    page.fill('[id^="image_alt-field-"]', "Đoàn viên thi kéo co trên sân trụ sở Cục")

    # Three photos in one pick: the album gets three items, in the order picked.
    picker = page.locator(".loa-album-input")
    picker.set_input_files([str(p) for p in album])
    alts = page.locator('[id^="alt-field-"]')
    alts.nth(2).wait_for()  # each photo prepared, stored with the entry, its item open
    assert alts.count() == 3
    for index in range(3):
        alts.nth(index).fill(f"Ảnh {index + 1} của hội thao")
    page.locator('[data-slate-editor="true"]').first.click()
    page.keyboard.type("Hội thao diễn ra sáng thứ Bảy.")
    if os.environ.get("LOA_SCREENSHOTS"):
        page.locator(".loa-album-pick").evaluate("e => e.scrollIntoView({block: 'start'})")
        shot(page, "7-album-tu-dien-thoai")

    before = branches(repo)
    save_and_wait(page)
    new = sorted(set(branches(repo)) - set(before))
    assert len(new) == 1
    changed = sorted(git(repo, "diff", "--name-only", f"main...{new[0]}").split())
    pictures = [path for path in changed if path.startswith("content/images/")]
    assert pictures == [
        f"content/images/{UNIT}/img-4032.jpg",
        f"content/images/{UNIT}/img-501.jpg",
        f"content/images/{UNIT}/img-502.jpg",
        f"content/images/{UNIT}/img-503.jpg",
    ]
    for path in pictures:
        data = subprocess.run(
            ["git", "show", f"{new[0]}:{path}"], cwd=repo, check=True, capture_output=True
        ).stdout
        assert_fit_upright_and_bare(data, path)
    article = next(path for path in changed if path.endswith(".md"))
    text = git(repo, "show", f"{new[0]}:{article}")
    assert f"image: images/{UNIT}/img-4032.jpg" in text
    assert text.index("img-501.jpg") < text.index("img-502.jpg") < text.index("img-503.jpg")

    checkout = branch_files(repo, new[0], tmp_path / "pr")
    check = subprocess.run(
        [sys.executable, "-m", "loa.cli", "check", "--strict", article],
        check=False,
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**os.environ, "LOA_NOW": NOW.isoformat()},
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert page.elsewhere == [], page.elsewhere
    assert page.errors == []

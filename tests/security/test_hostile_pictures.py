"""Pictures are judged by decoding them, not by their first bytes, and cost bounded work.

A truncated photo, a file that is a picture *and* a script or a page (a
polyglot: served from the site's own origin it passes ``script-src 'self'``),
a huge picture linked with ``{static}``/``{attach}`` rather than named as a
cover, a photo that still carries where it was taken (GPS): each is one
finding from ``loa check`` and from the build alike. And a large but honest
picture (a 143 KB PNG of 7000×7000 pixels) builds without the build passing
500 MB.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from tests.conftest import article
from tests.security.test_hostile_content import (
    MEMORY_LIMIT_KB,
    SECRET,
    assert_held,
    bomb_png,
    build,
    loa_check,
)


@pytest.fixture
def hostile(site, tmp_path):
    """A site with a good article (and a secret outside content/, as the base suite has)."""
    outside = tmp_path / "may-chu"
    outside.mkdir()
    (outside / "bi-mat.txt").write_text(SECRET, encoding="utf-8")
    site.write("articles/don-vi-a/2026-11-20-tot.md", article(title="Bài tốt"))
    return site


def picture(kind: str = "JPEG", size=(1600, 900), **save) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    for x in range(0, size[0], 97):  # some detail, so the encoder has work
        image.paste((200, 40, 40), (x, 0, x + 20, size[1]))
    out = io.BytesIO()
    image.save(out, kind, **save)
    return out.getvalue()


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 0.0)})
    return picture(exif=exif)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


GIF_JS = (
    b"GIF89a/*\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
    b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    b"*/=1;alert(document.domain);"
)
PDF_HTML = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"<html><body><script>alert(document.cookie)</script></body></html>\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PDF_JS = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def jpeg_js() -> bytes:
    """A JPEG whose header opens a JS comment and whose COM segment closes it (CSP bypass)."""
    data = picture()
    com = b"\xff\xfe" + struct.pack(">H", 2 + 24) + b"*/=alert(1);/*xxxxxxxxxx"
    return data[:2] + com + data[2:]


STATIC = {
    "JPEG bị cắt": ("cat.jpg", lambda: picture()[:-4000]),
    "PNG bị cắt": ("cat.png", lambda: picture("PNG")[:-300]),
    "PNG kèm HTML phía sau": (
        "duoi.png",
        lambda: picture("PNG") + b"<html><script>alert(1)</script></html>",
    ),
    "PNG sai mã kiểm tra": (
        "crc.png",
        lambda: picture("PNG")[:40] + bytes([picture("PNG")[40] ^ 0xFF]) + picture("PNG")[41:],
    ),
    "GIF kiêm JavaScript": ("hai-mat.gif", lambda: GIF_JS),
    "JPEG kiêm JavaScript": ("hai-mat.jpg", jpeg_js),
    "WebP kèm dữ liệu phía sau": ("duoi.webp", lambda: picture("WEBP") + b"alert(1)//"),
    "PDF kiêm HTML": ("hai-mat.pdf", lambda: PDF_HTML),
    "PDF có JavaScript": ("ma.pdf", lambda: PDF_JS),
    "ảnh có vị trí GPS": ("gps.jpg", gps_jpeg),
}


@pytest.mark.parametrize("name", list(STATIC))
def test_a_picture_that_does_not_decode_cleanly_is_never_published(hostile, name):
    filename, make = STATIC[name]
    hostile.write(f"images/don-vi-a/{filename}", make())
    check, built = loa_check(hostile), build(hostile)
    assert_held(hostile, check, built, f"content/images/don-vi-a/{filename}")
    assert not list(hostile.output.rglob(filename)), "never copied"


def test_the_gps_finding_says_how_to_fix_it(hostile):
    hostile.write("images/don-vi-a/gps.jpg", gps_jpeg())
    check = loa_check(hostile)
    assert "vị trí" in check.text and "GPS" in check.text
    assert "loa check --fix" in check.text


@pytest.mark.parametrize("prefix", ["{static}", "{attach}"])
def test_a_huge_picture_linked_from_the_body_is_refused(hostile, prefix):
    hostile.write("articles/don-vi-a/bom.png", bomb_png(60_000, 60_000))
    rel = "articles/don-vi-a/2026-11-21-lien-ket.md"
    hostile.write(rel, article(body=f"Mở đầu.\n\n![ảnh]({prefix}bom.png)\n"))
    check, built = loa_check(hostile), build(hostile)
    assert_held(hostile, check, built, f"content/{rel}")
    assert "60000×60000" in check.text
    assert not list(hostile.output.rglob("bom.png"))


def test_a_truncated_cover_is_refused_with_its_line(hostile):
    hostile.write("images/don-vi-a/bia.jpg", picture(size=(1600, 900))[:-5000])
    rel = "articles/don-vi-a/2026-11-21-bia.md"
    hostile.write(rel, article(image="images/don-vi-a/bia.jpg", image_alt="Ảnh bìa"))
    check, built = loa_check(hostile), build(hostile)
    for ran in (check, built):
        assert ran.code == 1 and "Traceback" not in ran.text, ran.text[-2000:]
        assert "bia.jpg" in ran.text


def test_honest_pictures_of_every_kind_still_pass(hostile):
    for name, data in (
        ("anh.jpg", picture()),
        ("anh.png", picture("PNG")),
        ("anh.webp", picture("WEBP")),
        ("anh.gif", picture("GIF", size=(300, 200))),
        ("tien-trinh.jpg", picture(progressive=True)),
    ):
        hostile.write(f"images/don-vi-a/{name}", data)
    hostile.write(
        "images/don-vi-a/quy-che.pdf",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    )
    check, built = loa_check(hostile), build(hostile)
    assert check.code == 0, check.text[-2000:]
    assert built.code == 0, built.text[-2000:]
    for name in ("anh.jpg", "anh.png", "anh.webp", "anh.gif", "tien-trinh.jpg", "quy-che.pdf"):
        assert (hostile.output / "images" / "don-vi-a" / name).exists(), name


def big_png() -> bytes:
    """143 KB on disk, 7000×7000 pixels (under the 50-megapixel limit): 147 MB decoded."""
    image = Image.new("RGB", (7000, 7000), (240, 240, 235))
    image.paste((200, 30, 30), (1000, 1000, 6000, 6000))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_large_honest_album_builds_within_the_memory_budget(hostile):
    data = big_png()
    assert len(data) < 300_000
    gallery = []
    for n in range(4):
        hostile.write(f"images/don-vi-a/lon-{n}.png", data)
        gallery.append(f"  - image: images/don-vi-a/lon-{n}.png\n    alt: Ảnh {n}\n")
    rel = "articles/don-vi-a/2026-11-21-album.md"
    text = article(image="images/don-vi-a/lon-0.png", image_alt="Ảnh bìa")
    text = text.replace("---\n\n", "gallery:\n" + "".join(gallery) + "---\n\n", 1)
    hostile.write(rel, text)
    check, built = loa_check(hostile), build(hostile)
    assert "Traceback" not in check.text + built.text
    assert built.code == 0, built.text[-3000:]
    assert check.max_kb < MEMORY_LIMIT_KB, check.max_kb
    assert built.max_kb < MEMORY_LIMIT_KB, built.max_kb


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_check_fix_takes_the_location_out_and_keeps_the_picture(hostile, kind):
    import subprocess
    import sys

    from tests.conftest import REPO

    exif = Image.Exif()
    exif[0x010F] = "Camera"
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 0.0)})
    data = picture(kind, exif=exif.tobytes())
    path = hostile.content / "images" / "don-vi-a" / f"gps.{kind.lower()}"
    hostile.write(f"images/don-vi-a/{path.name}", data)
    before = loa_check(hostile)
    assert before.code == 1 and "GPS" in before.text
    env = {"NO_COLOR": "1", "PYTHONPATH": str(REPO / "plugins")}
    subprocess.run(
        [sys.executable, "-m", "loa.cli", "check", "--fix"],
        cwd=hostile.root,
        env={**__import__("os").environ, **env},
        capture_output=True,
        check=False,
    )
    after = loa_check(hostile)
    assert after.code == 0, after.text[-2000:]
    with Image.open(path) as fixed:
        assert not fixed.getexif().get_ifd(0x8825)
        assert fixed.getexif().get(0x010F) == "Camera", "the rest of the EXIF stays"
        if kind == "JPEG":
            with Image.open(io.BytesIO(data)) as original:
                assert list(fixed.getdata()) == list(original.getdata()), "pixels untouched"


def test_an_album_over_the_decoding_budget_is_one_finding_both_ways(hostile):
    """Seven PNGs of 7000×7000 (343 million pixels to decode, 150 KB each on disk)."""
    data = big_png()
    gallery = []
    for n in range(7):
        hostile.write(f"images/don-vi-a/lon-{n}.png", data)
        gallery.append(f"  - image: images/don-vi-a/lon-{n}.png\n    alt: Ảnh {n}\n")
    rel = "articles/don-vi-a/2026-11-21-album.md"
    text = article().replace("---\n\n", "gallery:\n" + "".join(gallery) + "---\n\n", 1)
    hostile.write(rel, text)
    check, built = loa_check(hostile), build(hostile)
    line = text.splitlines().index("gallery:") + 1
    assert_held(hostile, check, built, f"content/{rel}", line=line)
    assert "giới hạn 300 triệu" in check.text and "JPEG" in check.text

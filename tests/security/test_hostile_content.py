"""Content written by an attacker whose pull request an admin approved: the gate holds.

Each case is run the two ways a contributor's file meets Loa — ``loa check``
and the production build, each a real process — and must give: one finding
naming the file (and the line, where there is one) with exit 1, no traceback,
nothing from outside ``content/`` in ``output/``, and no process over 500 MB.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, article

SECRET = "CANARY-OUTSIDE-CONTENT-5b1e"
MEMORY_LIMIT_KB = 500 * 1024
# Runs a command and reports the largest resident size of any process it started.
MEASURED = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:])\n"
    "print('LOA-MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(r.returncode)\n"
)


@dataclass
class Ran:
    code: int
    text: str
    max_kb: int


def measured(args: list[str], cwd: Path, env: dict | None = None, timeout: float = 300) -> Ran:
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO / "plugins"), **(env or {})},
        check=False,
    )
    text = result.stdout + result.stderr
    max_kb = int(text.rsplit("LOA-MAXRSS", 1)[1].split()[0])
    return Ran(result.returncode, text, max_kb)


def loa_check(site) -> Ran:
    return measured([sys.executable, "-m", "loa.cli", "check", "--strict"], site.root)


def build(site) -> Ran:
    return measured(
        [
            sys.executable,
            "-m",
            "pelican",
            str(site.content),
            "-o",
            str(site.output),
            "-s",
            str(REPO / "publishconf.py"),
            "-e",
            f'CACHE_PATH="{site.root / "cache"}"',
            "LOA_READ_LEDGER=false",
        ],
        site.root,
        env={"LOA_SITEURL": "https://vi-du.example.vn"},
    )


@pytest.fixture
def hostile(site, tmp_path):
    """A site, a good article, and a secret file next to (outside) the content folder."""
    outside = tmp_path / "may-chu"
    outside.mkdir()
    (outside / "bi-mat.txt").write_text(SECRET, encoding="utf-8")
    (outside / "bi-mat.jpg").write_bytes(b"\xff\xd8\xff" + SECRET.encode())
    (outside / "thu-muc").mkdir()
    (outside / "thu-muc" / "anh.jpg").write_bytes(b"\xff\xd8\xff" + SECRET.encode())
    site.write("articles/don-vi-a/2026-11-20-tot.md", article(title="Bài tốt"))
    site.outside = outside
    return site


def assert_held(site, check: Ran, built: Ran, where: str, line: int | None = None) -> None:
    """The promise: named, exit 1 both ways, no traceback, nothing outside content/, under 500 MB."""
    for ran, name in ((check, "loa check"), (built, "build")):
        assert ran.code == 1, (name, ran.text[-3000:])
        assert "Traceback" not in ran.text, (name, ran.text[-3000:])
        assert ran.max_kb < MEMORY_LIMIT_KB, (name, ran.max_kb)
        assert where in ran.text, (name, where, ran.text[-3000:])
    if line is not None:
        assert f"{where}:{line}" in built.text, built.text[-3000:]
        assert f"dòng {line}" in check.text, check.text[-3000:]
    if site.output.exists():
        for path in site.output.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path


def body_article(body: str, **fields) -> str:
    return article(body=body, **fields)


# -- paths out of content/ -----------------------------------------------------------

LINKS = {
    "attach ../": "[tệp]({attach}../../../may-chu/bi-mat.txt)",
    "static /../": "[tệp]({static}/../../may-chu/bi-mat.txt)",
    "static ảnh ../": "![ảnh]({static}/images/../../may-chu/bi-mat.jpg)",
    "filename ../": "[bài]({filename}../../../../may-chu/bi-mat.txt)",
    "attach mã hoá %2e%2e": "[tệp]({attach}%2e%2e/%2e%2e/%2e%2e/may-chu/bi-mat.txt)",
    "attach tuyệt đối": "[tệp]({attach}/../../may-chu/bi-mat.txt)",
}


@pytest.mark.parametrize("name", list(LINKS))
def test_a_link_out_of_content_is_refused(hostile, name):
    rel = "articles/don-vi-a/2026-11-21-tan-cong.md"
    hostile.write(rel, body_article(f"Mở đầu.\n\n{LINKS[name]}\n"))
    assert_held(hostile, loa_check(hostile), build(hostile), f"content/{rel}", line=10)


COVERS = {
    "../": "../may-chu/bi-mat.jpg",
    "/../": "/../../may-chu/bi-mat.jpg",
    "{static}/../": "{static}/../../may-chu/bi-mat.jpg",
    "images/../../": "images/../../may-chu/bi-mat.jpg",
    "~": "~/bi-mat.jpg",
}


@pytest.mark.parametrize("name", list(COVERS))
def test_a_cover_out_of_content_is_refused(hostile, name):
    rel = "articles/don-vi-a/2026-11-21-bia.md"
    hostile.write(rel, article(image=f'"{COVERS[name]}"', image_alt="Ảnh"))
    assert_held(hostile, loa_check(hostile), build(hostile), f"content/{rel}", line=6)


SYMLINKS = {
    "tệp ảnh": ("images/don-vi-a/anh.jpg", "bi-mat.jpg"),
    "thư mục ảnh": ("images/don-vi-a", "thu-muc"),
    "cả thư mục images": ("images", "thu-muc"),
    "bài viết": ("articles/don-vi-a/2026-11-22-lien-ket.md", "bi-mat.txt"),
    "thư mục bài": ("articles/don-vi-b", "thu-muc"),
}


@pytest.mark.parametrize("name", list(SYMLINKS))
def test_a_symbolic_link_anywhere_under_content_is_refused(hostile, name):
    rel, target = SYMLINKS[name]
    link = hostile.content / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(hostile.outside / target)
    assert_held(hostile, loa_check(hostile), build(hostile), f"content/{rel}")


def test_a_symlinked_units_registry_is_refused(hostile):
    (hostile.content / "units.yml").unlink()
    (hostile.content / "units.yml").symlink_to(hostile.outside / "bi-mat.txt")
    check, built = loa_check(hostile), build(hostile)
    for ran in (check, built):
        assert ran.code == 1 and "Traceback" not in ran.text and "symlink" in ran.text
        assert SECRET not in ran.text


# -- static files that could run on the site's origin ----------------------------------

STATIC = {
    "trang HTML": ("xss.html", b"<script>alert(document.cookie)</script>"),
    "SVG có mã": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "JavaScript": ("app.js", b"alert(1)"),
    "HTML đuôi jpg": ("anh.jpg", b"<html><script>alert(1)</script></html>"),
    "SVG đuôi png": ("anh.png", b"<svg onload=alert(1)>"),
    "HTML đuôi pdf": ("tai-lieu.pdf", b"<html>not a pdf</html>"),
    "không có đuôi": ("README", b"hello"),
    "đuôi viết hoa": ("ANH.HTM", b"<b>x</b>"),
}


@pytest.mark.parametrize("name", list(STATIC))
def test_a_static_file_that_is_not_what_it_claims_is_never_published(hostile, name):
    filename, data = STATIC[name]
    hostile.write(f"images/don-vi-a/{filename}", data)
    check, built = loa_check(hostile), build(hostile)
    assert_held(hostile, check, built, f"content/images/don-vi-a/{filename}")
    assert not list(hostile.output.rglob(filename)), "never copied"


def test_an_attach_link_to_html_inside_content_is_refused(hostile):
    hostile.write("articles/don-vi-a/trang.html", b"<script>alert(1)</script>")
    rel = "articles/don-vi-a/2026-11-21-dinh-kem.md"
    hostile.write(rel, body_article("Mở đầu.\n\n[xem]({attach}trang.html)\n"))
    assert_held(hostile, loa_check(hostile), build(hostile), f"content/{rel}", line=10)
    assert not list(hostile.output.rglob("trang.html"))


def test_real_pictures_and_a_pdf_are_published(hostile):
    from PIL import Image

    for name, kind in (("anh.jpg", "JPEG"), ("anh.png", "PNG"), ("anh.webp", "WEBP")):
        path = hostile.content / "images" / "don-vi-a" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (40, 30), (200, 30, 30)).save(path, kind)
    hostile.write("images/don-vi-a/quy-che.pdf", b"%PDF-1.4\n%%EOF\n")
    built = build(hostile)
    assert built.code == 0, built.text[-2000:]
    for name in ("anh.jpg", "anh.png", "anh.webp", "quy-che.pdf"):
        assert (hostile.output / "images" / "don-vi-a" / name).exists(), name


# -- denial of service by content --------------------------------------------------------


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG that claims a huge picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    compressor = zlib.compressobj(9)
    data = compressor.compress(b"\x00" * 1_000_000) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


FRONT = "---\ntitle: Tấn công\ndate: 2026-11-20 08:00\nauthor: A\nsummary: Tóm tắt.\n{}---\n\nNội dung.\n"
DOS = {
    "billion laughs": (
        FRONT.format(
            "tags: &a [x, x, x, x, x, x, x, x, x]\n"
            "image_alt: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "source: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            "source_author: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        ),
        6,
    ),
    "bí danh đệ quy": (FRONT.format("tags: &a [*a]\n"), 6),
    "bí danh trong map": (FRONT.format("event: &e {start: *e}\n"), 6),
    "YAML lồng sâu": (FRONT.format("tags: " + "[" * 3000 + "]" * 3000 + "\n"), 6),
    "YAML lồng sâu kiểu khối": (
        FRONT.format("event:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(40))),
        None,
    ),
    "tệp quá lớn": (
        FRONT.format("") + ("Công đoàn cơ sở tổ chức hội nghị. " * 30 + "\n\n") * 1200,
        None,
    ),
    "danh sách lồng sâu": (
        FRONT.format("") + "".join(" " * (4 * i) + "- a\n" for i in range(400)),
        None,
    ),
    "trích dẫn lồng sâu": (FRONT.format("") + ">" * 5000 + " a\n", None),
    "dấu sao liên tiếp": (FRONT.format("") + "*" * 20000 + "a" + "*" * 20000 + "\n", None),
    "ngoặc vuông mở": (FRONT.format("") + "[a " * 40000 + "\n", None),
    "thẻ mở không đóng": (FRONT.format("") + "<a " * 40000 + "\n", None),
    "dấu huyền không đóng": (FRONT.format("") + "`a " * 40000 + "\n", None),
    "khối mã không đóng": (FRONT.format("") + "```\n" + "x\n" * 10 + "````\n" * 2000, None),
    "nhiều thẻ qua các đoạn": (FRONT.format("") + "<a\n\n" * 100_000, None),
    "phần đầu quá dài": (FRONT.format("source_author: " + "a" * 80_000 + "\n"), 1),
}


@pytest.mark.parametrize("name", list(DOS))
def test_content_shaped_to_exhaust_the_build_is_one_finding(hostile, name):
    text, line = DOS[name]
    rel = "articles/don-vi-a/2026-11-21-dos.md"
    hostile.write(rel, text)
    assert_held(hostile, loa_check(hostile), build(hostile), f"content/{rel}", line=line)


@pytest.mark.parametrize(("width", "height"), [(60_000, 60_000), (100_000, 1), (8_000, 8_000)])
def test_a_decompression_bomb_cover_is_refused_before_decoding(hostile, width, height):
    hostile.write("images/don-vi-a/bom.png", bomb_png(width, height))
    rel = "articles/don-vi-a/2026-11-21-bom.md"
    hostile.write(rel, article(image="images/don-vi-a/bom.png", image_alt="Ảnh"))
    check, built = loa_check(hostile), build(hostile)
    if width * height <= 50_000_000:
        # Under the pixel limit: decoded (it is a real, if blank, picture) — still bounded.
        assert check.max_kb < MEMORY_LIMIT_KB and built.max_kb < MEMORY_LIMIT_KB
        assert "Traceback" not in check.text + built.text
        return
    assert_held(hostile, check, built, f"content/{rel}", line=6)
    assert f"{width}×{height}" in check.text

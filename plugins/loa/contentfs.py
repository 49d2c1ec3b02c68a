"""The content folder as the only place an article may name, read within limits.

Articles, their pictures and the files they link are written by contributors,
and a unit admin's approval is all that stands between a fork and the build
machine. So everything an article names is resolved here and must stay inside
``content/`` — no ``..`` out of it, no absolute path elsewhere, no symbolic
link anywhere on the way — and every file is read within a size limit, images
are measured from their header before a pixel is decoded, and a static file
is published only if its extension is on an allowlist *and* its first bytes
say it is what the extension claims.

Low in the layers (like ``loa.findings``): the reader, the rules, the theme
and syndication all use it.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from pathlib import Path, PurePosixPath

# An article is a few kilobytes; a book is one megabyte. Markdown's cost is
# not linear in every construct, so a cap keeps one file from taking a build.
MAX_ARTICLE_BYTES = 1_000_000
MAX_YAML_FILE_BYTES = 1_000_000  # units.yml, sources.yml
MAX_STATIC_BYTES = 10_000_000  # a phone photo is 3–8 MB
# Decoded pixels: a 50-megapixel photo is ~150 MB in memory; a PNG a few
# kilobytes long can claim 100,000 × 100,000 pixels (a decompression bomb).
MAX_PIXELS = 50_000_000

# Static files a page may show or link: their extension, and the type their
# first bytes must show.
STATIC_TYPES = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".webp": "webp",
    ".gif": "gif",
    ".pdf": "pdf",
}
IMAGE_KINDS = frozenset({"jpeg", "png", "webp", "gif"})
KIND_NAMES = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP", "gif": "GIF", "pdf": "PDF"}


_PELICAN_PREFIXES = ("{static}", "{attach}", "{filename}")


def content_relative(value: str) -> str | None:
    """A path written in front matter, relative to content/, or None when it would leave it.

    ``images/a.jpg``, ``/images/a.jpg`` and ``{static}/images/a.jpg`` all name
    ``images/a.jpg``; ``../x``, ``images/../../x``, ``~/x``, a Windows drive or
    a NUL byte name nothing. An ``http(s)://`` address is returned as it is
    (the rules say where pictures must live).
    """
    if value.startswith(("http://", "https://")):
        return value
    for prefix in _PELICAN_PREFIXES:
        if value.startswith(prefix):
            value = value[len(prefix) :]
    value = value.replace("\\", "/")
    if "\x00" in value or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
        return None
    depth, parts = 0, []
    for part in value.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            depth -= 1
            if depth < 0:
                return None
            parts.pop()
            continue
        depth += 1
        parts.append(part)
    return "/".join(parts) or None


def named_file(content_dir: Path | str, value: str) -> Path | None:
    """The file a front-matter path names inside content/, or None (outside, via a symlink, remote)."""
    relative = content_relative(value)
    if relative is None or relative.startswith(("http://", "https://")):
        return None
    try:
        return resolve_inside(content_dir, relative)
    except ContentProblem:
        return None


class ContentProblem(Exception):
    """A file an article names cannot be used; ``str()`` is one Vietnamese sentence."""


def _is_link(path: str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


MAX_NAME_BYTES = 255  # one file or folder name, on every file system Loa runs on


def name_problem(name: str) -> str | None:
    """Why one path segment cannot be a file name (over 255 bytes in UTF-8), or None."""
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > MAX_NAME_BYTES:
        shown = name if len(name) <= 40 else name[:37] + "…"
        return (
            f"tên “{shown}” dài {size} byte, quá giới hạn {MAX_NAME_BYTES} byte của một tên "
            "tệp hay thư mục — đặt tên ngắn hơn"
        )
    return None


def resolve_inside(content_dir: Path | str, relative: str) -> Path:
    """The file ``relative`` (to ``content_dir``) names, checked to stay inside it.

    Refuses a path that leaves the folder (``..``, an absolute path elsewhere),
    a NUL byte, and a symbolic link anywhere between the folder and the file.
    Whether the file exists is the caller's question.
    """
    if "\x00" in relative:
        raise ContentProblem("đường dẫn có ký tự NUL")
    root = os.path.realpath(content_dir)
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if parts and parts[0] == "/":
        parts = parts[1:]
    clean: list[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not clean:
                raise ContentProblem("đường dẫn đi ra ngoài thư mục content/")
            clean.pop()
            continue
        problem = name_problem(part)
        if problem:
            raise ContentProblem(problem)
        clean.append(part)
    current = root
    for part in clean:
        current = os.path.join(current, part)
        if _is_link(current):
            raise ContentProblem(
                f"“{os.path.relpath(current, root)}” là liên kết tượng trưng (symlink)"
            )
    if os.path.commonpath([root, os.path.realpath(current)]) != root:
        raise ContentProblem("đường dẫn đi ra ngoài thư mục content/")
    return Path(content_dir).joinpath(*clean)


def inside(content_dir: Path | str, path: Path | str) -> bool:
    """Whether ``path`` lies in ``content_dir`` with no symbolic link on the way."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(content_dir))
    if relative == ".." or relative.startswith(".." + os.sep):
        return False
    try:
        resolve_inside(content_dir, relative)
    except ContentProblem:
        return False
    return True


def inside_fast(content_dir: Path | str, path: Path | str) -> bool:
    """``inside``, cheaply for the usual case.

    A file below ``content_dir`` by name whose folders are no links (remembered
    per folder) and which is no link itself.
    """
    path, root = os.path.abspath(path), os.path.abspath(content_dir)
    parent = os.path.dirname(path)
    below = parent == root or parent.startswith(root + os.sep)
    if below and not _is_link(path) and _linkless(parent, root):
        return True
    return inside(content_dir, path)


@lru_cache(maxsize=8192)
def _linkless(directory: str, root: str) -> bool:
    if len(directory) <= len(root):
        return directory == root
    return not _is_link(directory) and _linkless(os.path.dirname(directory), root)


def symlinks(content_dir: Path | str) -> list[Path]:
    """Every symbolic link under ``content_dir`` (files and folders; links are not followed)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            if _is_link(full):
                found.append(Path(full))
    return sorted(found)


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (never reads more than that)."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ContentProblem("không phải tệp thường")
        if info.st_size > limit:
            raise ContentProblem(too_big(info.st_size, limit))
        data = handle.read(limit + 1)
    if len(data) > limit:  # grew while being read
        raise ContentProblem(too_big(len(data), limit))
    return data


def read_config_text(path: Path | str) -> str:
    """A settings file of the content folder (units.yml, sources.yml): UTF-8, size-capped, no symlink.

    Raises ``FileNotFoundError`` when it is missing, ``ContentProblem`` (one
    sentence) when it may not be read, ``UnicodeDecodeError`` when it is not UTF-8.
    """
    if _is_link(str(path)):
        raise ContentProblem("là liên kết tượng trưng (symlink) — thay bằng tệp thật")
    return read_limited(path, MAX_YAML_FILE_BYTES).decode("utf-8-sig")


def too_big(size: int, limit: int) -> str:
    """The size problem in words: ``nặng 3,2 MB, quá giới hạn 1 MB``."""
    return f"nặng {_mb(size)}, quá giới hạn {_mb(limit)}"


def _mb(size: int) -> str:
    value = size / 1_000_000
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"
    return f"{text.replace('.', ',')} MB"


def sniff(head: bytes) -> str | None:
    """The type the first bytes of a file show: jpeg, png, webp, gif, pdf, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def static_problem(path: Path | str) -> str | None:
    """Why a static file may not be published (extension, size, sniffed type), or None.

    The file's own checks only; ``loa.pictures.static_problem`` adds what a
    picture's content may not hold (it is the one the rules call).
    """
    extension = os.path.splitext(str(path))[1].lower()
    expected = STATIC_TYPES.get(extension)
    if expected is None:
        allowed = ", ".join(sorted({e.lstrip(".") for e in STATIC_TYPES}))
        shown = f"có đuôi “{extension}”" if extension else "không có đuôi"
        return (
            f"{shown} — không được phép trong thư mục ảnh (chỉ {allowed}); xoá tệp này "
            "hoặc lưu lại thành ảnh JPEG, PNG hay WebP"
        )
    try:
        info = os.lstat(path)
    except OSError:
        return "không đọc được tệp"
    if stat.S_ISLNK(info.st_mode):
        return "là liên kết tượng trưng (symlink) — thay bằng tệp thật"
    if not stat.S_ISREG(info.st_mode):
        return "không phải tệp thường"
    if info.st_size > MAX_STATIC_BYTES:
        return too_big(info.st_size, MAX_STATIC_BYTES) + " — nén hoặc thu nhỏ tệp"
    with open(path, "rb") as handle:
        kind = sniff(handle.read(16))
    if kind != expected:
        shown = KIND_NAMES.get(kind, "không rõ (có thể là HTML, SVG hay mã chạy được)")
        return (
            f"có đuôi {KIND_NAMES[expected]} nhưng nội dung là {shown} — "
            f"lưu lại đúng dạng {KIND_NAMES[expected]} hoặc xoá tệp"
        )
    if kind in IMAGE_KINDS:
        try:
            image_header(path)  # the pixel count first: a bomb is refused by its size
        except ContentProblem as exc:
            return str(exc)
    return None


def image_header(path: Path | str) -> tuple[str, tuple[int, int]]:
    """(format, (width, height)) of an image, read from its header; too many pixels is refused.

    Nothing is decoded: a decompression bomb is turned away by its declared size.
    """
    from PIL import Image, UnidentifiedImageError

    # The header alone is read here, so Pillow's guard is off while it is read
    # (its message would not say the size), and set for every other open.
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as image:
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ContentProblem(
            "không phải ảnh đọc được — lưu lại ảnh dạng JPEG, PNG hoặc WebP"
        ) from None
    finally:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    if size[0] * size[1] > MAX_PIXELS:
        raise ContentProblem(pixels_problem(size))
    return kind, size


def pixels_problem(size: tuple[int, int] | None) -> str:
    """The pixel problem in words: ``có 100000×100000 điểm ảnh, quá giới hạn 50 triệu…``."""
    shown = f"có {size[0]}×{size[1]} điểm ảnh" if size else "có quá nhiều điểm ảnh"
    return (
        f"{shown}, quá giới hạn {MAX_PIXELS // 1_000_000} triệu điểm ảnh — "
        "thu nhỏ ảnh (ví dụ cạnh dài 2000 điểm ảnh) rồi lưu lại"
    )


def open_image(path: Path | str):
    """``PIL.Image.open`` after ``image_header`` has checked the pixel count."""
    from PIL import Image

    image_header(path)
    return Image.open(path)

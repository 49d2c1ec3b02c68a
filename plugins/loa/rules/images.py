"""Cover image rules: exists, JPEG/PNG/WebP, small enough for Zalo, large enough for social cards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from loa import contentfs
from loa.findings import WARNING, Finding
from loa.frontmatter import Document
from loa.rules.context import RuleContext

MAX_BYTES = 1_000_000  # Zalo OA rejects covers over 1 MB
MIN_SIZE = (1200, 630)  # the social card size of Facebook, X and Zalo
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


def image_file(value: str, content_dir: Path) -> Path:
    """The file an ``image:`` value names (relative to content/, ``{static}`` allowed).

    Raises ``ContentProblem`` when the value leaves content/ or passes a symbolic link.
    """
    relative = contentfs.content_relative(value)
    if relative is None:
        raise contentfs.ContentProblem("đường dẫn đi ra ngoài thư mục content/")
    return contentfs.resolve_inside(content_dir, relative)


def check_cover(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Findings for the ``image`` field."""
    value = doc.fields.get("image")
    if not value:
        return
    line = doc.line_of("image")
    if value.startswith(("http://", "https://")):
        yield Finding(
            doc.path,
            line,
            "Ảnh bìa phải là tệp trong kho (content/images/<đơn-vị>/) — tải ảnh lên và ghi “image: images/<đơn-vị>/ten-anh.jpg”.",
            "image-remote",
        )
        return
    try:
        path = image_file(value, ctx.content_dir)
    except contentfs.ContentProblem as exc:
        yield Finding(
            doc.path,
            line,
            f"Ảnh bìa “{value}”: {exc} — đặt ảnh vào content/images/<đơn-vị>/ và ghi "
            "“image: images/<đơn-vị>/ten-anh.jpg”.",
            "image-path",
        )
        return
    if not path.is_file():
        yield Finding(
            doc.path,
            line,
            f"Không tìm thấy ảnh bìa “{value}” — đặt ảnh vào content/{value.lstrip('/')} hoặc sửa đường dẫn.",
            "image-missing",
        )
        return
    size = path.stat().st_size
    try:
        kind, (width, height) = contentfs.image_header(path)
    except contentfs.ContentProblem as exc:
        yield Finding(doc.path, line, f"Ảnh bìa “{value}” {exc}.", "image-format")
        return
    if kind not in FORMATS:
        yield Finding(
            doc.path,
            line,
            f"Ảnh bìa dạng {kind} không được hỗ trợ — chuyển sang JPEG, PNG hoặc WebP.",
            "image-format",
        )
    if size > MAX_BYTES:
        yield Finding(
            doc.path,
            line,
            f"Ảnh bìa nặng {size / 1_000_000:.1f} MB, quá 1 MB (giới hạn của Zalo) — giảm kích thước hoặc nén ảnh.",
            "image-size",
        )
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        yield Finding(
            doc.path,
            line,
            f"Ảnh bìa chỉ {width}×{height} điểm ảnh, nhỏ hơn {MIN_SIZE[0]}×{MIN_SIZE[1]} — ảnh sẽ mờ khi chia sẻ; nên dùng ảnh lớn hơn.",
            "image-small",
            WARNING,
        )

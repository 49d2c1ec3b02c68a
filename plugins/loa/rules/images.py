"""Cover and album rules: exists, JPEG/PNG/WebP, small enough for Zalo, large enough to share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from loa import contentfs, pictures, platforms
from loa.findings import WARNING, Finding
from loa.frontmatter import Document
from loa.frontmatter.fields import COVER_MAX_BYTES, COVER_MIN_SIZE, PHOTO_MIN_SIZE
from loa.rules.context import RuleContext

# The limits belong to the field definitions (the form shows the same ones).
MAX_BYTES = COVER_MAX_BYTES
MIN_SIZE = COVER_MIN_SIZE
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MIN_PHOTO = PHOTO_MIN_SIZE


def image_file(value: str, content_dir: Path) -> Path:
    """The file an ``image:`` value names (relative to content/, ``{static}`` allowed).

    Raises ``ContentProblem`` when the value leaves content/ or passes a symbolic link.
    """
    relative = contentfs.content_relative(value)
    if relative is None:
        raise contentfs.ContentProblem("đường dẫn đi ra ngoài thư mục content/")
    return contentfs.resolve_inside(content_dir, relative)


def check_cover(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Findings for the ``image`` field (a gallery's first photo is checked with the gallery)."""
    value = doc.fields.get("image")
    if not value:
        return
    gallery = doc.fields.get("gallery") or ()
    if gallery and gallery[0].image == value and "image" not in doc.lines:
        return
    yield from check_picture(doc, ctx, value, doc.line_of("image"), "Ảnh bìa", cover=True)


def check_gallery(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Each album photo is a picture like a cover; channels that take fewer photos are named."""
    gallery = doc.fields.get("gallery") or ()
    for number, photo in enumerate(gallery, 1):
        yield from check_picture(
            doc, ctx, photo.image, photo.line or doc.line_of("gallery"), f"Ảnh {number} của album"
        )
    yield from _check_budget(doc, ctx, gallery)
    if len(gallery) < 2:
        return
    partial = {}
    for name in _channels(doc, ctx):
        record = platforms.get(name)
        most = record.limits.get("album") if record else None
        if record is not None and record.can(platforms.ALBUM) and most and most < len(gallery):
            partial.setdefault(most, []).append(record.label)
    if partial:
        parts = "; ".join(
            f"{', '.join(labels)} nhận {most} ảnh đầu" for most, labels in sorted(partial.items())
        )
        yield Finding(
            doc.path,
            doc.line_of("gallery"),
            f"Album có {len(gallery)} ảnh: {parts} — đặt những ảnh quan trọng nhất lên đầu.",
            "gallery-partial",
            WARNING,
        )


def _check_budget(doc: Document, ctx: RuleContext, gallery) -> Iterator[Finding]:
    """The decoding work of the article's pictures, within ``pictures.ARTICLE_BUDGET``."""
    values = {photo.image for photo in gallery} | {doc.fields.get("image") or ""}
    total, heavy = 0, 0
    for value in sorted(v for v in values if v and not v.startswith(("http://", "https://"))):
        try:
            kind, size = contentfs.image_header(image_file(value, ctx.content_dir))
        except (contentfs.ContentProblem, OSError):
            continue  # named by the picture's own finding
        cost = pictures.decode_cost(kind, size)
        total += cost
        heavy += kind != "JPEG" and cost > 10_000_000
    if total > pictures.ARTICLE_BUDGET:
        hint = " (ảnh PNG/WebP lớn: lưu lại dạng JPEG)" if heavy else ""
        yield Finding(
            doc.path,
            doc.line_of("gallery") or doc.line_of("image"),
            f"Ảnh của bài cần giải mã {total // 1_000_000} triệu điểm ảnh, quá giới hạn "
            f"{pictures.ARTICLE_BUDGET // 1_000_000} triệu của một bài — thu nhỏ ảnh (cạnh dài "
            f"khoảng 2000 điểm ảnh){hint} hoặc chia album thành nhiều bài.",
            "image-budget",
        )


def _channels(doc: Document, ctx: RuleContext) -> list[str]:
    from loa.rules.fields import unit_channels

    names = unit_channels(doc, ctx)
    syndicate = doc.fields.get("syndicate")
    if syndicate is False:
        return []
    if isinstance(syndicate, list):
        names = [n for n in names if n in syndicate]
    return names


def check_picture(
    doc: Document, ctx: RuleContext, value: str, line: int, what: str, cover: bool = False
) -> Iterator[Finding]:
    """A picture named in front matter: inside content/, present, a supported type, not too big."""
    if value.startswith(("http://", "https://")):
        yield Finding(
            doc.path,
            line,
            f"{what} phải là tệp trong kho (content/images/<đơn-vị>/) — tải ảnh lên và ghi “image: images/<đơn-vị>/ten-anh.jpg”.",
            "image-remote",
        )
        return
    try:
        path = image_file(value, ctx.content_dir)
    except contentfs.ContentProblem as exc:
        yield Finding(
            doc.path,
            line,
            f"{what} “{value}”: {exc} — đặt ảnh vào content/images/<đơn-vị>/ và ghi "
            "“image: images/<đơn-vị>/ten-anh.jpg”.",
            "image-path",
        )
        return
    if not path.is_file():
        yield Finding(
            doc.path,
            line,
            f"Không tìm thấy {what[0].lower() + what[1:]} “{value}” — đặt ảnh vào content/{value.lstrip('/')} hoặc sửa đường dẫn.",
            "image-missing",
        )
        return
    size = path.stat().st_size
    try:
        kind, (width, height) = contentfs.image_header(path)
    except contentfs.ContentProblem as exc:
        yield Finding(doc.path, line, f"{what} “{value}” {exc}.", "image-format")
        return
    if kind not in FORMATS:
        yield Finding(
            doc.path,
            line,
            f"{what} dạng {kind} không được hỗ trợ — chuyển sang JPEG, PNG hoặc WebP.",
            "image-format",
        )
    if cover and size > MAX_BYTES:
        yield Finding(
            doc.path,
            line,
            f"{what} nặng {size / 1_000_000:.1f} MB, quá 1 MB (giới hạn của Zalo) — giảm kích thước hoặc nén ảnh.",
            "image-size",
        )
    minimum = MIN_SIZE if cover else MIN_PHOTO
    if width < minimum[0] or height < minimum[1]:
        yield Finding(
            doc.path,
            line,
            f"{what} chỉ {width}×{height} điểm ảnh, nhỏ hơn {minimum[0]}×{minimum[1]} — ảnh sẽ mờ khi chia sẻ; nên dùng ảnh lớn hơn.",
            "image-small",
            WARNING,
        )

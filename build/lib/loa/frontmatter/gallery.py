"""The ``gallery:`` field: an ordered photo album, each photo with its alt text.

```yaml
gallery:
  - image: images/don-vi-a/hoi-thao/01.jpg
    alt: Đoàn viên xếp hàng hiến máu tại hội trường
    caption: Hơn 80 đoàn viên tham gia   # optional
  - image: images/don-vi-a/hoi-thao/02.jpg
    alt: ...
```

Paths are written like the cover's (relative to ``content/``). The cover
defaults to the first photo. Each photo is checked like a cover by ``loa
check`` (``loa.rules.images``).
"""

from __future__ import annotations

from dataclasses import dataclass

from loa import yamlfile
from loa.contentfs import content_relative
from loa.frontmatter.fields import CAPTION_MAX, GALLERY_FIELDS, GALLERY_MAX, ITEM_KEYS
from loa.vietnamese import nfc

EXAMPLE = (
    "viết mỗi ảnh một mục: “- image: images/<đơn-vị>/<album>/01.jpg” rồi dòng "
    "“  alt: mô tả ảnh” thụt lề bên dưới"
)

CAPTION = next(f for f in GALLERY_FIELDS if f.name == "caption")


@dataclass(frozen=True)
class Photo:
    """One photo of an album."""

    image: str
    alt: str
    caption: str = ""
    line: int = 0


def parse_gallery(doc, data) -> list[Photo]:
    """The album of an article, each problem a finding with its line."""
    value = data.get("gallery")
    if value is None:
        return []
    where = doc.line_of("gallery")
    if not isinstance(value, list):
        doc.add(where, f"Trường “gallery” phải là danh sách ảnh — {EXAMPLE}.", "gallery")
        return []
    if len(value) > GALLERY_MAX:
        doc.add(
            where,
            f"Album có {len(value)} ảnh, quá {GALLERY_MAX} — chọn những ảnh đẹp nhất "
            f"hoặc chia thành nhiều bài.",
            "gallery",
        )
        value = value[:GALLERY_MAX]
    photos = []
    for number, item in enumerate(value, 1):
        line = getattr(item, "line", where)
        label = f"Ảnh {number} trong “gallery”"
        if isinstance(item, str):
            doc.add(line, f"{label} thiếu mô tả — {EXAMPLE}.", "gallery-alt")
            continue
        if not isinstance(item, yamlfile.LineDict):
            doc.add(line, f"{label} không đúng dạng — {EXAMPLE}.", "gallery")
            continue
        unknown = [k for k in item if k not in ITEM_KEYS]
        for key in unknown:
            doc.add(
                item.line_of(key),
                f"{label} có khoá “{key}” không hợp lệ — chỉ dùng image, alt, caption.",
                "gallery",
            )
        image, alt, caption = (_text(item.get(k)) for k in ITEM_KEYS)
        if not image:
            doc.add(line, f"{label} thiếu “image” — {EXAMPLE}.", "gallery")
            continue
        if image.startswith(("http://", "https://")):
            doc.add(
                item.line_of("image"),
                f"{label} phải là tệp trong kho (content/images/<đơn-vị>/) — tải ảnh lên và ghi "
                "đường dẫn “images/<đơn-vị>/<album>/ten-anh.jpg”.",
                "image-remote",
            )
            continue
        if content_relative(image) is None:
            doc.add(
                item.line_of("image"),
                f"{label} “{image}” nằm ngoài thư mục content/ — đặt ảnh vào "
                "content/images/<đơn-vị>/ và ghi đường dẫn từ “images/”.",
                "image-path",
            )
            continue
        if not alt:
            doc.add(
                line,
                f"{label} ({image}) thiếu “alt” — thêm một câu mô tả ảnh cho người khiếm thị.",
                "gallery-alt",
            )
        if len(caption) > CAPTION_MAX:
            doc.add(
                item.line_of("caption"),
                CAPTION.too_long_message(len(caption), photo=f"{label.lower()} "),
                "gallery",
            )
        photos.append(Photo(image, alt, caption, line))
    return photos


def _text(value) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return nfc(str(value).strip())

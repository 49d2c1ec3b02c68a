"""Responsive covers: WebP at a few widths next to the original, cached by content hash."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

from PIL import Image, ImageOps

from loa import contentfs

logger = logging.getLogger(__name__)

WIDTHS = (480, 800, 1200)
OUTPUT_DIR = "anh"


def variants(source: Path, cache: Path, output: Path) -> list[tuple[str, int]]:
    """``[(site path, width)]`` of the WebP variants of ``source`` (made once, then copied)."""
    try:
        digest = hashlib.sha256(
            contentfs.read_limited(source, contentfs.MAX_STATIC_BYTES)
        ).hexdigest()[:16]
        with contentfs.open_image(source) as original:
            width = original.width
            needed = [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]
            made = []
            image = None
            for target_width in sorted(set(needed)):
                name = f"{digest}-{target_width}.webp"
                cached = cache / name
                if not cached.exists():
                    if image is None:
                        image = ImageOps.exif_transpose(original).convert("RGB")
                    height = max(1, round(image.height * target_width / image.width))
                    cache.mkdir(parents=True, exist_ok=True)
                    image.resize((target_width, height), Image.Resampling.LANCZOS).save(
                        cached, "WEBP", quality=78, method=4
                    )
                destination = output / OUTPUT_DIR / name
                if not destination.exists():
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(cached, destination)
                made.append((f"{OUTPUT_DIR}/{name}", target_width))
            return made
    except Exception as exc:  # a picture a contributor made must not take the build down
        logger.warning(
            "Không tạo được các cỡ ảnh của %s (%s): trang dùng ảnh gốc.",
            os.path.relpath(source),
            exc,
        )
        return []


def dimensions(source: Path) -> tuple[int, int] | None:
    """Width and height of an image file (for ``width``/``height`` attributes: no layout shift)."""
    try:
        return contentfs.image_header(source)[1]
    except contentfs.ContentProblem:
        return None

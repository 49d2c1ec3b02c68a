"""Responsive covers: WebP at a few widths next to the original, cached by content hash."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

from PIL import Image, ImageOps

from loa import contentfs, pictures

logger = logging.getLogger(__name__)

WIDTHS = (480, 800, 1200)
OUTPUT_DIR = "anh"


def variants(source: Path, cache: Path, output: Path) -> list[tuple[str, int]]:
    """``[(site path, width)]`` of the WebP variants of ``source`` (made once, then copied)."""
    try:
        digest = hashlib.sha256(
            contentfs.read_limited(source, contentfs.MAX_STATIC_BYTES)
        ).hexdigest()[:16]
        width = contentfs.image_header(source)[1][0]
        needed = sorted(set([w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]))
        missing = [w for w in needed if not (cache / f"{digest}-{w}.webp").exists()]
        if missing:
            # Decoded once, no larger than the widest variant needs (JPEG draft, then reduce).
            with pictures.open_reduced(source, max(missing)) as original:
                image = ImageOps.exif_transpose(original).convert("RGB")
            cache.mkdir(parents=True, exist_ok=True)
            for target_width in missing:
                height = max(1, round(image.height * target_width / image.width))
                cached = cache / f"{digest}-{target_width}.webp"
                scratch = pictures.atomic_target(cached)
                image.resize((target_width, height), Image.Resampling.LANCZOS).save(
                    scratch, "WEBP", quality=78, method=4
                )
                os.replace(scratch, cached)
        made = []
        for target_width in needed:
            name = f"{digest}-{target_width}.webp"
            destination = output / OUTPUT_DIR / name
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(cache / name, destination)
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

"""The social image of every article: a JPEG that Instagram, TikTok and Zalo accept.

Instagram takes only JPEG, with an aspect ratio between 4:5 and 1.91:1; TikTok
rejects PNG; Zalo wants covers under 1 MB. A cover that already fits is used as
is; any other cover is converted once (cached by content hash); an article with
no cover uses its unit's card, drawn once per unit.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from loa import contentfs, pictures

logger = logging.getLogger(__name__)

SIZE = (1200, 630)
MIN_RATIO, MAX_RATIO = 4 / 5, 1.91
MAX_BYTES = 1_000_000
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)
PALETTE = ((11, 83, 148), (39, 110, 70), (153, 0, 0), (19, 79, 92), (53, 28, 117), (120, 63, 4))
OUTPUT_DIR = "social"


def _font(size: int, path: str | None):
    for candidate in (path, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return None  # no font with Vietnamese letters here: the card is drawn without text


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            line = trial
        else:
            if line:
                lines.append(line)
            line = word
    return [*lines, line] if line else lines


def unit_card(
    unit, site_name: str, target: Path, index: int = 0, font_path: str | None = None
) -> Path:
    """Draw the default card of a unit: its colour, its name and the site's name."""
    colour = PALETTE[index % len(PALETTE)]
    image = Image.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, SIZE[1] - 90, SIZE[0], SIZE[1]], fill=tuple(max(0, c - 40) for c in colour))
    big, small = _font(64, font_path), _font(30, font_path)
    if big is not None:
        y = 120
        for line in _wrap(draw, unit.name, big, SIZE[0] - 160)[:4]:
            draw.text((80, y), line, font=big, fill=(255, 255, 255))
            y += 80
        draw.text((80, SIZE[1] - 68), site_name, font=small, fill=(255, 255, 255))
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "JPEG", quality=85, optimize=True)
    return target


def fits(path: Path) -> bool:
    """True when ``path`` is already a JPEG every platform accepts."""
    try:
        with contentfs.open_image(path) as image:
            ratio = image.width / image.height
            return (
                image.format == "JPEG"
                and MIN_RATIO <= ratio <= MAX_RATIO
                and path.stat().st_size <= MAX_BYTES
                and image.mode == "RGB"
            )
    except Exception:  # unreadable, too big, degenerate: converted (or refused) below
        return False


def _save_small(image: Image.Image, target: Path) -> Path:
    """Save ``image`` as a progressive JPEG under ``MAX_BYTES`` (lowering the quality as needed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for quality in (85, 75, 65, 55):
        image.save(target, "JPEG", quality=quality, optimize=True, progressive=True)
        if target.stat().st_size <= MAX_BYTES:
            break
    return target


def convert(source: Path, target: Path) -> Path:
    """A 1200×630 JPEG of ``source`` (cropped to fit), under 1 MB."""
    with pictures.open_reduced(source, SIZE[0]) as original:
        image = ImageOps.fit(
            ImageOps.exif_transpose(original).convert("RGB"), SIZE, method=Image.Resampling.LANCZOS
        )
        return _save_small(image, target)


def _made_once(
    source: Path, output_dir: Path, cache_dir: Path, folder: str, make, failed: str
) -> str | None:
    """``make(source, cached)`` once per content (cached by hash), copied to ``folder`` in the output.

    The site path of the copy, or None when the picture cannot be read or made
    (a warning naming the file and ``failed``, never a stopped build).
    """
    try:
        digest = hashlib.sha256(
            contentfs.read_limited(source, contentfs.MAX_STATIC_BYTES)
        ).hexdigest()[:16]
    except (OSError, contentfs.ContentProblem):
        return None
    cached = cache_dir / folder.removeprefix(OUTPUT_DIR).strip("/") / f"{digest}.jpg"
    if not cached.exists():
        try:
            scratch = pictures.atomic_target(cached)
            make(source, scratch)
            os.replace(scratch, cached)
        except Exception as exc:  # a picture a contributor made must not take the build down
            logger.warning(
                "Không chuyển được %s thành ảnh cho mạng xã hội (%s): %s.",
                os.path.relpath(source),
                exc,
                failed,
            )
            return None
    rel = f"{folder}/{digest}.jpg"
    destination = output_dir / rel
    destination.parent.mkdir(parents=True, exist_ok=True)
    if not destination.exists():
        shutil.copyfile(cached, destination)
    return rel


def social_image(cover: Path, content_dir: Path, output_dir: Path, cache_dir: Path) -> str | None:
    """The site path of the article's social JPEG, made from ``cover`` when needed."""
    if not cover.is_file():
        return None
    if fits(cover):
        return cover.relative_to(content_dir).as_posix()
    return _made_once(cover, output_dir, cache_dir, OUTPUT_DIR, convert, "bài dùng ảnh của đơn vị")


PHOTO_WIDTH = 1440  # the widest an album photo is sent (Instagram shows 1080, Facebook 2048)


def convert_photo(source: Path, target: Path) -> Path:
    """An album photo as a JPEG every platform takes.

    The ratio is kept within 4:5–1.91:1 (cropped at the centre only when
    outside), at most 1440 px wide, under 1 MB.
    """
    with pictures.open_reduced(source, PHOTO_WIDTH) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")
        ratio = image.width / image.height
        if ratio < MIN_RATIO:
            image = ImageOps.fit(image, (image.width, round(image.width / MIN_RATIO)))
        elif ratio > MAX_RATIO:
            image = ImageOps.fit(image, (round(image.height * MAX_RATIO), image.height))
        if image.width > PHOTO_WIDTH:
            height = max(1, round(image.height * PHOTO_WIDTH / image.width))
            image = image.resize((PHOTO_WIDTH, height), Image.Resampling.LANCZOS)
        return _save_small(image, target)


def album_photo(
    source: Path, output_dir: Path, cache_dir: Path
) -> tuple[str, tuple[int, int]] | None:
    """The site path and size of an album photo's JPEG for the platforms (made once, cached)."""
    rel = _made_once(
        source, output_dir, cache_dir, f"{OUTPUT_DIR}/album", convert_photo,
        "ảnh này không được đăng kèm",
    )  # fmt: skip
    if rel is None:
        return None
    with Image.open(output_dir / rel) as made:
        return rel, made.size

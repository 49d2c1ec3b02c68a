"""Draw the sample site's cover pictures (abstract, no text), so the project ships its own.

Run once: ``python scripts/make_sample_images.py``; the JPEGs are committed under
content/images/<unit>/. Deterministic: the same seed gives the same pictures.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 1200, 630
PALETTES = {
    "blue": ((11, 83, 148), (111, 168, 220), (255, 214, 102)),
    "green": ((39, 110, 70), (147, 196, 125), (255, 229, 153)),
    "red": ((153, 0, 0), (234, 153, 153), (255, 242, 204)),
    "teal": ((19, 79, 92), (118, 165, 175), (249, 203, 156)),
    "violet": ((53, 28, 117), (180, 167, 214), (255, 217, 102)),
}

PICTURES = {
    "cong-doan-cuc/dai-hoi-cong-doan.jpg": ("red", 1, "crowd"),
    "van-phong-cuc/hoi-nghi-nguoi-lao-dong.jpg": ("blue", 2, "crowd"),
    "trung-tam-du-lieu/trung-tam-du-lieu.jpg": ("teal", 3, "servers"),
    "trung-tam-cong-nghe/ban-do-so.jpg": ("green", 4, "map"),
    "trung-tam-thong-tin/tu-sach-cong-doan.jpg": ("violet", 5, "books"),
    "trung-tam-ha-tang-so/an-toan-thong-tin.jpg": ("blue", 6, "servers"),
    "cong-doan-cuc/mai-am-cong-doan.jpg": ("red", 7, "house"),
    "van-phong-cuc/giai-chay.jpg": ("green", 8, "run"),
}
# The album of the running race article: twelve photos, motifs and palettes in turn.
ALBUM_MOTIFS = (
    "run",
    "crowd",
    "run",
    "house",
    "crowd",
    "run",
    "map",
    "crowd",
    "run",
    "books",
    "crowd",
    "run",
)
ALBUM_PALETTES = (
    "green",
    "blue",
    "teal",
    "red",
    "violet",
    "green",
    "blue",
    "teal",
    "red",
    "violet",
    "green",
    "blue",
)
for _n, (_motif, _palette) in enumerate(zip(ALBUM_MOTIFS, ALBUM_PALETTES, strict=True), 1):
    PICTURES[f"van-phong-cuc/giai-chay-2026/{_n:02d}.jpg"] = (_palette, 100 + _n, _motif)


def gradient(top, bottom) -> Image.Image:
    img = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(img)
    for y in range(H):
        t = y / H
        draw.line(
            [(0, y), (W, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return img


def draw_picture(palette: str, seed: int, motif: str) -> Image.Image:
    rng = random.Random(seed)
    dark, light, warm = PALETTES[palette]
    img = gradient(light, (250, 250, 250))
    draw = ImageDraw.Draw(img)
    draw.ellipse([W - 260, 60, W - 120, 200], fill=warm)
    for i in range(3):  # hills
        y = 360 + i * 60
        pts = [(0, H)] + [(x, y + rng.randint(-40, 40)) for x in range(0, W + 100, 100)] + [(W, H)]
        shade = tuple(int(c * (0.7 + 0.1 * i)) for c in dark)
        draw.polygon(pts, fill=shade)
    if motif == "crowd":
        for i in range(14):
            x = 80 + i * 78 + rng.randint(-10, 10)
            y = 420 + rng.randint(-20, 30)
            color = rng.choice([warm, (255, 255, 255), light])
            draw.ellipse([x, y - 60, x + 40, y - 20], fill=color)
            draw.rounded_rectangle([x - 10, y - 15, x + 50, y + 90], 18, fill=color)
    elif motif == "servers":
        for i in range(6):
            x = 120 + i * 170
            draw.rounded_rectangle([x, 200, x + 120, 560], 10, fill=(40, 44, 52))
            for j in range(8):
                draw.rectangle([x + 14, 220 + j * 40, x + 106, 240 + j * 40], fill=(70, 76, 88))
                draw.ellipse(
                    [x + 90, 224 + j * 40, x + 100, 234 + j * 40],
                    fill=rng.choice([warm, (120, 220, 120)]),
                )
    elif motif == "map":
        for _ in range(40):
            x, y = rng.randint(60, W - 60), rng.randint(120, H - 60)
            draw.ellipse([x - 8, y - 8, x + 8, y + 8], fill=warm, outline=(255, 255, 255), width=3)
        for _ in range(12):
            draw.line(
                [
                    (rng.randint(0, W), rng.randint(100, H)),
                    (rng.randint(0, W), rng.randint(100, H)),
                ],
                fill=(255, 255, 255),
                width=4,
            )
    elif motif == "books":
        x = 100
        while x < W - 120:
            w = rng.randint(40, 80)
            h = rng.randint(220, 330)
            draw.rectangle(
                [x, 560 - h, x + w, 560], fill=rng.choice([dark, warm, light, (255, 255, 255)])
            )
            x += w + 8
    elif motif == "house":
        draw.polygon([(420, 300), (600, 160), (780, 300)], fill=warm)
        draw.rectangle([450, 300, 750, 540], fill=(255, 255, 255))
        draw.rectangle([570, 400, 630, 540], fill=dark)
    elif motif == "run":
        for i in range(8):
            x = 100 + i * 130
            y = 430 + (i % 2) * 20
            draw.ellipse([x, y - 80, x + 36, y - 44], fill=(255, 255, 255))
            draw.line([(x + 18, y - 44), (x + 10, y + 20)], fill=(255, 255, 255), width=12)
            draw.line([(x + 10, y + 20), (x - 20, y + 80)], fill=(255, 255, 255), width=10)
            draw.line([(x + 10, y + 20), (x + 40, y + 80)], fill=(255, 255, 255), width=10)
    return img.filter(ImageFilter.SMOOTH)


def main() -> None:
    root = Path(__file__).resolve().parent.parent / "content" / "images"
    for rel, (palette, seed, motif) in PICTURES.items():
        out = root / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        draw_picture(palette, seed, motif).save(
            out, "JPEG", quality=78, optimize=True, progressive=True
        )
        print(f"{out.relative_to(root.parent.parent)}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

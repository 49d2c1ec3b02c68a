"""Pictures bounded by work: ``python bench/pictures.py [--photos 50] [--side 7000] [--kind jpeg]``.

Copies the sample site (content/, settings, theme, plugins) to bench/.corpus/pictures,
adds one article whose album holds ``--photos`` pictures of ``--side``×``--side``
pixels (each different, so no cache can share work; JPEG by default, as a
phone takes them; ``--kind png`` for flat PNGs of ~150 KB that decode to 147 MB
each — the case that once took a build to 655 MB; past 6 of them an article is
over its decoding budget and both ``loa check`` and the build refuse it with one
sentence), then runs ``loa check`` and the production build cold,
each under ``/usr/bin/time -v``, and prints wall time and peak resident size.
The budget the issue sets: under 500 MB and under 30 s for the build.
Figures only: nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_album(content: Path, photos: int, side: int, kind: str) -> float:
    """Write the album's pictures and article; the seconds it took."""
    from PIL import Image

    start = time.perf_counter()
    folder = content / "images" / "van-phong-cuc" / "album-lon"
    folder.mkdir(parents=True, exist_ok=True)
    base = Image.new("RGB", (side, side), (240, 240, 235))
    ext = {"png": "png", "jpeg": "jpg"}[kind]
    lines = []
    for n in range(photos):
        image = base.copy()
        step = side // (photos + 2)
        image.paste((200, 30 + n, 30), (step * n, step * n, step * (n + 2), side - step * n))
        name = f"{n + 1:02d}.{ext}"
        if kind == "png":
            image.save(folder / name, "PNG", compress_level=6)
        else:
            image.save(folder / name, "JPEG", quality=85)
        image.close()
        lines.append(f"  - image: images/van-phong-cuc/album-lon/{name}\n    alt: Ảnh {n + 1}\n")
    (content / "articles" / "van-phong-cuc" / "2026-11-19-album-lon.md").write_text(
        "---\ntitle: Album ảnh lớn\ndate: 2026-11-19 08:00\nauthor: Nguyễn Thị Lan\n"
        "summary: Một album nhiều ảnh cỡ lớn.\n"
        f"image: images/van-phong-cuc/album-lon/01.{ext}\nimage_alt: Ảnh bìa\n"
        "gallery:\n" + "".join(lines) + "---\n\nAlbum ảnh.\n",
        encoding="utf-8",
    )
    return time.perf_counter() - start


def timed(args: list[str], cwd: Path) -> tuple[int, float, int, str]:
    """(exit code, wall seconds, peak RSS in MB, output tail) of a command under /usr/bin/time -v."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "plugins"),
        "LOA_SITEURL": "https://vi-du.example.vn",
        "NO_COLOR": "1",
    }
    start = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-v", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    peak = int(found.group(1)) // 1024 if found else -1
    tail = (result.stdout + result.stderr).strip().splitlines()[-25:]
    return result.returncode, wall, peak, "\n".join(tail)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--side", type=int, default=7000)
    parser.add_argument("--kind", choices=("png", "jpeg"), default="jpeg")
    parser.add_argument("--keep", action="store_true", help="keep bench/.corpus/pictures")
    args = parser.parse_args()

    site = REPO / "bench" / ".corpus" / "pictures"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(REPO / "content", site / "content")
    for name in ("theme", "plugins"):
        (site / name).symlink_to(REPO / name)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / name, site / name)
    made = make_album(site / "content", args.photos, args.side, args.kind)
    sizes = sorted(p.stat().st_size for p in (site / "content" / "images").rglob("album-lon/*"))
    print(
        f"album: {args.photos} {args.kind.upper()} pictures of {args.side}×{args.side} px, "
        f"{sizes[0] // 1024}–{sizes[-1] // 1024} KB each, made in {made:.1f} s"
    )
    rows = [
        ("loa check", [sys.executable, "-m", "loa.cli", "check"]),
        (
            "build (publishconf, cold)",
            [
                sys.executable,
                "-m",
                "pelican",
                "content",
                "-o",
                "output",
                "-s",
                "publishconf.py",
                "-q",
                "-e",
                "LOA_READ_LEDGER=false",
            ],
        ),
    ]
    print(f"{'step':<28} {'exit':>4} {'wall s':>8} {'peak RSS MB':>12}")
    for label, command in rows:
        code, wall, peak, tail = timed(command, site)
        print(f"{label:<28} {code:>4} {wall:>8.1f} {peak:>12}")
        if code:
            print(tail)
    made_album = list((site / "output").rglob("social/album/*.jpg"))
    print(f"album photos made for the platforms: {len(made_album)}")
    if not args.keep:
        shutil.rmtree(site, ignore_errors=True)


if __name__ == "__main__":
    main()

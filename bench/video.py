"""Encode time of one phone clip: ``python bench/video.py [SECONDS]`` (default 60 s, 1080×1920).

Makes a 1080×1920, 30 fps clip of moving colour bars and a tone with the
bundled ffmpeg (x264 "veryfast", like a phone's high bitrate), with a
two-line Vietnamese caption every two seconds, then times what a build does
with a new video: the gate's probe (box reader + one decoded frame), each
rendition (web, social clean, social with burned-in captions), the poster,
and a rebuild (cache hit). Prints wall and CPU time of each and the sizes.
Figures only: nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from loa.video import captions as cc
from loa.video import (
    encode,
    ffmpeg,
)
from loa.video.probe import probe


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, action, rows: list) -> object:
    wall, cpu = time.perf_counter(), children_cpu()
    result = action()
    rows.append((label, time.perf_counter() - wall, children_cpu() - cpu))
    return result


def source(path: Path, seconds: int) -> None:
    ffmpeg.run(
        ["-f", "lavfi", "-i", "testsrc2=size=1080x1920:rate=30", "-f", "lavfi",
         "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
         "-c:v", "libx264", "-preset", "veryfast", "-b:v", "16M", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "192k", "-shortest", str(path)],
        timeout=3600,
    )  # fmt: skip


def srt(seconds: int) -> str:
    blocks = []
    for n, start in enumerate(range(0, seconds - 1, 2), 1):
        blocks.append(
            f"{n}\n00:00:{start:02d},000 --> 00:00:{start + 1:02d},800\n"
            f"Câu {n}: Công đoàn Việt Nam — Đà Nẵng\nđoàn viên hưởng ứng ngày hội thể thao"
        )
    return "\n\n".join(blocks) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", type=int, nargs="?", default=60)
    args = parser.parse_args()
    rows: list = []
    with tempfile.TemporaryDirectory(prefix="loa-bench-video-") as tmp:
        folder = Path(tmp)
        clip_path = folder / "clip.mp4"
        timed(
            f"make the {args.seconds} s 1080×1920 source",
            lambda: source(clip_path, args.seconds),
            rows,
        )
        clip = timed("gate: probe (boxes + one frame)", lambda: probe(clip_path), rows)
        cues = cc.parse(srt(args.seconds), "srt", clip.duration)
        made = timed(
            "encode: web + social + burned + poster",
            lambda: encode.renditions(clip, cues, folder / "cache"),
            rows,
        )
        timed("rebuild (cache hit)", lambda: encode.renditions(clip, cues, folder / "cache"), rows)
        print(f"source: {clip_path.stat().st_size / 1e6:.1f} MB, {clip.duration:.1f} s, "
              f"{clip.width}×{clip.height}")  # fmt: skip
        for label, wall, cpu in rows:
            print(f"{label:45s} wall {wall:7.1f} s   ffmpeg CPU {cpu:7.1f} s")
        for name in ("web", "social", "burned", "poster", "thumb"):
            path = getattr(made, name)
            print(f"{name:8s} {path.stat().st_size / 1e6:7.2f} MB  {path.name}")


if __name__ == "__main__":
    main()

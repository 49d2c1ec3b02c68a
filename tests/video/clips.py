"""Clips made by the bundled ffmpeg for the tests: colour bars and a tone, a few seconds.

No video file is kept in the repository; each test session makes its own.
"""

from __future__ import annotations

from pathlib import Path

from loa.video import ffmpeg

# Every Vietnamese vowel with every tone mark (and đ), upper and lower case,
# in two-line cues: what a font must draw for a burned-in caption.
TONES = [
    "a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ",
    "e è é ẻ ẽ ẹ ê ề ế ể ễ ệ i ì í ỉ ĩ ị",
    "o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ",
    "u ù ú ủ ũ ụ ư ừ ứ ử ữ ự y ỳ ý ỷ ỹ ỵ đ",
    "À Á Ả Ã Ạ Ằ Ắ Ẳ Ẵ Ặ Ầ Ấ Ẩ Ẫ Ậ Đ",
    "Ề Ế Ể Ễ Ệ Ồ Ố Ổ Ỗ Ộ Ờ Ớ Ở Ỡ Ợ Ừ Ứ Ử Ữ Ự",
]

SRT = (
    "1\n00:00:00,000 --> 00:00:01,400\nCông đoàn Việt Nam — Đà Nẵng\n" + TONES[0] + "\n\n"
    "2\n00:00:01,500 --> 00:00:02,400\n" + TONES[1] + "\n" + TONES[2] + "\n\n"
    "3\n00:00:02,500 --> 00:00:03,400\n" + TONES[3] + "\n" + TONES[4] + "\n\n"
    "4\n00:00:03,500 --> 00:00:03,950\n" + TONES[5] + "\n"
)


def make_clip(path: Path, size: str = "270x480", seconds: float = 4, **options) -> Path:
    """An MP4 of SMPTE bars and a 440 Hz tone; ``audio=False`` for one with no sound."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = options.get("pattern", "smptebars")
    args = ["-f", "lavfi", "-i", f"{source}=size={size}:rate=30"]
    if options.get("audio", True):
        args += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    args += ["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if options.get("audio", True):
        args += ["-c:a", "aac", "-shortest"]
    ffmpeg.run([*args, str(path)], timeout=120)
    return path

"""The gate's measure of a clip: its boxes first, then one decoded frame by the fenced ffmpeg.

Bounds (spec/video-and-listening.md A9): 3–90 s — Facebook Reels' range
(https://developers.facebook.com/docs/video-api/guides/reels-publishing/), the
narrowest of the seven networks —, exactly one video and one audio track, each
side at most 4096 pixels and at most 4096 × 2304 pixels in all (a 4K phone
clip fits) — read from the file's index before anything is decoded.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from loa.video import ffmpeg
from loa.video.mp4 import Movie, Mp4Problem, read_movie

MIN_SECONDS = 3.0
MAX_SECONDS = 90.0
MAX_SOURCE_BYTES = 500_000_000  # a 90 s 4K phone clip is ~400 MB
MAX_SIDE = 4096
MAX_PIXELS = 4096 * 2304
MIN_SIDE = 240
VIDEO_CODECS = {"avc1", "avc3", "hvc1", "hev1", "mp4v", "vp09", "av01"}
AUDIO_CODECS = {"mp4a", "Opus", "opus", "ac-3", "alac", "lpcm", "sowt", "twos"}
LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"

_DURATION = re.compile(r"Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_STREAM = re.compile(r"Stream #0:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio|Data|Subtitle)")


class VideoProblem(Exception):
    """The clip cannot be used: ``str()`` is what is wrong and how to fix it, in Vietnamese."""


@dataclass(frozen=True)
class Clip:
    """A clip that passed the gate."""

    path: Path
    size: int
    duration: float
    width: int
    height: int
    video_codec: str
    audio_codec: str
    moov_first: bool

    @property
    def vertical(self) -> bool:
        """Taller than wide (a phone held upright)."""
        return self.height > self.width


def is_lfs_pointer(path: Path | str) -> bool:
    """Whether the file is a Git LFS pointer, not the clip's bytes (``git lfs pull`` not run)."""
    with open(path, "rb") as handle:
        return handle.read(len(LFS_POINTER)) == LFS_POINTER


def sha256(path: Path | str) -> str:
    """The hex SHA-256 of a file (the encode cache's key; Git LFS's object id)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def probe(path: Path | str, decode: bool = True) -> Clip:
    """Measure the clip at ``path`` (already resolved inside content/); ``VideoProblem`` if unusable."""
    path = Path(path)
    size = os.stat(path).st_size
    if is_lfs_pointer(path):
        raise VideoProblem(
            "mới là con trỏ Git LFS, chưa có nội dung video — chạy “git lfs pull” rồi kiểm tra lại"
        )
    if size > MAX_SOURCE_BYTES:
        raise VideoProblem(
            f"nặng {size / 1_000_000:.0f} MB, quá {MAX_SOURCE_BYTES // 1_000_000} MB — "
            "cắt ngắn hoặc quay ở độ phân giải thấp hơn"
        )
    try:
        movie = read_movie(path)
    except Mp4Problem as exc:
        raise VideoProblem(
            f"{exc} — xuất lại video dạng MP4 từ điện thoại hoặc phần mềm dựng"
        ) from None
    clip = _bounds(path, movie)
    if decode:
        _decode_check(path, clip)
    return clip


def _bounds(path: Path, movie: Movie) -> Clip:
    videos, audios = movie.of_kind("vide"), movie.of_kind("soun")
    if len(videos) != 1 or len(audios) != 1:
        raise VideoProblem(
            f"có {len(videos)} rãnh hình và {len(audios)} rãnh tiếng — cần đúng một rãnh hình và "
            "một rãnh tiếng (video không tiếng: thêm tiếng nền hoặc lời dẫn)"
        )
    video, audio = videos[0], audios[0]
    if video.codec not in VIDEO_CODECS or audio.codec not in AUDIO_CODECS:
        raise VideoProblem(
            f"dùng mã hoá {video.codec or '?'}/{audio.codec or '?'} không quen — xuất lại dạng MP4 (H.264, AAC)"
        )
    duration = movie.duration or video.duration
    if not MIN_SECONDS <= duration <= MAX_SECONDS:
        raise VideoProblem(
            f"dài {duration:.1f} giây — video phải dài từ {MIN_SECONDS:.0f} đến {MAX_SECONDS:.0f} giây "
            "(giới hạn của Facebook Reels); cắt ngắn lại"
        )
    width, height = movie.display_size
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise VideoProblem(
            f"khai báo khung hình {width}×{height}, quá lớn (tối đa {MAX_SIDE} điểm ảnh mỗi cạnh, "
            "4K) — xuất lại ở 1080×1920"
        )
    if min(width, height) < MIN_SIDE:
        raise VideoProblem(f"có khung hình {width}×{height}, quá nhỏ — quay lại ở ít nhất 720p")
    return Clip(
        path, movie.size, duration, width, height, video.codec, audio.codec, movie.moov_first
    )


def _decode_check(path: Path, clip: Clip) -> None:
    """Ffmpeg reads the header and decodes one frame of each stream: the file is what it says."""
    try:
        log = ffmpeg.run(
            [*ffmpeg.input_args(path), "-map", "0:v:0", "-map", "0:a:0", "-frames:v", "1",
             "-t", "0.5", "-f", "null", "-"],
            timeout=60,
            output_bytes=1_000_000,
        )  # fmt: skip
    except ffmpeg.FfmpegError as exc:
        raise VideoProblem(
            f"không đọc được bằng ffmpeg ({exc}) — xuất lại video dạng MP4"
        ) from None
    header = log.split("Stream mapping:", 1)[0]  # the input's description, not the output's
    kinds = _STREAM.findall(header)
    found = _DURATION.search(header)
    if kinds.count("Video") != 1 or kinds.count("Audio") != 1 or not found:
        raise VideoProblem(
            "không đọc được rãnh hình và rãnh tiếng bằng ffmpeg — xuất lại video dạng MP4"
        )
    hours, minutes, seconds = found.groups()
    seen = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    if abs(seen - clip.duration) > 1.0:
        raise VideoProblem(
            f"khai báo dài {clip.duration:.1f} giây nhưng ffmpeg đọc được {seen:.1f} giây — tệp bị sửa; xuất lại"
        )

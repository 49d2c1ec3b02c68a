"""The renditions of a clip, made once per source and kept in the build cache.

Three encodes (spec/video-and-listening.md A9, one encode that every network takes):

- ``web.mp4``: the site's player and X — H.264 High, yuv420p, 30 fps, AAC-LC
  48 kHz stereo 128 kbit/s, ``+faststart`` (the index first, so playback starts
  before the download ends; ffmpeg-formats, mov/mp4 ``faststart``:
  https://ffmpeg.org/ffmpeg-formats.html#mov_002c-mp4_002c-ismv), the source's
  shape at 720 pixels on its short side — 720×1280 also fits X's "32x32 to
  1280x1024" advanced limit on the long side it checks for portrait uploads
  (docs.x.com, media best practices);
- ``social.mp4``: 1080×1920 (9:16, a landscape clip letterboxed), clean — for
  Facebook, which takes the SRT as a caption file;
- ``social-burned.mp4``: the same with the captions drawn in by libass, for the
  networks that take no caption file (Instagram, Threads, TikTok, Telegram,
  Zalo), in DejaVu Sans (Debian's fonts-dejavu-core), which draws every
  Vietnamese tone mark.

The social ones are capped at 4.2 Mbit/s video + 128 kbit/s audio, so 90 s stay
under Telegram's and Zalo's 50 MB. Closed GOPs of 2 s (x264's default is
closed) for Instagram, Threads and X.

Each rendition is keyed by the SHA-256 of the source (and of the captions for
the burned one, of the poster choice for the poster), so a rebuild copies and
never re-encodes; files are written under a temporary name and renamed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from loa.video import captions as cc
from loa.video import ffmpeg
from loa.video.probe import Clip, sha256

logger = logging.getLogger(__name__)

VERSION = "1"  # change when an encode's options change: every rendition is remade
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Debian fonts-dejavu-core
SOCIAL = (1080, 1920)
WEB_SHORT_SIDE = 720
POSTER_WIDTH = 720
THUMB_SIDE = 320  # Telegram's thumbnail: JPEG ≤ 320 px, < 200 kB (Bot API sendVideo)
SOCIAL_MAX_BYTES = 50_000_000

_COMMON = [
    "-map", "0:v:0", "-map", "0:a:0", "-map_metadata", "-1", "-sn", "-dn",
    "-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p", "-r", "30", "-g", "60",
    "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
    "-movflags", "+faststart",
]  # fmt: skip


@dataclass(frozen=True)
class Renditions:
    """Where a clip's renditions are (in the cache), and what they are."""

    folder: Path
    web: Path
    social: Path
    burned: Path
    poster: Path
    thumb: Path
    vtt: Path
    srt: Path
    web_size: tuple[int, int]
    duration: float


def web_size(clip: Clip) -> tuple[int, int]:
    """The site's frame: the source's shape, 720 on the short side (never larger than the source)."""
    short = min(WEB_SHORT_SIDE, clip.width, clip.height)
    if clip.vertical:
        width, height = short, round(clip.height * short / clip.width)
    else:
        width, height = round(clip.width * short / clip.height), short
    return width - width % 2, height - height % 2


def _fit(width: int, height: int) -> str:
    """Scale into width×height keeping the shape, pad the rest (letterbox)."""
    return (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1"
    )


def _filter_path(path: Path) -> str:
    r"""A path inside a filter graph: ``\\``, ``:`` and ``'`` escaped (ffmpeg-filters, "Notes on filtergraph escaping")."""
    return str(path).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def _burn(srt: Path, font: Path) -> str:
    # libass scales an SRT's styles to a 288-line canvas: 9 ≈ 60 px on 1920 lines.
    style = (
        "FontName=DejaVu Sans,FontSize=9,PrimaryColour=&H00FFFFFF,OutlineColour=&H80000000,"
        "BackColour=&H80000000,BorderStyle=3,Outline=1,Shadow=0,MarginV=28"
    )
    return f"subtitles=filename='{_filter_path(srt)}':fontsdir='{_filter_path(font.parent)}':charenc=UTF-8:force_style='{style}'"


def _encode(clip: Clip, target: Path, vf: str, rate: list[str], what: str) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part.mp4")
    name = clip.path.name
    shown = [-1]

    def progress(seconds: float) -> None:
        percent = min(100, int(100 * seconds / max(clip.duration, 0.1)))
        if percent // 25 != shown[0] // 25 or (percent == 100 and shown[0] != 100):
            shown[0] = percent
            logger.info("Mã hoá video %s (%s): %d%%", name, what, percent)

    ffmpeg.run(
        [*ffmpeg.input_args(clip.path), "-vf", vf, *_COMMON, *rate, "-f", "mp4", str(partial)],
        progress=progress,
    )
    os.replace(partial, target)


def _poster(
    clip: Clip, folder: Path, poster: Path | None, poster_time: float, size
) -> tuple[Path, Path]:
    from PIL import ImageOps

    key = hashlib.sha256(
        (sha256(poster) if poster else f"t={poster_time:.3f}").encode()
    ).hexdigest()[:12]
    target, thumb = folder / f"poster-{key}.jpg", folder / f"thumb-{key}.jpg"
    if target.exists() and thumb.exists():
        return target, thumb
    frame = folder / f"frame-{key}.png"
    if poster is None:
        at = min(poster_time, max(clip.duration - 0.1, 0))
        ffmpeg.run(
            ["-ss", f"{at:.3f}", *ffmpeg.input_args(clip.path), "-frames:v", "1",
             "-vf", f"scale={size[0]}:{size[1]}", str(frame)],
            timeout=120, output_bytes=50_000_000,
        )  # fmt: skip
    from loa import contentfs

    with contentfs.open_image(poster or frame) as image:
        picture = ImageOps.exif_transpose(image).convert("RGB")
    picture = ImageOps.fit(picture, size) if poster else picture
    picture.save(target, "JPEG", quality=82, optimize=True, progressive=True)
    picture.thumbnail((THUMB_SIDE, THUMB_SIDE))
    picture.save(thumb, "JPEG", quality=80, optimize=True)
    frame.unlink(missing_ok=True)
    return target, thumb


def renditions(
    clip: Clip,
    cues: list[cc.Cue],
    cache: Path,
    poster: Path | None = None,
    poster_time: float = 1.0,
    font: Path | str = FONT,
) -> Renditions:
    """Every rendition of ``clip`` (encoded only when the cache lacks it)."""
    font = Path(font)
    if not font.is_file():
        raise ffmpeg.FfmpegError(
            f"thiếu phông chữ {font} để in phụ đề — cài gói “fonts-dejavu-core” (make install)"
        )
    source = sha256(clip.path)
    folder = cache_folder(cache, source)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MEASURE).write_text(json.dumps(clip_fields(clip)), encoding="utf-8")
    srt_text, vtt_text = cc.to_srt(cues), cc.to_vtt(cues)
    subtitle_key = hashlib.sha256(srt_text.encode()).hexdigest()[:12]
    srt, vtt = folder / f"captions-{subtitle_key}.srt", folder / f"captions-{subtitle_key}.vtt"
    srt.write_text(srt_text, encoding="utf-8")
    vtt.write_text(vtt_text, encoding="utf-8")
    size = web_size(clip)
    web = folder / "web.mp4"
    _encode(clip, web, f"scale={size[0]}:{size[1]},setsar=1",
            ["-preset", "veryfast", "-crf", "26", "-maxrate", "2M", "-bufsize", "4M"], "trang web")  # fmt: skip
    social_rate = ["-preset", "veryfast", "-crf", "23", "-maxrate", "4200k", "-bufsize", "8400k"]
    social = folder / "social.mp4"
    _encode(clip, social, _fit(*SOCIAL), social_rate, "mạng xã hội")
    burned = folder / f"social-burned-{subtitle_key}.mp4"
    with tempfile.TemporaryDirectory(prefix="loa-captions-") as tmp:
        plain = Path(tmp) / "captions.srt"  # the clean cues, never the contributor's bytes
        plain.write_text(srt_text, encoding="utf-8")
        _encode(clip, burned, _fit(*SOCIAL) + "," + _burn(plain, font), social_rate,
                "mạng xã hội, phụ đề in sẵn")  # fmt: skip
    poster_file, thumb = _poster(clip, folder, poster, poster_time, size)
    for path in (social, burned):
        if path.stat().st_size > SOCIAL_MAX_BYTES:
            logger.warning("Bản %s nặng quá 50 MB: Telegram và Zalo sẽ nhận liên kết.", path.name)
    return Renditions(
        folder, web, social, burned, poster_file, thumb, vtt, srt, size, clip.duration
    )


MEASURE = "clip.json"  # the clip's measure, for builds that have only its Git LFS pointer


def cache_folder(cache: Path, source_sha256: str) -> Path:
    """Where a clip's renditions are kept: by the SHA-256 of its bytes (= its Git LFS oid)."""
    return cache / f"{source_sha256[:24]}-v{VERSION}"


def clip_fields(clip: Clip) -> dict:
    """What ``cached`` needs of a clip to rebuild its ``Renditions`` without its bytes."""
    return {"size": clip.size, "duration": clip.duration, "width": clip.width,
            "height": clip.height, "video_codec": clip.video_codec,
            "audio_codec": clip.audio_codec, "moov_first": clip.moov_first}  # fmt: skip


def cached(
    source_sha256: str,
    cues: list[cc.Cue],
    cache: Path,
    poster: Path | None = None,
    poster_time: float = 1.0,
) -> Renditions | None:
    """The renditions of a clip known only by its hash, when the cache has every one of them."""
    folder = cache_folder(cache, source_sha256)
    try:
        fields = json.loads((folder / MEASURE).read_text(encoding="utf-8"))
        clip = Clip(path=folder / "source.mp4", **fields)
    except (OSError, ValueError, TypeError):
        return None
    subtitle_key = hashlib.sha256(cc.to_srt(cues).encode()).hexdigest()[:12]
    key = hashlib.sha256(
        (sha256(poster) if poster else f"t={poster_time:.3f}").encode()
    ).hexdigest()[:12]
    names = ("web.mp4", "social.mp4", f"social-burned-{subtitle_key}.mp4",
             f"poster-{key}.jpg", f"thumb-{key}.jpg", f"captions-{subtitle_key}.srt",
             f"captions-{subtitle_key}.vtt")  # fmt: skip
    paths = [folder / name for name in names]
    if not all(p.is_file() for p in paths):
        return None
    web, social, burned, poster_file, thumb, srt, vtt = paths
    return Renditions(
        folder, web, social, burned, poster_file, thumb, vtt, srt, web_size(clip), clip.duration
    )


def copy_into(source: Path, destination: Path) -> None:
    """Copy a cached file into the output (skipped when already there with the same size)."""
    if destination.exists() and destination.stat().st_size == source.stat().st_size:
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)

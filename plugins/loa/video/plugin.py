"""Pelican side of ``loa.video``: encode each article's clip once, show it, hand it to syndication.

At ``article_generator_finalized`` every published article with a ``video:``
that passed the gate is encoded into the cache (``CACHE_PATH/loa-video``; a
rebuild finds every rendition there and encodes nothing) and gets
``article.video_media``, what the template and the manifest need. At
``finalized`` the site's files (web rendition, WebVTT, poster) are copied into
``output/video/<key>/``; the social renditions go to ``LOA_SOCIAL_VIDEO_PATH``
(``social-video/`` beside the output), never onto the site, where only the web
rendition is served: syndication reads them from there. One exception: when an
article goes to a network that takes a video only from a public address it
downloads (the record's ``video-by-address`` capability: Threads), the copy with
the captions burned in is published beside the web one (``burned.mp4``, not
linked from any page) and the manifest gives its address.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from pelican import signals

from loa import contentfs, platforms
from loa.findings import Finding, build_findings
from loa.video import captions as cc
from loa.video import ffmpeg, lfs
from loa.video.encode import FONT, Renditions, cached, copy_into, renditions
from loa.video.probe import VideoProblem, probe

logger = logging.getLogger(__name__)

SITE_DIR = "video"
SOCIAL_DIR = "social-video"
_pending: dict[int, list[tuple[Path, Path]]] = {}


def social_folder(settings: dict) -> Path:
    """Where the social renditions are written (beside the output folder, off the site)."""
    configured = settings.get("LOA_SOCIAL_VIDEO_PATH")
    return Path(configured) if configured else Path(settings["OUTPUT_PATH"]).parent / SOCIAL_DIR


def encode_articles(generator) -> None:
    """Encode (or find in the cache) every published article's clip (``article_generator_finalized``)."""
    settings = generator.settings
    copies = _pending.setdefault(id(settings), [])
    for article in generator.articles:
        video = getattr(article, "video", None)
        if video is None or getattr(article, "status", "published") != "published":
            continue
        try:
            article.video_media = _media(article, video, settings, copies)
        except (
            VideoProblem,
            cc.CaptionProblem,
            ffmpeg.FfmpegError,
            contentfs.ContentProblem,
            OSError,
        ) as exc:
            build_findings.add(
                Finding(
                    os.path.relpath(article.source_path),
                    video.line or None,
                    f"Không mã hoá được video “{video.src}”: {exc} — sửa tệp rồi dựng lại.",
                    "video-encode",
                )
            )


def _media(article, video, settings: dict, copies: list) -> dict:
    siteurl = settings.get("SITEURL", "")
    content = Path(settings["PATH"])
    captions_path = contentfs.resolve_inside(content, video.captions)
    if video.remote:  # shown from its address; not encoded, not posted as a file
        cues = cc.parse(cc.read_text(captions_path), cc.kind_of(video.captions))
        key = "remote-" + hashlib.sha256(video.src.encode()).hexdigest()[:12]
        target = Path(settings["OUTPUT_PATH"]) / SITE_DIR / key
        vtt = Path(settings.get("CACHE_PATH") or "cache") / "loa-video" / key / "captions.vtt"
        vtt.parent.mkdir(parents=True, exist_ok=True)
        vtt.write_text(cc.to_vtt(cues), encoding="utf-8")
        copies.append((vtt, target / "captions.vtt"))
        return {"src": video.src, "vtt": f"{siteurl}/{SITE_DIR}/{key}/captions.vtt", "remote": True,
                "transcript": None if video.transcript is True else video.transcript}  # fmt: skip
    source = contentfs.resolve_inside(content, video.src)
    poster = contentfs.resolve_inside(content, video.poster) if video.poster else None
    cache = cache_dir(settings)
    made = from_pointer(source, captions_path, video, cache, poster)
    if made is None:
        clip = probe(source, decode=False)
        cues = cc.parse(cc.read_text(captions_path), cc.kind_of(video.captions), clip.duration)
        font = settings.get("LOA_VIDEO_FONT") or FONT
        made = renditions(clip, cues, cache, poster, video.poster_time, font)
    cues_count = len(cc.parse(cc.read_text(captions_path), cc.kind_of(video.captions)))
    key = made.folder.name[:16]
    site = Path(settings["OUTPUT_PATH"]) / SITE_DIR / key
    social = social_folder(settings) / key
    names = {"web": made.web, "captions": made.vtt, "poster": made.poster}
    copies.extend((path, site / f"{name}{path.suffix}") for name, path in names.items())
    files = {
        "social": made.social,
        "burned": made.burned,
        "web": made.web,
        "thumb": made.thumb,
        "srt": made.srt,
    }
    copies.extend((path, social / f"{name}{path.suffix}") for name, path in files.items())
    base = f"{siteurl}/{SITE_DIR}/{key}"
    public = {}
    if fetched_by_address(article, settings):
        copies.append((made.burned, site / "burned.mp4"))
        public["burned_url"] = f"{base}/burned.mp4"
    return {
        **public,
        "src": f"{base}/web.mp4",
        "vtt": f"{base}/captions.vtt",
        "poster": f"{base}/poster.jpg",
        "width": made.web_size[0],
        "height": made.web_size[1],
        "duration": round(made.duration, 2),
        "bytes": made.web.stat().st_size,
        "transcript": None if video.transcript is True else video.transcript,
        "files": {name: f"{SOCIAL_DIR}/{key}/{name}{path.suffix}" for name, path in files.items()},
        "sizes": {name: path.stat().st_size for name, path in files.items()},
        "captions": cues_count,
    }


def fetched_by_address(article, settings: dict) -> bool:
    """Whether one of the accounts the article goes to downloads its video from an address."""
    registry = settings.get("LOA_UNITS")
    unit = getattr(article, "unit", None)
    slug = unit.slug if unit is not None else article.category.slug
    if registry is None or not settings.get("LOA_VIDEO_BY_ADDRESS", True):
        return False
    return any(
        channel.record.can(platforms.VIDEO_BY_ADDRESS)
        for channel in registry.routes(slug, getattr(article, "syndicate", None))
    )


def cache_dir(settings: dict) -> Path:
    """The encode cache (kept between CI runs with Pelican's cache)."""
    return Path(settings.get("CACHE_PATH") or "cache") / "loa-video"


def from_pointer(
    source: Path, captions_path: Path, video, cache: Path, poster
) -> Renditions | None:
    """The cached renditions of a clip checked out as a Git LFS pointer (None: not a pointer).

    A pointer whose renditions are not all cached cannot be encoded: the
    message says which file to fetch.
    """
    found = lfs.pointer(source)
    if found is None:
        return None
    cues = cc.parse(cc.read_text(captions_path), cc.kind_of(video.captions))
    made = cached(found[0], cues, cache, poster, video.poster_time)
    if made is None:
        raise VideoProblem(
            f"mới là con trỏ Git LFS và chưa có bản mã hoá trong bộ nhớ đệm — chạy "
            f"“git lfs pull --include={video.src}” (hoặc “python -m loa.video.fetch”) rồi dựng lại"
        )
    return made


def copy_files(pelican) -> None:
    """Copy the renditions out of the cache once the site is written (``finalized``)."""
    for source, destination in _pending.pop(id(pelican.settings), []):
        copy_into(source, destination)


def register() -> None:
    """Connect the encoder and the copier."""
    signals.article_generator_finalized.connect(encode_articles)
    signals.finalized.connect(copy_files)

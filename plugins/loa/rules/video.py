"""The video gate: the clip, its captions, its poster and its transcript, before anything is encoded.

``loa check`` and the build run the same rule (``DOCUMENT_RULES``), so a pull
request learns of a bad clip before it is merged. Each problem is one
Vietnamese sentence naming the file; nothing here raises.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from loa import contentfs
from loa.findings import Finding
from loa.frontmatter import Document
from loa.rules.context import RuleContext
from loa.rules.images import check_picture
from loa.video import captions as cc
from loa.video import lfs
from loa.video.encode import MEASURE, cache_folder
from loa.video.probe import Clip, VideoProblem, probe


def check_video(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Findings for the ``video`` field."""
    video = doc.fields.get("video")
    if video is None:
        return
    line = video.line or doc.line_of("video")
    clip = None
    if video.remote:
        host = (urlsplit(video.src).hostname or "").lower()
        if not ctx.sources.allows(host):
            yield Finding(
                doc.path,
                line,
                f"Video ở “{host}” không thuộc nguồn được phép (content/sources.yml) — tải video "
                "vào content/videos/<đơn-vị>/ hoặc nhờ quản trị thêm kho lưu video vào danh sách.",
                "video-path",
            )
    else:
        clip, problem = _clip(ctx.content_dir, video.src)
        if problem:
            yield Finding(doc.path, line, f"Video “{video.src}” {problem}.", "video-file")
    yield from _check_captions(doc, ctx, video, clip, line)
    if video.poster:
        yield from check_picture(doc, ctx, video.poster, line, "Ảnh đại diện của video")
    elif clip is not None and video.poster_time > clip.duration:
        yield Finding(
            doc.path,
            line,
            f"“poster_time: {video.poster_time:g}” vượt quá độ dài video ({clip.duration:.1f} giây) — "
            "chọn một giây trong đoạn video.",
            "video",
        )
    if video.transcript is True and not doc.body.strip():
        yield Finding(
            doc.path,
            line,
            "Video ghi “transcript: true” nhưng bài không có nội dung — viết lời thoại và mô tả hình "
            "ảnh vào phần nội dung bài.",
            "video-transcript",
        )


def _file(content_dir: Path, relative: str) -> tuple[Path | None, str | None]:
    try:
        path = contentfs.resolve_inside(content_dir, relative)
    except contentfs.ContentProblem as exc:
        return None, f"{exc} — đặt tệp vào content/videos/<đơn-vị>/"
    if not path.is_file():
        return None, f"không có trong kho — đặt tệp vào content/{relative} hoặc sửa đường dẫn"
    return path, None


def _clip(content_dir: Path, relative: str) -> tuple[Clip | None, str | None]:
    path, problem = _file(content_dir, relative)
    if problem:
        return None, problem
    found = lfs.pointer(path)
    if found is not None:  # measured when it was encoded, if the cache has it
        return _from_cache(content_dir, relative, found[0])
    info = os.stat(path)
    return _measured(str(path), info.st_size, info.st_mtime_ns)


def _from_cache(content_dir: Path, relative: str, oid: str) -> tuple[Clip | None, str | None]:
    # The build's cache (CACHE_PATH "cache" beside content/, restored in CI).
    folder = cache_folder(content_dir.parent / "cache" / "loa-video", oid)
    try:
        fields = json.loads((folder / MEASURE).read_text(encoding="utf-8"))
        return Clip(path=folder / "source.mp4", **fields), None
    except (OSError, ValueError, TypeError):
        return None, (
            "mới là con trỏ Git LFS, chưa có nội dung video — chạy "
            f"“git lfs pull --include={relative}” rồi kiểm tra lại"
        )


@lru_cache(maxsize=64)
def _measured(path: str, size: int, mtime: int) -> tuple[Clip | None, str | None]:
    """One probe per version of a file in a process (check and build read it once)."""
    try:
        return probe(path), None
    except VideoProblem as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"không đọc được ({exc.strerror})"


def _check_captions(doc, ctx, video, clip, line) -> Iterator[Finding]:
    path, problem = _file(ctx.content_dir, video.captions)
    if problem:
        yield Finding(doc.path, line, f"Phụ đề “{video.captions}” {problem}.", "video-captions")
        return
    try:
        text = cc.read_text(path)
        cc.parse(text, cc.kind_of(video.captions), clip.duration if clip else None)
    except cc.CaptionProblem as exc:
        where = f"dòng {exc.line}" if exc.line else "tệp"
        yield Finding(
            doc.path, line, f"Phụ đề “{video.captions}” ({where}) {exc}.", "video-captions"
        )
    except OSError as exc:
        yield Finding(
            doc.path,
            line,
            f"Phụ đề “{video.captions}” không đọc được ({exc.strerror}).",
            "video-captions",
        )

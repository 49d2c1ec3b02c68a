"""The bytes of an album photo, for a platform that wants an upload rather than a URL (X).

The photos are the build's own JPEGs (``social/album/…``). They are read from
the build's output folder when the run has it (next to the manifest), else
fetched from the site itself — only from the manifest's own site, without
following redirects, and never more than ``MAX_BYTES``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import requests

from loa import contentfs
from loa.syndication.http import CONTENT, TRANSIENT, Http, PostError

MAX_BYTES = 5_000_000  # X's limit for an image (docs.x.com …/media/quickstart/best-practices)


class MediaSource:
    """Album photos by URL: from the output folder, else from the live site."""

    def __init__(self, site: str, folder: Path | None, http: Http):
        """Photos of ``site``, from ``folder`` when it holds them."""
        self.site = site.rstrip("/")
        self.folder = folder
        self.http = http

    def read(self, url: str) -> bytes:
        """The photo's bytes; ``PostError`` when it is not the site's or cannot be had."""
        if not self.site or not url.startswith(self.site + "/"):
            raise PostError(CONTENT, f"ảnh {url} không thuộc trang {self.site} — không gửi")
        relative = unquote(
            url[len(self.site) + 1 :].split("?", maxsplit=1)[0].split("#", maxsplit=1)[0]
        )
        if self.folder is not None:
            try:
                path = contentfs.resolve_inside(self.folder, relative)
                if path.is_file():
                    return contentfs.read_limited(path, MAX_BYTES)
            except (contentfs.ContentProblem, OSError):
                pass
        try:
            with self.http.session.get(
                url, timeout=self.http.timeout, stream=True, allow_redirects=False
            ) as reply:
                if reply.status_code != 200:
                    raise PostError(
                        TRANSIENT, f"không tải được ảnh {url} (HTTP {reply.status_code})"
                    )
                data = reply.raw.read(MAX_BYTES + 1, decode_content=True)
        except requests.RequestException:
            raise PostError(TRANSIENT, f"không tải được ảnh {url}") from None
        if len(data) > MAX_BYTES:
            raise PostError(CONTENT, f"ảnh {url} nặng quá {MAX_BYTES // 1_000_000} MB")
        return data


VIDEO_MAX_BYTES = 60_000_000  # the social renditions stay under 50 MB (loa.video.encode)


class VideoSource:
    """A video rendition's bytes, from the build's ``social-video/`` folder (never from the site)."""

    def __init__(self, root: Path | None):
        """``root``: the folder that holds the build's output and ``social-video/``."""
        self.root = root

    def path(self, relative: str) -> Path:
        """The rendition's file; ``PostError`` when this run does not have it."""
        if self.root is None or not relative:
            raise PostError(CONTENT, "lần chạy này không có bản video đã mã hoá — dựng trang trước")
        try:
            path = contentfs.resolve_inside(self.root, relative)
        except contentfs.ContentProblem as exc:
            raise PostError(CONTENT, f"bản video {relative}: {exc}") from None
        if not path.is_file():
            raise PostError(
                CONTENT, f"không có bản video {relative} — dựng trang (make publish) trước khi đăng"
            )
        return path

    def read(self, relative: str) -> bytes:
        """The rendition's bytes (at most ``VIDEO_MAX_BYTES``)."""
        try:
            return contentfs.read_limited(self.path(relative), VIDEO_MAX_BYTES)
        except (contentfs.ContentProblem, OSError) as exc:
            raise PostError(CONTENT, f"không đọc được bản video {relative} ({exc})") from None

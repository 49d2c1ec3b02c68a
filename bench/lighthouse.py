"""Lighthouse on the built sample site: category scores, transferred bytes and time to interactive per page.

``python bench/lighthouse.py [PAGE…]`` installs lighthouse (npm, pinned) into bench/.node
the first time, builds the sample site for a local address, serves it on
127.0.0.1 and runs Lighthouse with Debian's Chromium. Figures only.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "plugins"))

LIGHTHOUSE = "lighthouse@12.2.3"
NODE_DIR = REPO / "bench" / ".node"
PAGES = {
    "home": "/",
    "article": "/van-phong-cuc/hoi-nghi-nguoi-lao-dong-van-phong-cuc/",
    "unit": "/van-phong-cuc/",
    "search": "/tim-kiem/?q=cong%20doan",
    "quan-tri": "/quan-tri/",  # the newsroom's first screen (sign-in with a token)
    "video": "/van-phong-cuc/video-hoi-thao/",  # a short video with captions (made here, not kept)
}


def add_video_article(site) -> None:
    """A 9:16 clip with Vietnamese captions, made by the bundled ffmpeg, on one article."""
    from tests.conftest import article
    from tests.video.clips import SRT, make_clip

    make_clip(site.content / "videos" / "van-phong-cuc" / "hoi-thao.mp4", size="720x1280")
    site.write("videos/van-phong-cuc/hoi-thao.vi.srt", SRT)
    video = ("\n  src: videos/van-phong-cuc/hoi-thao.mp4\n  captions: videos/van-phong-cuc/hoi-thao.vi.srt"
             "\n  poster_time: 1\n  transcript: true")  # fmt: skip
    site.write(
        "articles/van-phong-cuc/2026-11-20-video-hoi-thao.md",
        article(title="Video hội thao", slug="video-hoi-thao", video=video,
                body="Lời dẫn: Công đoàn Việt Nam — Đà Nẵng. Hình: các đội kéo co trên sân."),
    )  # fmt: skip


CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site without a log line per request, text compressed as a web host sends it (gzip)."""

    COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", "/")

    def log_message(self, *_args) -> None:
        return

    def do_GET(self) -> None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        wanted = "gzip" in self.headers.get("Accept-Encoding", "")
        if (
            not wanted
            or not self.path.split("?")[0].endswith(self.COMPRESSED)
            or not os.path.isfile(path)
        ):
            super().do_GET()
            return
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def ensure_lighthouse() -> Path:
    binary = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", LIGHTHOUSE],
            check=True,
        )
    return binary


def main() -> None:
    from tests.conftest import SiteMaker

    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("Chromium is needed: apt-get install chromium")
    binary = ensure_lighthouse()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    site = SiteMaker(Path(tempfile.mkdtemp(prefix="loa-lh-")))
    shutil.rmtree(site.content)
    shutil.copytree(REPO / "content", site.content)
    add_video_article(site)
    site.build("publishconf.py", SITEURL=base, FEED_DOMAIN=base, LOA_READ_LEDGER=False)
    handler = functools.partial(QuietHandler, directory=str(site.output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "CHROME_PATH": chromium}
    print(
        f"{'page':8} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'bytes':>9} {'FCP s':>6} {'TTI s':>6}  (Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile)"
    )
    wanted = sys.argv[1:] or list(PAGES)  # e.g. ``python bench/lighthouse.py quan-tri``
    try:
        wanted = sys.argv[1:] or list(PAGES)
        for name, path in PAGES.items():
            if name not in wanted:
                continue
            out = site.root / f"{name}.json"
            subprocess.run(
                [str(binary), base + path, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}",
                 "--only-categories=performance,accessibility,best-practices,seo"],
                check=True, env=env,
            )  # fmt: skip
            report = json.loads(out.read_text(encoding="utf-8"))
            scores = {k: round((v["score"] or 0) * 100) for k, v in report["categories"].items()}
            total = report["audits"]["total-byte-weight"]["numericValue"]
            interactive = report["audits"]["interactive"]["numericValue"] / 1000
            first = report["audits"]["first-contentful-paint"]["numericValue"] / 1000
            print(
                f"{name:8} {scores['performance']:5} {scores['accessibility']:5} {scores['best-practices']:5} {scores['seo']:5} {int(total):9} {first:6.1f} {interactive:6.1f}"
            )
    finally:
        server.shutdown()
        shutil.rmtree(site.root, ignore_errors=True)


if __name__ == "__main__":
    main()

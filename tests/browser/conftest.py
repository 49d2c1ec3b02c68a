"""Headless Chromium (Debian's package) driven by Playwright, on the sample site served from 127.0.0.1."""

from __future__ import annotations

import functools
import shutil
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, SiteMaker

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    """Skip, saying how to install what is missing, when Chromium or axe-core is absent."""
    reason = None
    if CHROMIUM is None:
        reason = "Chromium không có trên máy: các bài kiểm tra trình duyệt bị bỏ qua — cài bằng “sudo apt-get install chromium” (CI cài sẵn)."
    elif not AXE.exists():
        reason = "Thiếu axe-core: chạy “npm ci” (make test tự chạy khi có npm)."
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, *_args):
        return

    def send_error(self, code, message=None, explain=None):
        # Like GitHub Pages: a missing page answers 404 with the site's own 404.html.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The sample site's development build (``make html``: relative URLs), served on a random port.

    Built for no address in particular — its settings still name the default
    preview port — so every page must work wherever it is served.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    maker = SiteMaker(tmp_path_factory.mktemp("browser"))
    shutil.rmtree(maker.content)
    shutil.copytree(REPO / "content", maker.content)
    maker.build(SITEURL="http://127.0.0.1:8000")
    handler = functools.partial(_Handler, directory=str(maker.output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, maker
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if CHROMIUM is None:
        pytest.skip("Chromium không có trên máy")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
    yield chromium
    chromium.close()
    playwright.stop()

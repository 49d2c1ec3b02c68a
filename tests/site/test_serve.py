"""``make serve`` (scripts/serve.py): a missing page answers 404 with the site's 404.html,
and text goes gzipped to a browser that accepts gzip, as a web host sends it."""

from __future__ import annotations

import gzip
import http.client
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from tests.conftest import REPO


@contextmanager
def serving(folder):
    """scripts/serve.py on a free port; yields its base URL once it listens."""
    server = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "serve.py"), str(folder), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()  # the server says where it listens once it does
        base = line.strip().rsplit(" ", 1)[-1].rstrip("/")
        assert base.startswith("http://127.0.0.1:"), line + server.stderr.read()
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
        server.stderr.close()


def fetch(base: str, path: str, method: str = "GET", **headers: str):
    """One request with exactly the headers given; (status, headers, raw body)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path, headers=headers)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<h1>Trang chủ</h1>", encoding="utf-8")
    (tmp_path / "bai").mkdir()
    (tmp_path / "bai" / "index.html").write_text(
        "<!doctype html><h1>Bài</h1>" + "<p>Công đoàn cơ sở thành viên.</p>" * 200, encoding="utf-8"
    )
    (tmp_path / "404.html").write_text("<h1>Không tìm thấy trang</h1>", encoding="utf-8")
    (tmp_path / "quan-tri").mkdir()
    (tmp_path / "quan-tri" / "app.js").write_text(
        "window.loa = 'phòng biên tập';\n" * 2000, encoding="utf-8"
    )
    (tmp_path / "quan-tri" / "config.json").write_text(
        '{"ten": "Công đoàn"}' * 100, encoding="utf-8"
    )
    (tmp_path / "anh.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    return tmp_path


def test_a_missing_page_gets_the_404_page(site):
    with serving(site) as base:
        with urllib.request.urlopen(base + "/bai/", timeout=30) as answer:
            assert answer.status == 200 and "Bài" in answer.read().decode()
        try:
            urllib.request.urlopen(base + "/khong-co-trang-nay/", timeout=30)
            raise AssertionError("a missing page must not answer 200")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            assert "Không tìm thấy trang" in error.read().decode()


def test_text_goes_gzipped_when_the_browser_accepts_it(site):
    """A phone's browser sends ``Accept-Encoding: gzip, deflate, br``: the newsroom's script,
    its config and a page come compressed, and unpack to exactly the file."""
    browser = "gzip, deflate, br, zstd"
    with serving(site) as base:
        for path, file, kind in (
            ("/quan-tri/app.js", site / "quan-tri" / "app.js", "javascript"),
            ("/quan-tri/config.json", site / "quan-tri" / "config.json", "application/json"),
            ("/bai/", site / "bai" / "index.html", "text/html"),
        ):
            status, headers, body = fetch(base, path, **{"Accept-Encoding": browser})
            assert status == 200, path
            assert headers.get("content-encoding") == "gzip", (path, headers)
            assert kind in headers["content-type"], (path, headers)
            assert "accept-encoding" in headers.get("vary", "").lower(), (path, headers)
            assert int(headers["content-length"]) == len(body) < file.stat().st_size
            assert gzip.decompress(body) == file.read_bytes(), path
        # The packed body is kept for the next request, and remade when the file changes.
        script = site / "quan-tri" / "app.js"
        first = fetch(base, "/quan-tri/app.js", **{"Accept-Encoding": "gzip"})[2]
        script.write_text("window.loa = 'bản mới';\n" * 3000, encoding="utf-8")
        again = fetch(base, "/quan-tri/app.js", **{"Accept-Encoding": "gzip"})[2]
        assert gzip.decompress(first) != gzip.decompress(again) == script.read_bytes()
        status, headers, body = fetch(
            base, "/quan-tri/app.js", "HEAD", **{"Accept-Encoding": "gzip"}
        )
        assert status == 200 and headers.get("content-encoding") == "gzip" and body == b""


def test_no_gzip_unless_asked_and_never_for_pictures(site):
    """Without ``Accept-Encoding`` or with ``gzip;q=0`` the file goes as it is; a PNG
    (compressed already) never gets a gzip layer."""
    with serving(site) as base:
        for headers_sent in (
            {},
            {"Accept-Encoding": "identity"},
            {"Accept-Encoding": "gzip;q=0, br"},
        ):
            status, headers, body = fetch(base, "/quan-tri/app.js", **headers_sent)
            assert status == 200 and "content-encoding" not in headers, (headers_sent, headers)
            assert body == (site / "quan-tri" / "app.js").read_bytes()
        status, headers, body = fetch(base, "/anh.png", **{"Accept-Encoding": "gzip"})
        assert status == 200 and "content-encoding" not in headers
        assert body == (site / "anh.png").read_bytes()
        status, headers, body = fetch(base, "/khong-co/", **{"Accept-Encoding": "gzip"})
        assert status == 404 and "Không tìm thấy trang" in body.decode()

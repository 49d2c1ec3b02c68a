"""``make serve`` (scripts/serve.py): a missing page answers 404 with the site's 404.html."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request

from tests.conftest import REPO


def test_a_missing_page_gets_the_404_page(tmp_path):
    (tmp_path / "index.html").write_text("<h1>Trang chủ</h1>", encoding="utf-8")
    (tmp_path / "bai").mkdir()
    (tmp_path / "bai" / "index.html").write_text("<h1>Bài</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>Không tìm thấy trang</h1>", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "serve.py"), str(tmp_path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()  # the server says where it listens once it does
        base = line.strip().rsplit(" ", 1)[-1].rstrip("/")
        assert base.startswith("http://127.0.0.1:"), line
        with urllib.request.urlopen(base + "/bai/", timeout=30) as answer:
            assert answer.status == 200 and "Bài" in answer.read().decode()
        try:
            urllib.request.urlopen(base + "/khong-co-trang-nay/", timeout=30)
            raise AssertionError("a missing page must not answer 200")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            assert "Không tìm thấy trang" in error.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
        server.stderr.close()

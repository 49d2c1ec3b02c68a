"""Listening pages in Chromium: /thong-ke/ with figures, /gop-y/, a unit page, /hoi-dap/ — at 320 px and 200 % text, axe clean."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.browser.conftest import AXE, _Handler, free_port
from tests.browser.test_theme import open_page
from tests.listening.test_site import _records

PAGES = {
    "thống kê": "/thong-ke/",
    "góp ý": "/gop-y/",
    "đơn vị": "/van-phong-cuc/",
    "hỏi đáp": "/hoi-dap/",
}


@pytest.fixture(scope="module")
def listening_site(tmp_path_factory):
    import os
    import shutil

    from tests.conftest import NOW, REPO, SiteMaker

    root = tmp_path_factory.mktemp("lang-nghe")
    maker = SiteMaker(root / "site")
    shutil.rmtree(maker.content)
    shutil.copytree(REPO / "content", maker.content)
    copy = root / "so-ghi"
    copy.mkdir()
    (copy / "posts.jsonl").write_text("", encoding="utf-8")
    files, _, _ = _records(NOW)
    for name, text in files.items():
        (copy / name).write_text(text, encoding="utf-8")
    old = os.environ.get("LOA_LEDGER_COPY")
    os.environ["LOA_LEDGER_COPY"] = str(copy)
    try:
        maker.build(LOA_READ_LEDGER=True)
    finally:
        if old is None:
            os.environ.pop("LOA_LEDGER_COPY", None)
        else:
            os.environ["LOA_LEDGER_COPY"] = old
    port = free_port()
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(_Handler, directory=str(maker.output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("width", "zoom"), [(320, 1), (640, 2)])
def test_listening_pages_reflow_and_are_axe_clean(browser, listening_site, width, zoom):
    failures = []
    for name, path in PAGES.items():
        context, page, _, errors, _ = open_page(browser, listening_site, path, width)
        try:
            if zoom != 1:
                page.evaluate(f"document.documentElement.style.fontSize = '{100 * zoom}%'")
            assert page.locator("h1").count() == 1
            if name == "thống kê":
                assert page.locator("#lang-nghe").count() == 1
                assert page.get_by_text("< 5").count() >= 1
            wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if wide[0] > wide[1] + 1:
                failures.append((name, "tràn ngang", wide))
            page.evaluate(AXE.read_text(encoding="utf-8"))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            violations = [
                (v["id"], [n["target"] for n in v["nodes"]][:2]) for v in result["violations"]
            ]
            if violations:
                failures.append((name, "axe", violations))
            if errors:
                failures.append((name, "console", errors))
        finally:
            context.close()
    assert failures == [], failures

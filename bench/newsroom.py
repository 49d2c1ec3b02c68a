"""The weight of /quan-tri/ (the web newsroom): each file its first screen loads, raw and gzipped.

``python bench/newsroom.py`` builds the sample site, opens /quan-tri/ in
headless Chromium at 375 px (the token sign-in: no git backend) and lists
every response with its size and its size compressed as a web server would
send it (gzip, level 6). Figures only.
"""

from __future__ import annotations

import functools
import gzip
import shutil
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "plugins"))


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, FLAGS, _Handler, free_port
    from tests.conftest import SiteMaker

    if not CHROMIUM:
        sys.exit("Chromium is needed: apt-get install chromium")
    site = SiteMaker(Path(tempfile.mkdtemp(prefix="loa-newsroom-")))
    shutil.rmtree(site.content)
    shutil.copytree(REPO / "content", site.content)
    port = free_port()
    site.build("publishconf.py", SITEURL=f"http://127.0.0.1:{port}", LOA_READ_LEDGER=False)
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(_Handler, directory=str(site.output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 375, "height": 812})
            responses = []

            def seen(response) -> None:
                responses.append(response)

            page.on("response", seen)
            page.goto(f"http://127.0.0.1:{port}/quan-tri/", wait_until="networkidle")
            page.get_by_label("Mã truy cập GitHub").wait_for()
            for response in responses:
                if response.url.startswith("http://127.0.0.1") and response.status == 200:
                    rows.append((response.url.split(f":{port}")[-1], response.body()))
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(site.root, ignore_errors=True)
    raw = packed = 0
    print(f"{'file':44} {'bytes':>10} {'gzip':>10}")
    for url, body in rows:
        size, small = len(body), len(gzip.compress(body, 6))
        raw, packed = raw + size, packed + small
        print(f"{url[:44]:44} {size:10} {small:10}")
    print(f"{'total (' + str(len(rows)) + ' files)':44} {raw:10} {packed:10}")


if __name__ == "__main__":
    main()

"""How soon /quan-tri/ (the web newsroom) is usable on a slow phone: seconds, per route.

``python bench/newsroom_open.py [--runs 3] [--site OUTPUT --port N]`` builds the
sample site (or serves a site already built for ``http://127.0.0.1:N``), serves
it with ``scripts/serve.py`` (gzip, as a web host does) and opens the newsroom in
headless Chromium at 375 px under Lighthouse's mobile profile applied by
DevTools (slow 4G: 562.5 ms latency, 1,474.56 kbit/s down, 675 kbit/s up; CPU
4× slower — Lighthouse's ``throttling.mobileSlow4G``,
https://github.com/GoogleChrome/lighthouse/blob/main/docs/throttling.md). The
git host's API is answered locally. It prints, per run, in seconds:

* ``text``: first contentful paint (the "loading" sentence);
* ``sign-in``: the token field on screen, on a first visit;
* ``after``: from tapping "Đăng nhập" at once to the collections on screen;
* ``signed``: a signed-in officer's first visit (empty cache), to the collections;
* ``again``: the same officer's next visit (service worker's cache), to the collections.

Figures only; tests never assert on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "plugins"))

TOKEN = "github_pat_11AAAA_bench"
USER = {"token": TOKEN, "backendName": "github", "login": "lehoa", "name": "Lê Hoa"}
SLOW_4G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1474.56 * 1024 / 8,
    "uploadThroughput": 675 * 1024 / 8,
}


def github(route) -> None:
    path = urlsplit(route.request.url).path
    if route.request.headers.get("authorization") != f"token {TOKEN}":
        route.fulfill(status=401, json={"message": "Bad credentials"})
    elif path == "/user":
        route.fulfill(json={"login": "lehoa", "name": "Lê Hoa", "avatar_url": ""})
    elif path.startswith("/repos/"):
        owner, name = path.split("/")[2:4]
        route.fulfill(
            json={
                "name": name,
                "full_name": f"{owner}/{name}",
                "owner": {"login": owner},
                "permissions": {"admin": False, "push": True, "pull": True},
                "default_branch": "main",
            }
        )
    else:
        route.fulfill(status=404, json={"message": "Not Found"})


def slow_page(context):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return page


def seconds(start: float) -> float:
    return time.perf_counter() - start


def one_run(browser, url: str) -> dict[str, float]:
    figures = {}
    phone = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "locale": "vi-VN"}
    context = browser.new_context(**phone)
    context.route("https://api.github.com/**", github)
    page = slow_page(context)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.get_by_label("Mã truy cập GitHub").wait_for(timeout=120_000)
    figures["sign-in"] = seconds(start)
    figures["text"] = page.evaluate(
        "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime / 1000"
    )
    page.get_by_label("Mã truy cập GitHub").fill(TOKEN)
    expires = page.get_by_label("Ngày hết hạn của mã")
    if expires.count():
        expires.fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    start = time.perf_counter()
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for(timeout=120_000)
    figures["after"] = seconds(start)
    context.close()

    context = browser.new_context(**phone)
    context.route("https://api.github.com/**", github)
    context.add_init_script(
        f"localStorage.getItem('decap-cms-user') || localStorage.setItem('decap-cms-user', {json_text(USER)})"
    )
    page = slow_page(context)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.get_by_text("Bộ sưu tập").first.wait_for(timeout=120_000)
    figures["signed"] = seconds(start)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.close()
    page = slow_page(context)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.get_by_text("Bộ sưu tập").first.wait_for(timeout=120_000)
    figures["again"] = seconds(start)
    context.close()
    return figures


def json_text(value) -> str:
    return json.dumps(json.dumps(value, ensure_ascii=False), ensure_ascii=False)


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, FLAGS, free_port
    from tests.conftest import SiteMaker

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", help="a site already built for http://127.0.0.1:PORT")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if not CHROMIUM:
        sys.exit("Chromium is needed: apt-get install chromium")
    scratch = None
    if args.site:
        output, port = Path(args.site), args.port
    else:
        scratch = Path(tempfile.mkdtemp(prefix="loa-open-"))
        site = SiteMaker(scratch)
        shutil.rmtree(site.content)
        shutil.copytree(REPO / "content", site.content)
        port = free_port()
        site.build("publishconf.py", SITEURL=f"http://127.0.0.1:{port}", LOA_READ_LEDGER=False)
        output = site.output
    server = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "serve.py"), str(output), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    if f":{port}/" not in server.stdout.readline():  # it listens once it says so
        sys.exit(f"scripts/serve.py could not listen on port {port}")
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for _ in range(args.runs):
                rows.append(one_run(browser, f"http://127.0.0.1:{port}/quan-tri/"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    names = ["text", "sign-in", "after", "signed", "again"]
    print("run " + " ".join(f"{name:>8}" for name in names) + "   (s, 375 px, slow 4G, CPU 4×)")
    for i, row in enumerate(rows, 1):
        print(f"{i:3} " + " ".join(f"{row[name]:8.1f}" for name in names))
    print("med " + " ".join(f"{statistics.median(r[n] for r in rows):8.1f}" for n in names))


if __name__ == "__main__":
    main()

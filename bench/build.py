"""Build-time harness: ``python bench/build.py N`` measures, in one run, on the same N articles:

(a) stock Pelican 4.12 with its ``simple`` theme and no plugins,
(b) Loa's full build, cold (search index, manifest, statistics, feeds, calendars…),
(c) Loa's build again with its caches, after adding one article,
(d) optionally Hugo on the same Markdown, when ``hugo`` is installed,

and prints wall time, CPU time and peak memory of each, with the ratio to (a).
Peak memory is the summed PSS of the build's whole process tree (forked
workers and Pagefind included), sampled every 50 ms; Linux only.
Figures only: nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, make_corpus

STOCK_CONF = """\
import os
import pelican
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
THEME = os.path.join(os.path.dirname(pelican.__file__), "themes", "simple")
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
SITEURL = "https://vi-du.example.vn"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
READERS = {"rst": None}
PLUGINS = []
DELETE_OUTPUT_DIRECTORY = True
"""


def _tree_pss_kb(root: int) -> int:
    """Proportional set size of a process and all its descendants, in KB (Linux).

    PSS splits pages shared between forked processes among them, so the sum is
    the memory the whole build really holds, children and Pagefind included.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


def run_build(cwd: Path, output: Path, conf: Path, label: str) -> dict:
    """Run Pelican in a fresh interpreter: wall and CPU time, and peak memory of its process tree.

    Memory is sampled every 50 ms as the summed PSS of the build and everything
    it starts (forked writers, Pagefind); the build's own peak RSS is kept too.
    """
    code = (
        "import resource, sys\nfrom pelican import main\n"
        f"sys.argv=['pelican', 'content', '-o', {str(output)!r}, '-s', {str(conf)!r}, '-q']\n"
        "try:\n    main()\nfinally:\n"
        "    print('LOA_MAXRSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    before = os.times()
    start = time.perf_counter()
    env = {**os.environ, "LOA_SITEURL": "https://vi-du.example.vn"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    peak = {"kb": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak["kb"] = max(peak["kb"], _tree_pss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = os.times()
    if proc.returncode != 0:
        sys.exit(f"{label}: build failed\n{stdout[-3000:]}\n{stderr[-3000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    line = next(ln for ln in stderr.splitlines() if ln.startswith("LOA_MAXRSS_KB"))
    own = int(line.split()[1])
    return {
        "label": label,
        "wall": wall,
        "cpu": cpu,
        "rss_mb": peak["kb"] / 1024,
        "own_mb": own / 1024,
    }


def hugo_build(site: Path) -> dict | None:
    """The same Markdown through Hugo, when it is installed (front matter is YAML too)."""
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    target = site.parent / "hugo"
    shutil.rmtree(target, ignore_errors=True)
    (target / "content").mkdir(parents=True)
    shutil.copytree(site / "content" / "articles", target / "content" / "articles")
    (target / "hugo.toml").write_text(
        'baseURL = "https://vi-du.example.vn/"\ntitle = "bench"\n', encoding="utf-8"
    )
    start, before = time.perf_counter(), os.times()
    subprocess.run([hugo, "--quiet", "-s", str(target)], check=True, capture_output=True)
    after = os.times()
    return {
        "label": "hugo (no theme)",
        "wall": time.perf_counter() - start,
        "cpu": (after.children_user - before.children_user)
        + (after.children_system - before.children_system),
        "rss_mb": float("nan"),
        "own_mb": 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int, help="number of articles to generate")
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated site in bench/.corpus/"
    )
    args = parser.parse_args()

    site = REPO / "bench" / ".corpus" / str(args.count)
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    t0 = time.perf_counter()
    make_corpus(site, args.count)
    print(f"corpus: {args.count} articles generated in {time.perf_counter() - t0:.1f} s")
    for name in ("theme", "plugins"):
        (site / name).symlink_to(REPO / name)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / name, site / name)
    (site / "stockconf.py").write_text(STOCK_CONF, encoding="utf-8")

    rows = [
        run_build(
            site, site / "output-stock", site / "stockconf.py", "(a) stock Pelican, simple theme"
        )
    ]
    shutil.rmtree(site / "cache", ignore_errors=True)
    rows.append(
        run_build(site, site / "output", site / "publishconf.py", "(b) Loa full build, cold")
    )
    new = site / "content" / "articles" / "van-phong-cuc" / "2026-11-26-bai-moi.md"
    new.write_text(
        "---\ntitle: Bài mới thêm vào\ndate: 2026-11-20 09:00\nauthor: Nguyễn Thị Lan\n"
        "summary: Một bài thêm sau lần dựng đầu.\n---\n\nNội dung.\n",
        encoding="utf-8",
    )
    rows.append(
        run_build(
            site, site / "output", site / "publishconf.py", "(c) Loa rebuild, caches, +1 article"
        )
    )
    hugo = hugo_build(site)
    if hugo:
        rows.append(hugo)
    base = rows[0]
    print(
        f"{'build':40} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'× (a) wall':>10}   ({os.cpu_count()} cores, python {sys.version.split()[0]})"
    )
    for row in rows:
        print(
            f"{row['label']:40} {row['wall']:7.2f} {row['cpu']:7.2f} {row['rss_mb']:8.0f} {row['wall'] / base['wall']:10.2f}"
        )
    print(f"(c) / (b) wall: {rows[2]['wall'] / rows[1]['wall']:.2f}")
    print(
        f"peak memory of (b): whole process tree (PSS) {rows[1]['rss_mb']:.0f} MB; the Pelican process alone (RSS) {rows[1]['own_mb']:.0f} MB"
    )
    pages = sum(1 for _ in (site / "output").rglob("*.html"))
    print(f"output: {pages} HTML files")
    if not args.keep:
        shutil.rmtree(site)


if __name__ == "__main__":
    main()

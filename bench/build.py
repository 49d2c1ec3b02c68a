"""Build-time benchmark: ``python bench/build.py N`` builds N synthetic articles and prints figures.

Prints wall time, CPU time and peak memory (RSS) of a cold build and of a rebuild
with the content cache. Figures only: nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, make_corpus


def run_build(site: Path, conf: Path, label: str) -> dict:
    """Run Pelican in a child process; measure wall, CPU and the child's peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # A fresh interpreter per build so peak RSS is that build's alone.
    code = (
        "import resource, sys\nfrom pelican import main\n"
        f"sys.argv=['pelican', {str(site / 'content')!r}, '-o', {str(site / 'output')!r}, '-s', {str(conf)!r}, '-q']\n"
        "try:\n    main()\nfinally:\n"
        "    print('LOA_MAXRSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=site, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{label}: build failed\n{result.stdout}\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # The child reports its own peak RSS (KiB on Linux) as its last words.
    peak_kb = next(
        int(ln.split()[1]) for ln in result.stderr.splitlines() if ln.startswith("LOA_MAXRSS_KB")
    )
    return {"label": label, "wall": wall, "cpu": cpu, "rss_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, help="number of articles to generate")
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated site in bench/.corpus/"
    )
    args = parser.parse_args()

    site = REPO / "bench" / ".corpus" / str(args.count)
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    t0 = time.perf_counter()
    make_corpus(site, args.count)
    print(f"corpus: {args.count} articles generated in {time.perf_counter() - t0:.1f} s ({site})")
    shutil.copytree(REPO / "theme", site / "theme")
    shutil.copytree(REPO / "plugins", site / "plugins")
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / name, site / name)
    conf = site / "publishconf.py"
    env_note = f"python {sys.version.split()[0]}, {os.cpu_count()} cores"

    rows = [run_build(site, conf, "cold build (no cache)")]
    new = site / "content" / "articles" / "van-phong-cuc" / "2026-11-26-bai-moi.md"
    new.write_text(
        "---\ntitle: Bài mới thêm vào\ndate: 2026-11-20 09:00\nauthor: Nguyễn Thị Lan\n"
        "summary: Một bài thêm sau lần dựng đầu.\n---\n\nNội dung.\n",
        encoding="utf-8",
    )
    rows.append(run_build(site, conf, "rebuild with cache, +1 article"))
    print(f"{'build':34} {'wall s':>8} {'cpu s':>8} {'peak MB':>9}   ({env_note})")
    for row in rows:
        print(f"{row['label']:34} {row['wall']:8.2f} {row['cpu']:8.2f} {row['rss_mb']:9.0f}")
    pages = sum(1 for _ in (site / "output").rglob("*.html"))
    print(f"output: {pages} HTML files")
    if not args.keep:
        shutil.rmtree(site)


if __name__ == "__main__":
    main()

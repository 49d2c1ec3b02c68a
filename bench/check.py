"""``loa check`` speed: ``python bench/check.py N`` checks N generated articles and prints the time."""

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, help="number of articles to generate")
    args = parser.parse_args()
    site = REPO / "bench" / ".corpus" / f"check-{args.count}"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    make_corpus(site, args.count)
    shutil.copy(REPO / "content" / "sources.yml", site / "content" / "sources.yml")
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / name, site / name)
    env = {**os.environ, "NO_COLOR": "1"}
    loa = [sys.executable, "-m", "loa.cli"]
    rows = []
    for label, extra in (
        ("whole site", []),
        (
            "one article (as in a PR)",
            [next((site / "content" / "articles").rglob("*.md")).as_posix()],
        ),
    ):
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(
            [*loa, "check", *extra], cwd=site, env=env, capture_output=True, text=True, check=False
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter() - start
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        rows.append((label, wall, cpu, result.stdout.strip().splitlines()[-1]))
    print(f"loa check on {args.count} articles ({os.cpu_count()} cores)")
    for label, wall, cpu, last in rows:
        print(f"  {label:28} wall {wall:6.2f} s   cpu {cpu:6.2f} s   {last}")
    shutil.rmtree(site)


if __name__ == "__main__":
    main()

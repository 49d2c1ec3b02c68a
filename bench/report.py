"""``loa report`` speed: ``python bench/report.py N`` reports on N generated articles and prints the time."""

from __future__ import annotations

import argparse
import os
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
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    site = REPO / "bench" / ".corpus" / f"report-{args.count}"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    make_corpus(site, args.count)
    env = {**os.environ, "NO_COLOR": "1"}
    print(f"loa report on {args.count} articles ({os.cpu_count()} cores)")
    for fmt, period in (("json", "year"), ("csv", "quarter"), ("table", "quarter")):
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "loa.cli",
                "report",
                "--no-ledger",
                "--format",
                fmt,
                "--period",
                period,
            ],
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        print(
            f"  --format {fmt:6} --period {period:8} wall {elapsed:6.2f} s   exit {result.returncode}   {len(result.stdout):8} bytes"
        )
    shutil.rmtree(site)


if __name__ == "__main__":
    main()

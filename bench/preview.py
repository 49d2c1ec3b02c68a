"""Preview loop: ``python bench/preview.py N`` — how long after saving an article the page shows it.

Runs ``pelican -r`` (what ``make devserver`` runs) with the preview settings on a
deterministic corpus of N articles, waits for the first build, then saves a
change to one article several times and measures the time from the save until
the article's page on disk holds the change. Figures only: nothing here is
asserted by the tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, make_corpus


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "count", type=int, nargs="?", default=2000, help="number of articles (default 2000)"
    )
    parser.add_argument("--saves", type=int, default=5, help="how many saves to time (default 5)")
    args = parser.parse_args()

    # Not under bench/.corpus/: Pelican's watcher ignores every path with a
    # hidden folder in it (IGNORE_FILES = ["**/.*"]), so nothing would reload.
    site = Path(tempfile.mkdtemp(prefix="loa-preview-"))
    make_corpus(site, args.count)
    for name in ("theme", "plugins"):
        (site / name).symlink_to(REPO / name)
    shutil.copy(REPO / "pelicanconf.py", site / "pelicanconf.py")
    target = sorted((site / "content" / "articles" / "van-phong-cuc").rglob("*.md"))[-1]
    original = target.read_text(encoding="utf-8")

    log = (site / "pelican.log").open("w", encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-r"],
        cwd=site,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        page = _wait_first_build(site, proc)
        print(
            f"corpus: {args.count} articles; first build (cold) {time.perf_counter() - started:.1f} s"
        )
        delays = []
        for number in range(1, args.saves + 1):
            marker = f"Đoạn sửa thử số {number} lúc {time.time():.0f}"
            time.sleep(1.0)  # let the watcher settle after the previous build
            saved = time.perf_counter()
            target.write_text(original.rstrip() + f"\n\n{marker}\n", encoding="utf-8")
            while marker not in _text(page):
                if proc.poll() is not None:
                    sys.exit(f"pelican stopped; see {site / 'pelican.log'}")
                if time.perf_counter() - saved > 120:
                    sys.exit(f"no change after 120 s; see {site / 'pelican.log'}")
                time.sleep(0.02)
            delays.append(time.perf_counter() - saved)
            # Pelican watches again only once its build is over: a save during
            # the build would be missed, so wait for it (and time it).
            while _builds(site) < number + 1:
                time.sleep(0.05)
            finished = time.perf_counter() - saved
            print(
                f"save {number}: the page showed the change {delays[-1]:.2f} s after the save (build over after {finished:.2f} s)"
            )
        print(
            f"median {statistics.median(delays):.2f} s, worst {max(delays):.2f} s ({os.cpu_count()} cores)"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        target.write_text(original, encoding="utf-8")
    shutil.rmtree(site, ignore_errors=True)


def _builds(site: Path) -> int:
    return (site / "pelican.log").read_text(encoding="utf-8", errors="replace").count("Done:")


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return ""


def _wait_first_build(site: Path, proc: subprocess.Popen) -> Path:
    """The article's page, once the first build has written it and the sitemap (its last step)."""
    deadline = time.perf_counter() + 600
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            sys.exit(f"pelican stopped; see {site / 'pelican.log'}")
        if "Done:" in (site / "pelican.log").read_text(encoding="utf-8", errors="replace"):
            pages = sorted((site / "output" / "van-phong-cuc").glob("*/index.html"))
            if pages:
                break
        time.sleep(0.1)
    else:
        sys.exit("the first build took more than 600 s")
    stem = sorted((site / "content" / "articles" / "van-phong-cuc").rglob("*.md"))[-1].stem
    slug = stem.split("-", 3)[-1]
    return site / "output" / "van-phong-cuc" / slug / "index.html"


if __name__ == "__main__":
    main()

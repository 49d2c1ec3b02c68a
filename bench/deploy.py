"""Rehearse the deploy from a merge to the posts, on this machine, and time every step.

    .venv/bin/python bench/deploy.py            # cold, then warm caches
    .venv/bin/python bench/deploy.py --warm-only

A fresh clone of this repository (its committed HEAD) plays the site's code; the
site is a small generated one whose channels are the test suite's local fakes
(tests/syndication/harness.py), so the posting job really posts, to 127.0.0.1.
Each job of ``.github/workflows/deploy.yml`` runs its own steps as the rehearsal
test runs them (tests/workflows/test_workflows.py: the same Runner), each on a
fresh machine: its virtual environment and node_modules are removed first.

*Cold*: no pip or npm download cache and no Pelican ``cache/``. *Warm*: what
``actions/setup-python`` (``cache: pip``) and ``actions/cache`` restore — pip's
and npm's download caches and ``cache/`` from the run before. GitHub's own
overheads (a runner starting a job, checkout, artifact upload, Pages' deploy)
are not on this machine and are not counted; the README adds them as measured
on GitHub. Prints one table per scenario, the installed sizes, and the totals
merge → site built and merge → posted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "plugins"))

from tests.syndication.harness import Chain  # noqa: E402
from tests.workflows.test_workflows import Runner, link_tree, pages_deploy  # noqa: E402


def size_mb(*paths: Path) -> float:
    """Installed size of ``paths`` in MB (files counted once, symlinks not followed)."""
    total = 0
    for path in paths:
        if path.is_file():
            total += path.stat().st_size
        for dirpath, _dirs, files in os.walk(path):
            for name in files:
                file = Path(dirpath) / name
                if not file.is_symlink():
                    total += file.stat().st_size
    return total / 1e6


def fresh_machine(root: Path) -> None:
    """What a new runner has: the checkout, nothing installed (output/ stands for the artifacts)."""
    for name in (".venv", "node_modules"):
        target = root / name
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)


def scenario(label: str, base: Path, clone: Path, caches: Path, keep_cache: bool) -> dict:
    """One merge → build → syndicate on a fresh machine per job; the step timings and sizes."""
    work = Path(tempfile.mkdtemp(prefix=label.replace(" ", "-") + "-", dir=base))
    chain = Chain(work)
    try:
        root = link_tree(chain, source=clone, shared_installs=False)
        runner = Runner(chain, root, work)
        runner.base.update(
            PIP_CACHE_DIR=str(caches / "pip"),
            npm_config_cache=str(caches / "npm"),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
        )
        if keep_cache and (caches / "pelican").exists():
            shutil.copytree(caches / "pelican", root / "cache")
        env = {"LOA_SITEURL": "https://vi-du.example"}
        subprocess.run(
            [sys.executable, "-m", "loa.cli", "codeowners"],
            cwd=root,
            env=chain.environment(),
            check=True,
            capture_output=True,
        )
        # The site existed before: its first run marks what is live (not timed).
        chain.write_article("don-vi-a", "da-co", hours_ago=30)
        runner.sha = "a" * 40
        fresh_machine(root)
        runner.job("build", env)
        fresh_machine(root)
        runner.job("syndicate", env, {"bootstrap": "true"})
        runner.timings.clear()

        # The merge.
        runner.sha = "b" * 40
        chain.write_article("don-vi-b", "bai-moi", hours_ago=0.1)
        started = time.monotonic()
        runner.job("due", {"GITHUB_EVENT_NAME": "push"})
        fresh_machine(root)
        runner.job("build", env)
        built = time.monotonic() - started
        build_size = size_mb(root / ".venv", root / "node_modules")
        pages_deploy(root, work / "pages")
        fresh_machine(root)
        runner.job("syndicate", env)
        posted = time.monotonic() - started
        syndicate_size = size_mb(root / ".venv")
        posts = len(chain.posts())
        timings = list(runner.timings)

        # An hourly run an hour later, with nothing due.
        started = time.monotonic()
        skipped = not runner.hourly()
        idle = time.monotonic() - started
        if (root / "cache").exists():
            if (caches / "pelican").exists():
                shutil.rmtree(caches / "pelican")
            shutil.copytree(root / "cache", caches / "pelican")
        return {
            "label": label,
            "timings": timings,
            "built": built,
            "posted": posted,
            "posts": posts,
            "build_size": build_size,
            "syndicate_size": syndicate_size,
            "idle": idle,
            "skipped": skipped,
        }
    finally:
        chain.close()


def table(result: dict) -> str:
    """The scenario's steps and totals as a Markdown table."""
    lines = [f"### {result['label']}", "", "| job | step | s |", "|---|---|---:|"]
    for job, step, seconds in result["timings"]:
        lines.append(f"| {job} | {step[:60]} | {seconds:.1f} |")
    lines += [
        f"| **merge → site built** | | **{result['built']:.1f}** |",
        f"| **merge → posted** ({result['posts']} posts) | | **{result['posted']:.1f}** |",
        f"| hourly run, nothing due ({'skipped' if result['skipped'] else 'NOT skipped'}) "
        f"| | {result['idle']:.1f} |",
        "",
        f"Installed: build job {result['build_size']:.0f} MB (.venv + Decap's bundle), "
        f"posting job {result['syndicate_size']:.0f} MB (.venv).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    """Clone, run the scenarios, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm-only", action="store_true")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="loa-deploy-bench-"))
    try:
        clone = base / "clone"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        caches = base / "caches"
        caches.mkdir()
        results = []
        if not args.warm_only:
            results.append(scenario("cold caches", base, clone, caches, keep_cache=False))
        else:
            scenario("priming", base, clone, caches, keep_cache=False)
        results.append(scenario("warm caches", base, clone, caches, keep_cache=True))
        for result in results:
            print(table(result))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

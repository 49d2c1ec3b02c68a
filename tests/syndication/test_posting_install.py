"""The posting job installs no build package: its commands run with Pelican, Markdown, Pillow,
Babel, Jinja, nh3, ffmpeg, Pagefind and icalendar made impossible to import.

``make install-syndicate`` installs only ``requirements-posting.in`` (constrained
by the lock); this runs every command of the posting, followers, insights and
ledger steps of the deploy, against the fakes, in processes where importing any
of those packages raises — a lazy import that crept back would fail here.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import REPO
from tests.syndication.harness import ALL, Chain

# The build's packages (top-level import names): none may load in a posting step.
BUILD_ONLY = (
    "pelican",
    "markdown",
    "PIL",
    "babel",
    "jinja2",
    "nh3",
    "imageio_ffmpeg",
    "pagefind",
    "pagefind_bin",
    "icalendar",
    "pygments",
    "docutils",
    "unidecode",
    "feedgenerator",
)

BLOCKER = f"""
import importlib.abc, sys

class _BuildOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {BUILD_ONLY!r}:
            raise ImportError("a posting step imported a build package: " + name)
        return None

sys.meta_path.insert(0, _BuildOnly())
"""


@pytest.fixture
def posting(tmp_path):
    chain = Chain(tmp_path, platforms=ALL)
    folder = tmp_path / "blocker"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    chain.blocked = {"PYTHONPATH": path}
    yield chain
    chain.close()


def test_the_blocker_really_refuses_a_build_package(posting):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import pelican"],
        env={**os.environ, **posting.blocked},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "a posting step imported a build package" in result.stderr


def test_every_posting_command_runs_without_the_build_packages(posting):
    for n in range(2):
        posting.write_article(["don-vi-a", "don-vi-b"][n % 2], f"cu-{n}", hours_ago=20 * (n + 1))
    posting.build()  # the build job: with everything
    steps = [
        ("syndicate", "plan", "--no-ledger"),
        ("syndicate", "publish", "--bootstrap"),
    ]
    for args in steps:
        result = posting.loa(*args, env=posting.blocked)
        assert result.returncode == 0, (args, result.stdout + result.stderr)
    new = posting.write_article("don-vi-a", "moi", hours_ago=0.5, tags="[thi đua khen thưởng]")
    posting.build()
    for args in [
        ("syndicate", "plan"),
        ("syndicate", "publish"),
        ("syndicate", "status", "--format", "json"),
        ("syndicate", "followers"),
        ("syndicate", "insights"),
        ("ledger", "export", str(posting.site.root / "ledger-export")),
        ("listen",),
    ]:
        result = posting.loa(*args, env={**posting.blocked, "LOA_LISTEN_SALT": "muoi-thu-" * 4})
        text = result.stdout + result.stderr
        assert "a posting step imported a build package" not in text, (args, text)
        assert result.returncode == 0, (args, text)
    posted = {link for _, _, link in posting.posts()}
    assert posted == {posting.site_url(new)}
    assert len(posting.posts()) == 2 * len(ALL)


def test_the_posting_requirements_name_only_locked_packages():
    names = [
        line.split("#")[0].strip().lower()
        for line in (REPO / "requirements-posting.in").read_text(encoding="utf-8").splitlines()
        if line.split("#")[0].strip()
    ]
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8").lower()
    assert names and all(f"\n{name}==" in "\n" + lock for name in names), names
    assert not {"pelican", "markdown", "pillow", "babel", "imageio-ffmpeg"} & set(names)

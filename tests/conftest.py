"""Shared fixtures: small real sites in temporary folders, built with real Pelican."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from loa import clock
from pelican import Pelican
from pelican.settings import read_settings

REPO = Path(__file__).resolve().parent.parent


def _suite_now() -> dt.datetime:
    """The instant the whole test run lives at.

    ``LOA_TEST_NOW`` chooses it (``make test-clocks`` runs the date-sensitive
    tests at the first and last day of a month, New Year's night in Vietnam,
    ISO week 53, ...); otherwise it is the machine's time when the run starts —
    the one read of the wall clock in the tests. Either way it is exported as
    ``LOA_NOW`` for the run, so in-process builds and every ``loa`` or
    ``pelican`` process the tests start see the same "now", and a test that
    needs another moment sets it (``set_now``).
    """
    value = os.environ.get("LOA_TEST_NOW", "").strip()
    if value:
        return clock.parse(value)
    return dt.datetime.now(clock.TIMEZONE).replace(microsecond=0)  # clock: allowed


NOW = _suite_now()


def pytest_configure(config) -> None:
    """Pin ``LOA_NOW`` for the whole run, session fixtures included."""
    os.environ[clock.ENV] = NOW.isoformat()
    config.stash[_NOW_KEY] = NOW


_NOW_KEY = pytest.StashKey[dt.datetime]()


def pytest_report_header(config) -> str:
    """Say which instant the run is pinned at: a failure names it."""
    return f"LOA_NOW={NOW.isoformat()} (LOA_TEST_NOW chọn thời điểm khác)"


@pytest.fixture
def now() -> dt.datetime:
    """The run's pinned "now" (Vietnam time); what a test asserts is computed from it."""
    return NOW


@pytest.fixture
def set_now(monkeypatch) -> Callable[[dt.datetime], None]:
    """Move the clock (``LOA_NOW``) for the rest of one test."""

    def move(moment: dt.datetime) -> None:
        monkeypatch.setenv(clock.ENV, moment.isoformat())

    return move


def days_ago(days: float, *, hour: int | None = None) -> dt.datetime:
    """The pinned "now" minus ``days`` (optionally at ``hour`` o'clock that day), Vietnam time."""
    moment = NOW - dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0) if hour is not None else moment


UNITS_YML = """\
department:
  slug: cuc
  name: Công đoàn Cục Thử nghiệm
  short_name: Công đoàn Cục
  description: Công đoàn cấp trên của các đơn vị thử nghiệm.
  admins: ["@vi-du/ban-thuong-vu"]
  channels:
    telegram: {chat_id: "@cuc_thu", username: cuc_thu, token_env: T_TG}
units:
  - slug: don-vi-a
    name: Công đoàn cơ sở Đơn vị A
    short_name: CĐCS A
    description: Đơn vị A của Đà Nẵng.
    admins: ["@nguoi-a"]
    cadence: {min_per_week: 2, max_per_week: 4}
  - slug: don-vi-b
    name: Công đoàn cơ sở Đơn vị B
    short_name: CĐCS B
    description: Đơn vị B chưa có bài nào.
    admins: ["@nguoi-b"]
"""


def article(
    title: str = "Hội nghị người lao động năm 2026",
    date: str = "2026-11-20 08:00",
    author: str = "Nguyễn Văn An",
    summary: str = "Hội nghị bàn về quyền lợi của người lao động.",
    body: str = "Nội dung bài viết về công đoàn.",
    **extra: str,
) -> str:
    """The text of a valid article; keyword arguments add or replace front matter lines."""
    fields = {"title": title, "date": date, "author": author, "summary": summary, **extra}
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body) + "\n"


# Differ from one build to the next by design: build time stamps, Pagefind's
# content hashes in file names.
_LASTMOD = re.compile(r"<lastmod>[^<]*</lastmod>")
_STATISTICS_STAMP = re.compile(r"(?:lập|nhật) lúc [^<.]*")


def site_files(output: Path) -> dict[str, bytes]:
    """Every built file (Pagefind's bundles aside) by its path, time stamps taken out."""
    files = {}
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if not path.is_file() or rel.split("/")[0].startswith("pagefind"):
            continue
        data = path.read_bytes()
        if rel == "sitemap.xml":
            data = _LASTMOD.sub("", data.decode()).encode()
        if rel == "loa/manifest.json":
            manifest = json.loads(data)
            manifest.pop("generated")
            data = json.dumps(manifest, sort_keys=True).encode()
        if rel.startswith("thong-ke/"):
            data = _STATISTICS_STAMP.sub("", data.decode()).encode()
        files[rel] = data
    return files


class SiteMaker:
    """Writes a site into a temporary folder and builds it with Pelican."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        (self.content / "articles").mkdir(parents=True)
        (self.content / "pages").mkdir()
        self.units(UNITS_YML)

    def units(self, text: str) -> Path:
        """Write content/units.yml."""
        path = self.content / "units.yml"
        path.write_text(text, encoding="utf-8")
        return path

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file under content/."""
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def settings(self, conf: str = "pelicanconf.py", **override) -> dict:
        """The repository's real settings, pointed at this folder."""
        values = {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "CACHE_PATH": str(self.root / "cache"),
            "SITEURL": "https://vi-du.example.vn",
            **override,
        }
        return read_settings(str(REPO / conf), override=values)

    def build(self, conf: str = "pelicanconf.py", **override) -> Path:
        """Build with Pelican; return the output folder."""
        # pelican-sitemap remembers the first Pelican object it sees until that
        # object finishes; a build stopped by a content error never finishes, so
        # in one process (the test run) the next Pelican object would get no
        # sitemap. One process per build (the CLI) never meets this.
        from pelican.plugins.sitemap import sitemap

        sitemap.generator._main_pelican = None
        sitemap.generator.page_queue = []
        Pelican(self.settings(conf, **override)).run()
        return self.output

    def read(self, rel: str) -> str:
        """A built file's text."""
        return (self.output / rel).read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path) -> SiteMaker:
    """An empty site (registry of a department and two units) in a temporary folder."""
    return SiteMaker(tmp_path / "site")


@pytest.fixture
def sample_site(tmp_path) -> SiteMaker:
    """A copy of the repository's sample content in a temporary folder."""
    maker = SiteMaker(tmp_path / "sample")
    shutil.rmtree(maker.content)
    shutil.copytree(REPO / "content", maker.content)
    return maker


@pytest.fixture
def loa_log(caplog) -> Callable[[], str]:
    """Everything the loa plugins logged, as text."""
    caplog.set_level(logging.WARNING)
    return lambda: "\n".join(r.getMessage() for r in caplog.records)

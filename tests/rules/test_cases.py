"""The table of bad articles: one file per defect, each with its expected finding and line."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from loa.rules import Site, run_check
from PIL import Image

from tests.cli.test_cli import loa
from tests.conftest import REPO, UNITS_YML, SiteMaker, article

CASES = sorted((Path(__file__).parent / "cases").glob("*.md"))
EXPECT = re.compile(rb"<!-- expect: (?P<code>[\w-]+) (?P<line>\d+) (?P<severity>\w+) -->")


def expectation(path: Path) -> tuple[str, int, str]:
    match = EXPECT.search(path.read_bytes())
    assert match, f"{path.name} states what it expects"
    return match["code"].decode(), int(match["line"]), match["severity"].decode()


def make_images(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 630), (11, 83, 148)).save(folder / "dung.jpg", "JPEG")
    Image.new("RGB", (600, 300), (11, 83, 148)).save(folder / "nho.jpg", "JPEG")
    Image.new("RGB", (1200, 630), (11, 83, 148)).save(folder / "dong.gif", "GIF")
    noise = random.Random(1).randbytes(1600 * 1000 * 3)
    Image.frombytes("RGB", (1600, 1000), noise).save(folder / "nang.jpg", "JPEG", quality=100)
    (folder / "gia.jpg").write_text("không phải ảnh", encoding="utf-8")


@pytest.fixture(scope="module")
def case_site(tmp_path_factory) -> SiteMaker:
    maker = SiteMaker(tmp_path_factory.mktemp("cases"))
    maker.units(
        UNITS_YML.replace(
            "    cadence: {min_per_week: 2, max_per_week: 4}\n",
            "    cadence: {min_per_week: 2, max_per_week: 4}\n    channels:\n"
            "      x: {username: a, consumer_key_env: K, consumer_secret_env: S, access_token_env: T, access_token_secret_env: TS}\n",
            1,
        )
    )
    shutil.copy(REPO / "content" / "sources.yml", maker.content / "sources.yml")
    folder = maker.content / "articles" / "don-vi-a"
    folder.mkdir(parents=True)
    for case in CASES:
        shutil.copy(case, folder / case.name)
    maker.write("articles/don-vi-b/2026-11-01-bai-co-that.md", article(title="Bài có thật"))
    maker.write("pages/gioi-thieu.md", "---\ntitle: Giới thiệu\n---\nTrang.\n")
    make_images(maker.content / "images" / "don-vi-a")
    return maker


@pytest.fixture(scope="module")
def case_findings(case_site) -> dict[str, list]:
    result = run_check((), Site(root=case_site.root))
    by_file: dict[str, list] = {}
    for finding in result.findings:
        by_file.setdefault(Path(finding.path).name, []).append(finding)
    return by_file


def test_there_are_many_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem[11:])
def test_each_bad_article_gets_its_finding(case, case_findings):
    code, line, severity = expectation(case)
    found = case_findings.get(case.name, [])
    assert any(f.code == code and f.line == line and f.severity == severity for f in found), [
        (f.code, f.line, f.severity, f.message) for f in found
    ]
    others = [f for f in found if f.is_error and f.code != code]
    assert not others, f"only the case's own defect is an error: {others}"
    for finding in found:
        assert finding.path.endswith(case.name)
        assert "—" in finding.message, f"says how to fix: {finding.message}"


def test_good_article_in_the_same_site_is_clean(case_findings):
    assert "2026-11-01-bai-co-that.md" not in case_findings


def test_loa_check_command_on_the_cases_exits_1_and_names_each_file(case_site):
    result = loa("check", "--format", "github", cwd=case_site.root)
    assert result.returncode == 1
    for case in CASES:
        _code, line, severity = expectation(case)
        assert (
            f"::{severity} file=content/articles/don-vi-a/{case.name},line={line}" in result.stdout
        ), case.name


def test_the_sample_site_is_clean_even_strictly():
    result = loa("check", "--strict", "--format", "json", cwd=REPO)
    assert result.returncode == 0, result.stdout
    findings = json.loads(result.stdout)["findings"]
    # The one note the sample shows on purpose: its 12-photo album reaches X (4) and
    # Instagram and Telegram (10) only in part.
    assert [(f["code"], f["severity"]) for f in findings] == [("gallery-partial", "warning")], (
        findings
    )

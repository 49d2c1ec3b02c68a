"""The real ``loa`` command, run as a process: exit codes, messages, formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from loa.frontmatter import parse_document

from tests.conftest import REPO, article

LOA = [sys.executable, "-m", "loa.cli"]


def loa(
    *args: str, cwd: Path, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO / "plugins"), **(env or {})}
    return subprocess.run(
        [*LOA, *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=600,  # a bound for a stuck command, not a guess of its speed
    )


def test_help_for_every_command():
    for args in ([], ["new"], ["check"]):
        result = loa(*args, "--help", cwd=REPO)
        assert result.returncode == 0, result.stderr
        assert "cách dùng:" in result.stdout


def test_sample_site_is_clean():
    result = loa("check", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi, 1 cảnh báo" in result.stdout  # the album's note (tests/rules/test_cases.py)
    assert "Album có 12 ảnh" in result.stdout


def test_new_writes_a_valid_article_at_the_right_path(site):
    result = loa(
        "new",
        "--unit",
        "don-vi-a",
        "--title",
        "Nghị định 100/2019/NĐ-CP: điểm mới",
        "--author",
        "Lê Văn Bình",
        cwd=site.root,
    )
    assert result.returncode == 0, result.stderr
    (path,) = (site.content / "articles" / "don-vi-a").glob("*.md")
    assert path.name.endswith("-nghi-dinh-100-2019-nd-cp-diem-moi.md")
    assert str(path.relative_to(site.root)) in result.stdout
    doc = parse_document(path.read_text(encoding="utf-8"), str(path))
    assert doc.ok, doc.findings
    assert doc.fields["title"] == "Nghị định 100/2019/NĐ-CP: điểm mới"
    assert str(doc.fields["date"].tzinfo) == "Asia/Ho_Chi_Minh"
    assert loa("check", cwd=site.root).returncode == 0
    site.build()


def test_new_refuses_to_overwrite(site):
    args = ("new", "--unit", "don-vi-a", "--title", "Một bài", "--author", "A")
    assert loa(*args, cwd=site.root).returncode == 0
    again = loa(*args, cwd=site.root)
    assert again.returncode == 1
    assert "đã có" in again.stderr
    assert "Traceback" not in again.stderr


def test_new_without_a_terminal_names_the_missing_option(site):
    result = loa("new", "--unit", "don-vi-a", cwd=site.root, stdin="")
    assert result.returncode == 2
    assert "--title" in result.stderr


def test_new_with_unknown_unit_lists_the_units(site):
    result = loa("new", "--unit", "khong-co", "--title", "A", "--author", "B", cwd=site.root)
    assert result.returncode == 2
    assert "cuc, don-vi-a, don-vi-b" in result.stderr


def test_check_reports_file_line_and_fix_and_exits_1(site):
    site.write("articles/don-vi-a/2026-11-20-thieu.md", article(summary=None))
    site.write("articles/lac/2026-11-20-lac.md", article())
    result = loa("check", cwd=site.root)
    assert result.returncode == 1
    assert "content/articles/don-vi-a/2026-11-20-thieu.md" in result.stdout
    assert (
        "dòng 1: lỗi: Thiếu trường “summary” (tóm tắt) — thêm một câu tóm tắt dưới 300 ký tự."
        in result.stdout
    )
    assert "“lac”" in result.stdout


def test_check_github_annotations(site):
    site.write("articles/don-vi-a/2026-11-20-sai.md", article(title="Hội nghị: bàn việc"))
    result = loa("check", "--format", "github", cwd=site.root)
    assert result.returncode == 1
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("::error"))
    assert line.startswith("::error file=content/articles/don-vi-a/2026-11-20-sai.md,line=2,col=")
    assert "::Thông tin đầu bài sai cú pháp YAML" in line


def test_check_json(site):
    site.write("articles/don-vi-a/2026-11-20-sai.md", article(date="hôm qua"))
    result = loa("check", "--format", "json", cwd=site.root)
    data = json.loads(result.stdout)
    assert data["errors"] == 1
    assert data["findings"][0]["line"] == 3


def test_check_named_paths_only(site):
    site.write("articles/don-vi-a/2026-11-20-sai.md", article(date="hôm qua"))
    good = site.write("articles/don-vi-a/2026-11-20-dung.md", article())
    result = loa("check", str(good.relative_to(site.root)), cwd=site.root)
    assert result.returncode == 0, result.stdout
    assert "1 tệp" in result.stdout


def test_check_broken_registry(site):
    site.units("department: [\n")
    result = loa("check", cwd=site.root)
    assert result.returncode == 1
    assert "content/units.yml" in result.stdout


def test_usage_error_exits_2():
    result = loa("check", "--format", "xml", cwd=REPO)
    assert result.returncode == 2


def test_installed_entry_point_runs():
    entry = Path(sys.executable).parent / "loa"
    assert entry.exists(), "make installs the loa command into the virtual environment"
    result = subprocess.run([str(entry), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("loa ")


def test_what_loa_new_leaves_to_write_is_flagged_and_never_published(site):
    assert (
        loa(
            "new", "--unit", "don-vi-a", "--title", "Hội thao", "--author", "A", cwd=site.root
        ).returncode
        == 0
    )
    (path,) = (site.content / "articles" / "don-vi-a").glob("*.md")
    rel = str(path.relative_to(site.root))
    lines = path.read_text(encoding="utf-8").split("\n")
    placeholder = next(i for i, line in enumerate(lines, 1) if line.startswith("Viết đoạn mở đầu"))
    summary = next(i for i, line in enumerate(lines, 1) if line.startswith("summary:"))
    checked = loa("check", "--format", "json", cwd=site.root)
    assert checked.returncode == 0, "warnings while writing"
    found = {
        (f["code"], f["line"])
        for f in json.loads(checked.stdout)["findings"]
        if f["path"].endswith(path.name)
    }
    assert ("placeholder", placeholder) in found and ("summary-title", summary) in found
    strict = loa("check", "--strict", cwd=site.root)
    assert strict.returncode == 1 and rel in strict.stdout
    assert f"dòng {placeholder}: lỗi: Dòng “Viết đoạn mở đầu" in strict.stdout
    with pytest.raises(SystemExit):
        site.build("publishconf.py")
    # Written by the contributor: nothing left to flag.
    text = path.read_text(encoding="utf-8")
    text = text.replace("summary: Hội thao", "summary: Đoàn viên thi đấu sáu môn trong hai ngày.")
    body = "Hội thao năm nay có sáu môn.\n\n## Kết quả\n\nĐơn vị A nhất toàn đoàn.\n"
    path.write_text(text[: text.index("Viết đoạn mở đầu")] + body, encoding="utf-8")
    assert loa("check", "--strict", cwd=site.root).returncode == 0

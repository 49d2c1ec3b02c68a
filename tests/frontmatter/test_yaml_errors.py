"""``loa check`` on broken front matter: every syntax error of the file, each at the line that
holds it (a tab's own line), in Vietnamese; a picture in the body without a description is an
error with its fix."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli.test_cli import loa

# Words of libyaml's and PyYAML's own messages that must never reach a contributor.
ENGLISH = re.compile(
    r"\b(found|character|violates|indentation|mapping|values|allowed|expected|scanning|"
    r"while|could|token|stream|block|context)\b",
    re.IGNORECASE,
)


def findings(site, name: str) -> list[dict]:
    result = loa("check", "--format", "json", cwd=site.root)
    return [f for f in json.loads(result.stdout)["findings"] if f["path"].endswith(name)]


@pytest.mark.parametrize(
    ("front", "tab_line"),
    [
        ("title: Hội nghị\nevent:\n  start: 2026-12-01 08:00\n\tend: 2026-12-01 10:00\n", 5),
        ("title: Hội nghị\ntags:\n\t- công đoàn\n", 4),
    ],
)
def test_a_tab_is_named_at_its_own_line_in_vietnamese(site, front, tab_line):
    site.write(
        "articles/don-vi-a/2026-11-20-tab.md",
        "---\n"
        + front
        + "author: An\nsummary: Tóm tắt.\ndate: 2026-11-20 08:00\n---\n\nNội dung.\n",
    )
    found = [f for f in findings(site, "tab.md") if f["code"] == "yaml"]
    assert [f["line"] for f in found] == [tab_line], found
    assert "Tab" in found[0]["message"] and not ENGLISH.search(
        found[0]["message"].replace("YAML", "")
    ), found[0]["message"]


def test_every_syntax_error_of_a_file_is_reported(site):
    site.write(
        "articles/don-vi-a/2026-11-20-hai-loi.md",
        "---\n"
        "title: Hội nghị: tổng kết năm\n"  # line 2: a colon in a value
        "author: An\n"
        "summary: Tóm tắt.\n"
        "tags: [công đoàn, hội nghị\n"  # line 5: an unclosed list
        "date: 2026-11-20 08:00\n"
        "\tsyndicate: false\n"  # line 7: a tab
        "---\n\nNội dung.\n",
    )
    found = [f for f in findings(site, "hai-loi.md") if f["code"] == "yaml"]
    assert [f["line"] for f in found] == [2, 5, 7], found
    for finding in found:
        assert finding["severity"] == "error"
        assert f"sửa dòng {finding['line']}" in finding["message"]
        assert not ENGLISH.search(finding["message"].replace("YAML", "")), finding["message"]


def test_a_picture_without_description_in_the_body_is_an_error_with_its_fix(site):
    site.write(
        "articles/don-vi-a/2026-11-20-anh.md",
        "---\ntitle: Hội nghị\nauthor: An\nsummary: Tóm tắt.\ndate: 2026-11-20 08:00\n---\n\n"
        "Đoạn mở đầu.\n\n![](https://vi-du.example.vn/anh.jpg)\n",
    )
    found = [f for f in findings(site, "anh.md") if f["code"] == "image-alt"]
    assert [(f["line"], f["severity"]) for f in found] == [(10, "error")], found
    assert "![Mô tả ảnh](https://vi-du.example.vn/anh.jpg)" in found[0]["message"]
    assert loa("check", cwd=site.root).returncode == 1

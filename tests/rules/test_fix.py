"""``loa check --fix``: NFC, no invisible characters, no BOM — and nothing else touched."""

from __future__ import annotations

import unicodedata

from tests.cli.test_cli import loa
from tests.conftest import article


def test_fix_rewrites_only_what_is_invisible_or_decomposed(site):
    clean = article(
        title="Người lao động Đà Nẵng",
        body="Đoàn viên tham gia.\r\nDòng hai giữ CRLF.\r\n\n    mã   giữ nguyên\n",
    )
    dirty = "\ufeff" + unicodedata.normalize(
        "NFD",
        clean.replace("Đoàn viên", "Đoàn\u200b viên\u00ad").replace("Dòng hai", "Dòng\x07 hai"),
    )
    path = site.write("articles/don-vi-a/2026-11-20-a.md", dirty.encode("utf-8"))
    before = loa("check", cwd=site.root)
    assert before.returncode == 0, "these are warnings"
    assert "NFD" in before.stdout and "U+200B" in before.stdout and "BOM" in before.stdout
    fixed = loa("check", "--fix", cwd=site.root)
    assert fixed.returncode == 0
    assert path.read_bytes() == clean.encode("utf-8")
    assert "không có lỗi" in fixed.stdout


def test_fix_leaves_clean_files_byte_for_byte(site):
    text = article(body="Nội dung   có   nhiều   khoảng trắng\t và tab.\n")
    path = site.write("articles/don-vi-a/2026-11-20-a.md", text)
    mtime = path.stat().st_mtime_ns
    assert loa("check", "--fix", cwd=site.root).returncode == 0
    assert path.read_text(encoding="utf-8") == text
    assert path.stat().st_mtime_ns == mtime


def test_strict_turns_warnings_into_errors(site):
    (site.root / "publishconf.py").write_text(
        'SITEURL = "https://vi-du.vn"\nLOA_STRICT_RULES = ["invisible"]\n', encoding="utf-8"
    )
    site.write("articles/don-vi-a/2026-11-20-a.md", article(body="Công\u200bđoàn."))
    assert loa("check", cwd=site.root).returncode == 0
    strict = loa("check", "--strict", cwd=site.root)
    assert strict.returncode == 1
    assert "dòng 8, cột 5: lỗi:" in strict.stdout

"""Files of the content folder: no symbolic link anywhere, static files only of allowed, sniffed types."""

from __future__ import annotations

import os
from pathlib import Path

from loa import contentfs, pictures
from loa.findings import Finding


def _shown(path: Path | str, base: Path | str) -> str:
    return os.path.relpath(path, base).replace(os.sep, "/")


def symlink_findings(content_dir: Path | str, base: Path | str | None = None) -> list[Finding]:
    """One error for each symbolic link under ``content_dir`` (messages relative to ``base``)."""
    base = base if base is not None else os.getcwd()
    return [
        Finding(
            _shown(link, base),
            None,
            "Đây là liên kết tượng trưng (symlink) — Loa không theo liên kết: thay bằng tệp hoặc "
            "thư mục thật nằm trong content/.",
            "symlink",
        )
        for link in contentfs.symlinks(content_dir)
    ]


def static_findings(
    content_dir: Path | str, static_paths, base: Path | str | None = None
) -> list[Finding]:
    """One error for each file under the static folders that may not be published."""
    base = base if base is not None else os.getcwd()
    found = []
    for folder in static_paths:
        root = os.path.join(content_dir, folder)
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                if os.path.islink(full):
                    continue  # reported as a symlink
                problem = pictures.static_problem(full)
                if problem:
                    found.append(
                        Finding(_shown(full, base), None, f"Tệp {problem}.", "static-file")
                    )
    return found


def static_problem_finding(content_dir: Path | str, source_path: str, base=None) -> Finding | None:
    """Why Pelican's static file ``source_path`` (relative to content/) may not be copied, as a finding."""
    base = base if base is not None else os.getcwd()
    full = os.path.join(content_dir, source_path)
    if os.path.islink(full):
        return Finding(
            _shown(full, base),
            None,
            "Đây là liên kết tượng trưng (symlink) — không được đưa lên trang; thay bằng tệp thật.",
            "symlink",
        )
    if not contentfs.inside(content_dir, full):
        return Finding(
            _shown(full, base) if not source_path.startswith("..") else source_path,
            None,
            "Tệp này nằm ngoài thư mục content/ hoặc đi qua một liên kết tượng trưng (symlink) — "
            "không được đưa lên trang; chỉ liên kết tới tệp trong content/.",
            "static-file",
        )
    problem = pictures.static_problem(full)
    if problem:
        return Finding(_shown(full, base), None, f"Tệp {problem}.", "static-file")
    return None

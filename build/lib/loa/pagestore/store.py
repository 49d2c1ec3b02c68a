"""The output between builds: which pages the last build wrote, and its output moved aside and taken back."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

logger = logging.getLogger(__name__)

STORE_NAME = "loa-pages.json"

ASIDE_SUFFIX = ".loa-previous"

STORE_VERSION = 1


class PageStore:
    """The pages the last build wrote, and where its output now lies."""

    def __init__(self, settings: Mapping, output_path: str) -> None:
        """Read the last build's record of its pages, if it is there and for this output."""
        self.output = os.path.abspath(output_path)
        self.file = Path(settings["CACHE_PATH"]) / STORE_NAME
        self.previous_root = self.output  # moved aside by ``set_aside``
        self.previous: dict[str, list] = {}
        self.current: dict[str, list] = {}
        self.kept = 0
        self._folders: set[str] = set()  # folders of the output known to exist
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("version") == STORE_VERSION and data.get("output") == self.output:
                self.previous = data["pages"]
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def keep(self, path: str, fingerprint: str | None) -> bool:
        """Put the last build's file for ``path`` in place when its fingerprint is unchanged."""
        if fingerprint is None:
            return False
        rel = os.path.relpath(path, self.output)
        entry = self.previous.get(rel)
        if not entry or entry[0] != fingerprint:
            return False
        old = os.path.join(self.previous_root, rel)
        try:
            stat = os.stat(old)
            if [stat.st_size, stat.st_mtime_ns] != entry[1:]:
                return False  # changed since by someone else: render it
            if old != path:
                self._move(old, path)
        except OSError:
            return False
        self.current[rel] = entry
        self.kept += 1
        return True

    def _move(self, old: str, path: str) -> None:
        """Move a kept file back; a folder holding only that file moves whole (one rename)."""
        folder, old_folder = os.path.dirname(path), os.path.dirname(old)
        parent = os.path.dirname(folder)
        if (
            folder not in self._folders
            and os.path.basename(path) == "index.html"
            and os.listdir(old_folder) == ["index.html"]
            and not os.path.lexists(folder)
        ):
            if parent not in self._folders:
                os.makedirs(parent, exist_ok=True)
                self._folders.add(parent)
            os.rename(old_folder, folder)
        else:
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
            os.rename(old, path)
        self._folders.add(folder)

    def written(self, path: str, fingerprint: str | None) -> None:
        """Record a page written with ``fingerprint`` (its size and time too)."""
        if fingerprint is None:
            return
        try:
            stat = os.stat(path)
        except OSError:
            return
        rel = os.path.relpath(path, self.output)
        self.current[rel] = [fingerprint, stat.st_size, stat.st_mtime_ns]

    def save(self) -> None:
        """Write this build's record of its pages (whole or not at all)."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.file.with_suffix(".partial")
            with open(partial, "w", encoding="utf-8") as handle:
                json.dump(
                    {"version": STORE_VERSION, "output": self.output, "pages": self.current},
                    handle,
                    separators=(",", ":"),
                )
            os.replace(partial, self.file)
        except OSError as exc:
            logger.warning(
                "Không lưu được danh sách trang đã dựng %s (%s): lần dựng sau sẽ dựng lại mọi trang.",
                self.file,
                exc,
            )


def set_aside(output: str, retention) -> str | None:
    """Move the last build's output aside in one rename and start an empty folder.

    Returns where it now lies, or None (nothing to move, or the rename is not
    possible: then Pelican's own clean-up runs).
    """
    output = os.path.abspath(output)
    aside = output.rstrip(os.sep) + ASIDE_SUFFIX
    shutil.rmtree(aside, ignore_errors=True)  # left by a build that stopped half-way
    if not os.path.isdir(output) or os.path.islink(output):
        return None
    try:
        os.rename(output, aside)
        os.mkdir(output)
    except OSError as exc:
        logger.debug("loa: could not move %s aside: %s", output, exc)
        if os.path.isdir(aside) and not os.path.exists(output):
            os.rename(aside, output)
        return None
    for name in retention or ():
        kept = os.path.join(aside, name)
        if os.path.lexists(kept):
            os.rename(kept, os.path.join(output, name))
    return aside


def remove_aside(aside: str | None) -> None:
    """Delete the last build's files set aside and not kept."""
    if aside:
        shutil.rmtree(aside, ignore_errors=True)

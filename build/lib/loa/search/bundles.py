"""The search bundles kept between builds: which shard made which bundle, and the cache's copies.

The cache (``CACHE_PATH/loa-search``) holds one ``<key>.tar`` per bundle and
``bundles.json``, which says for which output folder and which bundle name each
key was last written. An unchanged bundle is moved back from the last build's
output in one rename (``loa.writer`` moved that output aside) when it is there.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

BUNDLES_FILE = "bundles.json"  # which bundle of the output was made from which shard


def bundle_name(number: int) -> str:
    """The output folder of shard ``number`` (counted from 1)."""
    return "pagefind" if number == 1 else f"pagefind-{number}"


class BundleCache:
    """The cache folder (or None when the site keeps no cache) and the last build's output."""

    def __init__(self, cache: Path | None, output: Path, previous: Path) -> None:
        """Bundles for ``output``; ``previous`` is where the last build's output lies now."""
        self.cache = cache
        self.output = output
        self.previous = previous

    def archive(self, key: str) -> Path | None:
        """Where the cache keeps the bundle named ``key`` (None without a cache)."""
        return self.cache / f"{key}.tar" if self.cache else None

    def last_keys(self) -> dict[str, str]:
        """Bundle name → key, as the last build into this same output left them."""
        if self.cache is None:
            return {}
        try:
            data = json.loads((self.cache / BUNDLES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("output") != str(self.output.resolve()):
            return {}
        return data.get("bundles", {})

    def take_back(self, name: str, key: str, last_key: str | None) -> bool:
        """Put back the last build's bundle for ``name`` when it was made from the same documents."""
        if last_key != key or self.cache is None or not (self.cache / f"{key}.tar").is_file():
            return False
        old, target = self.previous / name, self.output / name
        try:
            if old != target:
                if not (old / "pagefind-entry.json").is_file():
                    return False
                shutil.rmtree(target, ignore_errors=True)
                os.rename(old, target)
            elif not (target / "pagefind-entry.json").is_file():
                return False
        except OSError:
            return False
        return True

    def record(self, bundles: dict[str, str]) -> None:
        """Drop every cache entry but ``bundles``' keys; remember which bundle is which."""
        if self.cache is None:
            return
        wanted = {f"{key}.tar" for key in bundles.values()} | {BUNDLES_FILE}
        for old in self.cache.iterdir():
            if old.name not in wanted:
                if old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    old.unlink(missing_ok=True)
        (self.cache / BUNDLES_FILE).write_text(
            json.dumps({"output": str(self.output.resolve()), "bundles": bundles}),
            encoding="utf-8",
        )

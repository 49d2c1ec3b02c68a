"""The version of everything that shapes what the build writes: Loa's code and its packages."""

from __future__ import annotations

import contextlib
import hashlib
import sys
from importlib import metadata
from pathlib import Path

_PACKAGES = ("pelican", "jinja2", "markdown", "markupsafe", "babel", "nh3")

_CODE: list[bytes] = []


def _hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


def code_version() -> bytes:
    """The plugins' source and the versions of the packages that shape a page.

    What the build makes from the same input changes when this does: pages
    (here) and search documents (``loa.search``) are made again.
    """
    if not _CODE:
        h = _hash()
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            h.update(str(path.relative_to(package)).encode() + path.read_bytes())
        for name in _PACKAGES:
            with contextlib.suppress(metadata.PackageNotFoundError):
                h.update(f"{name}={metadata.version(name)}".encode())
        h.update(sys.version.encode())
        _CODE.append(h.digest())
    return _CODE[0]

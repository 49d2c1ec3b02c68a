"""Decap CMS's prebuilt bundle, and nothing else, for a build that serves the newsroom.

The site serves Decap CMS from ``node_modules/decap-cms/dist`` (``loa.cms``). A
full ``npm ci`` brings ~730 packages (428 MB) to copy one prebuilt bundle; the
build job needs only the bundle. This script takes the pinned package's tarball
(``npm pack decap-cms@<version>``, the registry npm is configured for), checks
it against the ``integrity`` that ``package-lock.json`` pins (sha512, as npm
does), and unpacks only what the site serves: the scripts and WebAssembly of
``dist/`` (no source maps), ``package.json`` and the licence. No install
script runs; no other package is fetched.

Standard library only: it runs before the virtual environment exists.

    python3 scripts/fetch_decap.py                 # into node_modules/decap-cms
    python3 scripts/fetch_decap.py --tarball X.tgz # a tarball already at hand (tests)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "decap-cms"
# What the site serves from the package: the files loa.cms.plugin.copy_bundle copies
# (decap-cms.js, the chunks it loads, its WebAssembly and licence notice), and the
# package's own description. Source maps and the second build ("cms.js") stay out.
SERVED_NAMES = {"package.json", "LICENSE", "LICENSE.md", "README.md"}


def _served_in_dist(name: str) -> bool:
    return (
        name == "decap-cms.js"
        or name.endswith(".decap-cms.js")
        or name.endswith(".wasm")
        or name == "decap-cms.js.LICENSE.txt"
    )


MAX_FILES = 2000
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024


class FetchError(Exception):
    """The tarball cannot be trusted or unpacked; the message says why and what to do."""


def pinned(lock: Path) -> tuple[str, str]:
    """(version, integrity) of decap-cms in ``package-lock.json``."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
        entry = data["packages"][f"node_modules/{PACKAGE}"]
        return str(entry["version"]), str(entry["integrity"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FetchError(
            f"{lock}: không đọc được phiên bản và mã toàn vẹn của {PACKAGE} ({exc}) — "
            "chạy “npm install” để tạo lại package-lock.json."
        ) from None


def matches(data: bytes, integrity: str) -> bool:
    """Whether ``data`` has the Subresource-Integrity string ``integrity`` (any listed sha512)."""
    for item in integrity.split():
        algorithm, _, digest = item.partition("-")
        if algorithm == "sha512" and (
            base64.b64encode(hashlib.sha512(data).digest()).decode() == digest
        ):
            return True
    return False


def npm_pack(version: str, into: Path) -> Path:
    """The package's tarball from the registry npm uses (npm's own cache first)."""
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError(
            "Không có npm để tải Decap CMS — cài Node.js và npm (Debian: apt-get install npm)."
        )
    result = subprocess.run(
        [
            npm,
            "pack",
            f"{PACKAGE}@{version}",
            "--silent",
            "--json",
            "--pack-destination",
            str(into),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise FetchError(f"npm pack {PACKAGE}@{version} thất bại: {result.stderr.strip()[-300:]}")
    found = sorted(into.glob(f"{PACKAGE}-*.tgz"))
    if len(found) != 1:
        raise FetchError(f"npm pack {PACKAGE}@{version} không tạo ra đúng một tệp .tgz.")
    return found[0]


def served(name: str) -> str | None:
    """The path under the package folder a tarball member is unpacked to, or None to skip it."""
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or ".." in path.parts
        or len(path.parts) < 2
        or path.parts[0] != "package"
    ):
        raise FetchError(f"tệp “{name}” trong gói nằm ngoài thư mục package/ — gói không đáng tin.")
    inner = PurePosixPath(*path.parts[1:])
    if len(inner.parts) == 1 and inner.name in SERVED_NAMES:
        return str(inner)
    if len(inner.parts) == 2 and inner.parts[0] == "dist" and _served_in_dist(inner.name):
        return str(inner)
    return None


def unpack(tarball: Path, target: Path) -> int:
    """Unpack the served files of ``tarball`` into ``target`` (replaced whole); return the count."""
    staging = Path(tempfile.mkdtemp(prefix=".decap-", dir=target.parent))
    count = total = 0
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            for index, member in enumerate(archive):
                if index >= MAX_FILES * 4:
                    raise FetchError("gói có quá nhiều tệp — gói không đáng tin.")
                where = served(member.name)
                if where is None or member.isdir():
                    continue
                if not member.isreg():
                    raise FetchError(
                        f"“{member.name}” trong gói không phải tệp thường — gói không đáng tin."
                    )
                if member.size > MAX_FILE_BYTES or total + member.size > MAX_TOTAL_BYTES:
                    raise FetchError(f"“{member.name}” quá lớn — gói không đáng tin.")
                count += 1
                if count > MAX_FILES:
                    raise FetchError("gói có quá nhiều tệp — gói không đáng tin.")
                total += member.size
                out = staging / where
                out.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None  # a regular file
                with source, open(out, "wb") as handle:
                    shutil.copyfileobj(source, handle)
        if not (staging / "dist" / "decap-cms.js").is_file():
            raise FetchError("gói không có dist/decap-cms.js — không phải gói Decap CMS.")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
        return count
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise FetchError(f"không mở được gói {tarball.name}: {exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def fetch(lock: Path, target: Path, tarball: Path | None = None) -> str:
    """Check and unpack the pinned bundle into ``target``; return a one-line report."""
    version, integrity = pinned(lock)
    with tempfile.TemporaryDirectory() as scratch:
        source = tarball or npm_pack(version, Path(scratch))
        data = source.read_bytes()
        if not matches(data, integrity):
            raise FetchError(
                f"{source.name}: mã toàn vẹn không khớp với package-lock.json ({PACKAGE} {version}) — "
                "không dùng gói này; xoá bộ nhớ đệm npm (npm cache clean --force) rồi chạy lại."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        count = unpack(source, target)
    return f"Decap CMS {version}: {count} tệp, mã toàn vẹn khớp package-lock.json → {target}"


def main(argv: list[str] | None = None) -> int:
    """Command line: fetch, check and unpack; exit 1 with one sentence on any problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=REPO / "package-lock.json")
    parser.add_argument("--into", type=Path, default=REPO / "node_modules" / PACKAGE)
    parser.add_argument("--tarball", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        print(fetch(args.lock, args.into, args.tarball))
    except FetchError as exc:
        print(f"fetch_decap: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A build repeats itself: the same tree built twice, in two processes, gives the same bytes.

Each build is its own ``pelican`` process with its own ``PYTHONHASHSEED``, so
whatever rides on Python's salted ``hash`` (set order, ``hash()`` in an id)
shows up as a difference; both builds see the same pinned "now" (``LOA_NOW``)
and the same exported ledger (followers, posts and interactions), so the
statistics pages' charts and the "also on" links are built too.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from loa.ledger import (
    POSTED,
    SIGNING_KEY_ENV,
    Entry,
    FollowerSnapshot,
    InteractionSnapshot,
    Ledger,
    Trust,
    export,
)

from tests.conftest import NOW, REPO
from tests.ledgerkeys import SigningKey

# Pagefind writes its filter and metadata indexes from hash maps in no set order
# ("Other files will still change, such as the filter/metadata indexes":
# https://github.com/Pagefind/pagefind/issues/638), and the entry file names
# their hashes. Its fragments and word indexes are stable and compared.
PAGEFIND_UNSTABLE = ("pagefind/filter/", "pagefind/pagefind.", "pagefind/pagefind-entry.json")

ACCOUNTS = [  # (unit, channel, account, where its posts live) of the sample's units.yml
    ("cong-doan-cuc", "facebook", "100000000000001", "https://www.facebook.com/"),
    ("cong-doan-cuc", "telegram", "@congdoancuc_vi_du", "https://t.me/congdoancuc_vi_du/"),
    ("van-phong-cuc", "facebook", "100000000000002", "https://www.facebook.com/"),
    ("van-phong-cuc", "telegram", "-1001000000002", "https://t.me/congdoan_vanphong_vd/"),
]


def _ledger_copy(root: Path, articles: list[str], monkeypatch) -> Path:
    """An exported, signed ledger: posts of two articles, a month of follower counts, interactions."""
    key = SigningKey.make(root.parent / "khoa")
    signers = key.install(root)
    monkeypatch.setenv(SIGNING_KEY_ENV, key.private)
    remote = root / "ledger.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    entries, followers, interactions = [], [], []
    for n, (unit, channel, account, home) in enumerate(ACCOUNTS):
        for day in range(0, 30, 3):
            when = (NOW - dt.timedelta(days=30 - day)).isoformat()
            followers.append(FollowerSnapshot(channel, account, unit, 100 * (n + 1) + day, when))
        for article in articles:
            if not article.startswith(f"/{unit}/"):
                continue
            remote_id = (
                f"{account.strip('@-')}_{len(entries) + 1}" if channel == "facebook" else str(n + 1)
            )
            posted = (NOW - dt.timedelta(days=5)).isoformat()
            entries.append(
                Entry(
                    article,
                    channel,
                    account,
                    POSTED,
                    time=posted,
                    remote_id=remote_id,
                    remote_url=f"{home}{remote_id}",
                )
            )
            metrics = {} if channel == "telegram" else {"reactions": 7 + n, "comments": 2}
            interactions.append(
                InteractionSnapshot(
                    article, channel, account, unit, remote_id, posted, metrics, bool(metrics)
                )
            )
    with Ledger(remote=str(remote), trust=Trust(signers)) as ledger:
        ledger.refresh()
        ledger.append(entries, "posts", snapshots=followers, interactions=interactions)
        copy = root / "ledger-copy"
        export(ledger, copy)
    return copy


def _build(site_root: Path, seed: str, ledger: Path) -> Path:
    """``pelican`` in a process of its own with ``PYTHONHASHSEED=seed``; the output folder."""
    output = site_root / "output"
    shutil.rmtree(output, ignore_errors=True)
    env = {
        **{k: v for k, v in os.environ.items() if k != SIGNING_KEY_ENV},  # a build reads content
        "PYTHONHASHSEED": seed,
        "LOA_LEDGER_COPY": str(ledger),
        "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(REPO)]),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-o",
            "output",
            "-s",
            str(REPO / "publishconf.py"),
            "-e",
            "CACHE_CONTENT=false",
            "LOAD_CONTENT_CACHE=false",
            'SITEURL="https://vi-du.example.vn"',
        ],
        cwd=site_root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    kept = site_root / f"output-{seed}"
    output.rename(kept)
    return kept


def _files(output: Path) -> dict[str, bytes]:
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file() and not path.relative_to(output).as_posix().startswith(PAGEFIND_UNSTABLE)
    }


def test_two_builds_in_two_processes_with_other_hash_seeds_are_byte_identical(
    sample_site, monkeypatch
):
    articles = [
        "/cong-doan-cuc/" + p.stem[11:] + "/"
        for p in sorted((sample_site.content / "articles" / "cong-doan-cuc").glob("*.md"))
    ][:2]
    ledger = _ledger_copy(sample_site.root, articles, monkeypatch)
    first = _files(_build(sample_site.root, "1", ledger))
    second = _files(_build(sample_site.root, "2", ledger))
    # The ledger really reached the pages: follower charts, "also on" links.
    statistics = first["thong-ke/index.html"].decode()
    assert "nguoi-theo-doi-" in statistics
    assert any(b"https://www.facebook.com/100000000000001_" in data for data in first.values())
    assert any(b"https://t.me/congdoancuc_vi_du/" in data for data in first.values())
    assert any(name.startswith("pagefind/") for name in first), "search fragments are compared"
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == [], _first_difference(different, first, second)


def _first_difference(names: list[str], first: dict, second: dict) -> str:
    """The first line that differs in the first differing file (what to look for)."""
    if not names:
        return ""
    one = first[names[0]].decode("utf-8", "replace").splitlines()
    two = second[names[0]].decode("utf-8", "replace").splitlines()
    for a, b in zip(one, two, strict=False):
        if a != b:
            return f"{names[0]}:\n  {a.strip()[:300]}\n  {b.strip()[:300]}"
    return f"{names[0]}: {len(one)} lines, then {len(two)}"

"""The search documents and the helper process that turns them into Pagefind bundles."""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys
from pathlib import Path

from loa.search import shard
from loa.search.lanes import SHARD_SCRIPT
from pagefind.service import get_executable

from tests.conftest import article


def test_folded_words_and_pairs_follow_the_search_page_rules():
    extra, pairs = shard.folded_extras("Đà Nẵng", "Đồng Nai và đàm thoại; dân số 2026")
    # Only words written with "đ" get a folded copy (Pagefind folds the rest).
    assert extra == "da dam dong"
    # Pairs of neighbouring folded words where one of them holds a "d".
    assert pairs.split() == [
        "danang",
        "nangdong",
        "dongnai",
        "vadam",
        "damthoai",
        "thoaidan",
        "danso",
    ]
    assert shard.folded_extras("Hà Nội", "mùa thu") == ("", "")


def test_the_helper_runs_alone_and_makes_a_bundle(tmp_path):
    documents = [
        (
            f"don-vi-a/bai-{n}",
            shard.document(
                shard.record(
                    f"don-vi-a/bai-{n}/",
                    f"Bài {n} ở Đà Nẵng",
                    "<p>Nội dung</p>",
                    "Đơn vị A",
                    "20 tháng 11, 2026",
                )
            ).encode(),
        )
        for n in range(3)
    ]
    site = tmp_path / "site"
    shard.write_documents(documents, site)
    job = tmp_path / "job.pickle"
    job.write_bytes(
        pickle.dumps(
            {
                "kind": "index",
                "binary": str(get_executable()),
                "site": str(site),
                "target": str(tmp_path / "pagefind"),
                "archive": str(tmp_path / "copy.tar"),
            }
        )
    )
    # As the build starts it: no site-packages, so no Pelican and no Babel.
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(SHARD_SCRIPT)],
        input=f"{job}\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == {"ok": True}
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["vi"]["page_count"] == 3
    assert (tmp_path / "copy.tar").is_file()
    assert not job.exists()  # read, then removed
    assert not site.exists()  # indexed, then removed


def test_a_failing_pagefind_leaves_the_site_built_and_says_so(sample_site, caplog, monkeypatch):
    import pagefind.service

    monkeypatch.setattr(pagefind.service, "get_executable", lambda: Path("/bin/false"))
    caplog.set_level(logging.INFO, logger="loa")
    sample_site.write("articles/van-phong-cuc/2026-11-25-them.md", article(title="Bài thêm"))
    output = sample_site.build()
    messages = [r.getMessage() for r in caplog.records]
    assert any("Không ghi được chỉ mục tìm kiếm" in m for m in messages)
    assert any(
        "Bài thêm" in p.read_text(encoding="utf-8") for p in output.glob("*/them/index.html")
    )
    assert not list(output.glob("pagefind*"))


def test_the_helper_stops_quietly_when_the_build_has_gone():
    """A build stopped by a content error closes the pipe: the helper says nothing, no traceback."""
    import subprocess
    import sys

    from tests.conftest import REPO

    helper = subprocess.Popen(
        [sys.executable, str(REPO / "plugins" / "loa" / "search" / "shard.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    helper.stdout.close()  # the build is gone
    _, err = helper.communicate(b"/khong/co/viec-nay.pickle\n" * 3, timeout=300)
    assert helper.returncode == 0
    assert err == b"", err.decode()

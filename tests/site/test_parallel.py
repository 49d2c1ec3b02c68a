"""Reading and writing on several cores give the same site as one process; search shards are reused."""

from __future__ import annotations

import gc
import gzip
import json
import logging
import pickle
import re
import shutil
import threading
import weakref
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from loa import parallel, writer
from loa.errors import BuildStopped
from loa.frontmatter import prefetch
from loa.rendering import render_forked
from pelican import signals

from tests.conftest import article, site_files

# Without search: its helper holds a core, and the writer would then render alone.
PARALLEL = {"LOA_WORKERS": 2, "LOA_PARALLEL_MIN_FILES": 1, "LOA_SEARCH": False}
SERIAL = {"LOA_WORKERS": 1, "LOA_SEARCH": False}


def _build(maker, output: Path, caplog, **settings) -> dict[str, bytes]:
    caplog.clear()
    shutil.rmtree(output, ignore_errors=True)
    maker.build(OUTPUT_PATH=str(output), LOAD_CONTENT_CACHE=False, **settings)
    return site_files(output)


def test_parallel_build_writes_the_same_site_as_one_process(sample_site, caplog):
    caplog.set_level(logging.DEBUG, logger="loa")
    serial = _build(sample_site, sample_site.root / "serial", caplog, **SERIAL)
    assert not [r for r in caplog.records if "worker processes" in r.getMessage()]
    parallel = _build(sample_site, sample_site.root / "parallel", caplog, **PARALLEL)
    messages = [r.getMessage() for r in caplog.records]
    # Both halves really ran on several processes …
    assert any(re.search(r"reading \d+ files in 2 worker processes", m) for m in messages)
    assert any(re.search(r"writing \d+ pages in 2 processes", m) for m in messages)
    # … and the site is the same, file for file and byte for byte.
    assert serial.keys() == parallel.keys()
    assert len(serial) > 60
    different = [name for name in serial if serial[name] != parallel[name]]
    assert different == []


def test_the_writer_leaves_a_core_held_by_the_search_helper_alone(sample_site, caplog):
    parallel.hold()  # what the search indexer does while its helper runs
    try:
        held = _build(sample_site, sample_site.root / "held", caplog, **PARALLEL)
    finally:
        parallel.release()
    assert writer.totals["processes"] == 1
    assert parallel.held() == 0
    assert held == _build(sample_site, sample_site.root / "free", caplog, **PARALLEL)
    assert writer.totals["processes"] == 2


def test_the_reader_cache_is_written_whole_by_a_forked_process(sample_site, monkeypatch):
    asked = []  # how many files the reading workers were asked for, build after build
    counted = prefetch.processes_for
    monkeypatch.setattr(
        prefetch,
        "processes_for",
        lambda settings, files: asked.append(files) or counted(settings, files),
    )
    sample_site.build(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, **PARALLEL)
    assert asked[0] > 10
    cache = sample_site.root / "cache"
    assert not list(cache.glob("*.partial"))
    data = (cache / "ArticlesGenerator-Readers").read_bytes()
    saved = pickle.loads(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    articles = sorted((sample_site.content / "articles").rglob("*.md"))
    assert {str(p) for p in articles} <= set(saved)
    # The next build reads every article from it: nothing is left to convert.
    before = site_files(sample_site.output)
    asked.clear()
    sample_site.build(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, **PARALLEL)
    assert asked[0] == 0
    assert site_files(sample_site.output) == before


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_works_again_after_a_build_and_nothing_is_kept_for_good(sample_site):
    refs = []

    def make_garbage(_generator):  # during the build, while the collector is paused
        garbage = _Cycle()  # only the cyclic collector can free it
        refs.append(weakref.ref(garbage))

    signals.article_generator_finalized.connect(make_garbage)
    try:
        sample_site.build(LOA_SEARCH=False)
    finally:
        signals.article_generator_finalized.disconnect(make_garbage)
    alive = refs[0]
    assert gc.isenabled()
    # Frozen with the build's objects (Python's exit then has nothing to walk) ...
    assert alive() is not None
    assert gc.get_freeze_count() > 0
    # ... and collected when the next build in this process starts.
    sample_site.build(LOA_SEARCH=False)
    assert alive() is None


def test_a_broken_article_read_by_a_worker_is_reported_with_file_and_line(site, loa_log):
    for n in range(6):
        site.write(f"articles/don-vi-a/2026-11-1{n}-bai-{n}.md", article(title=f"Bài số {n}"))
    site.write("articles/don-vi-a/2026-11-20-sai.md", article(title="Hội nghị: bàn việc"))
    with pytest.raises(BuildStopped):
        site.build(**PARALLEL)
    log = loa_log()
    assert "2026-11-20-sai.md:2" in log
    assert "YAML" in log


class _Template:
    def __init__(self, fail: bool) -> None:
        self.fail = fail

    def render(self, context: dict) -> str:
        if self.fail:
            raise ValueError(f"hỏng khi dựng {context['output_file']}")
        return f"<p>{context['output_file']}</p>"


def test_a_failing_page_writer_process_fails_the_build_with_its_error(tmp_path):
    jobs = [
        (_Template(fail), ({}, {"output_file": name}), str(tmp_path / name / "index.html"), name)
        for name, fail in (("mot", False), ("hai", True), ("ba", False))
    ]
    # Interleaved shares: "mot" and "ba" in this process, "hai" in the child.
    with pytest.raises(RuntimeError, match="hỏng khi dựng hai"):
        render_forked(jobs, 2)
    assert (tmp_path / "mot" / "index.html").read_text(encoding="utf-8") == "<p>mot</p>"
    assert not (tmp_path / "hai" / "index.html").exists()


def test_search_shards_are_stable_and_reused_from_the_cache(sample_site, caplog):
    caplog.set_level(logging.INFO, logger="loa")
    settings = {"LOA_SEARCH_SHARD_SIZE": 5, "CACHE_CONTENT": True}
    output = sample_site.build(**settings)
    first = [r.getMessage() for r in caplog.records if "search index" in r.getMessage()]
    assert len(first) == 1
    assert "(4 indexed, 0 from the cache)" in first[0]
    bundles = sorted(p.name for p in output.iterdir() if p.name.startswith("pagefind"))
    assert bundles == ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4"]
    before = _indexed(output, bundles)
    search = BeautifulSoup(
        (output / "tim-kiem" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    merged = search.find(id="tim-kiem")["data-merge"].split()
    assert [m.rstrip("/").rsplit("/", 1)[1] for m in merged] == bundles[1:]

    # A new article (the newest) changes only the last shard.
    caplog.clear()
    sample_site.write(
        "articles/van-phong-cuc/2026-11-25-bai-moi-nhat.md",
        article(title="Bài mới nhất về Đà Nẵng", date="2026-11-25 08:00"),
    )
    sample_site.build(**settings)
    second = [r.getMessage() for r in caplog.records if "search index" in r.getMessage()]
    assert "(1 indexed, 3 from the cache)" in second[-1]
    assert _indexed(output, bundles) == before + 1  # every article once, the new one too

    # A fresh output with the cache kept (CI restores only the cache): the
    # bundles come out of the cache, none is indexed again.
    caplog.clear()
    shutil.rmtree(output)
    sample_site.build(**settings)
    third = [r.getMessage() for r in caplog.records if "search index" in r.getMessage()]
    assert "(0 indexed, 4 from the cache)" in third[-1]
    assert _indexed(output, bundles) == before + 1

    # A cached bundle that cannot be unpacked is indexed again, the others unpacked.
    caplog.clear()
    shutil.rmtree(output)
    archives = sorted((sample_site.root / "cache" / "loa-search").glob("*.tar"))
    assert len(archives) == 4
    archives[0].write_bytes(b"not a tar")
    sample_site.build(**settings)
    fourth = [r.getMessage() for r in caplog.records if "search index" in r.getMessage()]
    assert "(1 indexed, 3 from the cache)" in fourth[-1]
    assert _indexed(output, bundles) == before + 1


def _indexed(output: Path, bundles: list[str]) -> int:
    counts = [
        json.loads((output / b / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"][
            "vi"
        ]["page_count"]
        for b in bundles
    ]
    assert all(count >= 1 for count in counts)
    return sum(counts)


def test_a_stopped_build_leaves_no_search_helper_holding_a_core_for_the_next(site, monkeypatch):
    """A build stopped by an error never reaches ``finalized``: its search indexer must not
    keep a core from the next build in the same process (``pelican -r``, the test run)."""
    from loa.search import plugin as search

    index = search._Indexer._index
    slow = threading.Event()  # never set: the stopped build's indexing takes 5 s more

    monkeypatch.setattr(
        search._Indexer, "_index", lambda self, todo: (slow.wait(5), index(self, todo))
    )
    for n in range(6):
        site.write(f"articles/don-vi-a/2026-11-1{n}-bai-{n}.md", article(title=f"Bài số {n}"))
    broken = site.write("articles/don-vi-a/2026-11-20-sai.md", article(title="Hội nghị: bàn việc"))
    with pytest.raises(BuildStopped):
        site.build(LOA_WORKERS=2, LOA_PARALLEL_MIN_FILES=1)
    assert parallel.held() == 1, "the stopped build's indexer is still at work"
    broken.unlink()
    monkeypatch.setattr(search._Indexer, "_index", index)
    site.build(LOA_WORKERS=2, LOA_PARALLEL_MIN_FILES=1)
    assert writer.totals["processes"] == 2, "the next build wrote on both cores"
    assert parallel.held() == 0

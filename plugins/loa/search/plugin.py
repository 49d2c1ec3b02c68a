"""Search with Pagefind: article bodies only, a unit filter, a folded copy of the text and its word pairs.

Pagefind folds tone marks but not "đ", so "dong nai" would miss "Đồng Nai". Each
article is indexed from a small HTML document made here: its title and body as
written, then (with a lower weight, so that exact matches rank first) the same
text folded — "Đồng Nai" becomes "dong nai". The index is built from these
documents, not from the written pages, which keeps memory low on large sites.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path

from pelican import signals

from loa import parallel, writer
from loa.codeversion import code_version
from loa.search import affinity, shard
from loa.search.bundles import BundleCache, bundle_name
from loa.search.documents import documents, shard_key
from loa.search.lanes import Lane, ShardJob
from loa.search.shard import FOLDED_WEIGHT

__all__ = ["SHARD_SIZE", "build_index", "collect", "register"]

logger = logging.getLogger(__name__)

# Articles per Pagefind process: Pagefind holds a whole shard in memory while it
# indexes it, about 190 KB per article with the folded words and pairs
# (Pagefind 1.5.2: 600 articles, 116 MB; 2,000 articles, 363 MB).
SHARD_SIZE = 600


class _Indexer:
    """Builds the search bundles in the background while Pelican writes the pages.

    The articles are cut into shards of ``LOA_SEARCH_SHARD_SIZE``, oldest first,
    one Pagefind run each, so memory stays flat as the site grows. Oldest
    first keeps the shards stable: a new article changes only the last one.

    A shard is known by a hash of what its documents are made of
    (``documents.shard_key``). Pagefind writes a new bundle straight into the
    output, and the cache keeps a copy as one file; an unchanged bundle comes
    back from the last build's output or the cache (``bundles.BundleCache``).

    This thread makes each shard's documents and writes them to memory-backed
    scratch space; helper processes (``lanes.Lane``, ``lanes`` of them, each on
    its own core, see ``affinity``) run Pagefind on them and keep the cache's
    copies, beside the build. Pagefind holds a shard's whole index in memory
    (about 100 MB for 600 articles), so on two cores there is one helper: the
    build's process and it then finish at about the same time, and the build's
    memory carries one index at once.
    """

    def __init__(
        self, shards: list[tuple[str, list]], bundles: BundleCache, lanes: int = 1
    ) -> None:
        self.shards = shards  # (bundle name, articles)
        self.bundles = bundles
        self.lanes = max(1, lanes)
        self.cpus = affinity.helper_cpus()
        self.binary = ""
        self._sites: list[str] = []  # scratch folders handed out (each helper removes its own)
        self.keys: list[str] = []
        self.error: str | None = None
        self.indexed = 0
        self.reused = 0
        self.started = time.perf_counter()
        for _ in range(self.lanes):
            parallel.hold()  # a core for each helper, given back when they are done
        self.thread = threading.Thread(target=self._run, name="loa-search", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            from pagefind.service import get_executable

            binary = get_executable()
            if binary is None:
                raise FileNotFoundError("không tìm thấy chương trình pagefind")
            self.binary = str(binary)
            self._index(self._todo())
        except Exception as exc:  # reported at ``finalized``; the site still builds
            self.error = str(exc)
        finally:
            for _ in range(self.lanes):
                parallel.release()

    def _todo(self):
        """The shards to index or unpack, (name, articles, key), once each shard has its key.

        Every shard that can be taken back from the last output is, before the
        second shard to index is handed out: the first goes to work at once.
        """
        version = f"{_pagefind_version()}|{FOLDED_WEIGHT}|{code_version().hex()}".encode()
        before = self.bundles.last_keys()
        first_given = False
        later = []
        for name, articles in self.shards:
            key = shard_key(version, articles)
            self.keys.append(key)
            if self.bundles.take_back(name, key, before.get(name)):
                self.reused += 1
                continue
            if first_given:
                later.append((name, articles, key))
            else:
                first_given = True
                yield name, articles, key
        yield from later

    def _index(self, todo) -> None:
        """Index ``todo``: this thread makes each shard's documents while the helpers run Pagefind.

        Making the documents is Python work, done here while a helper indexes
        the shard before: on two cores the build's process and one helper
        then finish at about the same time.
        """
        lanes: list[Lane] = []
        mine = spare = None
        try:
            for number, (name, articles, key) in enumerate(todo):
                if not lanes:  # the first shard to index: start the helpers
                    cpus = self.cpus[: self.lanes]
                    lanes = [Lane(cpu) for cpu in cpus]
                    mine = affinity.keep_off([cpu for cpu in cpus if cpu is not None])
                    # The helpers copy finished bundles into the cache on the build's cores.
                    spare = sorted(mine - set(cpus)) if mine is not None else None
                lane = lanes[number % len(lanes)]
                archive = self.bundles.archive(key)
                job = ShardJob("unpack", articles, self.bundles.output / name, archive, spare)
                if archive is None or not archive.is_file():
                    self._prepare(job)
                self._done(lane, lane.receive())  # the shard it had before
                lane.send(job)
            for lane in lanes:
                self._done(lane, lane.receive())
        finally:
            for lane in lanes:
                lane.close()
            if mine is not None:
                affinity.pin_threads(mine)
            for site in self._sites:  # what a helper that stopped left behind
                shutil.rmtree(site, ignore_errors=True)

    def _prepare(self, job: ShardJob) -> None:
        """Make ``job`` an index job: its documents written to scratch space here."""
        site = tempfile.mkdtemp(prefix="loa-search-", dir=shard.scratch_dir())
        self._sites.append(site)
        shard.write_documents(documents(job.articles), Path(site))
        job.kind, job.binary, job.site = "index", self.binary, site

    def _done(self, lane: Lane, received: tuple[ShardJob, dict] | None) -> None:
        """Count what a helper finished; a cached bundle it could not unpack is indexed again."""
        if received is None:
            return
        job, answer = received
        if not answer.get("ok"):
            if job.kind != "unpack":
                raise RuntimeError(answer.get("error") or "?")
            self._prepare(job)
            lane.send(job)
            self._done(lane, lane.receive())
        elif job.kind == "unpack":
            self.reused += 1
        else:
            self.indexed += 1

    def finish(self) -> None:
        """Wait for the bundles; remember which is which; drop unused cache entries."""
        self.thread.join()
        if self.error:
            logger.error(
                "Không ghi được chỉ mục tìm kiếm (Pagefind lỗi: %s) — tìm kiếm sẽ không hoạt động.",
                self.error,
            )
            return
        names = [name for name, _ in self.shards]
        self.bundles.record(dict(zip(names, self.keys, strict=True)))
        logger.info(
            "loa: search index in %d bundles (%d indexed, %d from the cache), %.1f s",
            len(self.shards),
            self.indexed,
            self.reused,
            time.perf_counter() - self.started,
        )


_pending: dict[int, _Indexer] = {}


def collect(generator) -> None:
    """Start indexing as soon as the articles are known (``article_generator_pretaxonomy``).

    Pagefind runs in the background while the pages are written; ``finalized``
    waits for it.
    """
    settings = generator.settings
    if not settings.get("LOA_SEARCH", True):
        return
    shard_size = max(1, int(settings.get("LOA_SEARCH_SHARD_SIZE", SHARD_SIZE)))
    articles = sorted(generator.articles, key=lambda a: (a.date, a.source_path))  # oldest first
    shards = [
        (bundle_name(number), articles[begin : begin + shard_size])
        for number, begin in enumerate(range(0, max(1, len(articles)), shard_size), 1)
    ]
    generator.context["search_bundles"] = [name for name, _ in shards[1:]]
    cache = None
    if settings.get("CACHE_CONTENT"):
        cache = Path(settings.get("CACHE_PATH", "cache")) / "loa-search"
        cache.mkdir(parents=True, exist_ok=True)
    output = Path(settings["OUTPUT_PATH"])
    previous = Path(writer.previous_output() or output)
    # One helper on two cores (see _Indexer), two where there are more.
    lanes = 1 if parallel.worker_count(settings) <= 2 else 2
    _pending[id(settings)] = _Indexer(shards, BundleCache(cache, output, previous), lanes)


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "?"


def wait_for_stopped_builds(_pelican) -> None:
    """A build starts (``get_generators``): wait for the indexer of one that stopped.

    A build stopped by an error (at ``get_writer``) never reaches ``finalized``,
    and its indexer may still hold a core: this build then reads and writes on
    every core, and no two indexers work at once (``pelican -r``, the tests).
    """
    for stale in list(_pending):
        _pending.pop(stale).thread.join()


def build_index(pelican) -> None:
    """Wait for the search bundles once the site is written (``finalized``)."""
    indexer = _pending.pop(id(pelican.settings), None)
    if indexer is not None:
        indexer.finish()


def register() -> None:
    """Start at ``article_generator_pretaxonomy``, finish at ``finalized``."""
    signals.get_generators.connect(wait_for_stopped_builds)
    signals.article_generator_pretaxonomy.connect(collect)
    signals.finalized.connect(build_index)

"""Search with Pagefind: article bodies only, a unit filter, a folded copy of the text and its word pairs.

Pagefind folds tone marks but not "đ", so "dong nai" would miss "Đồng Nai". Each
article is indexed from a small HTML document made here: its title and body as
written, then (with a lower weight, so that exact matches rank first) the same
text folded — "Đồng Nai" becomes "dong nai". The index is built from these
documents, not from the written pages, which keeps memory low on large sites.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pelican import signals

from loa import parallel, writer
from loa.codeversion import code_version
from loa.search import shard
from loa.search.shard import FOLDED_WEIGHT

logger = logging.getLogger(__name__)

# Articles per Pagefind process: Pagefind holds a whole shard in memory while it
# indexes it, about 190 KB per article with the folded words and pairs
# (Pagefind 1.5.2: 600 articles, 116 MB; 2,000 articles, 363 MB).
SHARD_SIZE = 600
BUNDLES_FILE = "bundles.json"  # which bundle of the output was made from which shard
SHARD_SCRIPT = Path(shard.__file__).resolve()


def _bundle_name(number: int) -> str:
    return "pagefind" if number == 1 else f"pagefind-{number}"


class _Lane:
    """A helper process (``shard.py``) running Pagefind on one shard after another, on one core."""

    def __init__(self, cpu: int | None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(SHARD_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        if cpu is not None and hasattr(os, "sched_setaffinity"):
            # Before its first job, so Pagefind, its child, stays there too.
            os.sched_setaffinity(self.process.pid, (cpu,))
        self.job: tuple | None = None  # (what the caller said about it, file of the job)

    def send(self, job: dict, about) -> None:
        """Start ``job``; ``receive`` gives ``about`` back with the helper's answer."""
        # The job goes through a file written in one call: a thread that writes
        # a pipe in small pieces waits for the interpreter lock at each one.
        handle, path = tempfile.mkstemp(prefix="loa-search-job-", dir=shard.scratch_dir())
        with os.fdopen(handle, "wb") as out:
            out.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        self.job = (about, path)
        try:
            self.process.stdin.write(path + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # reported by receive

    def receive(self) -> tuple | None:
        """Wait for the job in progress: (``about``, the helper's answer), or None if idle."""
        if self.job is None:
            return None
        about, path = self.job
        self.job = None
        try:
            answer = self.process.stdout.readline()
        except OSError:
            answer = ""
        finally:
            if os.path.exists(path):  # the helper removes it once read
                os.unlink(path)
        if not answer:
            raise RuntimeError(f"the search helper stopped (exit status {self.process.poll()})")
        return about, json.loads(answer)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        self.process.wait()


class _Indexer:
    """Builds the search bundles in the background while Pelican writes the pages.

    The articles are cut into shards of ``LOA_SEARCH_SHARD_SIZE``, oldest first,
    one Pagefind run each, so memory stays flat as the site grows. Oldest
    first keeps the shards stable: a new article changes only the last one.

    A shard is known by a hash of what its documents are made of. Pagefind
    writes a new bundle straight into the output, and the cache keeps a copy
    as one file (``CACHE_PATH/loa-search/<hash>.tar``). An unchanged bundle is
    moved back from the last build's output in one rename when it is there
    (``loa.writer`` moved that output aside), else unpacked from the cache.

    This thread makes each shard's documents and writes them to memory-backed
    scratch space; helper processes (``loa.search.shard``, ``lanes`` of them,
    each on its own core) run Pagefind on them and keep the cache's copies,
    beside the build. Pagefind
    holds a shard's whole index in memory (about 100 MB for 600 articles), so
    on two cores there is one helper: the build's process and it then finish
    at about the same time, and the build's memory carries one index at once.
    """

    def __init__(
        self,
        shards: list[tuple[str, list]],
        output: Path,
        cache: Path | None,
        previous: Path,
        lanes: int = 1,
    ) -> None:
        self.shards = shards  # (bundle name, articles)
        self.lanes = max(1, lanes)
        usable = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        # Each Pagefind process on one core: its threads then write its files one
        # after another, which on ext4 costs half the system time of writing
        # them at once into one folder (2,000 documents: 1.7 s instead of 2.7 s).
        self.cpus = (usable[0], usable[-1]) if usable else (None, None)
        self.binary = ""
        self._sites: list[str] = []  # scratch folders handed out (each helper removes its own)
        self.keys: list[str] = []
        self.output = output
        self.cache = cache
        self.previous = previous  # where the last build's output lies now
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
            self._index(self.binary, self._todo())
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
        before = self._last_keys()
        first_given = False
        later = []
        for name, articles in self.shards:
            # The key is made from what the documents are made of, so a shard
            # found again costs no document at all.
            digest = hashlib.sha256(version)
            digest.update(_packed(articles))  # in one call: see _Lane.send
            key = digest.hexdigest()[:32]
            self.keys.append(key)
            if self._take_back(name, key, before.get(name)):
                continue
            if first_given:
                later.append((name, articles, key))
            else:
                first_given = True
                yield name, articles, key
        yield from later

    def _index(self, binary: str, todo) -> None:
        """Index ``todo``: this thread makes each shard's documents while the helpers run Pagefind.

        Making the documents is Python work, done here while a helper indexes
        the shard before: on two cores the build's process and one helper
        then finish at about the same time.
        """
        lanes: list[_Lane] = []
        mine = spare = None
        try:
            for number, (name, articles, key) in enumerate(todo):
                if not lanes:  # the first shard to index: start the helpers
                    cpus = self.cpus[: self.lanes]
                    lanes = [_Lane(cpu) for cpu in cpus]
                    mine = _keep_off([cpu for cpu in cpus if cpu is not None])
                    # The helpers copy finished bundles into the cache on the build's cores.
                    spare = sorted(mine - set(cpus)) if mine is not None else None
                lane = lanes[number % len(lanes)]
                target = self.output / name
                archive = self.cache / f"{key}.tar" if self.cache else None
                if archive is not None and archive.is_file():
                    job = {"kind": "unpack", "archive": str(archive), "target": str(target)}
                else:
                    job = self._index_job(binary, articles, target, archive, spare)
                self._done(lane, lane.receive())  # the shard it had before
                lane.send(job, (job["kind"], articles, target, archive, spare))
                del job  # sent: not kept here while Pagefind runs
            for lane in lanes:
                self._done(lane, lane.receive())
        finally:
            for lane in lanes:
                lane.close()
            if mine is not None:
                _pin_threads(mine)
            for site in self._sites:  # what a helper that stopped left behind
                shutil.rmtree(site, ignore_errors=True)

    def _index_job(self, binary, articles, target: Path, archive: Path | None, spare) -> dict:
        """A helper's job for one shard, its documents written to scratch space here."""
        site = tempfile.mkdtemp(prefix="loa-search-", dir=shard.scratch_dir())
        self._sites.append(site)
        shard.write_documents(_documents(articles), Path(site))
        return {
            "kind": "index",
            "binary": binary,
            "site": site,
            "target": str(target),
            "archive": str(archive) if archive is not None else None,
            "spare": spare,
        }

    def _done(self, lane: _Lane, received: tuple | None) -> None:
        """Count what a helper finished; a cached bundle it could not unpack is indexed again."""
        if received is None:
            return
        (kind, articles, target, archive, spare), answer = received
        if not answer.get("ok"):
            if kind != "unpack":
                raise RuntimeError(answer.get("error") or "?")
            job = self._index_job(self.binary, articles, target, archive, spare)
            lane.send(job, ("index", articles, target, archive, spare))
            self._done(lane, lane.receive())
        elif kind == "unpack":
            self.reused += 1
        else:
            self.indexed += 1

    # -- the cache and the last build's output
    def _last_keys(self) -> dict[str, str]:
        if self.cache is None:
            return {}
        try:
            data = json.loads((self.cache / BUNDLES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if data.get("output") != str(self.output.resolve()):
            return {}
        return data.get("bundles", {})

    def _take_back(self, name: str, key: str, last_key: str | None) -> bool:
        """The last build's bundle for ``name``, when it was made from the same documents."""
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
        self.reused += 1
        return True

    def finish(self) -> None:
        """Wait for the bundles; remember which is which; drop unused cache entries."""
        self.thread.join()
        if self.error:
            logger.error(
                "Không ghi được chỉ mục tìm kiếm (Pagefind lỗi: %s) — tìm kiếm sẽ không hoạt động.",
                self.error,
            )
            return
        if self.cache is not None:
            wanted = {f"{key}.tar" for key in self.keys} | {BUNDLES_FILE}
            for old in self.cache.iterdir():
                if old.name not in wanted:
                    if old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
                    else:
                        old.unlink(missing_ok=True)
            bundles = {name: key for (name, _), key in zip(self.shards, self.keys, strict=True)}
            (self.cache / BUNDLES_FILE).write_text(
                json.dumps({"output": str(self.output.resolve()), "bundles": bundles}),
                encoding="utf-8",
            )
        logger.info(
            "loa: search index in %d bundles (%d indexed, %d from the cache), %.1f s",
            len(self.shards),
            self.indexed,
            self.reused,
            time.perf_counter() - self.started,
        )


def _keep_off(cpus: list[int]) -> set[int] | None:
    """Keep this process off ``cpus`` while the helpers run there; returns what it had.

    Pagefind, pinned to its core, otherwise shares it with the build's threads
    whenever the scheduler puts them there (10,000 articles: 1.3 s longer).
    """
    if not cpus or not hasattr(os, "sched_setaffinity"):
        return None
    mine = os.sched_getaffinity(0)
    rest = mine - set(cpus)
    if not rest or not _pin_threads(rest):
        return None
    return mine


def _pin_threads(cpus: set[int]) -> bool:
    """Every thread of this process on ``cpus`` (Linux sets affinity thread by thread)."""
    try:
        tasks = os.listdir(f"/proc/{os.getpid()}/task")
    except OSError:
        return False
    for task in tasks:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(int(task), cpus)
    return True


def _documents(articles: list) -> list[tuple[str, bytes]]:
    """Each article's search document (``shard.document``) and where it goes."""
    return [
        (values[0].strip("/"), shard.document(shard.record(*values)).encode("utf-8"))
        for values in map(_inputs, articles)
    ]


def _packed(articles: list) -> bytes:
    """The documents' inputs (``_inputs``) for ``articles``, pickled the same way every time."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: equal values give equal bytes whatever their identity
    pickler.dump([_inputs(article) for article in articles])
    return buffer.getvalue()


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
        (_bundle_name(number), articles[begin : begin + shard_size])
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
    _pending[id(settings)] = _Indexer(shards, output, cache, previous, lanes)


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "?"


def _unit_name(article) -> str:
    unit = getattr(article, "unit", None)
    return unit.short_name if unit else article.category.name


def _inputs(article) -> tuple[str, ...]:
    """What an article's search document is made of: ``shard.record``'s arguments."""
    return (
        str(article.url),
        str(article.title),
        str(article._content or ""),
        str(_unit_name(article)),
        str(getattr(article, "locale_date", "") or ""),
    )


def build_index(pelican) -> None:
    """Wait for the search bundles once the site is written (``finalized``)."""
    indexer = _pending.pop(id(pelican.settings), None)
    if indexer is not None:
        indexer.finish()


def register() -> None:
    """Start at ``article_generator_pretaxonomy``, finish at ``finalized``."""
    signals.article_generator_pretaxonomy.connect(collect)
    signals.finalized.connect(build_index)

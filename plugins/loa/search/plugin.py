"""Search with Pagefind: article bodies only, a unit filter, a folded copy of the text and its word pairs.

Pagefind folds tone marks but not "đ", so "dong nai" would miss "Đồng Nai". Each
article is indexed from a small HTML document made here: its title and body as
written, then (with a lower weight, so that exact matches rank first) the same
text folded — "Đồng Nai" becomes "dong nai". The index is built from these
documents, not from the written pages, which keeps memory low on large sites.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import threading
import time
from pathlib import Path

from pelican import signals

from loa import writer
from loa.pagestore import code_version
from loa.parallel import worker_count
from loa.vietnamese import fold

logger = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
FOLDED_WEIGHT = "0.5"
# Articles per Pagefind process: Pagefind holds a whole shard in memory while it
# indexes it, about 190 KB per article with the folded words and pairs
# (Pagefind 1.5.2: 600 articles, 116 MB; 2,000 articles, 363 MB).
SHARD_SIZE = 600
BUNDLES_FILE = "bundles.json"  # which bundle of the output was made from which shard


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment or "")).split())


def folded_extras(title: str, body: str) -> tuple[str, str]:
    """What Pagefind cannot fold itself, and the word pairs two-word queries ask for.

    Pagefind already folds tone marks ("Nẵng" is found by "nang") but not "đ", so
    only words with "đ" get a folded copy ("Đà" → "da"). Pairs are kept only
    where one of the two folded words holds a "d": the same test the search page
    applies before asking for a pair (theme/static/js/search.js).
    """
    words = _WORD.findall(fold(f"{title} {body}"))
    originals = _WORD.findall(f"{title} {body}".lower())
    folded = " ".join(sorted({w for w, o in zip(words, originals, strict=False) if "đ" in o}))
    pairs = " ".join(a + b for a, b in itertools.pairwise(words) if "d" in a or "d" in b)
    return folded, pairs


def document(record: dict) -> str:
    """The HTML Pagefind indexes for one article."""
    title, body = record["title"], record["text"]
    folded, pairs = folded_extras(title, body)
    meta = "".join(
        f'<meta data-pagefind-meta="{key}:{html.escape(value, quote=True)}">'
        for key, value in record["meta"].items()
        if value
    )
    return (
        f'<html lang="vi"><head>{meta}</head><body data-pagefind-body>'
        f'<span data-pagefind-filter="Đơn vị">{html.escape(record["unit"])}</span>'
        f"<h1>{html.escape(title)}</h1><div>{html.escape(body)}</div>"
        f'<div data-pagefind-weight="{FOLDED_WEIGHT}">{html.escape(folded)} {html.escape(pairs)}</div>'
        "</body></html>"
    )


def _bundle_name(number: int) -> str:
    return "pagefind" if number == 1 else f"pagefind-{number}"


class _Indexer:
    """Builds the search bundles in a background thread while Pelican writes the pages.

    The articles are cut into shards of ``LOA_SEARCH_SHARD_SIZE``, oldest first,
    one Pagefind process each, so memory stays flat as the site grows. Oldest
    first keeps the shards stable: a new article changes only the last one.

    A shard is known by a hash of what its documents are made of. Pagefind
    writes a new bundle straight into the output, and the cache keeps a copy
    as one file (``CACHE_PATH/loa-search/<hash>.tar``). An unchanged bundle is
    moved back from the last build's output in one rename when it is there
    (``loa.writer`` moved that output aside), else unpacked from the cache.
    Each shard's documents are made only when its turn comes, so the whole
    site's text is never held twice in memory.
    """

    def __init__(
        self,
        shards: list[tuple[str, list]],
        output: Path,
        cache: Path | None,
        previous: Path,
        processes: int = 1,
    ) -> None:
        self.shards = shards  # (bundle name, articles)
        self.processes = max(1, processes)
        usable = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        # Each Pagefind process on one core: its threads then write its files one
        # after another, which on ext4 costs half the system time of writing
        # them at once into one folder (2,000 documents: 1.7 s instead of 2.7 s).
        self.cpus = (usable[0], usable[-1]) if usable else (None, None)
        self.pages_written = threading.Event()
        self.failure: Exception | None = None
        self._lock = threading.Lock()
        self.keys: list[str] = []
        self.output = output
        self.cache = cache
        self.previous = previous  # where the last build's output lies now
        self.error: str | None = None
        self.indexed = 0
        self.reused = 0
        self.started = time.perf_counter()
        self.thread = threading.Thread(target=self._run, name="loa-search", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            from pagefind.service import get_executable

            binary = get_executable()
            if binary is None:
                raise FileNotFoundError("không tìm thấy chương trình pagefind")
            version = f"{_pagefind_version()}|{FOLDED_WEIGHT}|{code_version().hex()}"
            for _name, articles in self.shards:
                # The key is made from what the documents are made of, so a
                # shard found again costs no document at all.
                digest = hashlib.sha256(version.encode())
                for article in articles:
                    for part in _inputs(article):
                        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
                self.keys.append(digest.hexdigest()[:32])
            before = self._last_keys()
            todo = []
            # First what can be taken back at once, before the last output goes.
            for (name, articles), key in zip(self.shards, self.keys, strict=True):
                if not self._take_back(name, key, before.get(name)):
                    todo.append((name, articles, key))
            # One Pagefind process while the pages are being written; once they
            # are (``pages_written``), a second one where there is a core for it.
            queue = iter(todo)
            helper = None
            if self.processes > 1 and len(todo) > 1:
                helper = threading.Thread(
                    target=self._work,
                    args=(str(binary), queue, self.cpus[1], True),
                    name="loa-search-2",
                    daemon=True,  # a build that stops never sends page_writer_finalized
                )
                helper.start()
            self._work(str(binary), queue, self.cpus[0], False)
            if helper is not None:
                helper.join()
            if self.failure is not None:
                raise self.failure
        except Exception as exc:  # reported at ``finalized``; the site still builds
            self.error = str(exc)

    def _work(self, binary: str, queue, cpu: int | None, waits: bool) -> None:
        """Index shards from ``queue`` until it is empty, Pagefind kept on ``cpu``."""
        if waits:
            self.pages_written.wait()
        while self.failure is None:
            with self._lock:
                job = next(queue, None)
            if job is None:
                return
            try:
                self._shard(binary, cpu, *job)
            except Exception as exc:
                self.failure = exc

    def _shard(self, binary: str, cpu: int | None, name: str, articles: list, key: str) -> None:
        if self._unpack(name, key):
            with self._lock:
                self.reused += 1
            return
        documents = [
            (article.url.strip("/"), document(_record(article)).encode("utf-8"))
            for article in articles
        ]
        self._pagefind(binary, documents, self.output / name, cpu)
        self._store(name, key)
        with self._lock:
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

    def _unpack(self, name: str, key: str) -> bool:
        archive = self.cache / f"{key}.tar" if self.cache else None
        if archive is None or not archive.is_file():
            return False
        target = self.output / name
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(partial, filter="data")
        except (OSError, tarfile.TarError):
            shutil.rmtree(partial, ignore_errors=True)
            return False
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
        return True

    def _store(self, name: str, key: str) -> None:
        """Keep a copy of a new bundle in the cache: one file, written once."""
        if self.cache is None:
            return
        partial = self.cache / f"{key}.tar.partial"
        with tarfile.open(partial, "w") as tar:
            tar.add(self.output / name, arcname=".")
        partial.rename(self.cache / f"{key}.tar")

    @staticmethod
    def _pagefind(
        binary: str, documents: list[tuple[str, bytes]], target: Path, cpu: int | None = None
    ) -> None:
        # The documents go to a scratch folder that Pagefind indexes in one run:
        # in memory (/dev/shm, a few MB per shard) where there is one, since
        # thousands of small files cost more on disk than the indexing itself.
        with tempfile.TemporaryDirectory(prefix="loa-search-", dir=_scratch_dir()) as scratch:
            root = Path(scratch)
            for path, body in documents:
                page = root / path / "index.html"
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_bytes(body)
            documents.clear()
            partial = target.with_name(target.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            result = subprocess.run(
                [
                    binary,
                    "--site",
                    str(root),
                    "--output-path",
                    str(partial),
                    "--force-language",
                    "vi",
                    "--silent",
                ],
                capture_output=True,
                text=True,
                check=False,
                preexec_fn=_pin(cpu),
            )
            if result.returncode != 0:
                shutil.rmtree(partial, ignore_errors=True)
                raise RuntimeError(
                    (result.stderr or result.stdout).strip()[-500:] or f"mã lỗi {result.returncode}"
                )
            shutil.rmtree(target, ignore_errors=True)
            partial.rename(target)

    def finish(self) -> None:
        """Wait for the bundles; remember which is which; drop unused cache entries."""
        self.thread.join()
        if self.error:
            logger.error(
                "loa: search index not written (Pagefind failed: %s) — tìm kiếm sẽ không hoạt động.",
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


def _pin(cpu: int | None):
    """What to run in a new Pagefind process before it starts: keep it on ``cpu``."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return None
    return lambda: os.sched_setaffinity(0, (cpu,))


def _scratch_dir() -> str | None:
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


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
    processes = min(2, worker_count(settings))
    _pending[id(settings)] = _Indexer(shards, output, cache, previous, processes)


def pages_written(generator, writer=None) -> None:
    """The articles and pages are written (``page_writer_finalized``): their cores are free."""
    indexer = _pending.get(id(generator.settings))
    if indexer is not None:
        indexer.pages_written.set()


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return "?"


def _unit_name(article) -> str:
    unit = getattr(article, "unit", None)
    return unit.short_name if unit else article.category.name


def _record(article) -> dict:
    return {
        "url": "/" + article.url,
        "title": article.title,
        "text": plain_text(article._content),
        "unit": _unit_name(article),
        "meta": {
            "title": article.title,
            "đăng ngày": getattr(article, "locale_date", ""),
        },
    }


def _inputs(article) -> tuple[str, ...]:
    """Everything ``_record`` reads: the same inputs give the same document."""
    return (
        article.url,
        article.title,
        article._content or "",
        _unit_name(article),
        str(getattr(article, "locale_date", "")),
    )


def build_index(pelican) -> None:
    """Wait for the search bundles once the site is written (``finalized``)."""
    indexer = _pending.pop(id(pelican.settings), None)
    if indexer is not None:
        indexer.pages_written.set()
        indexer.finish()


def register() -> None:
    """Start at ``article_generator_pretaxonomy``, finish at ``finalized``."""
    signals.article_generator_pretaxonomy.connect(collect)
    signals.page_writer_finalized.connect(pages_written)
    signals.finalized.connect(build_index)

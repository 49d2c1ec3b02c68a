"""Reading on every core: the Markdown of a large site is converted in forked worker processes.

Pelican reads one file after another. Converting Markdown is most of that time,
and it depends on nothing but the file, so when many files need reading (no
cache, or a cold one) worker processes convert them ahead of Pelican's loop and
send back plain values (HTML, strings, dates); the reader then makes Pelican's
objects in the main process, so what Pelican caches and builds is the same as
a one-process read. A file a worker could not read is simply read again by the
main process, which reports its problem as usual.

How many workers, and from how many files on: ``loa.parallel``.

Pelican then saves its reader cache (a pickle of every file's HTML and
metadata) before the articles generator ends. Here that is done by a forked
process (``save_aside``) while the build goes on: pickling made Python build a
``__dict__`` for each of the site's tag, unit and author objects, about 30 MB
at 10,000 articles that the build then carried to its end, and half a second
of the build waited for it. The next build waits for the file (``wait_saved``).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from pelican import signals
from pelican.cache import FileStampDataCacher
from pelican.utils import file_suffix

from loa.parallel import processes_for

logger = logging.getLogger(__name__)

_worker: dict = {}  # "reader": the reader a forked worker uses (inherited at fork)
_active: dict[int, _Prefetch] = {}
_savers: list[int] = []  # forked processes writing a reader cache (``save_aside``)


class _Prefetch:
    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool
        self.futures: dict[str, Future] = {}

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _read_chunk(paths: list[str]) -> dict[str, tuple | None]:
    """In a worker: plain (HTML, metadata) of each file; None where the main process should retry."""
    results: dict[str, tuple | None] = {}
    for path in paths:
        try:
            results[path] = _worker["reader"].read_plain(path)
        except Exception:  # the main process reads it again and reports it properly
            results[path] = None
    return results


def _pending(generator, reader, paths_key: str, excludes_key: str) -> list[str]:
    """Files of this generator that the reader will convert (not in Pelican's caches)."""
    settings = generator.settings
    readers = generator.readers
    use_cache = bool(settings.get("LOAD_CONTENT_CACHE")) and bool(getattr(readers, "_cache", None))
    todo = []
    for name in generator.get_files(settings[paths_key], exclude=settings[excludes_key]):
        if file_suffix(name) not in reader.file_extensions:
            continue
        path = os.path.abspath(os.path.join(generator.path, name))
        if use_cache and readers.get_cached_data(path, None) is not None:
            continue
        todo.append(path)
    return todo


def start(generator, paths_key: str, excludes_key: str) -> None:
    """Start converting this generator's files in worker processes (first ``*_preread``)."""
    if getattr(generator, "_loa_prefetch_started", False):
        return
    generator._loa_prefetch_started = True
    readers = generator.readers
    if "fork" in multiprocessing.get_all_start_methods() and isinstance(
        readers, FileStampDataCacher
    ):
        readers.save_cache = lambda: save_aside(readers)
    reader = next((r for r in generator.readers.readers.values() if hasattr(r, "read_plain")), None)
    if reader is None:
        return
    todo = _pending(generator, reader, paths_key, excludes_key)
    workers = processes_for(generator.settings, len(todo))
    if workers < 2:
        return
    # Chunks small enough to share the work evenly, large enough to keep the
    # cost of sending results low; submitted in Pelican's reading order.
    size = max(8, min(200, -(-len(todo) // (workers * 8))))
    _worker["reader"] = reader
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    prefetch = _Prefetch(pool)
    for begin in range(0, len(todo), size):
        chunk = todo[begin : begin + size]
        future = pool.submit(_read_chunk, chunk)
        for path in chunk:
            prefetch.futures[path] = future
    _active[id(reader)] = prefetch
    logger.debug("loa: reading %d files in %d worker processes", len(todo), workers)


def take_prefetched(reader, path: str) -> tuple | None:
    """What a worker read of ``path``, or None (not prefetched, or the worker failed)."""
    prefetch = _active.get(id(reader))
    if prefetch is None:
        return None
    path = os.path.abspath(path)
    future = prefetch.futures.pop(path, None)
    try:
        return future.result().get(path) if future is not None else None
    except Exception as exc:  # a worker died: read here instead
        logger.debug("loa: worker read of %s failed (%s); reading it here", path, exc)
        return None
    finally:
        if not prefetch.futures:  # every file taken: the workers can go
            _active.pop(id(reader), None)
            prefetch.close()


def stop(generator=None) -> None:
    """Stop any workers still running (end of a generator's reading, or a failed build).

    Pelican has saved its reader cache by then and does not read it again in
    this build: its in-memory copy (a metadata dict for every file, ~30 MB at
    10,000 articles) is let go. The next build loads the file.
    """
    for key in list(_active):
        _active.pop(key).close()
    readers = getattr(generator, "readers", None)
    if isinstance(getattr(readers, "_cache", None), dict):
        readers._cache = {}


def save_aside(readers: FileStampDataCacher) -> None:
    """Pelican's ``save_cache``, in a forked process; the file appears whole or not at all."""
    if not readers._cache_data_policy:
        return
    pid = os.fork()
    if pid == 0:  # child: write, never return
        status = 1
        final = readers._cache_path
        try:
            readers._cache_path = f"{final}.{os.getpid()}.partial"
            FileStampDataCacher.save_cache(readers)  # logs its own warning on failure
            if os.path.exists(readers._cache_path):
                os.replace(readers._cache_path, final)
                status = 0
        except BaseException:
            pass
        finally:
            if status and os.path.exists(readers._cache_path):
                os.unlink(readers._cache_path)
            os._exit(status)
    _savers.append(pid)


def wait_saved(*_args, **_kwargs) -> None:
    """Wait for the reader caches being written (``finalized``, and before a build reads them)."""
    while _savers:
        pid = _savers.pop()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def start_articles(generator) -> None:
    """Start reading the articles ahead (``article_generator_preread``)."""
    start(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def start_pages(generator) -> None:
    """Start reading the pages ahead (``page_generator_preread``)."""
    start(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def register() -> None:
    """Connect the read-ahead to Pelican's signals."""
    signals.get_generators.connect(wait_saved)
    signals.finalized.connect(wait_saved)
    signals.article_generator_preread.connect(start_articles)
    signals.page_generator_preread.connect(start_pages)
    signals.article_generator_finalized.connect(stop)
    signals.page_generator_finalized.connect(stop)

"""How many processes a build step may use: shared by parallel reading and writing.

Settings: ``LOA_WORKERS`` (default: the cores this process may use; 1 keeps
everything in the main process) and ``LOA_PARALLEL_MIN_FILES`` (default 200:
below it, starting processes costs more than it saves).

Work that runs beside the build (the search index, ``loa.search``) holds a core
while it runs: reading and writing then start one process fewer, so the machine
is not asked for more processes than it has cores, and the build's memory
does not carry a forked copy of the site on top of the indexer's.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

MIN_FILES = 200
_held = {"cores": 0}
_lock = threading.Lock()


def hold() -> None:
    """A background task takes a core until it calls ``release``."""
    with _lock:
        _held["cores"] += 1


def release() -> None:
    """Give back a core held by a background task."""
    with _lock:
        _held["cores"] = max(0, _held["cores"] - 1)


def held() -> int:
    """Cores taken by background tasks now."""
    return _held["cores"]


def worker_count(settings: dict) -> int:
    """How many processes may work at once: ``LOA_WORKERS``, else the usable cores."""
    configured = settings.get("LOA_WORKERS")
    if configured is not None:
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def processes_for(settings: dict, files: int) -> int:
    """Processes to use for ``files`` files.

    1 (the main process alone) for small jobs or without fork; else the workers
    allowed, less the cores held by background tasks.
    """
    minimum = max(1, int(settings.get("LOA_PARALLEL_MIN_FILES", MIN_FILES)))
    if files < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, worker_count(settings) - held())

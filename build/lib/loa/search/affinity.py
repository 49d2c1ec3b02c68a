"""Where the search's processes run: each Pagefind helper on a core of its own, the build elsewhere.

Linux sets CPU affinity thread by thread, so moving the whole build's process
means moving each of its threads, listed in ``/proc/<pid>/task``. Everything
here is best effort: where affinity cannot be read or set, nothing is pinned
and the search is built all the same.
"""

from __future__ import annotations

import contextlib
import os


def helper_cpus() -> tuple[int | None, int | None]:
    """The cores for one or two helpers: the first and the last this process may use.

    Each Pagefind process on one core: its threads then write its files one
    after another, which on ext4 costs half the system time of writing them at
    once into one folder (2,000 documents: 1.7 s instead of 2.7 s).
    """
    usable = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return (usable[0], usable[-1]) if usable else (None, None)


def pin_process(pid: int, cpu: int | None) -> None:
    """Keep process ``pid`` (and the children it starts afterwards) on ``cpu``."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(pid, (cpu,))


def keep_off(cpus: list[int]) -> set[int] | None:
    """Keep this process off ``cpus`` while the helpers run there; returns what it had.

    Pagefind, pinned to its core, otherwise shares it with the build's threads
    whenever the scheduler puts them there (10,000 articles: 1.3 s longer).
    """
    if not cpus or not hasattr(os, "sched_setaffinity"):
        return None
    mine = os.sched_getaffinity(0)
    rest = mine - set(cpus)
    if not rest or not pin_threads(rest):
        return None
    return mine


def pin_threads(cpus: set[int]) -> bool:
    """Every thread of this process on ``cpus`` (Linux sets affinity thread by thread)."""
    try:
        tasks = os.listdir(f"/proc/{os.getpid()}/task")
    except OSError:
        return False
    for task in tasks:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(int(task), cpus)
    return True

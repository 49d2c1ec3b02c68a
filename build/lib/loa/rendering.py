"""Rendering recorded pages: in this process, or shared with forked children.

The children are forked once the context is finished, so they read the same
objects copy-on-write and need nothing sent to them; each reports a failure
in a file of its own, which the parent raises once every child has ended. A
child never returns into the build: it leaves with ``os._exit``.
"""

from __future__ import annotations

import gc
import logging
import os
import tempfile
import traceback

logger = logging.getLogger("loa.writer")  # the build's messages keep their name


def render(jobs, workers: int) -> None:
    """Render ``jobs`` (``(template, (shared, local), target, path)``) in ``workers`` processes."""
    if workers < 2:
        logger.debug("loa: writing %d pages in this process", len(jobs))
        render_here(jobs)
    else:
        render_forked(jobs, workers)


def render_here(jobs) -> None:
    """Render and write ``jobs`` in this process (a job without a target is skipped)."""
    made: set[str] = set()
    for template, (shared, local), target, _path in jobs:
        if target is None:
            continue
        output = template.render({**shared, **local})
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(output)
        logger.info('Writing "%s"', target)


def render_forked(jobs, workers: int) -> None:
    """The main process renders one share, ``workers - 1`` forked children the others."""
    # Interleaved shares: each process gets long and short pages alike.
    shares = [jobs[n::workers] for n in range(workers)]
    logger.debug("loa: writing %d pages in %d processes", len(jobs), workers)
    children: list[tuple[int, str]] = []
    freeze = gc.isenabled()  # paused during a build (``begin``), else:
    if freeze:
        gc.collect()
        gc.freeze()  # the children share the objects: keep the collector off their pages
    try:
        for share in shares[1:]:
            handle, report = tempfile.mkstemp(prefix="loa-writer-", suffix=".txt")
            os.close(handle)
            pid = os.fork()
            if pid == 0:  # child: render, report a failure in the file, never return
                status = 0
                try:
                    gc.disable()
                    render_here(share)
                except BaseException:
                    status = 1
                    try:
                        with open(report, "w", encoding="utf-8") as out:
                            out.write(traceback.format_exc())
                    except BaseException:
                        pass
                finally:
                    os._exit(status)
            children.append((pid, report))
        error = None
        try:
            render_here(shares[0])
        except Exception as exc:
            error = exc
        failures = []
        for pid, path in children:
            _, status = os.waitpid(pid, 0)
            if status != 0:
                with open(path, encoding="utf-8") as out:
                    failures.append(out.read().strip() or f"exit status {status}")
            os.unlink(path)
        if error is not None:
            raise error
        if failures:
            raise RuntimeError("a page-writing process failed:\n" + failures[0])
    finally:
        if freeze:
            gc.unfreeze()

"""One build's state between Pelican's signals, and the last build's output.

A build starts at ``get_generators`` (``begin``): the garbage collector pauses
(``loa.collector``) and, with ``DELETE_OUTPUT_DIRECTORY`` and a page store, the
last build's output is moved aside instead of emptied, so unchanged pages can
be taken back from it (``loa.pagestore``). What is left of it is deleted once
the pages are written (``BuildState.remove_aside_later``) and waited for at
``finalized`` (``finish``), after the writer's last flush.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

from loa import collector, pagestore


@dataclass
class BuildState:
    """What this process keeps between the signals of one build (one build at a time)."""

    writer: Any = None  # this build's writer (``loa.writer.ParallelWriter``)
    aside: str | None = None  # where the last build's output was moved (``begin``)
    remover: threading.Thread | None = None  # deleting what is left of it
    # Pages of the current (or last) build, how many were kept, and the most
    # processes that wrote them: for the bench and the tests.
    totals: dict = field(default_factory=lambda: {"pages": 0, "kept": 0, "processes": 0})

    def take_aside(self) -> str | None:
        """Where the last build's output lies, forgotten here (its removal is the caller's)."""
        aside, self.aside = self.aside, None
        return aside

    def remove_aside_later(self) -> None:
        """Start deleting what is left of the last build's output, beside the build."""
        aside = self.take_aside()
        if aside:
            self.remover = threading.Thread(target=pagestore.remove_aside, args=(aside,))
            self.remover.start()

    def remove_aside(self) -> None:
        """Delete what is left of the last build's output now, and wait for a deletion under way."""
        pagestore.remove_aside(self.take_aside())
        remover, self.remover = self.remover, None
        if remover is not None:
            remover.join()


STATE = BuildState()
totals = STATE.totals  # read by bench/build.py and the tests


def finish(*_args, **_kwargs) -> None:
    """Anything still recorded (``finalized``; normally nothing is left by then).

    Then the page store is saved and what is left of the last build's output
    (pages not made again: deleted articles, old search bundles...) goes, and
    the garbage collector works again.
    """
    writer, STATE.writer = STATE.writer, None
    if writer is not None:
        writer.close()
    STATE.remove_aside()
    collector.resume()


def begin(pelican) -> None:
    """A build starts (``get_generators``, before Pelican empties the output).

    With ``DELETE_OUTPUT_DIRECTORY``, the last build's output is moved aside
    instead, so unchanged pages can be taken back from it.
    """
    settings = pelican.settings
    # A build that stopped half-way: its recorded pages are never written,
    # and what it had moved aside goes.
    STATE.writer = None
    STATE.remove_aside()
    collector.pause()
    totals.update(pages=0, kept=0, processes=0)
    if not (settings.get("DELETE_OUTPUT_DIRECTORY") and pagestore.enabled(settings)):
        return
    output, source = os.path.realpath(pelican.output_path), os.path.realpath(pelican.path)
    if os.path.commonpath([output]) == os.path.commonpath([output, source]):
        return  # the output holds the content: Pelican refuses to empty it, so do we
    aside = pagestore.set_aside(pelican.output_path, settings.get("OUTPUT_RETENTION"))
    STATE.aside = aside
    # Pelican empties the output only when it was not moved aside.
    pelican.delete_outputdir = aside is None


def previous_output() -> str | None:
    """Where the last build's output was moved for this build (None: not moved)."""
    return STATE.aside

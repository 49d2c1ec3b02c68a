"""The helper processes that run Pagefind (``shard.py``), and the jobs they are given.

A job crosses to its helper as a pickled dict in a file (see ``shard.serve``);
in the build it is a ``ShardJob``, which also keeps what the build needs when
the answer comes back (the articles, to index a shard again whose cached copy
could not be unpacked).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from loa.search import affinity, shard

SHARD_SCRIPT = Path(shard.__file__).resolve()


@dataclass
class ShardJob:
    """One shard's work for a helper: unpack its cached bundle, or index its documents."""

    kind: str  # "unpack" or "index"
    articles: list = field(repr=False)
    target: Path  # the bundle's folder in the output
    archive: Path | None  # the cache's copy (None: the site keeps no cache)
    spare: list[int] | None = None  # the cores the helper may copy into the cache on
    binary: str = ""  # Pagefind (index jobs)
    site: str = ""  # the scratch folder holding the documents (index jobs)

    def message(self) -> dict:
        """What the helper reads (``shard.serve``): plain values only."""
        if self.kind == "unpack":
            return {"kind": "unpack", "archive": str(self.archive), "target": str(self.target)}
        return {
            "kind": "index",
            "binary": self.binary,
            "site": self.site,
            "target": str(self.target),
            "archive": str(self.archive) if self.archive is not None else None,
            "spare": self.spare,
        }


class Lane:
    """A helper process (``shard.py``) running Pagefind on one shard after another, on one core."""

    def __init__(self, cpu: int | None) -> None:
        """Start the helper, pinned to ``cpu`` when there is one."""
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(SHARD_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        # Before its first job, so Pagefind, its child, stays there too.
        affinity.pin_process(self.process.pid, cpu)
        self.job: tuple[ShardJob, str] | None = None  # the job in progress and its file

    def send(self, job: ShardJob) -> None:
        """Start ``job``; ``receive`` gives it back with the helper's answer."""
        # The job goes through a file written in one call: a thread that writes
        # a pipe in small pieces waits for the interpreter lock at each one.
        handle, path = tempfile.mkstemp(prefix="loa-search-job-", dir=shard.scratch_dir())
        with os.fdopen(handle, "wb") as out:
            out.write(pickle.dumps(job.message(), protocol=pickle.HIGHEST_PROTOCOL))
        self.job = (job, path)
        try:
            self.process.stdin.write(path + "\n")
            self.process.stdin.flush()
        except OSError:
            pass  # reported by receive

    def receive(self) -> tuple[ShardJob, dict] | None:
        """Wait for the job in progress: (the job, the helper's answer), or None if idle."""
        if self.job is None:
            return None
        job, path = self.job
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
        return job, json.loads(answer)

    def close(self) -> None:
        """End the helper once it has finished (it waits for its cache copies)."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        self.process.wait()

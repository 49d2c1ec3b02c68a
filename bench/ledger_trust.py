"""What checking the ledger's history costs: ``python bench/ledger_trust.py [COMMITS] [LINES]``.

Makes a signed ledger of COMMITS commits (each appending LINES post lines, as
the deploy does) on a local bare remote, then times, in fresh processes' worth
of state:

(a) a first read with no remembered tip (every commit's signature and growth checked),
(b) a read after one more commit, the tip remembered (the deploy's usual case),
(c) a read with nothing new.

Figures only: nothing here is asserted by the tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from loa.ledger import SIGNING_KEY_ENV, Entry, Ledger, Trust


def main(commits: int = 200, lines: int = 6) -> None:
    """Print the time of each read."""
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as folder:
        root = Path(folder)
        key = root / "key"
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
            check=True,
        )
        signers = root / "ledger-signers"
        signers.write_text(f"loa {key.with_suffix('.pub').read_text()}", encoding="utf-8")
        os.environ[SIGNING_KEY_ENV] = key.read_text()
        remote = root / "ledger.git"
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
        started = time.monotonic()
        with Ledger(str(remote), trust=Trust(signers)) as ledger:
            ledger.refresh()
            for n in range(commits):
                ledger.append(
                    [
                        Entry(f"/don-vi/bai-{n}-{i}/", "telegram", "-1001", "posted")
                        for i in range(lines)
                    ],
                    f"loa: {n}",
                )
        print(f"writing {commits} signed commits: {time.monotonic() - started:.1f} s")
        state = root / "state"

        def timed(label: str) -> None:
            begin = time.monotonic()
            with Ledger(str(remote), trust=Trust(signers, state)) as reader:
                reader.refresh()
                count = len(reader.entries)
            print(f"{label}: {time.monotonic() - begin:.2f} s ({count} lines)")

        timed("(a) first read, whole chain checked")
        with Ledger(str(remote), trust=Trust(signers)) as writer:  # remembers nothing
            writer.refresh()
            writer.append([Entry("/don-vi/moi/", "telegram", "-1001", "posted")], "loa: mới")
        timed("(b) one new commit, tip remembered")
        timed("(c) nothing new")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

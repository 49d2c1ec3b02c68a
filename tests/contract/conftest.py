"""The contract figures of a whole test session, in pytest's summary.

Every request any test sent to a fake was checked against ``specs/``
(``tests/fakes/contract.py``); this prints how many, over how many request
shapes, and how many the specifications refused (planted defects and tests of
refusals included). Under pytest-xdist each worker keeps its own record, so the
figures are printed only in a run without workers.
"""

from __future__ import annotations

import collections

from tests.fakes.contract import RECORD


def pytest_terminal_summary(terminalreporter) -> None:
    """``contract: N requests checked, S shapes (per platform), R refused``."""
    checks = RECORD.snapshot()
    if not checks:
        return
    shapes = {(c.platform, c.shape) for c in checks if c.shape}
    per_platform = collections.Counter(platform for platform, _ in shapes)
    refused = sum(1 for c in checks if c.problems)
    terminalreporter.write_line(
        f"contract: {len(checks)} requests checked against specs/, {len(shapes)} shapes "
        f"({', '.join(f'{p} {n}' for p, n in sorted(per_platform.items()))}), {refused} refused"
    )

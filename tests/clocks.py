"""Time travel: run the tests at the instants where dates go wrong.

``python -m tests.clocks list``        print the instants
``python -m tests.clocks run``         the date-sensitive tests (``-m clock``) at each instant
``python -m tests.clocks year-ahead``  the whole suite a year from now
``python -m tests.clocks far``         the whole suite at ``FAR`` (2028-06-01 00:30, Vietnam)
``python -m tests.clocks loaded``      the whole suite with every core kept busy by a load generator
``python -m tests.clocks far-loaded``  both at once: the whole suite at ``FAR`` on a busy machine (CI)

For ``run``, the machine's own clock is moved to each instant too, with libfaketime
(Debian's ``faketime``, which ``.ci/run`` installs): git, Pagefind, Chromium and
every ``loa`` process live on that day, and the tests pin ``LOA_NOW`` to it
(``LOA_TEST_NOW``, read by ``tests/conftest.py``). Without libfaketime only
``LOA_NOW`` moves, and the run says so. The whole-suite runs move ``LOA_NOW``
only (see ``_command``: libfaketime makes timed waits hang).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VN = dt.timezone(dt.timedelta(hours=7), "ICT")


def _vn(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


# Where calendars bite: month ends, the new year in Vietnam while UTC is still
# in the old one, ISO week 53, the edge of an ISO week in Vietnam time, far ahead.
FIXED = {
    "ngày đầu tháng": _vn("2027-02-01T08:00"),
    "ngày cuối tháng, 23:30": _vn("2027-02-28T23:30"),
    "1/1 lúc 00:30 (UTC vẫn là 31/12)": _vn("2027-01-01T00:30"),
    "tuần ISO 53 của 2026": _vn("2026-12-31T12:00"),
    "Chủ nhật 23:59": _vn("2027-01-10T23:59"),
    "thứ Hai 00:00": _vn("2027-01-11T00:00"),
    "năm 2030": _vn("2030-06-15T09:00"),
}


# A second instant for the whole suite, far from the day the tests were written:
# half an hour into a month, a quarter and a day in Vietnam while UTC is still
# on the day before, in a leap year.
FAR = _vn("2028-06-01T00:30")

# The load generator: this many busy processes per core, at the tests' own
# priority (load 4-7 on 2 cores is where waits tuned to an idle machine broke).
LOAD_PER_CORE = 2


def after_every_sample_event() -> dt.datetime:
    """A day after the last sample event ends: every event in the sample is then past."""
    sys.path.insert(0, str(REPO / "plugins"))
    from loa.frontmatter import parse_document

    ends = []
    for path in sorted((REPO / "content" / "articles").rglob("*.md")):
        doc = parse_document(path.read_text(encoding="utf-8"), str(path))
        event = doc.fields.get("event")
        if event is not None:
            ends.append(event.end)
    last = max(ends) if ends else dt.datetime(2027, 1, 1, tzinfo=VN)
    return (last + dt.timedelta(days=1)).astimezone(VN)


def instants() -> dict[str, dt.datetime]:
    """Every instant the date-sensitive tests run at."""
    return {**FIXED, "một ngày sau mọi sự kiện mẫu": after_every_sample_event()}


def _command(args: list[str], moment: dt.datetime) -> list[str]:
    """``args`` under libfaketime at ``moment``, when it is installed."""
    faketime = shutil.which("faketime")
    if faketime is None:
        return args
    seconds = int((moment - dt.datetime.now(dt.UTC)).total_seconds())  # clock: allowed
    spec = f"{seconds:+d}s"
    return [faketime, "-f", spec, *args]


# The whole suite is NOT run under libfaketime, only its date-sensitive tests are
# (``run``): with Debian's libfaketime 0.9.10 and the clock moved, a Python timed wait
# never ends (time.sleep and Event.wait(5) hang: clock_nanosleep / sem_clockwait on
# the faked CLOCK_MONOTONIC), and with FAKETIME_DONT_FAKE_MONOTONIC=1 time.sleep fails
# with EINVAL. The whole-suite runs move the one clock every Loa process reads
# (``LOA_NOW``, through LOA_TEST_NOW) and leave the machine's clock alone.


def _pytest(extra: list[str]) -> list[str]:
    # On every core (pytest-xdist): each test is independent, in folders of its own.
    return [sys.executable, "-m", "pytest", "-q", "-n", "auto", "-p", "no:cacheprovider", *extra]


def run(names: list[str] | None = None) -> int:
    """The date-sensitive tests at every instant; a summary line per instant."""
    if shutil.which("faketime") is None:
        print(
            "libfaketime không có (apt-get install faketime): chỉ LOA_NOW được dời, đồng hồ máy giữ nguyên."
        )
    results = []
    for name, moment in instants().items():
        if names and name not in names:
            continue
        print(f"\n=== {name}: {moment.isoformat()} ===", flush=True)
        env = {**os.environ, "LOA_TEST_NOW": moment.isoformat()}
        result = subprocess.run(
            _command(_pytest(["-m", "clock"]), moment), cwd=REPO, env=env, check=False
        )
        results.append((name, moment, result.returncode))
    print("\nKết quả theo thời điểm:")
    for name, moment, code in results:
        print(f"  {'đạt  ' if code == 0 else 'LỖI  '} {moment.isoformat()}  {name}")
    return 0 if all(code == 0 for *_, code in results) else 1


def year_ahead() -> int:
    """The whole suite with the machine a year ahead (and ``LOA_NOW`` with it)."""
    env = dict(os.environ)
    ahead = dt.datetime.now(VN) + dt.timedelta(days=365)  # clock: allowed
    env["LOA_TEST_NOW"] = ahead.replace(microsecond=0).isoformat()
    print(f"=== cả bộ kiểm thử, một năm sau: LOA_NOW={env['LOA_TEST_NOW']} ===", flush=True)
    return subprocess.run(_pytest([]), cwd=REPO, env=env, check=False).returncode


def far(extra: list[str] | None = None) -> int:
    """The whole suite with the machine (and ``LOA_NOW``) at ``FAR``."""
    env = {**os.environ, "LOA_TEST_NOW": FAR.isoformat()}
    print(f"=== cả bộ kiểm thử lúc {FAR.isoformat()} (LOA_NOW) ===", flush=True)
    return subprocess.run(_pytest(extra or []), cwd=REPO, env=env, check=False).returncode


def _spin(parent: int, seconds: float) -> None:
    """Keep one core busy until ``seconds`` pass or the process that started us is gone."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and os.getppid() == parent:
        for _ in range(100_000):
            pass


def loaded(
    extra: list[str] | None = None,
    hours: float = 2.0,
    moment: dt.datetime | None = None,
    per_core: int = LOAD_PER_CORE,
) -> int:
    """The whole suite while ``per_core`` busy processes per core compete with it.

    With ``moment``, the machine's clock (and ``LOA_NOW``) is there too: CI's
    third run is the suite at ``FAR`` on a saturated machine, both at once.
    The generator is bounded: its processes stop with the suite, and on their
    own after ``hours`` or when this process dies.
    """
    cores = max(1, len(os.sched_getaffinity(0)))
    spinners = [
        multiprocessing.Process(target=_spin, args=(os.getpid(), hours * 3600), daemon=True)
        for _ in range(cores * per_core)
    ]
    env = dict(os.environ)
    if moment is not None:
        env["LOA_TEST_NOW"] = moment.isoformat()
    for spinner in spinners:
        spinner.start()
    when = f" lúc {moment.isoformat()}" if moment is not None else ""
    print(
        f"=== cả bộ kiểm thử{when}, {len(spinners)} tiến trình tải trên {cores} lõi ===", flush=True
    )
    try:
        return subprocess.run(_pytest(extra or []), cwd=REPO, env=env, check=False).returncode
    finally:
        for spinner in spinners:
            spinner.terminate()
        for spinner in spinners:
            spinner.join()
        print(f"tải máy khi kết thúc: {os.getloadavg()[0]:.1f}")


def main(argv: list[str]) -> int:
    """``list``, ``run [NAME...]``, ``year-ahead``, ``far``, ``loaded`` or ``far-loaded`` (pytest arguments after)."""
    action = argv[0] if argv else "list"
    if action == "list":
        for name, moment in instants().items():
            print(f"{moment.isoformat()}  {name}")
        return 0
    if action == "run":
        return run(argv[1:] or None)
    if action == "year-ahead":
        return year_ahead()
    if action == "far":
        return far(argv[1:])
    if action == "loaded":
        return loaded(argv[1:])
    if action == "far-loaded":
        # One busy process per core beside pytest's workers and their builds: load 4-6 on
        # two cores, where guessed waits broke, within CI's time.
        return loaded(argv[1:], moment=FAR, per_core=1)
    print(
        "usage: python -m tests.clocks list | run [NAME...] | year-ahead | far | loaded | far-loaded",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
